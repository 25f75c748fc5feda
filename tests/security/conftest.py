"""Fixtures for the security tests: staff clients logged in to the running stack."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from bot.runner.stack import Stack
from bot.settings import Settings
from tests.admin_support import PASSWORD, create_role_users, csrf_from

META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture(scope="session")
def stack_users(running_stack: Settings) -> Settings:
    """The running stack with one staff user per role."""
    create_role_users(running_stack.database_url)
    return running_stack


def logged_in(settings: Settings, username: str) -> httpx.Client:
    """An HTTP client of the running web app, logged in as `username`."""
    client = httpx.Client(base_url=settings.web_url, timeout=30)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code in (200, 303), response.text
    return client


@pytest.fixture(scope="session")
def desk_client(stack_users: Settings) -> Iterator[httpx.Client]:
    """A desk user's client whose requests carry the CSRF header, as desk.js sends them."""
    client = logged_in(stack_users, "desmond")
    found = META_CSRF.search(client.get("/desk").text)
    assert found, "the desk page has no CSRF meta tag"
    client.headers["X-CSRF-Token"] = found.group(1)
    yield client
    client.close()


@pytest.fixture(scope="session")
def admin_client(stack_users: Settings) -> Iterator[httpx.Client]:
    """An administrator's client."""
    client = logged_in(stack_users, "ada")
    yield client
    client.close()


@pytest.fixture(scope="session")
def web_pid(stack_factory: tuple[Settings, Stack]) -> int:
    """The pid of the running web app process."""
    return stack_factory[1].by_name("web").pid
