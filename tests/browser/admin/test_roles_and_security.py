"""Logging in as each role in a real browser, what each may do, and what is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bot.settings import Settings
from tests.browser.admin.conftest import log_in
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.engine, pytest.mark.browser]

SERVICE = "svc-registry-residence"
MAIN_SCREENS = (
    "/admin",
    "/admin/services",
    f"/admin/services/{SERVICE}",
    f"/admin/services/{SERVICE}/hours",
    "/admin/organizations/org-comune-cremona",
    "/admin/locations",
    "/admin/categories",
    "/admin/translations",
    f"/admin/translations/service/{SERVICE}?lang=ar",
    "/admin/freshness",
    "/admin/insight",
    "/admin/preview",
    "/admin/exchange",
    "/admin/audit",
    "/admin/users",
)
UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 120))
"""


@pytest.mark.parametrize(
    ("username", "role", "can_edit"),
    [
        ("ada", "admin", True),
        ("eddie", "editor", True),
        ("tina", "translator", False),
        ("victor", "viewer", False),
    ],
)
def test_each_role_logs_in_and_sees_what_it_may_do(
    site: Settings, page: Page, username: str, role: str, can_edit: bool
) -> None:
    log_in(page, site, username, next_path=f"/admin/services/{SERVICE}")
    expect(page).to_have_url(f"{site.web_url}/admin/services/{SERVICE}")
    expect(page.locator(".who")).to_have_attribute("data-role", role)
    expect(page.locator("#save-service")).to_have_count(1 if can_edit else 0)
    expect(page.locator("#archive-service")).to_have_count(1 if can_edit else 0)
    expect(page.locator("#delete-service")).to_have_count(1 if role == "admin" else 0)
    if can_edit:
        expect(page.locator("#field-name")).to_be_editable()
    else:
        expect(page.locator("#field-name")).to_be_disabled()
    expect(page.locator("nav a[href='/admin/users']")).to_have_count(1 if role == "admin" else 0)
    screenshot(page, f"admin-service-as-{role}")


def test_front_desk_staff_have_no_admin_rights(site: Settings, page: Page) -> None:
    log_in(page, site, "desmond")
    response = page.goto(f"{site.web_url}/admin/services")
    assert response is not None and response.status == 403
    expect(page.locator("#forbidden-reason")).to_be_visible()


def test_a_translator_cannot_archive_or_delete_and_a_viewer_cannot_edit(
    site: Settings, page: Page, context: BrowserContext
) -> None:
    log_in(page, site, "tina")
    page.goto(f"{site.web_url}/admin/services/{SERVICE}")
    token = page.locator("form[action='/logout'] input[name=csrf_token]").input_value()
    for action in ("status", "delete"):
        refused = context.request.post(
            f"{site.web_url}/admin/services/{SERVICE}/{action}",
            form={"csrf_token": token, "action": "archive", "confirm": SERVICE},
        )
        assert refused.status == 403, action
    page.goto(f"{site.web_url}/admin/services/{SERVICE}")
    expect(page.locator(".badge-active").first).to_be_visible()  # still active
    page.goto(f"{site.web_url}/admin")
    page.locator("form[action='/logout'] button").click()
    log_in(page, site, "victor")
    page.goto(f"{site.web_url}/admin/services/{SERVICE}")
    token = page.locator("form[action='/logout'] input[name=csrf_token]").input_value()
    refused = context.request.post(
        f"{site.web_url}/admin/services/{SERVICE}",
        form={"csrf_token": token, "name": "Viewer was here"},
    )
    assert refused.status == 403
    page.reload()
    expect(page.locator("#field-name")).not_to_have_value("Viewer was here")
    screenshot(page, "admin-service-read-only")


def test_unauthenticated_visitors_are_sent_to_the_login_page_and_back(
    site: Settings, page: Page
) -> None:
    page.goto(f"{site.web_url}/admin/freshness")
    expect(page).to_have_url(f"{site.web_url}/login?next=/admin/freshness")
    screenshot(page, "admin-login")
    page.fill("#username", "ada")
    page.fill("#password", "wrong-password-1")
    page.click("main button[type=submit]")
    expect(page.locator("#login-error")).to_be_visible()
    log_in(page, site, "ada", next_path="/admin/freshness")
    expect(page).to_have_url(f"{site.web_url}/admin/freshness")


def test_keyboard_only_login_and_skip_link(site: Settings, page: Page) -> None:
    page.goto(f"{site.web_url}/login")
    page.locator("#username").focus()
    page.keyboard.type("ada")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-test-password")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site.web_url}/admin")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_interface_speaks_italian_and_english(site: Settings, page: Page) -> None:
    log_in(page, site, "ada")
    expect(page.locator("nav a[href='/admin/services']")).to_have_text("Servizi")
    page.locator(".language-switch button[value=en]").click()
    expect(page.locator("nav a[href='/admin/services']")).to_have_text("Services")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{site.web_url}/admin/freshness")
    expect(page.locator("h1")).to_have_text("Freshness")
    page.locator(".language-switch button[value=it]").click()
    expect(page.locator("h1")).to_have_text("Aggiornamento delle schede")


def test_main_screens_have_labelled_controls_and_break_no_content_policy(
    site: Settings, page: Page
) -> None:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    log_in(page, site, "ada")
    for path in MAIN_SCREENS:
        response = page.goto(f"{site.web_url}{path}")
        assert response is not None and response.status == 200, path
        unlabelled = page.evaluate(UNLABELLED_CONTROLS)
        assert not unlabelled, f"{path}: {unlabelled}"
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert not problems, problems
