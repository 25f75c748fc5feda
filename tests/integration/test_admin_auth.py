"""Staff login through the real web app and database: hashing, sessions, CSRF, throttling, roles."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.accounts.models import StaffUser
from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.setup import prepare_catalogue
from bot.settings import PROJECT_ROOT, Settings
from tests.admin_support import (
    PASSWORD,
    app_client,
    as_data,
    create_role_users,
    csrf_from,
    form_fields,
    form_of,
    login,
    with_values,
)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('admin-auth') / 'catalogue.sqlite3'}"
    prepare_catalogue(url)
    create_role_users(url)
    return url


def _settings(database_url: str, **overrides: object) -> Settings:
    return Settings(app_env="test", database_url=database_url, **overrides)  # type: ignore[arg-type]


def test_unauthenticated_page_redirects_to_login_and_api_gets_401(database_url: str) -> None:
    with app_client(_settings(database_url)) as client:
        page = client.get("/admin/services?q=x", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=/admin/services%3Fq%3Dx"
        api = client.get("/admin/services", headers={"accept": "application/json"})
        assert api.status_code == 401


def test_login_with_the_right_password_reaches_the_page_asked_for(database_url: str) -> None:
    with app_client(_settings(database_url)) as client:
        token = csrf_from(client.get("/login?next=/admin").text)
        response = client.post(
            "/login",
            data={"username": "ADA", "password": PASSWORD, "csrf_token": token, "next": "/admin"},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/admin"
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert "ada" in client.get("/admin").text


def test_wrong_password_is_refused_and_the_hash_is_not_the_password(database_url: str) -> None:
    with app_client(_settings(database_url)) as client:
        response = login(client, "ada", "not-the-password")
        assert response.status_code == 401
        assert client.get("/admin", follow_redirects=False).status_code == 303
    with make_session_factory(make_engine(database_url))() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.username == "ada")).one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_login_never_redirects_to_another_site(database_url: str) -> None:
    with app_client(_settings(database_url)) as client:
        token = csrf_from(client.get("/login").text)
        response = client.post(
            "/login",
            data={
                "username": "ada",
                "password": PASSWORD,
                "csrf_token": token,
                "next": "//evil.example/",
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/admin"


def test_post_without_csrf_token_is_rejected(database_url: str) -> None:
    with app_client(_settings(database_url)) as client:
        login(client, "ada")
        assert client.get("/admin").status_code == 200
        no_token = client.post("/logout", follow_redirects=False)
        assert no_token.status_code == 403
        wrong = client.post("/logout", data={"csrf_token": "guess"}, follow_redirects=False)
        assert wrong.status_code == 403
        assert client.get("/admin").status_code == 200  # still logged in: nothing happened
        bare_login = client.post("/login", data={"username": "ada", "password": PASSWORD})
        assert bare_login.status_code == 403


def test_logout_ends_the_session(database_url: str) -> None:
    with app_client(_settings(database_url)) as client:
        login(client, "ada")
        response = client.post("/logout", data=form_of(client, "/admin"), follow_redirects=False)
        assert response.status_code == 303
        assert client.get("/admin", follow_redirects=False).status_code == 303


def test_a_cookie_copied_before_logout_no_longer_logs_in(database_url: str) -> None:
    with app_client(_settings(database_url)) as client:
        login(client, "ada")
        kept = dict(client.cookies)
        client.post("/logout", data=form_of(client, "/admin"), follow_redirects=False)
        client.cookies.clear()
        for name, value in kept.items():
            client.cookies.set(name, value)
        replay = client.get("/admin", follow_redirects=False)
        assert replay.status_code == 303 and replay.headers["location"].startswith("/login")
        login(client, "ada")  # a new login gets a new, valid session
        assert client.get("/admin", follow_redirects=False).status_code == 200


def test_repeated_failures_lock_the_username_from_that_address(database_url: str) -> None:
    settings = _settings(database_url, login_max_failures=3, login_lockout_minutes=10)
    with app_client(settings) as client:
        for _ in range(3):
            assert login(client, "victor", "wrong-password-x").status_code == 401
        locked = login(client, "victor", PASSWORD)
        assert locked.status_code == 429
        assert client.get("/admin", follow_redirects=False).status_code == 303
        assert login(client, "tina").status_code == 200  # other users are not affected


def test_an_idle_session_expires(database_url: str) -> None:
    with app_client(_settings(database_url, session_idle_minutes=0.02)) as client:  # 1.2 s
        login(client, "ada")
        assert client.get("/admin").status_code == 200
        time.sleep(1.6)
        expired = client.get("/admin", follow_redirects=False)
        assert expired.status_code == 303
        assert "expired=1" in expired.headers["location"]
        assert client.get(expired.headers["location"]).status_code == 200


def test_desk_staff_cannot_open_the_admin_pages(database_url: str) -> None:
    with app_client(_settings(database_url)) as client:
        login(client, "desmond")
        assert client.get("/admin").status_code == 403


def test_create_user_cli_creates_then_updates_and_names_bad_input(
    database_url: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT_ROOT), "APP_ENV": "test"}

    def run(*args: str, password: str = "first-password-1") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "create-user", *args, "--password-stdin"],
            input=password + "\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )

    created = run(
        "--username", "newbie", "--role", "editor", "--organization", "org-caritas-cremonese"
    )
    assert created.returncode == 0, created.stderr
    bad_org = run("--username", "newbie", "--role", "editor", "--organization", "org-nowhere")
    assert bad_org.returncode == 2 and "organization" in bad_org.stderr
    short = run("--username", "newbie", "--role", "editor", password="short")
    assert short.returncode == 2 and "password" in short.stderr
    assert (
        run("--username", "newbie", "--role", "viewer", password="second-password-2").returncode
        == 0
    )
    with app_client(_settings(database_url)) as client:
        assert login(client, "newbie", "first-password-1").status_code == 401
        assert login(client, "newbie", "second-password-2").status_code == 200
        assert "viewer" in client.get("/admin").text


def test_an_edit_without_the_session_csrf_token_is_refused_and_changes_nothing(
    database_url: str,
) -> None:
    path = "/admin/services/svc-registry-residence"
    with (
        app_client(_settings(database_url)) as client,
        app_client(_settings(database_url)) as other,
    ):
        login(client, "ada")
        login(other, "ada")
        fields = form_fields(client.get(path).text, path)
        edited = with_values(fields, {"name": "Forged by another site"})
        without = [(k, v) for k, v in edited if k != "csrf_token"]
        assert client.post(path, data=as_data(without)).status_code == 403
        foreign = with_values(edited, {"csrf_token": csrf_from(other.get("/admin").text)})
        assert client.post(path, data=as_data(foreign)).status_code == 403
        as_json = client.post(path, json={"name": "Forged"}, headers={"accept": "application/json"})
        assert as_json.status_code == 403
        assert "Forged" not in client.get(path).text


def test_many_usernames_tried_from_one_address_are_locked_too(database_url: str) -> None:
    settings = _settings(database_url, login_max_failures=2, login_lockout_minutes=10)
    with app_client(settings) as client:
        for attempt in range(8):  # 4 x 2: the per-address limit, spread over usernames
            assert login(client, f"guess-{attempt}", "wrong-password-x").status_code == 401
        assert login(client, "tina").status_code == 429
