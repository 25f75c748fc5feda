"""Handing a service over at the desk: catalogue search and category filters, the printed
one-page card (citizen's language, Italian beneath), the QR code of the Telegram deep link,
right-to-left layout, and catalogue text with markup shown as text."""

from __future__ import annotations

import re

import pytest
import segno
from playwright.sync_api import Dialog, Page, expect
from sqlalchemy import select

from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.models import ServiceCategory, TaxonomyTerm
from bot.settings import Settings
from tests.browser.conftest import screenshot
from tests.browser.desk.accessibility import contrast_problems
from tests.browser.desk.conftest import REPLY_TIMEOUT_MS, kept_description, latest_card

pytestmark = [pytest.mark.engine, pytest.mark.browser]

PRINTED_SERVICE = "svc-questura-permit-renewal"  # the longest card of the demo catalogue
MARKUP = '<img src=x onerror="document.title=1"><b>bold</b> \u202eevil\u202c <script>x()</script>'


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _qr_modules(page: Page, image_selector: str) -> list[list[bool]]:
    """The QR code as the browser drew it: dark (True) or light per module."""
    image = page.locator(image_selector)
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    # the image painted on a canvas, one character per pixel: "1" dark, "0" light
    raster: str = image.evaluate(
        """img => {
            const size = img.naturalWidth, canvas = document.createElement("canvas");
            canvas.width = canvas.height = size;
            const context = canvas.getContext("2d");
            context.drawImage(img, 0, 0, size, size);
            const data = context.getImageData(0, 0, size, size).data;
            let out = "";
            for (let i = 0; i < data.length; i += 4) { out += data[i] < 128 ? "1" : "0"; }
            return size + ":" + out;
        }"""
    )
    size_text, pixels = raster.split(":")
    size = int(size_text)
    rows = [pixels[y * size : (y + 1) * size] for y in range(size)]
    top = next(y for y, row in enumerate(rows) if "1" in row)
    left = min(row.index("1") for row in rows if "1" in row)
    right = max(row.rindex("1") for row in rows if "1" in row)
    finder = len(rows[top][left:]) - len(rows[top][left:].lstrip("1"))  # 7 modules wide
    module = finder / 7
    count = round((right - left + 1) / module)
    return [
        [
            rows[int(top + (y + 0.5) * module)][int(left + (x + 0.5) * module)] == "1"
            for x in range(count)
        ]
        for y in range(count)
    ]


def _qr_of(url: str) -> list[list[bool]]:
    """The modules of the QR code of `url` (the symbol any reader decodes back to `url`)."""
    return [[bool(v) for v in row] for row in segno.make(url, error="m", micro=False).matrix]


def test_the_printed_card_is_one_page_with_italian_beneath_and_the_qr_deep_link(
    desk: Page, desk_site: Settings
) -> None:
    desk.goto(f"{desk_site.web_url}/desk/catalogue?q=rinnovo+permesso+di+soggiorno&lang=uk")
    result = desk.locator(f'li.result[data-service-id="{PRINTED_SERVICE}"]')
    expect(result).to_be_visible()
    with desk.context.expect_page() as opened:
        result.locator("a.print-link").click()
    sheet = opened.value
    sheet.wait_for_load_state()
    expect(sheet.locator("html")).to_have_attribute("lang", "uk")
    citizen = sheet.locator(".citizen-part article.service-card[lang=uk]")
    italian = sheet.locator(".italian-part article.service-card[lang=it]")
    expect(citizen).to_be_visible()
    expect(italian).to_be_visible()
    citizen_box, italian_box = citizen.bounding_box(), italian.bounding_box()
    assert citizen_box and italian_box
    assert citizen_box["y"] + citizen_box["height"] <= italian_box["y"]  # Italian beneath
    assert contrast_problems(sheet) == []
    screenshot(sheet, "desk-print-view")

    sheet.emulate_media(media="print")
    expect(sheet.locator(".toolbar")).to_be_hidden()  # the print stylesheet applies
    expect(sheet.locator(".week-print").first).to_be_visible()  # paper shows the week
    screenshot(sheet, "desk-print-as-printed")
    assert _pdf_pages(sheet.pdf(format="A4", prefer_css_page_size=True)) == 1

    deep_link = f"https://t.me/CremonaTestBot?start=svc_{PRINTED_SERVICE}"
    expect(sheet.locator("img.qr-code")).to_have_attribute("data-url", deep_link)
    assert _qr_modules(sheet, "img.qr-code") == _qr_of(deep_link)
    sheet.close()


@pytest.mark.parametrize("language", ["ar", "ur", "fa", "ps"])
def test_right_to_left_languages_are_laid_out_right_to_left(
    desk: Page, desk_site: Settings, language: str
) -> None:
    desk.goto(f"{desk_site.web_url}/desk/print/{PRINTED_SERVICE}?lang={language}")
    expect(desk.locator("html")).to_have_attribute("dir", "rtl")
    citizen = desk.locator(".citizen-part article.service-card")
    expect(citizen).to_have_attribute("lang", language)
    assert citizen.evaluate("e => getComputedStyle(e).direction") == "rtl"
    name, qr = citizen.locator(".card-name").bounding_box(), desk.locator(".qr").bounding_box()
    assert name and qr and qr["x"] < name["x"]  # the QR code sits on the left, the text right
    italian = desk.locator(".italian-part article.service-card")
    assert italian.evaluate("e => getComputedStyle(e).direction") == "ltr"
    desk.goto(f"{desk_site.web_url}/widget?lang={language}")
    expect(desk.locator("html")).to_have_attribute("dir", "rtl")
    assert desk.locator("#chat-log").evaluate("e => getComputedStyle(e).direction") == "rtl"
    if language == "ar":
        screenshot(desk, "widget-arabic-rtl")


def _category_members(settings: Settings, code: str) -> set[str]:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            query = (
                select(ServiceCategory.service_id)
                .join(TaxonomyTerm, TaxonomyTerm.id == ServiceCategory.taxonomy_term_id)
                .where(TaxonomyTerm.code == code)
            )
            return set(session.scalars(query))
    finally:
        engine.dispose()


def test_catalogue_search_category_filter_and_show_in_the_conversation(
    desk: Page, desk_site: Settings
) -> None:
    desk.goto(f"{desk_site.web_url}/desk/catalogue")
    desk.fill("#q", "medico di famiglia")
    desk.select_option("#card-language", "ar")
    desk.click("form.search-form button[type=submit]")
    results = desk.locator("li.result")
    expect(results.first).to_be_visible()
    expect(results.first.locator("article.service-card[lang=ar]")).to_have_attribute("dir", "rtl")
    expect(results.first.locator("article.service-card[lang=it]")).to_be_visible()
    assert contrast_problems(desk) == []  # WCAG AA
    screenshot(desk, "desk-catalogue-search")

    chip = desk.locator("nav.category-chips a").first
    chip_label = chip.inner_text()
    chip.click()
    expect(desk.locator("nav.category-chips a[aria-current=true]")).to_have_text(chip_label)
    category = desk.locator("#category").input_value()
    shown = set(results.evaluate_all("items => items.map(i => i.dataset.serviceId)"))
    assert shown and shown <= _category_members(desk_site, category)

    first = results.first
    service_id = first.get_attribute("data-service-id")
    first.locator("form[action='/desk/catalogue/show'] button").click()
    expect(desk).to_have_url(re.compile(r"/desk(#chat-log)?$"))
    pair = latest_card(desk)
    expect(pair).to_have_attribute("data-service-id", service_id or "", timeout=REPLY_TIMEOUT_MS)
    expect(pair.locator("article.service-card[lang=ar]")).to_be_visible()


def test_catalogue_text_with_markup_is_shown_as_text(desk: Page, desk_site: Settings) -> None:
    service_id = "svc-civil-status"
    with kept_description(desk_site, service_id, "wo", MARKUP):
        dialogs: list[str] = []

        def refuse(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        desk.on("dialog", refuse)
        for path in (f"/desk/print/{service_id}?lang=wo", f"/desk/card/{service_id}?lang=wo"):
            desk.goto(desk_site.web_url + path)
            description = desk.locator("article.service-card[lang=wo] .card-description")
            expect(description).to_contain_text(MARKUP.replace("\u202e", "").replace("\u202c", ""))
            expect(description.locator("img, b, script")).to_have_count(0)
            assert desk.title() != "1" and not dialogs
            assert "\u202e" not in (desk.content())
