"""Service cards for people to read: catalogue data in one language, labels from `locales/`.

The desk chat, the catalogue browser and the printed hand-over all show the same card,
built here from `bot.catalogue.presenter.service_card` (the data the bot answers from).
Every catalogue text has bidi embedding/override characters removed; templates escape it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.catalogue.presenter import service_card
from bot.catalogue.repository import CatalogueRepository
from bot.i18n.formatting import (
    format_money,
    language_name,
    moment_label,
    slot_list,
    weekday_name,
)
from bot.i18n.languages import BY_CODE
from bot.i18n.translator import render
from bot.settings import Settings
from bot.widget.rich_text import neutralise_bidi, safe_href

DESK_DOMAIN = "desk"


@dataclass(frozen=True)
class Link:
    """A labelled link whose target is http(s), mailto or tel (None: show the text only)."""

    text: str
    href: str | None


@dataclass(frozen=True)
class CardView:
    """One service card in one language, ready for a template (texts are plain, unescaped)."""

    service_id: str
    lang: str
    direction: str
    name: str
    provided_by: str
    description: str
    address: str | None
    map_link: Link | None
    transportation: str
    hours_known: bool
    hours_today: str
    open_now: bool
    open_label: str
    next_opening: str
    week: list[tuple[str, str]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    costs: list[str] = field(default_factory=list)
    fees_description: str = ""
    application_process: str = ""
    eligibility: str = ""
    phones: list[Link] = field(default_factory=list)
    email: Link | None = None
    website: Link | None = None
    fallback_note: str = ""

    def label(self, message_id: str, **variables: Any) -> str:
        """A card label in the card's language (desk domain)."""
        return render(message_id, self.lang, variables, domain=DESK_DOMAIN)


def load_card(
    session: Session,
    service_id: str,
    locale: str,
    settings: Settings,
    now: dt.datetime | None = None,
) -> dict[str, Any] | None:
    """The presenter's card of an active service in `locale`, or None when there is none."""
    repository = CatalogueRepository(session)
    service = repository.service(service_id)
    if service is None:
        return None
    return service_card(
        service,
        repository.translations_for([service]),
        locale,
        now or dt.datetime.now(dt.UTC),
        timezone=settings.timezone,
        patron_day=settings.patron_saint_day,
    )


def _clean(value: object) -> str:
    return neutralise_bidi(str(value)).strip() if value else ""


def _hours_today(hours: dict[str, Any], locale: str) -> str:
    today = hours.get("today") or {}

    def t(message_id: str, **variables: Any) -> str:
        return render(message_id, locale, variables, domain=DESK_DOMAIN)

    if not hours.get("known"):
        return t("card_hours_unknown")
    if today.get("slots"):
        value = slot_list(today["slots"], locale)
        if all(slot["appointment_only"] for slot in today["slots"]):
            value = t("card_by_appointment", hours=value)
        return t("card_hours_today", hours=value)
    if today.get("holiday"):
        return t("card_closed_holiday")
    if today.get("closure"):
        return t("card_closed_closure")
    return t("card_closed_today")


def _week(hours: dict[str, Any], locale: str) -> list[tuple[str, str]]:
    days = []
    for day in hours.get("week") or []:
        date = dt.date.fromisoformat(day["date"])
        if day["slots"]:
            value = slot_list(day["slots"], locale)
            if all(slot["appointment_only"] for slot in day["slots"]):
                value = render("card_by_appointment", locale, {"hours": value}, domain=DESK_DOMAIN)
        elif day["holiday"]:
            value = render("card_day_holiday", locale, domain=DESK_DOMAIN)
        elif day["closure"]:
            value = render("card_day_closure", locale, domain=DESK_DOMAIN)
        else:
            value = render("card_day_closed", locale, domain=DESK_DOMAIN)
        days.append((weekday_name(date, locale), value))
    return days


def _costs(card: dict[str, Any], locale: str) -> list[str]:
    lines = []
    for cost in card.get("costs") or []:
        amount = cost.get("amount")
        option = _clean(cost.get("option"))
        if not amount and not option:
            lines.append(render("card_cost_free", locale, domain=DESK_DOMAIN))
        elif amount:
            price = format_money(float(amount), cost.get("currency") or "EUR", locale)
            lines.append(f"{option}: {price}" if option else price)
        else:
            lines.append(option)
    return lines


def card_view(card: dict[str, Any], locale: str) -> CardView:
    """The template-ready view of a presenter card (labels and formats in `locale`)."""

    def t(message_id: str, **variables: Any) -> str:
        return render(message_id, locale, variables, domain=DESK_DOMAIN)

    hours = card.get("hours") or {}
    location = card.get("location") or None
    next_opening = ""
    if hours.get("known") and not hours.get("open_now") and hours.get("next_opening"):
        moment = dt.datetime.fromisoformat(hours["next_opening"])
        next_opening = t("card_next_opening", when=moment_label(moment, locale))
    fallback = card.get("fallback_locale")
    email = _clean(card.get("email"))
    website = _clean(card.get("url"))
    return CardView(
        service_id=str(card["id"]),
        lang=locale,
        direction=BY_CODE[locale].direction if locale in BY_CODE else "ltr",
        name=_clean(card.get("name")),
        provided_by=t("card_provided_by", organization=_clean(card.get("organization"))),
        description=_clean(card.get("description")),
        address=_clean(location["address"]) if location else None,
        map_link=Link(t("card_map_link"), safe_href(location["map_url"])) if location else None,
        transportation=_clean(location.get("transportation")) if location else "",
        hours_known=bool(hours.get("known")),
        hours_today=_hours_today(hours, locale),
        open_now=bool(hours.get("open_now")),
        open_label=t("card_open_now") if hours.get("open_now") else t("card_closed_now"),
        next_opening=next_opening,
        week=_week(hours, locale) if hours.get("known") else [],
        documents=[_clean(document) for document in card.get("documents") or [] if document],
        costs=_costs(card, locale),
        fees_description=_clean(card.get("fees_description")),
        application_process=_clean(card.get("application_process")),
        eligibility=_clean(card.get("eligibility_description")),
        phones=[
            Link(_clean(phone), safe_href("tel:" + "".join(str(phone).split())))
            for phone in card.get("phones") or []
        ],
        email=Link(email, safe_href(f"mailto:{email}")) if email else None,
        website=Link(website, safe_href(website)) if website else None,
        fallback_note=(
            t("card_fallback_note", language=language_name(fallback, locale)) if fallback else ""
        ),
    )


def card_views(
    session: Session,
    service_id: str,
    locales: list[str],
    settings: Settings,
    now: dt.datetime | None = None,
) -> list[CardView]:
    """The card of one service in each of `locales` (distinct, in order); [] when unknown."""
    moment = now or dt.datetime.now(dt.UTC)
    views = []
    for locale in dict.fromkeys(locales):
        card = load_card(session, service_id, locale, settings, moment)
        if card is None:
            return []
        views.append(card_view(card, locale))
    return views
