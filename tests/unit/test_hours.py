"""Opening-hours rules in Europe/Rome time: lunch breaks, holidays, DST, closures."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.catalogue.hours import OpeningHours
from bot.catalogue.models import Schedule, ScheduleKind

ROME = ZoneInfo("Europe/Rome")


def weekly(weekday: int, opens: str, closes: str, appointment: bool = False) -> Schedule:
    return Schedule(
        kind=ScheduleKind.WEEKLY,
        weekday=weekday,
        opens_at=dt.time.fromisoformat(opens),
        closes_at=dt.time.fromisoformat(closes),
        appointment_only=appointment,
    )


def office(*extra: Schedule, patron_day: str = "11-13") -> OpeningHours:
    """Mon-Fri 9-12:30 and 14-16 (lunch break), Saturday 9-12."""
    slots = [weekly(d, "09:00", "12:30") for d in range(5)]
    slots += [weekly(d, "14:00", "16:00") for d in range(5)]
    slots.append(weekly(5, "09:00", "12:00"))
    return OpeningHours([*slots, *extra], patron_day=patron_day)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ROME)


def test_lunch_break_is_closed_between_two_slots() -> None:
    hours = office()
    assert hours.is_open(at(2026, 11, 24, 10))  # Tuesday morning
    assert not hours.is_open(at(2026, 11, 24, 13))  # lunch
    assert hours.is_open(at(2026, 11, 24, 15))
    assert not hours.is_open(at(2026, 11, 24, 16))  # closing time is exclusive
    start, _ = hours.next_opening(at(2026, 11, 24, 13)) or (None, None)
    assert start == at(2026, 11, 24, 14)


def test_public_holidays_and_patron_saint_day_are_closed() -> None:
    hours = office()
    assert not hours.is_open(at(2026, 12, 25, 10))  # Christmas, a Friday
    assert hours.on(dt.date(2026, 12, 25)).holiday
    assert not hours.is_open(at(2026, 11, 13, 10))  # Sant'Omobono, Cremona, a Friday
    assert not hours.is_open(at(2027, 3, 29, 10))  # Easter Monday 2027
    assert office(patron_day="12-07").is_open(at(2026, 11, 13, 10))  # not a holiday in Milan
    start, _ = hours.next_opening(at(2026, 12, 24, 17)) or (None, None)
    assert start == at(2026, 12, 28, 9)  # 25 Fri, 26 Sat (St Stephen), 27 Sun


def test_emergency_services_stay_open_on_holidays() -> None:
    always = OpeningHours([weekly(d, "00:00", "23:59") for d in range(7)], open_on_holidays=True)
    assert always.is_open(at(2026, 12, 25, 3))
    assert always.is_open(at(2026, 12, 25, 23, 59))


def test_dst_change_keeps_local_wall_clock_hours() -> None:
    hours = office()
    # 29 March 2026 clocks go forward; Monday 30 March opens at 09:00 local (07:00 UTC)
    opening = dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)
    assert hours.is_open(opening)
    assert not hours.is_open(opening - dt.timedelta(minutes=1))
    # before the change 09:00 local was 08:00 UTC
    assert not hours.is_open(dt.datetime(2026, 3, 27, 7, 30, tzinfo=dt.UTC))
    assert hours.is_open(dt.datetime(2026, 3, 27, 8, 0, tzinfo=dt.UTC))
    # autumn: 25 October 2026 clocks go back; Monday 26 opens at 08:00 UTC
    assert hours.is_open(dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC))
    assert not hours.is_open(dt.datetime(2026, 10, 26, 7, 30, tzinfo=dt.UTC))


def test_temporary_closure_and_dated_exception() -> None:
    closure = Schedule(
        kind=ScheduleKind.CLOSURE, valid_from=dt.date(2026, 8, 10), valid_to=dt.date(2026, 8, 21)
    )
    saturday_extra = Schedule(
        kind=ScheduleKind.EXCEPTION,
        valid_from=dt.date(2026, 8, 22),
        valid_to=dt.date(2026, 8, 22),
        opens_at=dt.time(9),
        closes_at=dt.time(18),
    )
    hours = office(closure, saturday_extra)
    assert not hours.is_open(at(2026, 8, 12, 10))
    assert hours.on(dt.date(2026, 8, 12)).closure
    assert hours.is_open(at(2026, 8, 22, 17))  # Saturday exception until 18:00
    start, _ = hours.next_opening(at(2026, 8, 11, 10)) or (None, None)
    assert start == at(2026, 8, 22, 9)


def test_appointment_only_slot_is_reported() -> None:
    hours = OpeningHours([weekly(2, "14:00", "17:00", appointment=True)])
    found = hours.next_opening(at(2026, 11, 23, 8))
    assert found is not None
    start, slot = found
    assert start == at(2026, 11, 25, 14) and slot.appointment_only
