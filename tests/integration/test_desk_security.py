"""Security of the desk and the public widget at the HTTP level (the real web app on a real
catalogue, SQLite and PostgreSQL; no engine needed): the desk login, a Content-Security-Policy
without inline code, links only to http(s), mailto and tel, bidi-override characters removed
from staff views, and logout telling the browser to forget the site's storage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.accounts.service import save_user
from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.catalogue.models import Service
from bot.conversations.outbox import enqueue
from bot.conversations.records import create_handoff
from bot.settings import Settings
from bot.widget.rich_text import segments
from tests.admin_support import PASSWORD, app_client, csrf_from, login
from tests.helpers import stack_settings

SERVICE = "svc-civil-status"
BIDI = "\u202a\u202b\u202c\u202d\u202e"
OVERRIDES = re.compile("[\u202a-\u202e]")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
HREF = re.compile(r"""<a\b[^>]*\bhref="([^"]*)\"""")
SAFE_HREF = re.compile(r"^(https?://|mailto:|tel:|/|#)")


@pytest.fixture
def settings(fresh_demo_url: str, tmp_path: Path) -> Settings:
    """A private catalogue with a desk account, a translator, and a bot username for QRs."""
    settings = stack_settings(tmp_path, database_url=fresh_demo_url)
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            save_user(session, "dora", "desk", PASSWORD, display_name=f"Dora {BIDI}Desk")
            save_user(session, "tina", "translator", PASSWORD)
    finally:
        engine.dispose()
    return settings


@pytest.fixture
def desk_client(settings: Settings) -> Iterator[TestClient]:
    """The web app with the desk user logged in."""
    with app_client(settings) as client:
        assert login(client, "dora").status_code == 200
        yield client


def _change_service(settings: Settings, **values: str) -> None:
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            service = session.get(Service, SERVICE)
            assert service is not None
            for name, value in values.items():
                setattr(service, name, value)
    finally:
        engine.dispose()


def _desk_pages() -> list[str]:
    return [
        "/desk",
        "/desk/catalogue?q=anagrafe&lang=ar",
        "/desk/queue",
        f"/desk/print/{SERVICE}?lang=ar",
        f"/desk/card/{SERVICE}?lang=uk",
    ]


def test_the_desk_needs_a_desk_account(settings: Settings) -> None:
    with app_client(settings) as client:
        page = client.get("/desk", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=/desk"
        api = client.get("/desk/api/chat", headers={"Accept": "application/json"})
        assert api.status_code == 401
        login(client, "tina")
        assert client.get("/desk", follow_redirects=False).status_code == 403
        assert client.get(f"/desk/print/{SERVICE}").status_code == 403


def test_desk_and_widget_pages_have_a_policy_without_inline_code(
    desk_client: TestClient,
) -> None:
    for path in [*_desk_pages(), "/widget?lang=ar&embedded=1", "/login"]:
        response = desk_client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        html = response.text
        assert not INLINE_SCRIPT.search(html), path
        assert not EVENT_HANDLER.search(html), path
        assert not STYLE_ATTRIBUTE.search(html), path  # the policy would drop it silently
        if path.startswith("/desk"):
            assert "no-store" in response.headers["cache-control"], path
    embed = desk_client.get("/widget/embed.js")
    assert embed.headers["content-type"].startswith("text/javascript")
    assert "/*LAUNCHER_LABELS*/{}" not in embed.text  # labels built in: no cross-site fetch
    assert "fetch(" not in embed.text


def test_only_the_widget_page_may_be_framed(desk_client: TestClient) -> None:
    widget = desk_client.get("/widget?embedded=1")
    assert "frame-ancestors *" in widget.headers["content-security-policy"]
    desk = desk_client.get("/desk")
    assert "frame-ancestors 'none'" in desk.headers["content-security-policy"]
    assert desk.headers["x-frame-options"] == "DENY"


def test_card_links_go_only_to_http_mailto_and_tel(
    settings: Settings, desk_client: TestClient
) -> None:
    _change_service(settings, url="javascript:alert(document.cookie)", email="x@y.it")
    for path in _desk_pages()[3:]:
        html = desk_client.get(path).text
        targets = HREF.findall(html)
        assert targets, path
        assert all(SAFE_HREF.match(target) for target in targets), (path, targets)
        assert "javascript:alert(document.cookie)" in html  # shown as text, not as a link
        assert 'href="mailto:x@y.it"' in html


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("see https://comune.cremona.it/x.", ["https://comune.cremona.it/x"]),
        ("write to info@comune.cremona.it", ["mailto:info@comune.cremona.it"]),
        ("call +39 0372 407 320", ["tel:+390372407320"]),
        ("javascript:alert(1) data:text/html,<b>x</b> vbscript:x", []),
        ("file:///etc/passwd ftp://example.org", []),
    ],
)
def test_links_in_bot_text_are_only_http_mailto_and_tel(text: str, links: list[str]) -> None:
    found = [part["href"] for part in segments(text) if "href" in part]
    assert found == links
    assert "".join(part["text"] for part in segments(text)) == text


def test_bidi_override_characters_are_removed_from_staff_views(
    settings: Settings, desk_client: TestClient
) -> None:
    _change_service(settings, name=f"Stato civile {BIDI}fdp.exe", description=f"A{BIDI}B")
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            request = create_handoff(
                session,
                sender_id="sender-1",
                channel="web",
                language="ar",
                excerpt="My file is \u202egpj.exe, call me",
                service_id=SERVICE,
            )
            enqueue(session, "sender-1", "web", f"reply {BIDI}text", "dora", handoff_id=request.id)
            case_code = request.case_code
    finally:
        engine.dispose()
    queue = desk_client.get("/desk/queue").text
    assert case_code in queue and "gpj.exe" in queue
    assert "Dora Desk" in queue  # the staff name, cleaned, in the header
    for path in [*_desk_pages(), "/desk/catalogue?q=stato+civile&lang=it"]:
        html = desk_client.get(path).text
        assert not OVERRIDES.search(html), path
    assert "fdp.exe" in desk_client.get(f"/desk/print/{SERVICE}?lang=it").text


def test_logout_tells_the_browser_to_forget_the_sites_storage(desk_client: TestClient) -> None:
    token = csrf_from(desk_client.get("/desk").text)
    response = desk_client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert "storage" in response.headers["clear-site-data"]
    after = desk_client.get("/desk/api/chat", headers={"Accept": "application/json"})
    assert after.status_code == 401
