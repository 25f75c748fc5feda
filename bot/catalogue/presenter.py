"""Turn a service into a plain, JSON-ready card in one locale (data, not sentences)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote_plus

from bot.catalogue.hours import OpeningHours, Slot
from bot.catalogue.models import ScheduleKind, Service
from bot.catalogue.texts import TranslationIndex

TEXT_FIELDS = (
    "name",
    "description",
    "application_process",
    "fees_description",
    "eligibility_description",
)


def _slot(slot: Slot) -> dict[str, Any]:
    return {
        "opens": slot.opens.strftime("%H:%M"),
        "closes": slot.closes.strftime("%H:%M"),
        "appointment_only": slot.appointment_only,
    }


def map_url(address: str, latitude: float | None, longitude: float | None) -> str:
    """An OpenStreetMap link to the place."""
    if latitude is not None and longitude is not None:
        return (
            f"https://www.openstreetmap.org/?mlat={latitude:.5f}&mlon={longitude:.5f}"
            f"#map=18/{latitude:.5f}/{longitude:.5f}"
        )
    return f"https://www.openstreetmap.org/search?query={quote_plus(address)}"


def opening_hours(service: Service, timezone: str, patron_day: str) -> OpeningHours:
    """The opening rules of a service."""
    return OpeningHours(
        service.schedules,
        timezone=timezone,
        patron_day=patron_day,
        open_on_holidays=service.open_on_holidays,
    )


def hours_data(hours: OpeningHours, now: dt.datetime, days: int = 7) -> dict[str, Any]:
    """Today's slots, open-now, next opening and the coming week, for rendering."""
    local_now = hours.local(now)
    today = hours.on(local_now.date())
    upcoming = hours.next_opening(now)
    week = []
    for offset in range(days):
        day = hours.on(local_now.date() + dt.timedelta(days=offset))
        week.append(
            {
                "date": day.date.isoformat(),
                "slots": [_slot(s) for s in day.slots],
                "holiday": day.holiday,
                "closure": day.closure,
            }
        )
    return {
        "known": hours.has_hours,
        "now": local_now.isoformat(),
        "today": {
            "date": today.date.isoformat(),
            "slots": [_slot(s) for s in today.slots],
            "holiday": today.holiday,
            "closure": today.closure,
        },
        "open_now": hours.is_open(now),
        "next_opening": upcoming[0].isoformat() if upcoming else None,
        "next_opening_appointment_only": bool(upcoming and upcoming[1].appointment_only),
        "week": week,
    }


def service_card(
    service: Service,
    translations: TranslationIndex,
    locale: str,
    now: dt.datetime,
    *,
    timezone: str = "Europe/Rome",
    patron_day: str = "11-13",
) -> dict[str, Any]:
    """Everything a channel shows about a service, with texts in `locale` (or their fallback)."""
    fallbacks: set[str] = set()

    def text(entity: str, record_id: str, field: str, source: str | None) -> str:
        localized = translations.localize((entity, record_id, field), source, locale)
        if localized.text and localized.fell_back:
            fallbacks.add(localized.locale)
        return localized.text

    card: dict[str, Any] = {"id": service.id, "language": locale}
    for field in TEXT_FIELDS:
        card[field] = text("service", service.id, field, getattr(service, field))
    card["organization"] = service.organization.name
    location = service.locations[0].location if service.locations else None
    if location is not None:
        address = ", ".join(
            part
            for part in (
                location.address_1,
                f"{location.postal_code or ''} {location.city}".strip(),
            )
            if part
        )
        card["location"] = {
            "name": location.name,
            "address": address,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "map_url": map_url(address, location.latitude, location.longitude),
            "transportation": text(
                "location", location.id, "transportation", location.transportation
            ),
        }
    else:
        card["location"] = None
    card["phones"] = [phone.number for phone in service.phones]
    card["email"] = service.email
    card["url"] = service.url
    card["documents"] = [
        text("required_document", doc.id, "document", doc.document)
        for doc in sorted(service.required_documents, key=lambda d: d.position)
    ]
    card["costs"] = [
        {
            "amount": float(cost.amount) if cost.amount is not None else None,
            "currency": cost.currency,
            "option": text("cost_option", cost.id, "option", cost.option),
        }
        for cost in service.cost_options
    ]
    card["languages"] = sorted(language.code for language in service.languages)
    card["categories"] = sorted(link.term.code for link in service.categories)
    card["appointment_only"] = bool(service.schedules) and all(
        s.appointment_only for s in service.schedules if s.kind == ScheduleKind.WEEKLY
    )
    card["hours"] = hours_data(opening_hours(service, timezone, patron_day), now)
    card["fallback_locale"] = sorted(fallbacks)[0] if fallbacks else None
    return card
