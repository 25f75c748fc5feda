"""Import and export from the admin UI: report first, nothing written until confirmed."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.admin.audit import AuditEntry
from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.hsds.export import catalogue_rows
from bot.catalogue.models import Service
from bot.catalogue.setup import prepare_catalogue
from bot.settings import Settings
from tests.admin_support import app_client, create_role_users, csrf_from, form_fields, login

SERVICE = "svc-registry-residence"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('admin-exchange') / 'catalogue.sqlite3'}"
    prepare_catalogue(url)
    create_role_users(url)
    return url


@pytest.fixture(scope="module")
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        app_env="test", database_url=database_url, data_dir=tmp_path, search_vectors=False
    )  # type: ignore[arg-type]


def _catalogue(sessions: sessionmaker[Session]) -> str:
    with sessions() as session:
        return json.dumps(catalogue_rows(session), sort_keys=True, default=str)


def _resource(package: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return next(r for r in package["resources"] if r["name"] == name)["data"]


def _upload(client: Any, name: str, data: bytes) -> Any:
    token = csrf_from(client.get("/admin/exchange").text)
    return client.post(
        "/admin/exchange/import",
        data={"csrf_token": token},
        files={"package": (name, data, "application/octet-stream")},
    )


def test_export_gives_the_whole_catalogue_as_json_and_csv(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with app_client(settings) as client:
        login(client, "victor")
        exported = client.get("/admin/exchange/export.json")
        assert exported.status_code == 200
        assert "attachment" in exported.headers["content-disposition"]
        package = exported.json()
        zipped = client.get("/admin/exchange/export.zip")
        names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
        assert "datapackage.json" in names and "service.csv" in names
        assert 'action="/admin/exchange/import"' not in client.get("/admin/exchange").text
    with sessions() as session:
        count = len(list(session.scalars(select(Service.id))))
    assert len(_resource(package, "service")) == count


def test_a_bad_package_is_rejected_with_every_problem_and_the_catalogue_is_unchanged(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    before = _catalogue(sessions)
    with app_client(settings) as client:
        login(client, "ada")
        package = client.get("/admin/exchange/export.json").json()
        bad = copy.deepcopy(package)
        services = _resource(bad, "service")
        services[0]["name"] = "Changed by a bad file"
        services[1]["organization_id"] = "org-does-not-exist"
        schedule = _resource(bad, "schedule")
        schedule[0]["closes_at"] = "07:00"
        schedule[0]["opens_at"] = "09:00"
        schedule[1]["valid_from"] = "2026-13-45"
        response = _upload(client, "partners.json", json.dumps(bad).encode())
        assert response.status_code == 422
        page = response.text
        assert 'id="import-report"' in page and "partners.json" in page
        assert "org-does-not-exist" in page and "<code>organization_id</code>" in page
        assert "<code>closes_at</code>" in page and "<code>valid_from</code>" in page
        assert 'id="confirm-import"' not in page
        broken = _upload(client, "broken.json", b'{"resources": [')
        assert (
            broken.status_code == 422
            and "broken.json" in broken.text
            and "invalid JSON" in broken.text
        )
        wrong = _upload(client, "catalogue.xlsx", b"PK\x03\x04")
        assert wrong.status_code == 400 and 'id="upload-error"' in wrong.text
    assert _catalogue(sessions) == before
    assert not any((settings.data_dir / "admin-imports").rglob("*.json"))  # nothing kept


def test_a_valid_package_shows_what_it_will_do_and_writes_only_when_confirmed(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    before = _catalogue(sessions)
    with app_client(settings) as client:
        login(client, "ada")
        package = client.get("/admin/exchange/export.json").json()
        services = _resource(package, "service")
        original = next(s for s in services if s["id"] == SERVICE)
        original["name"] = "Iscrizione anagrafica (importata)"
        services.append({**original, "id": "svc-imported-new", "name": "Servizio nuovo importato"})
        attributes = _resource(package, "attribute")
        link = next(a for a in attributes if a["link_id"] == SERVICE)
        attributes.append({**link, "id": "attr-imported-new", "link_id": "svc-imported-new"})
        data = json.dumps(package).encode()
        assert len(data) > 1024 * 1024  # more than one multipart part limit: a real-size file
        report = _upload(client, "partners.json", data)
        assert report.status_code == 200, report.text[-2000:]
        assert 'id="import-plan"' in report.text
        plan = report.text.split('id="import-plan"', 1)[1]
        row = plan.split("<td>service</td>", 1)[1].split("</tr>", 1)[0]
        assert row.count("<td>") == 3
        cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
        assert cells[1:] == ["1", str(len(services) - 1)]  # one new, the rest updated
        assert _catalogue(sessions) == before  # the report wrote nothing
        confirm = form_fields(report.text, "/admin/exchange/import/confirm")
        done = client.post(
            "/admin/exchange/import/confirm", data=dict(confirm) | {"action": "confirm"}
        )
        assert done.status_code == 200 and 'id="import-done"' in done.text
        again = client.post(
            "/admin/exchange/import/confirm", data=dict(confirm) | {"action": "confirm"}
        )
        assert 'id="import-done"' not in again.text  # a confirmed package cannot be replayed
    with sessions() as session:
        assert session.get(Service, SERVICE).name == "Iscrizione anagrafica (importata)"  # type: ignore[union-attr]
        assert session.get(Service, "svc-imported-new") is not None
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
        assert entry.actor == "ada" and entry.record_id == "partners.json"


def test_only_admins_may_import(settings: Settings) -> None:
    for username in ("eddie", "tina", "victor"):
        with app_client(settings) as client:
            login(client, username)
            assert _upload(client, "x.json", b"{}").status_code == 403
