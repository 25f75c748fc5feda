"""Staff accounts managed by admins in the UI: create, change role, reset password, disable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.accounts.models import StaffUser
from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.setup import prepare_catalogue
from bot.settings import Settings
from tests.admin_support import (
    PASSWORD,
    app_client,
    as_data,
    create_role_users,
    edit_form,
    login,
    with_values,
)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('admin-users') / 'catalogue.sqlite3'}"
    prepare_catalogue(url)
    create_role_users(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        app_env="test", database_url=database_url, data_dir=tmp_path, search_vectors=False
    )  # type: ignore[arg-type]


def _user_id(database_url: str, username: str) -> int:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalars(select(StaffUser.id).where(StaffUser.username == username)).one()
    finally:
        engine.dispose()


def test_an_admin_creates_an_editor_who_can_then_log_in_and_edit_only_their_organisation(
    settings: Settings,
) -> None:
    with app_client(settings) as admin:
        login(admin, "ada")
        form = edit_form(admin, "/admin/users/new")
        short = admin.post(
            "/admin/users/new",
            data=as_data(
                with_values(
                    form, {"username": "nadia", "password": "short", "password_repeat": "short"}
                )
            ),
        )
        assert short.status_code == 400 and 'id="error-password"' in short.text
        differ = admin.post(
            "/admin/users/new",
            data=as_data(
                with_values(
                    form,
                    {
                        "username": "nadia",
                        "password": "first-long-pass",
                        "password_repeat": "other-long-pass",
                    },
                )
            ),
        )
        assert differ.status_code == 400 and 'id="error-password_repeat"' in differ.text
        taken = admin.post(
            "/admin/users/new",
            data=as_data(
                with_values(
                    form, {"username": "EDDIE", "password": PASSWORD, "password_repeat": PASSWORD}
                )
            ),
        )
        assert taken.status_code == 400 and 'id="error-username"' in taken.text
        created = admin.post(
            "/admin/users/new",
            data=as_data(
                with_values(
                    form,
                    {
                        "username": "nadia",
                        "display_name": "Nadia Rossi",
                        "role": "editor",
                        "organizations": ["org-caritas-cremonese"],
                        "password": "nadia-long-password",
                        "password_repeat": "nadia-long-password",
                    },
                )
            ),
            follow_redirects=False,
        )
        assert created.status_code == 303
        assert "nadia-long-password" not in admin.get("/admin/audit?entity=staff_user").text
    with app_client(settings) as nadia:
        assert login(nadia, "nadia", "nadia-long-password").status_code == 200
        assert "Nadia Rossi" in nadia.get("/admin").text
        assert nadia.get("/admin/users").status_code == 403


def test_a_password_reset_or_disabling_ends_the_sessions_already_open(
    settings: Settings, database_url: str
) -> None:
    victor = _user_id(database_url, "victor")
    with app_client(settings) as admin, app_client(settings) as other:
        login(admin, "ada")
        login(other, "victor")
        assert other.get("/admin").status_code == 200
        form = edit_form(admin, f"/admin/users/{victor}")
        reset = with_values(
            form, {"password": "victor-new-password", "password_repeat": "victor-new-password"}
        )
        assert (
            admin.post(
                f"/admin/users/{victor}", data=as_data(reset), follow_redirects=False
            ).status_code
            == 303
        )
        assert other.get("/admin", follow_redirects=False).status_code == 303  # logged out
        assert login(other, "victor", "victor-new-password").status_code == 200
        form = edit_form(admin, f"/admin/users/{victor}")
        disabled = [(k, v) for k, v in form if k != "active"]
        assert (
            admin.post(
                f"/admin/users/{victor}", data=as_data(disabled), follow_redirects=False
            ).status_code
            == 303
        )
        assert other.get("/admin", follow_redirects=False).status_code == 303
        assert login(other, "victor", "victor-new-password").status_code == 401
        restored = with_values(
            edit_form(admin, f"/admin/users/{victor}"),
            {"active": "on", "password": PASSWORD, "password_repeat": PASSWORD},
        )
        admin.post(f"/admin/users/{victor}", data=as_data(restored))


def test_an_admin_cannot_lock_themselves_out(settings: Settings, database_url: str) -> None:
    ada = _user_id(database_url, "ada")
    with app_client(settings) as admin:
        login(admin, "ada")
        form = edit_form(admin, f"/admin/users/{ada}")
        response = admin.post(
            f"/admin/users/{ada}", data=as_data(with_values(form, {"role": "viewer"}))
        )
        assert response.status_code == 400 and 'id="error-role"' in response.text
        assert admin.get("/admin/users").status_code == 200
