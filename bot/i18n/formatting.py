"""Babel formatting of times, dates, weekdays and lists per locale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_day_names
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

from bot.i18n.languages import is_rtl

LRI, PDI = "\u2066", "\u2069"  # isolate a left-to-right run inside right-to-left text


def babel_locale(code: str) -> Locale:
    """A Babel locale for a language code, English when Babel does not know it."""
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def isolate(text: str, locale: str) -> str:
    """Wrap numbers, phones and Latin names so they keep their order in RTL sentences."""
    return f"{LRI}{text}{PDI}" if text and is_rtl(locale) else text


def time_range(opens: str, closes: str, locale: str) -> str:
    """'09:00–12:30' in the locale's time format."""
    loc = babel_locale(locale)
    start = format_time(dt.time.fromisoformat(opens), "short", locale=loc)
    end = format_time(dt.time.fromisoformat(closes), "short", locale=loc)
    return isolate(f"{start}–{end}", locale)


def slot_list(slots: Sequence[dict[str, Any]], locale: str) -> str:
    """Several slots of one day as a localised list."""
    return format_list(
        [time_range(s["opens"], s["closes"], locale) for s in slots], locale=babel_locale(locale)
    )


def weekday_name(day: dt.date, locale: str) -> str:
    """The weekday name of a date."""
    return str(get_day_names("wide", locale=babel_locale(locale))[day.weekday()])


def date_label(day: dt.date, locale: str) -> str:
    """A medium date, e.g. '25 nov 2026'."""
    return str(format_date(day, "medium", locale=babel_locale(locale)))


def moment_label(moment: dt.datetime, locale: str) -> str:
    """Weekday, date and time of a moment, e.g. 'lunedì 30 nov 2026, 09:00'."""
    loc = babel_locale(locale)
    return (
        f"{weekday_name(moment.date(), locale)} {format_date(moment.date(), 'medium', locale=loc)}"
        f", {format_time(moment.time(), 'short', locale=loc)}"
    )


def human_list(items: Sequence[str], locale: str) -> str:
    """A localised 'a, b and c'."""
    return format_list(list(items), locale=babel_locale(locale)) if items else ""


def language_name(code: str, locale: str) -> str:
    """The name of a language in another language's words."""
    name = babel_locale(locale).languages.get(code)
    return str(name) if name else code


def format_money(amount: float, currency: str, locale: str) -> str:
    """An amount of money in the locale's format, e.g. '16,00 €'."""
    return isolate(str(format_currency(amount, currency, locale=babel_locale(locale))), locale)


def format_decimal_number(value: float, locale: str, digits: int = 1) -> str:
    """A number with the locale's decimal separator, e.g. '1,2' in Italian."""
    pattern = "0." + "0" * digits if digits else "0"
    return isolate(str(format_decimal(value, format=pattern, locale=babel_locale(locale))), locale)
