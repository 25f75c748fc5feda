"""Import and export of the catalogue as HSDS data packages (JSON or zipped CSV).

Export: any staff member. Import (admins): upload → full validation report, nothing written →
confirm → written in one transaction (or not at all) and recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.admin import audit
from bot.admin.context import actor, sessions, settings, staff
from bot.admin.import_staging import (
    MAX_UPLOAD_BYTES,
    UploadError,
    discard,
    find_staged,
    plan_import,
    stage,
)
from bot.admin.pages import render
from bot.admin.permissions import READ_ROLES, is_admin
from bot.catalogue.db import unit_of_work
from bot.catalogue.hsds.export import catalogue_rows
from bot.catalogue.hsds.importer import ImportRejectedError, import_package
from bot.catalogue.hsds.package import write_package
from bot.web.auth import forbidden, requires_roles

SESSION_KEY = "admin_import"
FORMATS = {"json": "application/json", "zip": "application/zip"}
MAX_PROBLEMS_SHOWN = 500


def _page(
    request: Request, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    values = {
        "can_import": is_admin(staff(request)),
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "problems": None,
        "plan": None,
        "upload_error": None,
        "result": None,
        **(context or {}),
    }
    return render(request, "admin/exchange.html", values, status_code)


@requires_roles(*READ_ROLES)
async def exchange_page(request: Request) -> Response:
    """GET /admin/exchange: export links and (for admins) the import form."""
    result = request.session.pop("admin_import_result", None)
    return _page(request, {"result": result})


@requires_roles(*READ_ROLES)
async def export_package(request: Request) -> Response:
    """GET /admin/exchange/export.{json,zip}: the whole catalogue as an HSDS data package."""
    kind = request.path_params["kind"]
    if kind not in FORMATS:
        return render(request, "admin/not_found.html", status_code=404)
    with sessions(request)() as session:
        rows = catalogue_rows(session)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"catalogue.{kind}"
        write_package(rows, path)
        data = path.read_bytes()
    stamp = dt.date.today().isoformat()
    return Response(
        data,
        media_type=FORMATS[kind],
        headers={"Content-Disposition": f'attachment; filename="catalogue-{stamp}.{kind}"'},
    )


@requires_roles(*READ_ROLES)
async def import_upload(request: Request) -> Response:
    """POST /admin/exchange/import: stage the file and show its validation report."""
    if not is_admin(staff(request)):
        return forbidden(request)
    form = await request.form()
    upload = form.get("package")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, {"upload_error": "no_file"}, 400)
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        staged = stage(data, upload.filename, settings(request).data_dir)
    except UploadError as error:
        return _page(request, {"upload_error": error.code}, 400)
    with sessions(request)() as session:
        try:
            plan = plan_import(staged, session)
        except ImportRejectedError as rejected:
            discard(staged)
            problems = rejected.problems
            context = {
                "problems": problems[:MAX_PROBLEMS_SHOWN],
                "problem_count": len(problems),
                "filename": staged.filename,
            }
            return _page(request, context, 422)
        finally:
            session.rollback()
    request.session[SESSION_KEY] = {
        "token": staged.token,
        "sha256": staged.sha256,
        "filename": staged.filename,
    }
    return _page(request, {"plan": plan, "filename": staged.filename, "token": staged.token})


@requires_roles(*READ_ROLES)
async def import_confirm(request: Request) -> Response:
    """POST /admin/exchange/import/confirm: write the package that was just validated."""
    if not is_admin(staff(request)):
        return forbidden(request)
    form = await request.form()
    pending = request.session.get(SESSION_KEY) or {}
    token = str(form.get("token", ""))
    if form.get("action") == "cancel" or token != pending.get("token"):
        request.session.pop(SESSION_KEY, None)
        if token == pending.get("token"):
            staged = find_staged(
                settings(request).data_dir,
                token,
                pending.get("sha256", ""),
                pending.get("filename", ""),
            )
            if staged is not None:
                discard(staged)
        return RedirectResponse("/admin/exchange", status_code=303)
    staged = find_staged(
        settings(request).data_dir, token, str(pending.get("sha256")), str(pending.get("filename"))
    )
    if staged is None:
        request.session.pop(SESSION_KEY, None)
        return _page(request, {"upload_error": "expired"}, 410)
    try:
        with unit_of_work(sessions(request)) as session:
            report = import_package(staged.path, session)
            audit.record(
                session,
                actor(request),
                "import",
                "catalogue",
                staged.filename,
                {name: {"before": None, "after": count} for name, count in report.counts.items()},
            )
    except ImportRejectedError as rejected:  # the catalogue changed since the report
        discard(staged)
        request.session.pop(SESSION_KEY, None)
        problems = rejected.problems
        context = {
            "problems": problems[:MAX_PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "filename": staged.filename,
        }
        return _page(request, context, 422)
    discard(staged)
    request.session.pop(SESSION_KEY, None)
    request.session["admin_import_result"] = {
        "filename": staged.filename,
        "counts": report.counts,
    }
    return RedirectResponse("/admin/exchange", status_code=303)


def routes() -> list[Route]:
    """Routes of the import/export page."""
    return [
        Route("/admin/exchange", exchange_page, methods=["GET"]),
        Route("/admin/exchange/export.{kind}", export_package, methods=["GET"]),
        Route("/admin/exchange/import", import_upload, methods=["POST"]),
        Route("/admin/exchange/import/confirm", import_confirm, methods=["POST"]),
    ]
