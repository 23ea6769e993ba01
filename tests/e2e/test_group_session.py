"""A group session in Chromium: the shared screen, two phones, attestation, certificates
"together", and the refusals, each with the message a person sees.

Three browser contexts (plus a fourth phone for the refusals): the facilitator on a desktop
context runs the demo interview activity in shared-screen mode and starts a group session from
it; two attendees on phone-sized touch contexts (360 x 740) type the join code at /gruppe/,
sign in from the claim page and claim with one tap; at every chapter pause the codeword is read
off the facilitator's screen (the text of the codeword element: what people in the room read)
and typed on each phone; after the last pause the session ends, the facilitator attests the
list ("I saw these people present"), and each attendee's Min side shows the certificate with
the hours counted as together with colleagues.

Then the refusals: a wrong join code; a claim after the 48-hour window (the first session's
end moved back through the ORM while a latecomer's page was open); a second claim by the same
person (a second tab, tapped again); and a second session stopped before the video's running
time, whose facilitator page and attendee page say it gives no credit and whose attestation
issues no certificate.

The video: ``load_demo(videos=False)`` makes the demo interview *activity* (1.0 hours, live,
so 3 codewords per hour give 3 required codewords) without its 60-second video (a transcode
each); we attach a real, transcoded 36-second video with the demo interview's four chapters
at 60 % of their times (0, 14.4, 21.6, 28.8 s). It is played at normal speed, so the session's
server-measured duration (start to end, with the discussion pauses) reaches the video's
running time by itself. Why 36 s and not shorter: credit is the measured duration in hours,
rounded down to 0.01, so a session under 36 s would earn 0.00 hours and no certificate; 36 s
is the shortest video whose session earns the smallest credit (0.01 hours), and it keeps the
test well under the time the full 60-second interview would take. The test settings run tasks
at once, so certificates are issued in the live server's thread during the attest request.
"""

import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import zxingcpp
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import F
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from PIL import Image
from playwright.sync_api import expect

from accounts.services import learner_profile_update
from attendance.models import Claim, GroupSession
from certificates.models import Certificate
from cms.demo.loader import load_demo
from tests.e2e.test_public_pages import _axe_violations
from tests.videos.factories import ready_video
from videos.models import VideoActivity, VideoActivityItem

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Gruppemøte-på-vaktrommet-2026"
SECONDS = 36
# The demo interview's chapters (cms/demo/content/videos.yaml) at 60 % of their start times.
CHAPTERS = (
    ("Feber og slapphet: hva er nytt?", 0.0),
    ("Urinstiks og asymptomatisk bakteriuri", 14.4),
    ("Å se an og å ringe legen", 21.6),
    ("Når antibiotika er riktig", 28.8),
)
INTERVIEW_TITLE = "Intervju: Når er det riktig å vente med antibiotika?"
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
FACILITATOR = ("leder@example.no", "Kari Nordmann")
ATTENDEES = (("astrid@example.no", "Astrid Ødegård"), ("bjorn@example.no", "Bjørn Åsheim"))
LATECOMER = ("sen@example.no", "Siri Sent")


def _nb(message: str) -> str:
    with translation.override("nb"):
        return gettext(message)


def _nb_hours(hours) -> str:
    with translation.override("nb"):
        return floatformat(hours, "-2")


def _nb_date(value) -> str:
    with translation.override("nb"):
        return date_filter(timezone.localtime(value), "j. F Y H:i")


def _person(email: str, name: str):
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    learner_profile_update(user=user, full_name=name, profession=None, workplace="")
    return user


def _log_in(page, email: str) -> None:
    """Fill in the sign-in form the page is on; allauth sends the person on to ?next=."""
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def _message(page):
    return page.locator(".messages")


def _refusal(page):
    return page.locator(".error-summary")


def _type_join_code(page, base: str, typed: str) -> None:
    """What a phone does without the QR code: /gruppe/, the code as read off the screen."""
    page.goto(f"{base}/gruppe/")
    page.get_by_label(_nb("Code on the screen")).fill(typed)
    page.get_by_role("button", name=_nb("Continue")).click()


def _qr_text(locator) -> str:
    """The QR code on the shared screen, decoded from a screenshot as a phone camera would."""
    image = Image.open(io.BytesIO(locator.screenshot()))
    found = [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert len(found) == 1, found
    return found[0]


def _no_serious_violations(page) -> None:
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


def _problems(page) -> list[str]:
    found: list[str] = []

    def console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            found.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _confirmed_text(done: int, required: int) -> str:
    return _nb("Codeword confirmed: %(done)s of %(required)s.") % {
        "done": done,
        "required": required,
    }


def _progress_text(done: int, required: int) -> str:
    with translation.override("nb"):
        return ngettext(
            "%(done)s of %(required)s codeword confirmed",
            "%(done)s of %(required)s codewords confirmed",
            required,  # the template counts the required words
        ) % {"done": done, "required": required}


def _claim_row(page, name: str):
    return page.locator(".claims-table tbody tr").filter(has_text=name)


@pytest.fixture
def interview(live_server, tmp_path, settings):
    """The demo interview activity with a short real video of the interview's chapters."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    load_demo(videos=False)
    activity = VideoActivity.objects.get(title=INTERVIEW_TITLE)
    assert activity.live and activity.hours == Decimal("1.0")
    assert not activity.items.exists()
    video = ready_video(
        tmp_path, title=INTERVIEW_TITLE, kind="interview", seconds=SECONDS,
        width=320, height=180, chapters=CHAPTERS,
    )  # fmt: skip
    VideoActivityItem.objects.create(activity=activity, video=video, sort_order=0)
    return activity, video


def test_a_group_session_credits_everyone_in_the_room_and_refuses_what_it_should(
    browser, live_server, interview
):
    activity, video = interview
    base = live_server.url
    facilitator = _person(*FACILITATOR)
    attendees = [_person(*person) for person in ATTENDEES]
    latecomer = _person(*LATECOMER)
    contexts = []

    def context(**options):
        made = browser.new_context(locale="nb-NO", **options)
        made.set_default_timeout(15_000)
        contexts.append(made)
        return made

    try:
        # --- The shared screen: present mode, "Start a group session for credit" ------------
        tv = context(viewport={"width": 1280, "height": 720}).new_page()
        tv_problems = _problems(tv)
        tv.goto(f"{base}/konto/login/?next={reverse('videos:present', args=[video.pk])}")
        _log_in(tv, FACILITATOR[0])
        tv.wait_for_url(f"{base}{reverse('videos:present', args=[video.pk])}")
        tv.get_by_role("button", name=_nb("Start a group session for credit")).click()
        tv.wait_for_url(re.compile(r"/gruppe/okt/[0-9a-f-]+/vis/\d+/$"))
        session = GroupSession.objects.get(facilitator=facilitator)
        assert session.activity == activity
        assert session.required_codewords == 3
        assert session.running_seconds == SECONDS

        start_screen = tv.locator("[data-group-start]")
        expect(start_screen).to_be_visible()
        code = tv.locator(".group-start .group-join__code")
        expect(code).to_have_text(session.join_code_formatted)
        qr = start_screen.locator(".group-join__qr")
        expect(qr).to_be_visible()
        tv.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
        claim_url = f"{base}{reverse('attendance:claim', args=[session.join_code])}"
        assert _qr_text(qr) == claim_url
        _no_serious_violations(tv)

        # --- Two phones: the code typed as read, sign in, one tap ----------------------------
        phones = []
        for index, ((email, _name), typed) in enumerate(
            zip(ATTENDEES, (session.join_code_formatted.lower(), session.join_code), strict=True)
        ):
            phone = context(**PHONE).new_page()
            _type_join_code(phone, base, typed)
            phone.wait_for_url(claim_url)
            expect(phone.get_by_role("heading", level=1)).to_have_text(activity.title)
            phone.locator("main").get_by_role("link", name=_nb("Sign in")).click()
            _log_in(phone, email)
            phone.wait_for_url(claim_url)
            if index == 0:
                _no_serious_violations(phone)  # the claim page at phone width, before the tap
            phone.get_by_role("button", name=_nb("I am here")).tap()
            expect(_message(phone)).to_contain_text(_nb("You are on the list for this session."))
            expect(phone.locator(".join__progress")).to_contain_text(_progress_text(0, 3))
            phones.append(phone)
        _no_serious_violations(phones[0])  # after the tap: status, progress, codeword form
        overflow = phones[0].evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0

        # The count on the TV follows (it polls every few seconds).
        expect(tv.locator(".group-start [data-group-count]")).to_have_text("2", timeout=15_000)

        # --- The video, at normal speed, with a codeword at each chapter pause --------------
        tv.get_by_role("button", name=_nb("Start the video")).click()
        expect(start_screen).to_be_hidden()
        pause = tv.locator("[data-chapter-pause]")
        word_on_screen = tv.locator("[data-group-word]")
        words = []
        for chapter, (title, _start) in enumerate(CHAPTERS):
            expect(pause).to_be_visible(timeout=(SECONDS + 10) * 1000)
            expect(pause.get_by_role("heading")).to_have_text(title)
            expect(word_on_screen).to_have_text(re.compile(r"\S"))
            word = word_on_screen.text_content().strip()
            assert word not in words
            words.append(word)
            for number, phone in enumerate(phones):
                # The second attendee missed the first pause (out of the room for a moment):
                # three of four is still the three required.
                if number == 1 and chapter == 0:
                    continue
                phone.get_by_label(_nb("Type the word on the screen")).fill(word.lower())
                phone.get_by_role("button", name=_nb("Confirm the word")).tap()
                # Counted up to the three required: the fourth word still reads "3 of 3".
                done = min(chapter + 1 if number == 0 else chapter, 3)
                expect(_message(phone)).to_contain_text(_confirmed_text(done, 3))
            tv.get_by_role("button", name=_nb("Continue")).click()
            expect(pause).to_be_hidden()

        # After the last pause: the end screen with the code again; the session has ended.
        end_screen = tv.locator("[data-end-screen]")
        expect(end_screen).to_be_visible()
        expect(end_screen.locator(".group-join__code")).to_have_text(session.join_code_formatted)
        tv.get_by_role("button", name=_nb("End the session and go to the attendance list")).click()
        tv.wait_for_url(f"{base}{reverse('attendance:session', args=[session.uuid])}")
        session.refresh_from_db()
        assert session.ended_at is not None
        assert session.duration.total_seconds() >= SECONDS
        assert session.hours_credit == Decimal("0.01")
        assert tv_problems == []

        # --- The facilitator's list: both confirmed; attest ---------------------------------
        for (_email, name), done in zip(ATTENDEES, (3, 3), strict=True):
            row = _claim_row(tv, name)
            expect(row).to_contain_text(_nb("Confirmed"))
            expect(row).to_contain_text(
                _nb("%(done)s of %(required)s") % {"done": done, "required": 3}
            )
        expect(tv.locator("main")).to_contain_text(
            _nb("The session gives %(hours)s hours of credit, marked “together”.")
            % {"hours": _nb_hours(session.hours_credit)}
        )
        _no_serious_violations(tv)
        tv.get_by_label(_nb("I saw these people present")).check()
        tv.get_by_role("button", name=_nb("Attest")).click()
        expect(_message(tv)).to_contain_text(
            _nb("Attested. Everyone confirmed on the list gets the certificate by email.")
        )
        for _email, name in ATTENDEES:
            expect(_claim_row(tv, name)).to_contain_text(_nb("Credited"))
        _no_serious_violations(tv)

        # --- Each attendee's Min side: the certificate, its hours together ------------------
        hours = _nb_hours(Decimal("0.01"))
        for phone, user in zip(phones, attendees, strict=True):
            phone.goto(f"{base}/min-side/")
            row = phone.locator(".ledger__table tbody tr").filter(has_text=activity.title)
            expect(row).to_have_count(1)
            expect(row).to_contain_text(hours)
            certificate = Certificate.objects.get(holder=user)
            expect(row).to_contain_text(certificate.code_formatted)
            assert certificate.hours_together == Decimal("0.01")
            assert certificate.hours_individual == 0
            facts = phone.locator(".ledger__facts")
            expect(facts).to_contain_text(
                _nb("Individual: %(hours)s hours") % {"hours": _nb_hours(0)}
            )
            together = _nb("Together with colleagues: %(hours)s hours (at least %(min)s hours)")
            # The yearly minimum after "at least" is the ledger's business, not this test's.
            expect(facts).to_contain_text(together.split("%(min)s")[0] % {"hours": hours})
            expect(phone.locator(".my-sessions")).to_contain_text(_nb("Credited"))

        # --- Refusals ------------------------------------------------------------------------
        late = context(**PHONE).new_page()
        late.goto(f"{base}/konto/login/?next=/gruppe/")
        _log_in(late, LATECOMER[0])
        late.wait_for_url(f"{base}/gruppe/")

        # A wrong code: no such session, said so, with the code as typed.
        wrong = "xq7 2m9"
        assert not GroupSession.objects.filter(join_code="XQ72M9").exists()
        _type_join_code(late, base, wrong)
        expect(late.locator("main")).to_contain_text(
            _nb("No group session has the code %(code)s. Check the code on the screen.")
            % {"code": wrong.upper()}
        )
        _type_join_code(late, base, "K7P")
        expect(late.locator("main")).to_contain_text(
            _nb("A code has six letters and digits, like K7P 4QX. Check what you typed.")
        )

        # A claim after the window: the page was opened in time, the tap came too late.
        _type_join_code(late, base, session.join_code_formatted)
        late.wait_for_url(claim_url)
        here = late.get_by_role("button", name=_nb("I am here"))
        expect(here).to_be_visible()
        window = timedelta(hours=48, minutes=1)
        # The whole session two days back, so that it keeps its duration and credit.
        GroupSession.objects.filter(pk=session.pk).update(
            started_at=F("started_at") - window, ended_at=F("ended_at") - window
        )
        session.refresh_from_db()
        here.tap()
        expect(_refusal(late)).to_contain_text(
            _nb("Claims for this session closed %(hours)s hours after it ended.") % {"hours": 48}
        )
        late.goto(claim_url)
        expect(late.locator("main")).to_contain_text(
            _nb("Attendance for this session could be claimed until %(closed)s.")
            % {"closed": _nb_date(session.claims_close_at)}
        )
        expect(here).to_have_count(0)
        assert not Claim.objects.filter(session=session, user=latecomer).exists()

        # --- A second session, stopped before the video's running time ----------------------
        tv.goto(f"{base}{reverse('videos:present', args=[video.pk])}")
        tv.get_by_role("button", name=_nb("Start a group session for credit")).click()
        tv.wait_for_url(re.compile(r"/gruppe/okt/[0-9a-f-]+/vis/\d+/$"))
        short = GroupSession.objects.exclude(pk=session.pk).get(facilitator=facilitator)
        short_url = f"{base}{reverse('attendance:claim', args=[short.join_code])}"
        expect(tv.locator(".group-start .group-join__code")).to_have_text(short.join_code_formatted)

        # The latecomer is in the room this time and claims, then taps again in a second tab
        # opened before the first tap: one claim per person.
        _type_join_code(late, base, short.join_code_formatted)
        late.wait_for_url(short_url)
        again = late.context.new_page()
        again.goto(short_url)
        late.get_by_role("button", name=_nb("I am here")).tap()
        expect(_message(late)).to_contain_text(_nb("You are on the list for this session."))
        again.get_by_role("button", name=_nb("I am here")).tap()
        expect(_refusal(again)).to_contain_text(
            _nb("You have already claimed this session; one claim per person.")
        )
        assert Claim.objects.filter(session=short, user=latecomer).count() == 1
        again.close()

        tv.get_by_role("button", name=_nb("End session")).click()
        tv.wait_for_url(f"{base}{reverse('attendance:session', args=[short.uuid])}")
        no_credit = _nb(
            "The session was shorter than the video's running time, so it gives no credit."
        )
        expect(tv.locator("main")).to_contain_text(no_credit)
        short.refresh_from_db()
        assert short.too_short and short.hours_credit == 0
        # No codewords were confirmed: the facilitator approves the claim, then attests.
        row = _claim_row(tv, LATECOMER[1])
        expect(row).to_contain_text(_nb("Needs the facilitator's approval"))
        row.get_by_role("button", name=re.compile(re.escape(_nb("Approve")))).click()
        expect(_message(tv)).to_contain_text(_nb("The claim was approved."))
        tv.get_by_label(_nb("I saw these people present")).check()
        tv.get_by_role("button", name=_nb("Attest")).click()
        expect(_message(tv)).to_contain_text(
            _nb("Attested. The session gives no credit, so no certificates are issued.")
        )
        expect(tv.locator("main")).to_contain_text(no_credit)
        short.refresh_from_db()
        assert short.attested_at is not None

        late.goto(short_url)
        expect(late.locator("main")).to_contain_text(no_credit)
        late.goto(f"{base}/min-side/")
        expect(late.locator(".my-sessions")).to_contain_text(activity.title)
        expect(
            late.locator(".ledger__table tbody tr").filter(has_text=activity.title)
        ).to_have_count(0)
        assert not Certificate.objects.filter(holder=latecomer).exists()
        assert Claim.objects.get(session=short, user=latecomer).certificate_id is None
        assert tv_problems == []
    finally:
        for made in contexts:
            made.close()
