"""Italian public holidays plus the municipality's patron saint day."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _italian_holidays(year: int, patron_day: str) -> frozenset[dt.date]:
    days = set(holidays.country_holidays("IT", years=year).keys())
    month, day = (int(part) for part in patron_day.split("-"))
    days.add(dt.date(year, month, day))
    return frozenset(days)


def is_public_holiday(day: dt.date, patron_day: str = "11-13") -> bool:
    """True on Italian public holidays and on the patron saint day (`MM-DD`)."""
    return day in _italian_holidays(day.year, patron_day)
