"""Editing services through the real admin app and database (SQLite and PostgreSQL).

Validation next to the field, roles, the audit log, optimistic locking (a stale form and a
true race), opening hours, archiving, and the bot's search seeing an edit at once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.admin.audit import AuditEntry
from bot.admin.locking import EditConflictError
from bot.admin.service_editing import read_service_form, update_service
from bot.admin.services import load_service
from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.presenter import opening_hours
from bot.catalogue.repository import CatalogueRepository
from bot.catalogue.search import CatalogueSearch
from bot.catalogue.setup import prepare_catalogue
from bot.settings import Settings
from tests.admin_support import (
    app_client,
    as_data,
    create_role_users,
    edit_form,
    form_fields,
    login,
    value_of,
    with_values,
)
from tests.helpers import create_postgres_database, drop_postgres_database

OWN_SERVICE = "svc-registry-residence"  # org-comune-cremona: the editor's organisation
OTHER_SERVICE = "svc-questura-permit"  # another organisation


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('admin-services') / 'catalogue.sqlite3'}"
        name = None
    else:
        url, name = create_postgres_database()
    prepare_catalogue(url)
    create_role_users(url)
    yield url
    if name:
        drop_postgres_database(name)


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


def _service(sessions: sessionmaker[Session], service_id: str) -> dict[str, object]:
    with sessions() as session:
        service = load_service(session, service_id)
        assert service is not None
        return {
            "name": service.name,
            "email": service.email,
            "version": service.version,
            "status": service.status,
            "phones": [p.number for p in service.phones],
            "categories": sorted(c.term.code for c in service.categories),
        }


def _other_service_id(sessions: sessionmaker[Session]) -> str:
    with sessions() as session:
        service = load_service(session, OTHER_SERVICE)
        if service is not None:
            assert service.organization_id != "org-comune-cremona"
            return OTHER_SERVICE
        found = CatalogueRepository(session).services()
        return next(s.id for s in found if s.organization_id != "org-comune-cremona")


def test_a_bad_value_is_refused_with_the_message_next_to_its_field(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    before = _service(sessions, OWN_SERVICE)
    with app_client(settings) as client:
        login(client, "eddie")
        path = f"/admin/services/{OWN_SERVICE}"
        fields = with_values(edit_form(client, path), {"email": "not-an-address", "name": ""})
        response = client.post(path, data=as_data(fields))
        assert response.status_code == 400
        page = response.text
        assert 'id="error-email"' in page and 'aria-invalid="true"' in page
        assert "Write an e-mail address" in page or "Scrivi un indirizzo e-mail" in page
        assert 'id="error-name"' in page
        start = page.index('id="error-summary"')
        summary = page[start : page.index("</ul>", start)]  # the summary names each field
        assert "E-mail:" in summary and ("Nome:" in summary or "Name:" in summary)
        # what the person typed comes back, so nothing they wrote is lost
        assert value_of(form_fields(page, path), "email") == "not-an-address"
    assert _service(sessions, OWN_SERVICE) == before


def test_an_editor_saves_their_service_and_the_audit_log_says_who_changed_what(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    before = _service(sessions, OWN_SERVICE)
    with app_client(settings) as client:
        login(client, "eddie")
        path = f"/admin/services/{OWN_SERVICE}"
        fields = with_values(
            edit_form(client, path),
            {"email": "residenza@comune.cremona.it", "phone-1-number": "+39 0372 407 999"},
        )
        response = client.post(path, data=as_data(fields), follow_redirects=False)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"{path}?saved=1"
    after = _service(sessions, OWN_SERVICE)
    assert after["email"] == "residenza@comune.cremona.it"
    assert "+39 0372 407 999" in after["phones"]
    assert after["version"] == before["version"] + 1  # type: ignore[operator]
    with sessions() as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_id == OWN_SERVICE, AuditEntry.action == "update")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None and entry.actor == "eddie"
        changes = json.loads(entry.changes)
        assert changes["email"] == {
            "before": before["email"],
            "after": "residenza@comune.cremona.it",
        }
        assert "+39 0372 407 999" in " ".join(changes["phones"]["after"])


def test_a_stale_form_gets_a_conflict_and_does_not_overwrite_the_other_save(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    path = f"/admin/services/{OWN_SERVICE}"
    with app_client(settings) as first, app_client(settings) as second:
        login(first, "eddie")
        login(second, "ada")
        first_form = edit_form(first, path)
        second_form = edit_form(second, path)
        saved = second.post(
            path,
            data=as_data(with_values(second_form, {"owner": "Ufficio anagrafe (Ada)"})),
            follow_redirects=False,
        )
        assert saved.status_code == 303
        stale = first.post(
            path, data=as_data(with_values(first_form, {"owner": "Ufficio (Eddie)"}))
        )
        assert stale.status_code == 409
        assert 'id="conflict"' in stale.text
        assert "Ufficio anagrafe (Ada)" in stale.text  # the other person's saved value is shown
        assert 'data-field="owner"' in stale.text  # next to Eddie's, only where they differ
        assert 'data-field="name"' not in stale.text
        # the form comes back with Eddie's input and the new version: saving again is deliberate
        retry = form_fields(stale.text, path)
        assert value_of(retry, "owner") == "Ufficio (Eddie)"
        assert first.post(path, data=as_data(retry), follow_redirects=False).status_code == 303
    with sessions() as session:
        service = load_service(session, OWN_SERVICE)
        assert service is not None and service.owner == "Ufficio (Eddie)"


def test_a_true_race_between_two_saves_is_caught_by_the_version_column(
    sessions: sessionmaker[Session],
) -> None:
    first, second = sessions(), sessions()
    try:
        mine = load_service(first, OWN_SERVICE)
        theirs = load_service(second, OWN_SERVICE)
        assert mine is not None and theirs is not None
        theirs.owner = "saved first"
        theirs.updated_at = dt.datetime.now(dt.UTC)
        second.commit()
        data, errors = read_service_form(
            {
                "name": mine.name,
                "description": mine.description,
                "organization_id": mine.organization_id,
                "categories": "registry",
                "owner": "saved second",
                "review_interval_days": "180",
                "version": str(mine.version),  # the version both read: the check alone passes
            },
            first,
        )
        assert not errors
        with pytest.raises(EditConflictError):
            update_service(first, mine, data, "racer")
    finally:
        first.close()
        second.close()
    with sessions() as session:
        service = load_service(session, OWN_SERVICE)
        assert service is not None and service.owner == "saved first"


def test_roles_that_may_not_change_a_service_get_403_and_nothing_changes(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    other = _other_service_id(sessions)
    before_own, before_other = _service(sessions, OWN_SERVICE), _service(sessions, other)
    with app_client(settings) as admin:
        login(admin, "ada")
        own_form = edit_form(admin, f"/admin/services/{OWN_SERVICE}")
        other_form = edit_form(admin, f"/admin/services/{other}")
        status_form = form_fields(
            admin.get(f"/admin/services/{OWN_SERVICE}").text,
            f"/admin/services/{OWN_SERVICE}/status",
        )
    for username in ("victor", "tina"):
        with app_client(settings) as client:
            login(client, username)
            page = client.get(f"/admin/services/{OWN_SERVICE}").text
            assert 'id="save-service"' not in page and 'id="archive-service"' not in page
            token = {"csrf_token": form_fields(page, "/logout")[0][1]}
            edit = with_values(own_form, {**token, "name": "Changed by " + username})
            assert (
                client.post(f"/admin/services/{OWN_SERVICE}", data=as_data(edit)).status_code == 403
            )
            archive = with_values(status_form, token)
            assert (
                client.post(
                    f"/admin/services/{OWN_SERVICE}/status", data=as_data(archive)
                ).status_code
                == 403
            )
            delete = client.post(
                f"/admin/services/{OWN_SERVICE}/delete", data={**token, "confirm": OWN_SERVICE}
            )
            assert delete.status_code == 403
    with app_client(settings) as editor:
        login(editor, "eddie")
        page = editor.get(f"/admin/services/{other}").text
        token = {"csrf_token": form_fields(page, "/logout")[0][1]}
        edit = with_values(other_form, {**token, "name": "Not my organisation"})
        assert editor.post(f"/admin/services/{other}", data=as_data(edit)).status_code == 403
        delete = editor.post(
            f"/admin/services/{OWN_SERVICE}/delete", data={**token, "confirm": OWN_SERVICE}
        )
        assert delete.status_code == 403  # editors archive; only admins delete
        # an editor cannot move their service to an organisation that is not theirs
        moved = with_values(
            edit_form(editor, f"/admin/services/{OWN_SERVICE}"),
            {"organization_id": before_other_org(sessions, other)},
        )
        response = editor.post(f"/admin/services/{OWN_SERVICE}", data=as_data(moved))
        assert response.status_code == 400 and 'id="error-organization_id"' in response.text
    assert _service(sessions, OWN_SERVICE)["name"] == before_own["name"]
    assert _service(sessions, OWN_SERVICE)["status"] == "active"
    assert _service(sessions, other)["name"] == before_other["name"]


def before_other_org(sessions: sessionmaker[Session], service_id: str) -> str:
    with sessions() as session:
        service = load_service(session, service_id)
        assert service is not None
        return service.organization_id


def test_an_edit_reaches_the_bot_search_at_once_and_archiving_removes_the_service(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    search = CatalogueSearch()  # the search the actions use (lexical part), one long-lived index
    word = "zanzibarcorso"
    with sessions() as session:
        assert OWN_SERVICE not in [hit.service_id for hit in search.search(session, word)]
    with app_client(settings) as client:
        login(client, "eddie")
        path = f"/admin/services/{OWN_SERVICE}"
        fields = edit_form(client, path)
        name = value_of(fields, "name") or ""
        response = client.post(
            path,
            data=as_data(with_values(fields, {"name": f"{name} {word}"})),
            follow_redirects=False,
        )
        assert response.status_code == 303
        with sessions() as session:
            assert search.search(session, word)[0].service_id == OWN_SERVICE
        status = form_fields(client.get(path).text, f"{path}/status")
        assert (
            client.post(f"{path}/status", data=as_data(status), follow_redirects=False).status_code
            == 303
        )
        with sessions() as session:
            assert OWN_SERVICE not in [hit.service_id for hit in search.search(session, word)]
            assert (
                CatalogueRepository(session).service(OWN_SERVICE) is None
            )  # the bot no longer offers it
        restore = form_fields(client.get(path).text, f"{path}/status")
        assert value_of(restore, "action") == "restore"
        client.post(f"{path}/status", data=as_data(restore))
        fields = edit_form(client, path)
        client.post(path, data=as_data(with_values(fields, {"name": name})))
    with sessions() as session:
        assert CatalogueRepository(session).service(OWN_SERVICE) is not None
        assert not search.search(session, word)


def test_opening_hours_with_a_lunch_break_an_exception_and_a_temporary_closure(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    path = f"/admin/services/{OWN_SERVICE}/hours"
    monday = dt.date(2026, 12, 7)
    with app_client(settings) as client:
        login(client, "eddie")
        original = edit_form(client, path)
        existing = {
            k.split("-")[1]
            for k, _ in original
            if k.startswith("weekly-") and k.endswith("-id") and _
        }
        removals: dict[str, str | list[str]] = {f"weekly-{i}-remove": "on" for i in existing}
        blank = len(existing)
        overlap = with_values(
            original,
            {
                **removals,
                f"weekly-{blank}-weekday": "0",
                f"weekly-{blank}-opens_at": "09:00",
                f"weekly-{blank}-closes_at": "12:30",
                f"weekly-{blank + 1}-weekday": "0",
                f"weekly-{blank + 1}-opens_at": "12:00",
                f"weekly-{blank + 1}-closes_at": "17:00",
            },
        )
        refused = client.post(path, data=as_data(overlap))
        assert refused.status_code == 400
        assert f'id="error-weekly-{blank + 1}-opens_at"' in refused.text
        lunch_break = with_values(
            overlap,
            {
                f"weekly-{blank + 1}-opens_at": "14:00",
                f"weekly-{blank + 2}-weekday": "1",
                f"weekly-{blank + 2}-opens_at": "10:00",
                f"weekly-{blank + 2}-closes_at": "09:00",
            },
        )
        refused = client.post(path, data=as_data(lunch_break))
        assert (
            refused.status_code == 400
            and f'id="error-weekly-{blank + 2}-closes_at"' in refused.text
        )
        good = with_values(
            lunch_break,
            {
                f"weekly-{blank + 2}-weekday": "",
                f"weekly-{blank + 2}-opens_at": "",
                f"weekly-{blank + 2}-closes_at": "",
                "exception-0-valid_from": "2026-12-14",
                "exception-0-opens_at": "10:00",
                "exception-0-closes_at": "11:00",
                "closure-0-valid_from": "2026-12-21",
                "closure-0-valid_to": "2026-12-23",
                "closure-0-description": "lavori",
            },
        )
        saved = client.post(path, data=as_data(good), follow_redirects=False)
        assert saved.status_code == 303, saved.text
        try:
            with sessions() as session:
                service = load_service(session, OWN_SERVICE)
                assert service is not None
                hours = opening_hours(service, "Europe/Rome", "11-13")
                slots = [
                    (s.opens.isoformat("minutes"), s.closes.isoformat("minutes"))
                    for s in hours.on(monday).slots
                ]
                assert slots == [("09:00", "12:30"), ("14:00", "17:00")]
                assert [
                    (s.opens.hour, s.closes.hour) for s in hours.on(dt.date(2026, 12, 14)).slots
                ] == [(10, 11)]
                assert hours.on(dt.date(2026, 12, 22)).closure
                assert not hours.on(dt.date(2026, 12, 28)).closure
                rome = dt.datetime(2026, 12, 21, 10, 0, tzinfo=dt.UTC)
                assert not hours.is_open(rome)
        finally:
            # the form as first opened (original weekly slots, no exception or closure) replaces
            # everything: put back for the next tests, on the current version
            current = value_of(edit_form(client, path), "version") or ""
            back = client.post(path, data=as_data(with_values(original, {"version": current})))
            assert back.status_code == 200
    with sessions() as session:
        service = load_service(session, OWN_SERVICE)
        assert service is not None
        assert len([s for s in service.schedules if str(s.kind) == "weekly"]) == len(existing)
