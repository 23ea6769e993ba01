"""The public pages in Chromium, used the way a person would: axe scan, keyboard, phone, print."""

import json
from pathlib import Path

import pytest

from cms.demo.loader import load_demo
from cms.models import ResourceIndexPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def site(live_server):
    load_demo(videos=False)
    resources = ResourceIndexPage.objects.get()
    return {"home": live_server.url + "/", "resources": live_server.url + resources.url}


def _axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it with npm ci")
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", ["home", "resources"])
def test_no_serious_accessibility_violations(page, site, name):
    response = page.goto(site[name])
    assert response.status == 200
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("name", ["home", "resources"])
def test_no_third_party_requests_and_no_csp_violations(page, site, name, live_server):
    requested: list[str] = []
    console_errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.goto(site[name])
    page.wait_for_load_state("networkidle")
    assert requested, "the page made no requests at all"
    foreign = [url for url in requested if not url.startswith(live_server.url)]
    assert foreign == []
    assert console_errors == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page, site):
    page.goto(site["home"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnholdet"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside_main


def test_download_from_the_resources_page(page, site):
    page.goto(site["resources"])
    link = page.get_by_role("link", name="Sjekkliste før oppstart av antibiotika")
    with page.expect_download() as download_info:
        link.first.click()
    download = download_info.value
    assert download.suggested_filename == "sjekkliste-for-oppstart-av-antibiotika.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")


def test_fits_a_phone_screen_without_sideways_scrolling(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nb-NO")
    try:
        tab = context.new_page()
        for url in (site["home"], site["resources"]):
            tab.goto(url)
            overflow = tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, url
    finally:
        context.close()


def test_print_shows_content_without_navigation(page, site):
    page.goto(site["resources"])
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator(".resource").first.is_visible()


def test_language_switcher_gives_english_interface(page, site):
    page.goto(site["home"])
    assert page.evaluate("document.documentElement.lang") == "nb"
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".skip-link").text_content().strip() == "Skip to main content"
    # content not yet translated falls back to Bokmål, and says so with its own lang attribute
    assert page.locator("main").get_attribute("lang") == "nb"
