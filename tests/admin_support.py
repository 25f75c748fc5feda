"""Helpers for admin tests: users per role, a logged-in HTTP client, forms as browsers send them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

from starlette.testclient import TestClient

from bot.accounts.service import save_user
from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.settings import Settings
from bot.web.app import create_app

PASSWORD = "a-long-test-password"
ROLE_USERS = {
    "admin": ("ada", ()),
    "editor": ("eddie", ("org-comune-cremona",)),
    "translator": ("tina", ()),
    "viewer": ("victor", ()),
    "desk": ("desmond", ()),
}
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
FormFields = list[tuple[str, str]]


def create_role_users(database_url: str) -> None:
    """One user per role (see ROLE_USERS), all with PASSWORD."""
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            for role, (username, organizations) in ROLE_USERS.items():
                save_user(session, username, role, PASSWORD, organizations)
    finally:
        engine.dispose()


def csrf_from(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = CSRF_INPUT.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    """Log in through the login form; returns the final response."""
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


@contextmanager
def app_client(settings: Settings) -> Iterator[TestClient]:
    """An HTTP client of the real web app (lifespan run) on `settings`."""
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        yield client


def form_of(client: TestClient, path: str) -> dict[str, str]:
    """The CSRF token of the page at `path`, as form data to post."""
    return {"csrf_token": csrf_from(client.get(path).text)}


class _FormParser(HTMLParser):
    """Collects the successful controls of one form, the way a browser would submit it."""

    def __init__(self, action: str, method: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.method = method
        self.inside = False
        self.found = False
        self.fields: FormFields = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        same_method = a.get("method", "get").lower() == self.method
        if tag == "form" and a.get("action") == self.action and same_method and not self.found:
            self.inside = self.found = True
            return
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_text = ""
            if "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text += data
        elif self._select is not None and self._option_value is None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text
            if self._first_option is None:
                self._first_option = value
            self._option_value = None
        elif tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._textarea_text.removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, action: str, method: str = "post") -> FormFields:
    """The fields the form sending to `action` would send as it stands on the page."""
    parser = _FormParser(action, method)
    parser.feed(html)
    assert parser.found, f"no form posting to {action}"
    return parser.fields


def with_values(fields: FormFields, values: dict[str, str | list[str]]) -> FormFields:
    """`fields` with some replaced (a list sets every value of a repeated field)."""
    replaced = [(k, v) for k, v in fields if k not in values]
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            replaced.append((name, item))
    return replaced


def as_data(fields: FormFields) -> dict[str, list[str]]:
    """Form fields as the `data` argument of the test client (repeated names kept)."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def value_of(fields: FormFields, name: str) -> str | None:
    """The first value of a field, None when the form does not send it."""
    return next((v for k, v in fields if k == name), None)


def edit_form(client: TestClient, path: str, action: str | None = None) -> FormFields:
    """Open a page and return its edit form's fields."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    return form_fields(response.text, action or path.split("?")[0])
