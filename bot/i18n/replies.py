"""Compose a bot reply (text and buttons) from a response name, its variables and a locale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.i18n.formatting import (
    format_money,
    human_list,
    isolate,
    language_name,
    moment_label,
    slot_list,
)
from bot.i18n.formatting import weekday_name as weekday
from bot.i18n.languages import BY_CODE
from bot.i18n.translator import render

Variables = Mapping[str, Any]

MENU = ("btn_menu", "/browse_categories")
HUMAN = ("btn_human", "/request_human")

# Buttons offered with a response: (label message id, payload). Labels live in locales/.
FOLLOW_UP_BUTTONS: dict[str, list[tuple[str, str]]] = {
    "utter_service_card": [
        ("btn_hours", "/ask_hours"),
        ("btn_address", "/ask_address"),
        ("btn_documents", "/ask_documents"),
        ("btn_cost", "/ask_cost"),
        ("btn_apply", "/ask_how_to_apply"),
        ("btn_contact", "/ask_contact"),
    ],
    "utter_greet": [MENU],
    "utter_thank": [MENU],
    "utter_how_can_help": [MENU, HUMAN],
    "utter_help": [MENU, ("btn_language", "/change_language"), HUMAN],
    "utter_location_received": [MENU],
    "utter_bot_challenge": [MENU, HUMAN],
    "utter_out_of_scope": [MENU, HUMAN],
    "utter_no_service_found": [MENU, HUMAN],
    "utter_no_service_in_focus": [MENU],
    "utter_fallback_final": [MENU, HUMAN],
    "utter_feedback_sorry": [MENU, HUMAN],
    "utter_delete_cancelled": [MENU],
    "utter_handoff_consent": [
        ("btn_yes", '/handoff_consent{"consent": "yes"}'),
        ("btn_no", '/handoff_consent{"consent": "no"}'),
    ],
    "utter_delete_confirm": [("btn_delete_confirm", "/confirm_delete"), ("btn_no", "/deny")],
    "utter_ask_feedback": [
        ("btn_feedback_yes", '/feedback{"helpful": "yes"}'),
        ("btn_feedback_no", '/feedback{"helpful": "no"}'),
    ],
}


@dataclass
class Reply:
    """What the NLG endpoint returns to Rasa."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)

    def as_rasa(self) -> dict[str, Any]:
        """The NLG response body Rasa expects."""
        return {"text": self.text, "buttons": self.buttons}


def _hours_line(card: Variables, locale: str) -> str:
    hours = card.get("hours") or {}
    if not hours.get("known"):
        return render("card_hours_unknown", locale)
    today = hours.get("today") or {}
    if today.get("slots"):
        line = render("card_hours_today", locale, {"hours": slot_list(today["slots"], locale)})
    elif today.get("holiday"):
        line = render("card_closed_today_holiday", locale)
    elif today.get("closure"):
        line = render("card_closed_today_closure", locale)
    else:
        line = render("card_closed_today", locale)
    if hours.get("open_now"):
        return f"{line} · {render('card_open_now', locale)}"
    if hours.get("next_opening"):
        upcoming = dt.datetime.fromisoformat(hours["next_opening"])
        key = (
            "card_next_opening_appointment"
            if hours.get("next_opening_appointment_only")
            else ("card_next_opening")
        )
        return f"{line} · {render(key, locale, {'when': moment_label(upcoming, locale)})}"
    return line


def _contact_lines(card: Variables, locale: str) -> list[str]:
    lines = []
    if card.get("phones"):
        phones = human_list([isolate(p, locale) for p in card["phones"]], locale)
        lines.append(render("card_phone", locale, {"phones": phones}))
    if card.get("email"):
        lines.append(render("card_email", locale, {"email": isolate(card["email"], locale)}))
    if card.get("url"):
        lines.append(render("card_website", locale, {"url": isolate(card["url"], locale)}))
    return lines


def _fallback_note(card: Variables, locale: str) -> list[str]:
    source = card.get("fallback_locale")
    if not source:
        return []
    return [render("card_fallback_note", locale, {"language": language_name(source, locale)})]


def service_card_text(card: Variables, locale: str) -> str:
    """A service card: name, what it is, address, today's hours, contact."""
    lines = [f"{card.get('name', '')}"]
    if card.get("description"):
        lines.append(str(card["description"]))
    location = card.get("location")
    if location:
        lines.append(render("card_address", locale, {"address": location["address"]}))
    else:
        lines.append(render("card_no_location", locale))
    lines.append(_hours_line(card, locale))
    lines.extend(_contact_lines(card, locale))
    lines.extend(_fallback_note(card, locale))
    return "\n".join(line for line in lines if line)


def service_hours_text(card: Variables, locale: str) -> str:
    """The coming week's opening hours of the service in focus."""
    hours = card.get("hours") or {}
    lines = [render("card_hours_heading", locale, {"name": card.get("name", "")})]
    if not hours.get("known"):
        lines.append(render("card_hours_unknown", locale))
        return "\n".join(lines)
    for day in hours.get("week", []):
        date = dt.date.fromisoformat(day["date"])
        if day["slots"]:
            value = slot_list(day["slots"], locale)
            if all(s["appointment_only"] for s in day["slots"]):
                value = render("card_by_appointment", locale, {"hours": value})
        elif day["holiday"]:
            value = render("card_day_holiday", locale)
        elif day["closure"]:
            value = render("card_day_closure", locale)
        else:
            value = render("card_day_closed", locale)
        lines.append(f"{weekday(date, locale)}: {value}")
    lines.append(_hours_line(card, locale))
    return "\n".join(lines)


def service_address_text(card: Variables, locale: str) -> str:
    """Where the service is, with a map link and how to get there."""
    location = card.get("location")
    if not location:
        return render("card_address_unknown", locale, {"name": card.get("name", "")})
    lines = [
        render("card_address_heading", locale, {"name": card.get("name", "")}),
        render("card_address", locale, {"address": location["address"]}),
        render("card_map", locale, {"url": isolate(location["map_url"], locale)}),
    ]
    if location.get("transportation"):
        lines.append(str(location["transportation"]))
    return "\n".join(lines)


def service_documents_text(card: Variables, locale: str) -> str:
    """The documents to bring."""
    documents = card.get("documents") or []
    name = card.get("name", "")
    if not documents:
        return render("card_documents_none", locale, {"name": name})
    heading = render("card_documents_heading", locale, {"name": name})
    return "\n".join([heading, *(f"• {doc}" for doc in documents)])


def service_contact_text(card: Variables, locale: str) -> str:
    """Phone, email and website."""
    lines = _contact_lines(card, locale)
    name = card.get("name", "")
    if not lines:
        return render("card_contact_none", locale, {"name": name})
    return "\n".join([render("card_contact_heading", locale, {"name": name}), *lines])


def service_cost_text(card: Variables, locale: str) -> str:
    """What the service costs."""
    name = card.get("name", "")
    costs = card.get("costs") or []
    lines = []
    for cost in costs:
        amount = cost.get("amount")
        option = cost.get("option") or ""
        if amount in (None, 0) and not option:
            option = render("card_cost_free", locale)
        elif amount:
            price = format_money(float(amount), cost.get("currency") or "EUR", locale)
            option = f"{option}: {price}" if option else price
        lines.append(f"• {option}")
    if card.get("fees_description"):
        lines.append(str(card["fees_description"]))
    if not lines:
        return render("card_cost_unknown", locale, {"name": name})
    return "\n".join([render("card_cost_heading", locale, {"name": name}), *lines])


def service_apply_text(card: Variables, locale: str) -> str:
    """How to apply or book."""
    name = card.get("name", "")
    if not card.get("application_process"):
        return render("card_apply_unknown", locale, {"name": name})
    lines = [render("card_apply_heading", locale, {"name": name}), str(card["application_process"])]
    if card.get("eligibility_description"):
        lines.append(str(card["eligibility_description"]))
    return "\n".join(lines)


def service_languages_text(card: Variables, locale: str) -> str:
    """Languages spoken at the service, named in the reader's language."""
    name = card.get("name", "")
    codes = card.get("languages") or []
    if not codes:
        return render("card_languages_unknown", locale, {"name": name})
    names = human_list([language_name(code, locale) for code in codes], locale)
    return render("card_languages_heading", locale, {"name": name, "languages": names})


COMPOSERS: dict[str, Callable[[Variables, str], str]] = {
    "utter_service_card": lambda args, loc: service_card_text(args.get("card") or {}, loc),
    "utter_service_hours": lambda args, loc: service_hours_text(args.get("card") or {}, loc),
    "utter_service_address": lambda args, loc: service_address_text(args.get("card") or {}, loc),
    "utter_service_documents": lambda args, loc: service_documents_text(
        args.get("card") or {}, loc
    ),
    "utter_service_contact": lambda args, loc: service_contact_text(args.get("card") or {}, loc),
    "utter_service_cost": lambda args, loc: service_cost_text(args.get("card") or {}, loc),
    "utter_service_apply": lambda args, loc: service_apply_text(args.get("card") or {}, loc),
    "utter_service_languages": lambda args, loc: service_languages_text(
        args.get("card") or {}, loc
    ),
}


def _choice_buttons(choices: object, locale: str) -> list[dict[str, str]]:
    """Buttons an action asked for: a label message id, or a title taken from catalogue data."""
    buttons = []
    for choice in choices if isinstance(choices, list) else []:
        if not isinstance(choice, dict) or not choice.get("payload"):
            continue
        if choice.get("label_id"):
            title = render(str(choice["label_id"]), locale, choice.get("variables") or {})
        else:
            title = str(choice.get("title", ""))
        buttons.append({"title": title, "payload": str(choice["payload"])})
    return buttons


def compose(response: str, variables: Variables, locale: str) -> Reply:
    """Render a named response in `locale` with its own buttons and any the action chose."""
    composer = COMPOSERS.get(response)
    text = composer(variables, locale) if composer else render(response, locale, variables)
    buttons = _choice_buttons(variables.get("choices"), locale)
    buttons += [
        {"title": render(label, locale), "payload": payload}
        for label, payload in FOLLOW_UP_BUTTONS.get(response, [])
    ]
    return Reply(text=text, buttons=buttons)


def with_way_back(reply: Reply, locale: str, previous: str) -> Reply:
    """Say the bot follows the new language, with a one-tap button back to the previous one."""
    note = render("utter_language_followed", locale)
    name = BY_CODE[previous].native_name if previous in BY_CODE else previous
    back = {
        "title": render("btn_back_to_language", locale, {"language": name}),
        "payload": f'/choose_language{{"language": "{previous}"}}',
    }
    return Reply(text=f"{note}\n\n{reply.text}", buttons=[*reply.buttons, back])
