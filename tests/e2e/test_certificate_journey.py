"""A learner earns the demo course's certificate in Chromium; anyone checks it; an admin revokes it.

The learner has passed modules 1-3 (through the services, as the journey in
test_learner_journey.py does in the browser) and takes module 4 in the browser. The live server
runs the request in a thread of its own, and the test settings run tasks at once, so the
certificate is issued and its PDF made after the last quiz's commit, in that thread. Then:
Min side shows the certificate; the PDF downloads through the browser; its text (pypdf) has the
learner's name, the hours and the code; its QR code, decoded by zxing-cpp from page 1 rendered
by pdfium (never read out of the text), opens the verification page, which says valid and shows
the same fields; an admin revokes it in the Wagtail admin, and the page says revoked with the
reason.
"""

import hashlib
import io
import re
import time

import pypdfium2
import pytest
import zxingcpp
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.services import learner_profile_update
from certificates.models import Certificate
from certificates.pdf import hours_text
from cms.demo.course import COURSE_CREDIT_HOURS, COURSE_SLUG, COURSE_TITLE, MODULES
from cms.demo.loader import load_demo
from courses.models.pages import CoursePage
from courses.services import module_evaluate, module_section_opened
from quizzes.models import QuizAttempt
from quizzes.questions import right_answers
from quizzes.selectors import live_questions
from quizzes.services import quiz_attempt_submit
from tests.e2e.test_learner_journey import _module_row, _take_module

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kanylering-og-urinstix-2026"
EMAIL = "sertifikat@example.no"
FULL_NAME = "Åse Bjørk Sæther"
ADMIN = "programadmin"
REASON = "Feil kurs registrert ved en feil i oppsettet"
CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}\b")
POLL_SECONDS = 30
VALID = "Valid: this certificate was issued by us and is in force."
REVOKED = "Revoked: this certificate is no longer valid."


def _nb(message: str) -> str:
    with translation.override("nb"):
        return gettext(message)


def _learner():
    user = get_user_model().objects.create_user(username=EMAIL, email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    learner_profile_update(user=user, full_name=FULL_NAME, profession=None, workplace="")
    return user


def _pass_through_services(*, user, module) -> None:
    """Open every section and pass every quiz of ``module``, as the module's pages would."""
    for section_id in module.section_ids():
        module_section_opened(user=user, module=module, section_id=section_id)
    for quiz in module.quizzes():
        # An attempt created directly is scored against its own revision (no signed ticket).
        attempt = QuizAttempt.objects.create(
            quiz=quiz, user=user, revision_id=quiz.live_revision_id
        )
        done = quiz_attempt_submit(
            quiz=quiz, user=user, token=attempt.token,
            answers=right_answers(live_questions(quiz)),
        )  # fmt: skip
        assert done.passed
    assert module_evaluate(user=user, module=module).status == "passed"


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/konto/login/")
    page.get_by_label("E-postadresse").fill(EMAIL)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base}/min-side/")


def _reload_until_visible(page, locator, *, seconds: float = POLL_SECONDS) -> None:
    """Reload the page until ``locator`` shows (issuing runs after the quiz's commit)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            expect(locator.first).to_be_visible(timeout=1000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.reload()


def _fields(page) -> dict[str, str]:
    """The verification page's "what the certificate states": label -> value."""
    fields = page.locator("dl.verify__fields")
    labels = [text.strip() for text in fields.locator("dt").all_inner_texts()]
    values = [text.strip() for text in fields.locator("dd").all_inner_texts()]
    assert len(labels) == len(values)
    return dict(zip(labels, values, strict=True))


def _revoke_in_admin(page, base: str, certificate) -> None:
    """Sign in to the Wagtail admin, find the certificate by its code as a person would type it
    (lower case, with spaces), and revoke it from the listing's menu with a reason."""
    page.goto(f"{base}/admin/login/")
    page.locator("input[name=username]").fill(ADMIN)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/certificates/")
    # The listing's own search box (the header has the site-wide one).
    search = page.locator("#id_q")
    search.fill(certificate.code_formatted.lower().replace("-", " "))
    search.press("Enter")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(FULL_NAME)
    rows.locator("[data-w-dropdown-target=toggle]").click()
    rows.get_by_role("link", name=_nb("Revoke"), exact=True).click()
    page.get_by_label(_nb("Reason")).fill(REASON)
    page.get_by_role("button", name=_nb("Revoke"), exact=True).click()
    message = _nb("Certificate %(code)s revoked.") % {"code": certificate.code_formatted}
    expect(page.locator(".messages")).to_contain_text(message)


def _qr_codes(pdf: bytes) -> list[str]:
    """The texts of the QR codes on page 1, decoded from the page rendered as an image."""
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    found = zxingcpp.read_barcodes(image)
    return [result.text for result in found if result.format == zxingcpp.BarcodeFormat.QRCode]


def test_a_learner_earns_downloads_and_shares_a_certificate_that_an_admin_revokes(
    browser, live_server, settings
):
    load_demo(videos=False)
    base = live_server.url
    # The QR code and the email hold absolute addresses: this server's, not "testserver".
    settings.WAGTAILADMIN_BASE_URL = base
    user = _learner()
    get_user_model().objects.create_superuser(
        username=ADMIN, email="admin@example.no", password=PASSWORD
    )
    mail.outbox.clear()
    course = CoursePage.objects.live().get(slug=COURSE_SLUG)
    modules = list(course.modules().specific())
    assert [m.title for m in modules] == [m["title"] for m in MODULES]
    for module in modules[:3]:
        _pass_through_services(user=user, module=module)
    assert not Certificate.objects.filter(holder=user).exists()

    learner = browser.new_context(locale="nb-NO", accept_downloads=True)
    admin = visitor = None
    try:
        page = learner.new_page()
        _sign_in(page, base)
        page.goto(base + course.get_url())
        expect(page.locator(".course-progress")).to_contain_text("3 av 4 moduler bestått")
        _module_row(page, MODULES[3]).get_by_role("link").click()
        _take_module(page, MODULES[3], passed_before=3)
        expect(page.locator(".course-progress__done")).to_contain_text("Fullført")

        # Min side shows the certificate once it is issued: poll, never a fixed wait.
        page.goto(f"{base}/min-side/")
        row = page.locator(".ledger__table tbody tr").filter(has_text=COURSE_TITLE)
        _reload_until_visible(page, row)
        certificate = Certificate.objects.get(holder=user)
        assert certificate.pdf_sha256, "the live server's thread stored no PDF"
        expect(row).to_contain_text(certificate.code_formatted)

        with page.expect_download() as download_info:
            row.locator(f'a[href="/kursbevis/{certificate.uuid}/pdf/"]').click()
        download = download_info.value
        assert download.suggested_filename == f"kursbevis-{certificate.code_formatted}.pdf"
        with open(download.path(), "rb") as downloaded:
            pdf = downloaded.read()
        assert pdf.startswith(b"%PDF-")
        assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256

        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        text = re.sub(r"\s+", " ", text)
        with translation.override("nb"):
            hours = hours_text(COURSE_CREDIT_HOURS)
        assert FULL_NAME in text
        assert COURSE_TITLE in text
        assert hours in text
        assert certificate.code_formatted in text
        # Every code-shaped group on the certificate is its own code.
        assert set(CODE.findall(text)) == {certificate.code_formatted}

        # The QR code is read from the rendered page, as a phone would: never from the text.
        codes = _qr_codes(pdf)
        assert len(codes) == 1, codes
        url = codes[0]
        assert url == f"{base}/v/{certificate.code_formatted}/"
        # The learner was told by email, with the same link and without the PDF.
        sent = [m for m in mail.outbox if m.to == [EMAIL] and url in m.body]
        assert len(sent) == 1
        assert sent[0].attachments == []

        # Anyone with the QR code: a fresh browser, not signed in.
        visitor = browser.new_context(locale="nb-NO")
        check = visitor.new_page()
        check.goto(url)
        status = check.locator(".verify__status")
        expect(status).to_have_attribute("data-status", "valid")
        expect(status).to_contain_text(_nb(VALID))
        fields = _fields(check)
        assert fields[_nb("Holder")] == FULL_NAME
        assert fields[_nb("Activity")] == f"{COURSE_TITLE} ({course.year})"
        # The hours as the PDF prints them, under the PDF's own labels.
        for label in ("Hours of credit, individual", "Hours of credit in total"):
            assert hours in fields[_nb(label)]
            assert f"{_nb(label)} {fields[_nb(label)]}" in text
        assert fields[_nb("Verification code")] == certificate.code_formatted
        assert fields[_nb("Fingerprint of the PDF (SHA-256)")] == certificate.pdf_sha256
        assert fields[_nb("Issuer")] == certificate.issuer_name
        # The upload box: the downloaded file is the one issued.
        check.get_by_label(_nb("PDF file")).set_input_files(download.path())
        check.get_by_role("button", name=_nb("Compare")).click()
        expect(check.locator(".verify__result")).to_have_attribute("data-identical", "yes")

        # An admin revokes it in the Wagtail admin, with a reason.
        admin = browser.new_context(locale="nb-NO")
        _revoke_in_admin(admin.new_page(), base, certificate)
        certificate.refresh_from_db()
        assert certificate.is_revoked
        assert certificate.revoked_reason == REASON

        check.goto(url)
        expect(status).to_have_attribute("data-status", "revoked")
        expect(status).to_contain_text(_nb(REVOKED))
        expect(status.locator(".verify__reason")).to_have_text(REASON)
        assert _fields(check)[_nb("Holder")] == FULL_NAME
    finally:
        for context in (learner, visitor, admin):
            if context is not None:
                context.close()
