"""Account pages in Chromium: sign up with the real mail, axe scans, keyboard and phone width."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.services import learner_profile_update
from tests.e2e.test_public_pages import _axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kanylering-og-urinstix-2026"


@pytest.fixture
def learner(db):
    user = get_user_model().objects.create_user(
        username="ola", email="ola@example.no", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email="ola@example.no", verified=True, primary=True)
    learner_profile_update(user=user, full_name="Ola Nordmann", profession=None, workplace="")
    return user


def _sign_in(page, base_url):
    page.goto(f"{base_url}/konto/login/")
    page.get_by_label("E-postadresse").fill("ola@example.no")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base_url}/min-side/")


def test_sign_up_confirm_from_the_mail_and_reach_min_side(page, live_server):
    mail.outbox.clear()
    page.goto(f"{live_server.url}/konto/signup/")
    page.get_by_label("Fullt navn").fill("Kari Nordmann")
    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_label("Gjenta passordet").fill(PASSWORD)
    page.get_by_role("button", name="Opprett konto").click()
    page.wait_for_url(f"{live_server.url}/konto/confirm-email/")
    assert page.locator("h1").text_content().strip() == "Sjekk e-posten din"

    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body)[0]
    page.goto(link)
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(f"{live_server.url}/min-side/")
    assert page.get_by_label("Fullt navn").input_value() == "Kari Nordmann"
    page.get_by_role("button", name="Logg ut").first.click()
    page.wait_for_url(f"{live_server.url}/")
    # Signed out: Min side asks for a sign-in again. (This test's site has no programme page, so
    # "/" is the lean 404, which shows no account links.)
    page.goto(f"{live_server.url}/min-side/")
    page.wait_for_url(re.compile(r".*/konto/login/\?next=.*"))


@pytest.mark.parametrize("url", ["/konto/login/", "/konto/signup/", "/konto/password/reset/"])
def test_account_pages_have_no_serious_accessibility_violations(page, live_server, url):
    page.goto(live_server.url + url)
    # Submit empty so the scan also covers the error summary and the fields' error messages.
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("url", ["/min-side/", "/min-side/slett/", "/konto/email/"])
def test_signed_in_pages_have_no_serious_accessibility_violations(page, live_server, learner, url):
    _sign_in(page, live_server.url)
    page.goto(live_server.url + url)
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


def test_signing_in_works_by_keyboard_alone(page, live_server, learner):
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-postadresse").focus()
    page.keyboard.type("ola@example.no")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/min-side/")
    assert page.locator("h1").text_content().strip() == "Min side"


def test_account_pages_fit_a_phone_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nb-NO")
    try:
        tab = context.new_page()
        for url in ("/konto/login/", "/konto/signup/"):
            tab.goto(live_server.url + url)
            overflow = tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, url
    finally:
        context.close()
