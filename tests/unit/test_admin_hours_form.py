"""The opening-hours form: what a person types becomes rules, or an error on the right field."""

from __future__ import annotations

import datetime as dt

from bot.admin.hours_editing import read_hours_form
from bot.catalogue.models import ScheduleKind


def test_a_lunch_break_is_two_slots_on_the_same_day_and_blank_rows_are_ignored() -> None:
    data, errors = read_hours_form(
        {
            "version": "4",
            "weekly-0-weekday": "0",
            "weekly-0-opens_at": "09:00",
            "weekly-0-closes_at": "12:30",
            "weekly-1-weekday": "0",
            "weekly-1-opens_at": "14:00",
            "weekly-1-closes_at": "17:00",
            "weekly-1-appointment_only": "on",
            "weekly-2-weekday": "",
            "weekly-2-opens_at": "",
            "weekly-2-closes_at": "",
        }
    )
    assert errors == {}
    assert data.version == 4
    slots = [
        (r["weekday"], r["opens_at"], r["closes_at"], r["appointment_only"])
        for r in data.rows["weekly"]
    ]
    assert slots == [
        (0, dt.time(9), dt.time(12, 30), False),
        (0, dt.time(14), dt.time(17), True),
    ]


def test_overlapping_slots_and_reversed_times_are_named_by_field() -> None:
    _, errors = read_hours_form(
        {
            "weekly-0-weekday": "2",
            "weekly-0-opens_at": "09:00",
            "weekly-0-closes_at": "13:00",
            "weekly-1-weekday": "2",
            "weekly-1-opens_at": "12:00",
            "weekly-1-closes_at": "18:00",
            "weekly-2-weekday": "3",
            "weekly-2-opens_at": "15:00",
            "weekly-2-closes_at": "10:00",
            "weekly-3-weekday": "4",
            "weekly-3-opens_at": "9 o'clock",
        }
    )
    assert errors == {
        "weekly-1-opens_at": "overlaps",
        "weekly-2-closes_at": "closes_before_opens",
        "weekly-3-opens_at": "invalid_time",
        "weekly-3-closes_at": "required",
    }


def test_seasonal_slots_of_the_same_day_may_overlap_when_their_dates_do_not() -> None:
    _, errors = read_hours_form(
        {
            "weekly-0-weekday": "1",
            "weekly-0-opens_at": "09:00",
            "weekly-0-closes_at": "13:00",
            "weekly-0-valid_to": "2026-06-30",
            "weekly-1-weekday": "1",
            "weekly-1-opens_at": "08:00",
            "weekly-1-closes_at": "12:00",
            "weekly-1-valid_from": "2026-07-01",
        }
    )
    assert errors == {}


def test_exceptions_and_closures_need_dates_and_an_exception_without_hours_means_closed() -> None:
    data, errors = read_hours_form(
        {
            "exception-0-valid_from": "2026-12-24",
            "exception-0-description": "chiuso la vigilia",
            "exception-1-valid_from": "2026-12-31",
            "exception-1-opens_at": "09:00",
            "closure-0-description": "lavori",
            "closure-1-valid_from": "2027-01-10",
            "closure-1-valid_to": "2027-01-05",
        }
    )
    assert errors == {
        "exception-1-closes_at": "required",
        "closure-0-valid_from": "required",
        "closure-1-valid_to": "end_before_start",
    }
    closed_eve = data.rows["exception"][0]
    assert closed_eve["kind"] is ScheduleKind.EXCEPTION
    assert closed_eve["valid_to"] == dt.date(2026, 12, 24)  # one day when no end is given
    assert closed_eve["opens_at"] is None and closed_eve["closes_at"] is None


def test_a_removed_row_is_not_kept() -> None:
    data, errors = read_hours_form(
        {
            "weekly-0-id": "slot-1",
            "weekly-0-weekday": "0",
            "weekly-0-opens_at": "09:00",
            "weekly-0-closes_at": "12:00",
            "weekly-0-remove": "on",
        }
    )
    assert errors == {} and data.rows["weekly"] == []
