"""Translation pages: progress per language, what needs translating, side-by-side editing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.accounts.models import StaffUser
from bot.admin.context import actor, sessions, staff
from bot.admin.pages import render
from bot.admin.permissions import READ_ROLES, can_translate, can_translate_shared
from bot.admin.translation_workflow import (
    RECORD_ENTITIES,
    SAVABLE_STATUSES,
    STATUSES,
    TARGET_LOCALES,
    RecordRef,
    TextItem,
    TranslationConflictError,
    load_record,
    progress,
    record_ref,
    record_texts,
    save_translations,
    totals,
)
from bot.i18n.languages import is_rtl
from bot.web.auth import forbidden, requires_roles

DEFAULT_TARGET = "en"


def may_translate(user: StaffUser, record: RecordRef) -> bool:
    """Category labels belong to no organisation; everything else follows the organisation."""
    if record.entity == "taxonomy_term":
        return can_translate_shared(user)
    return can_translate(user, record.organization_id)


@requires_roles(*READ_ROLES)
async def overview(request: Request) -> Response:
    """GET /admin/translations: every language with its texts per status."""
    with sessions(request)() as session:
        counts = totals(progress(session))
    rows = []
    for locale in TARGET_LOCALES:
        locale_counts = counts[locale]
        total = sum(locale_counts.values())
        rows.append(
            {
                "locale": locale,
                "counts": locale_counts,
                "total": total,
                "done": locale_counts["up_to_date"],
            }
        )
    return render(request, "admin/translations/overview.html", {"rows": rows, "statuses": STATUSES})


@requires_roles(*READ_ROLES)
async def language_todo(request: Request) -> Response:
    """GET /admin/translations/language/{locale}: what needs translating in one language."""
    locale = request.path_params["locale"]
    if locale not in TARGET_LOCALES:
        return render(request, "admin/not_found.html", status_code=404)
    wanted = request.query_params.get("status", "")
    entity = request.query_params.get("entity", "")
    with sessions(request)() as session:
        records = progress(session, [locale])[locale]
    todo = [r for r in records if r.todo]
    if wanted in STATUSES:
        todo = [r for r in records if r.counts[wanted]]
    if entity in RECORD_ENTITIES:
        todo = [r for r in todo if r.record.entity == entity]
    todo.sort(key=lambda r: (-r.counts["missing"] - r.counts["outdated"], r.record.name))
    context = {
        "locale": locale,
        "records": todo,
        "statuses": STATUSES,
        "entities": RECORD_ENTITIES,
        "wanted": wanted,
        "entity": entity,
    }
    return render(request, "admin/translations/language.html", context)


def _items_view(items: list[TextItem], form: Any | None = None) -> list[dict[str, Any]]:
    views = []
    for index, item in enumerate(items):
        view: dict[str, Any] = {"item": item, "index": index, "text": item.text}
        if form is not None:
            view["text"] = str(form.get(f"text-{index}") or "")
            view["chosen"] = str(form.get(f"status-{index}") or item.status)
        views.append(view)
    return views


def _record_page(
    request: Request,
    ref: RecordRef,
    locale: str,
    items: list[TextItem],
    form: Any | None = None,
    conflicts: list[TextItem] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "record": ref,
        "locale": locale,
        "direction": "rtl" if is_rtl(locale) else "ltr",
        "locales": TARGET_LOCALES,
        "items": _items_view(items, form),
        "savable": SAVABLE_STATUSES,
        "editable": may_translate(staff(request), ref),
        "conflict_keys": {c.key for c in conflicts or []},
        "conflicts": conflicts,
        "saved": request.query_params.get("saved", ""),
    }
    return render(request, "admin/translations/record.html", context, status_code)


@requires_roles(*READ_ROLES)
async def record_translations(request: Request) -> Response:
    """GET/POST /admin/translations/{entity}/{id}?lang=: Italian source and translation."""
    entity = request.path_params["entity"]
    if entity not in RECORD_ENTITIES:
        return render(request, "admin/not_found.html", status_code=404)
    form = await request.form() if request.method == "POST" else None
    source = form if form is not None else request.query_params
    locale = str(source.get("lang") or DEFAULT_TARGET)
    if locale not in TARGET_LOCALES:
        locale = DEFAULT_TARGET
    with sessions(request)() as session:
        record = load_record(session, entity, request.path_params["record_id"])
        if record is None:
            return render(request, "admin/not_found.html", status_code=404)
        ref = record_ref(entity, record)
        items = record_texts(session, entity, record, locale)
        if form is None:
            return _record_page(request, ref, locale, items)
        if not may_translate(staff(request), ref):
            return forbidden(request)
        try:
            changed = save_translations(session, items, form, locale, actor(request))
            session.commit()
        except TranslationConflictError as conflict:
            session.rollback()
            return _record_page(request, ref, locale, items, form, conflict.items, 409)
        except IntegrityError:  # a translation row created by someone else in the meantime
            session.rollback()
            fresh = record_texts(session, entity, record, locale)
            return _record_page(request, ref, locale, fresh, form, fresh, 409)
    target = f"/admin/translations/{entity}/{ref.record_id}?lang={locale}&saved={changed}"
    return RedirectResponse(target, status_code=303)


def routes() -> list[Route]:
    """Routes of the translation pages."""
    return [
        Route("/admin/translations", overview, methods=["GET"]),
        Route("/admin/translations/language/{locale}", language_todo, methods=["GET"]),
        Route(
            "/admin/translations/{entity}/{record_id}",
            record_translations,
            methods=["GET", "POST"],
        ),
    ]
