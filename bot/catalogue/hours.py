"""Opening hours: weekly slots, exceptions, closures and holidays, in the municipality's time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.catalogue.holidays_calendar import is_public_holiday
from bot.catalogue.models import Schedule, ScheduleKind

END_OF_DAY = dt.time(23, 59)
SEARCH_HORIZON_DAYS = 60


@dataclass(frozen=True)
class Slot:
    """An opening slot of one day in local time."""

    opens: dt.time
    closes: dt.time
    appointment_only: bool = False

    def contains(self, moment: dt.time) -> bool:
        """Whether the slot covers a local wall-clock time."""
        if self.closes >= END_OF_DAY:
            return self.opens <= moment
        return self.opens <= moment < self.closes


@dataclass(frozen=True)
class DayHours:
    """What a service does on one date."""

    date: dt.date
    slots: tuple[Slot, ...]
    holiday: bool = False
    closure: bool = False

    @property
    def closed(self) -> bool:
        """True when there is no slot on that date."""
        return not self.slots


class OpeningHours:
    """The opening rules of one service."""

    def __init__(
        self,
        schedules: Iterable[Schedule],
        *,
        timezone: str = "Europe/Rome",
        patron_day: str = "11-13",
        open_on_holidays: bool = False,
    ) -> None:
        self._schedules: Sequence[Schedule] = list(schedules)
        self.tz = ZoneInfo(timezone)
        self.patron_day = patron_day
        self.open_on_holidays = open_on_holidays

    @property
    def has_hours(self) -> bool:
        """Whether any weekly slot is known."""
        return any(s.kind == ScheduleKind.WEEKLY for s in self._schedules)

    def _in_range(self, schedule: Schedule, day: dt.date) -> bool:
        return (schedule.valid_from is None or schedule.valid_from <= day) and (
            schedule.valid_to is None or day <= schedule.valid_to
        )

    def on(self, day: dt.date) -> DayHours:
        """Slots on a date: a closure wins, then a dated exception, then holidays, then weekly."""
        dated = [s for s in self._schedules if self._in_range(s, day)]
        if any(s.kind == ScheduleKind.CLOSURE for s in dated):
            return DayHours(day, (), closure=True)
        exceptions = [s for s in dated if s.kind == ScheduleKind.EXCEPTION]
        if exceptions:
            return DayHours(day, _slots(exceptions))
        holiday = is_public_holiday(day, self.patron_day)
        if holiday and not self.open_on_holidays:
            return DayHours(day, (), holiday=True)
        weekly = [s for s in dated if s.kind == ScheduleKind.WEEKLY and s.weekday == day.weekday()]
        return DayHours(day, _slots(weekly), holiday=holiday)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """A moment in the municipality's time zone."""
        return moment.astimezone(self.tz)

    def is_open(self, moment: dt.datetime) -> bool:
        """Open at an aware moment (any zone)."""
        local = self.local(moment)
        return any(slot.contains(local.time()) for slot in self.on(local.date()).slots)

    def next_opening(self, after: dt.datetime) -> tuple[dt.datetime, Slot] | None:
        """The next slot start after a moment (the current slot if open now), within 60 days."""
        local = self.local(after)
        for offset in range(SEARCH_HORIZON_DAYS):
            day = local.date() + dt.timedelta(days=offset)
            for slot in self.on(day).slots:
                start = dt.datetime.combine(day, slot.opens, tzinfo=self.tz)
                if offset == 0 and slot.contains(local.time()):
                    return start, slot
                if start > local:
                    return start, slot
        return None


def _slots(schedules: Iterable[Schedule]) -> tuple[Slot, ...]:
    slots = [
        Slot(s.opens_at, s.closes_at, s.appointment_only)
        for s in schedules
        if s.opens_at is not None and s.closes_at is not None
    ]
    return tuple(sorted(slots, key=lambda slot: slot.opens))
