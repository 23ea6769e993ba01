"""Group sessions through HTTP, as the people in the room use them: the facilitator starts a
session from the shared screen, attendees claim on their phones by code and confirm the
codewords, the facilitator attests, and each attendee's certificate appears. Every refusal is a
message with a 4xx status; garbage input never gives a 500."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail import hooks

from attendance.colleagues import COLLEAGUE_SOURCE_HOOK
from attendance.models import Claim, ClaimStatus, GroupSession
from attendance.sections import group_session_present_action, my_group_sessions_section
from attendance.tokens import colleague_claim_from_token, colleague_confirm_token
from certificates.models import Certificate
from tests.attendance.factories import activity_make, session_make, user_make, video_make

pytestmark = pytest.mark.django_db


def url(name, *args) -> str:
    # English pages: the assertions read the source strings, whatever catalogues are compiled.
    with translation.override("en"):
        return reverse(name, args=args)


def _client(user=None, **defaults) -> Client:
    client = Client(**defaults)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def facilitator():
    return user_make("fasilitator", "Frida Fasilitator")


@pytest.fixture
def activity():
    """One hour of credit: one 30-minute video with 3 chapters, so 3 codewords are required."""
    return activity_make(video_make(chapters=3), hours="1")


@pytest.fixture
def tv(facilitator):
    return _client(facilitator)


def _start(tv, activity) -> GroupSession:
    video = activity.items.first().video
    response = tv.post(url("attendance:start"), {"activity": activity.pk, "video": video.pk})
    session = GroupSession.objects.get(activity=activity)
    assert response.status_code == 302
    assert response["Location"] == url("attendance:present", session.uuid, video.pk)
    return session


def _pause(tv, session, chapter: int) -> dict:
    video = session.activity.items.first().video
    response = tv.post(
        url("attendance:pause_open", session.uuid),
        data=json.dumps({"video": video.pk, "chapter": chapter}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def _close(tv, session, word: dict) -> None:
    response = tv.post(url("attendance:pause_close", session.uuid, word["id"]))
    assert response.status_code == 200


def _say(client, session, word: str):
    return client.post(url("attendance:codeword", session.join_code), {"word": word})


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _backdate(session, minutes: float) -> None:
    """As if the session had been started ``minutes`` ago (the videos are half an hour)."""
    GroupSession.objects.filter(pk=session.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes)
    )


# --- The whole flow --------------------------------------------------------------------------


def test_a_group_session_from_start_to_certificates(
    tv, facilitator, activity, django_capture_on_commit_callbacks
):
    session = _start(tv, activity)
    video = activity.items.first().video

    # The shared screen: the code in big letters, the QR code, the count; the pauses forced on.
    present = tv.get(url("attendance:present", session.uuid, video.pk))
    assert present.status_code == 200
    page = _text(present)
    assert session.join_code_formatted in page
    assert url("attendance:qr", session.uuid) in page
    assert "data-force-pause" in page and "Claimed so far:" in page
    assert "attendance/session.js" in page
    assert "End the session and go to the attendance list" in page
    qr = tv.get(url("attendance:qr", session.uuid))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    anna, ole = user_make("anna", "Anna Aune"), user_make("ole", "Ole Olsen")
    phone_anna, phone_ole = _client(anna), _client(ole)

    # Typed forgivingly (small letters, a space, O for 0): the claim page at its own address.
    typed = session.join_code.lower().replace("0", "o")
    joined = phone_anna.get(url("attendance:join"), {"kode": f"{typed[:3]} {typed[3:]}"})
    assert joined.status_code == 302
    assert joined["Location"] == url("attendance:claim", session.join_code)
    claim_page = phone_anna.get(joined["Location"])
    assert "I am here" in _text(claim_page)

    for phone in (phone_anna, phone_ole):
        response = phone.post(url("attendance:claim", session.join_code))
        assert response.status_code == 302
    assert tv.get(url("attendance:status", session.uuid)).json()["claims"] == 2

    # Anna types all three codewords; Ole only the first.
    for chapter in range(3):
        word = _pause(tv, session, chapter)
        status = tv.get(url("attendance:status", session.uuid)).json()
        assert status["codeword"] == word
        response = _say(phone_anna, session, word["word"].lower())
        assert response.status_code == 302
        if chapter == 0:
            assert _say(phone_ole, session, word["word"]).status_code == 302
        _close(tv, session, word)
    page = _text(phone_anna.get(url("attendance:claim", session.join_code)))
    assert "3 of 3 codewords confirmed" in page
    assert "Codeword confirmed: 3 of 3." in page  # the message after the last word
    page = _text(phone_ole.get(url("attendance:claim", session.join_code)))
    assert "1 of 3 codewords confirmed" in page
    assert "Needs the facilitator&#x27;s approval" in page

    # The session ran longer than the video; the last video's end screen ends it.
    _backdate(session, 70)
    ended = tv.post(url("attendance:end", session.uuid), HTTP_ACCEPT="application/json")
    assert ended.json() == {"ended": True, "too_short": False}

    listing = _text(tv.get(url("attendance:session", session.uuid)))
    assert "Anna Aune" in listing and "Ole Olsen" in listing
    assert "3 of 3" in listing and "1 of 3" in listing
    assert "The session gives 1 hours of credit" in listing

    ole_claim = Claim.objects.get(session=session, user=ole)
    assert tv.post(url("attendance:approve", session.uuid, ole_claim.pk)).status_code == 302

    refused = tv.post(url("attendance:attest", session.uuid), {})
    assert refused.status_code == 400
    assert "Tick “I saw these people present” to attest the list." in _text(refused)
    with django_capture_on_commit_callbacks(execute=True):
        attested = tv.post(url("attendance:attest", session.uuid), {"confirm": "on"})
    assert attested.status_code == 302
    listing = _text(tv.get(attested["Location"]))
    assert "Attested by Frida Fasilitator on" in listing

    for person in (anna, ole, facilitator):
        certificate = Certificate.objects.get(holder=person)
        assert certificate.hours_together == Decimal("1.00")
        assert certificate.hours_individual == 0
    page = _text(phone_anna.get(url("attendance:claim", session.join_code)))
    assert "Credited" in page and "Your certificate is ready." in page
    EmailAddress.objects.create(user=anna, email=anna.email, verified=True, primary=True)
    my_page = _text(phone_anna.get(url("accounts:my_page")))
    assert "Group sessions" in my_page and activity.title in my_page


def test_signing_in_is_offered_with_the_way_back(facilitator, activity):
    session = session_make(activity, facilitator)
    here = url("attendance:claim", session.join_code)
    page = _text(Client().get(here))
    assert f'href="{url("account_login")}?next={here}"' in page
    assert f'href="{url("account_signup")}?next={here}"' in page
    assert "I am here" not in page
    # Posting without an account goes to the sign-in page and comes back here.
    response = Client().post(here)
    assert response.status_code == 302 and "next=" in response["Location"]
    assert not Claim.objects.filter(session=session).exclude(user=facilitator).exists()


def test_a_second_claim_by_the_same_person_is_refused_with_a_message(facilitator, activity):
    session = session_make(activity, facilitator)
    phone = _client(user_make("anna", "Anna Aune"))
    here = url("attendance:claim", session.join_code)
    assert phone.post(here).status_code == 302
    again = phone.post(here)
    assert again.status_code == 409
    assert "You have already claimed this session; one claim per person." in _text(again)
    assert Claim.objects.filter(session=session).count() == 2  # the facilitator's and Anna's
    # The facilitator has a claim of their own from the start.
    own = _client(facilitator).post(here)
    assert own.status_code == 409


def test_a_claim_after_the_window_is_refused(facilitator, activity, settings):
    session = session_make(activity, facilitator, started_minutes_ago=60 * 60)
    GroupSession.objects.filter(pk=session.pk).update(
        ended_at=timezone.now() - timedelta(hours=settings.ATTENDANCE_CLAIM_WINDOW_HOURS + 1)
    )
    phone = _client(user_make("anna"))
    here = url("attendance:claim", session.join_code)
    assert "could be claimed until" in _text(phone.get(here))
    late = phone.post(here)
    assert late.status_code == 410
    assert "Claims for this session closed 48 hours after it ended." in _text(late)
    assert not Claim.objects.filter(session=session, user__username="anna").exists()


def test_a_session_shorter_than_the_video_gives_no_credit(tv, activity):
    session = _start(tv, activity)
    response = tv.post(url("attendance:end", session.uuid))
    assert response.status_code == 302
    listing = _text(tv.get(response["Location"]))
    assert "The session was shorter than the video's running time, so it gives no credit." in (
        listing
    )
    assert "The session has ended." in listing


def test_wrong_and_expired_codewords_are_refused_with_a_message(tv, activity, settings):
    session = _start(tv, activity)
    phone = _client(user_make("anna"))
    phone.post(url("attendance:claim", session.join_code))
    word = _pause(tv, session, 0)

    wrong = _say(phone, session, "FEIL")
    assert wrong.status_code == 400
    page = _text(wrong)
    assert "That is not the codeword on the screen." in page
    assert 'aria-invalid="true"' in page and "There is a problem" in page
    empty = _say(phone, session, "")
    assert empty.status_code == 400 and "Type the word shown on the screen." in _text(empty)

    _close(tv, session, word)
    settings.ATTENDANCE_CODEWORD_GRACE_SECONDS = -1  # the pause is long over
    expired = _say(phone, session, word["word"])
    assert expired.status_code == 410
    assert "That codeword is no longer valid: its pause is over." in _text(expired)


def test_codewords_need_a_claim_first(facilitator, activity):
    session = session_make(activity, facilitator)
    phone = _client(user_make("anna"))
    response = _say(phone, session, "ORD")
    assert response.status_code == 302
    page = _text(phone.get(response["Location"]))
    assert "Tap “I am here” first" in page


# --- Codes: unknown, malformed, guessed ------------------------------------------------------


def test_an_unknown_code_says_so(facilitator, activity):
    session_make(activity, facilitator)
    phone = Client()
    unknown = phone.get(url("attendance:join"), {"kode": "ZZZ ZZZ"})
    assert unknown.status_code == 404
    assert "No group session has the code ZZZ ZZZ." in _text(unknown)
    malformed = phone.get(url("attendance:claim", "abc"))
    assert malformed.status_code == 404
    assert "A code has six letters and digits" in _text(malformed)
    assert phone.get(url("attendance:join")).status_code == 200


def test_guessing_codes_is_throttled_per_address_and_per_user(facilitator, activity, settings):
    settings.ATTENDANCE_CODE_MISS_LIMIT = 3
    settings.ATTENDANCE_CODE_MISS_LIMIT_PER_ADDRESS = 3
    session = session_make(activity, facilitator)
    guesser = user_make("gjetter")
    phone = _client(guesser, REMOTE_ADDR="10.0.0.1")
    for guess in ("AAAAAA", "BBBBBB", "CCCCCC"):
        response = phone.get(url("attendance:claim", guess))
        assert response.status_code in (404, 429)
    assert response.status_code == 429
    # Past the limit even the right code is refused: a guesser learns nothing more.
    throttled = phone.get(url("attendance:claim", session.join_code))
    assert throttled.status_code == 429
    assert "Too many attempts" in _text(throttled)
    assert throttled["Retry-After"] == str(settings.ATTENDANCE_CODE_MISS_WINDOW)
    assert phone.post(url("attendance:claim", session.join_code)).status_code == 429
    # The same user from another address is throttled too, and so is that address afterwards
    # for anyone else... but a different person on a different address is not.
    elsewhere = _client(guesser, REMOTE_ADDR="10.0.0.2")
    assert elsewhere.get(url("attendance:claim", session.join_code)).status_code == 429
    other = _client(user_make("anna"), REMOTE_ADDR="10.0.0.3")
    assert other.get(url("attendance:claim", session.join_code)).status_code == 200
    assert (
        Client(REMOTE_ADDR="10.0.0.1").get(url("attendance:join"), {"kode": "X"}).status_code == 429
    )


def test_a_room_on_one_address_is_not_locked_out_by_its_typos(facilitator, activity, settings):
    """Twelve colleagues on the nursing home's Wi-Fi (one public address) each mistype the code
    once; the next one, typing it right, still gets in. One person's guessing is still capped."""
    settings.ATTENDANCE_CODE_MISS_LIMIT = 3
    settings.ATTENDANCE_CODE_MISS_LIMIT_PER_ADDRESS = 50
    session = session_make(activity, facilitator)
    for number in range(12):
        typo = _client(user_make(f"kollega{number}"), REMOTE_ADDR="203.0.113.7")
        assert typo.get(url("attendance:claim", "AAAAAA")).status_code == 404
    honest = _client(user_make("riktig"), REMOTE_ADDR="203.0.113.7")
    assert honest.post(url("attendance:claim", session.join_code)).status_code == 302
    assert session.claims.filter(user__username="riktig").exists()
    guesser = _client(user_make("gjetter"), REMOTE_ADDR="203.0.113.7")
    for guess in ("BBBBBB", "CCCCCC", "DDDDDD"):
        guesser.get(url("attendance:claim", guess))
    assert guesser.get(url("attendance:claim", session.join_code)).status_code == 429


# --- The facilitator's pages are theirs alone ------------------------------------------------


def test_the_facilitators_pages_are_404_for_anyone_else(facilitator, activity):
    session = session_make(activity, facilitator)
    video = activity.items.first().video
    stranger = _client(user_make("fremmed"))
    urls = [
        url("attendance:session", session.uuid),
        url("attendance:present", session.uuid, video.pk),
        url("attendance:status", session.uuid),
        url("attendance:qr", session.uuid),
        url("attendance:sheet", session.uuid),
    ]
    for address in urls:
        assert stranger.get(address).status_code == 404, address
    posts = [
        url("attendance:pause_open", session.uuid),
        url("attendance:end", session.uuid),
        url("attendance:attest", session.uuid),
        url("attendance:add_colleague", session.uuid),
    ]
    for address in posts:
        assert stranger.post(address).status_code == 404, address
    assert Client().get(url("attendance:status", session.uuid)).status_code == 404
    anonymous = Client().get(url("attendance:session", session.uuid))
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    assert GroupSession.objects.get(pk=session.pk).ended_at is None


def test_garbage_input_gets_a_4xx_never_a_500(tv, facilitator, activity):
    session = _start(tv, activity)
    pause = url("attendance:pause_open", session.uuid)
    for body in ("{not json", "[]", '{"video": "x", "chapter": 0}', '{"video": 1}', "null"):
        response = tv.post(pause, data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["error"] == "bad_request"
    other_video = video_make("annen")
    response = tv.post(
        pause,
        data=json.dumps({"video": other_video.pk, "chapter": 0}),
        content_type="application/json",
    )
    assert response.status_code == 400
    too_far = tv.post(
        pause,
        data=json.dumps({"video": activity.items.first().video.pk, "chapter": 10**6}),
        content_type="application/json",
    )
    assert too_far.status_code == 400
    assert tv.post(pause, {"video": "", "chapter": "-1"}).status_code == 400
    assert tv.post(url("attendance:pause_close", session.uuid, 999999)).status_code == 404
    assert tv.get("/en/gruppe/okt/not-a-uuid/").status_code == 404
    assert tv.get("/en/gruppe/okt/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert tv.post(url("attendance:start"), {"activity": "x", "video": "y"}).status_code == 400
    assert tv.post(url("attendance:start"), {"activity": 99999, "video": 1}).status_code == 404
    assert tv.get(url("attendance:present", session.uuid, 999999)).status_code == 404
    assert tv.post(url("attendance:remove", session.uuid, 999999)).status_code == 404
    assert tv.post(url("attendance:add_colleague", session.uuid), {"user": "x"}).status_code == 400
    assert tv.get(url("attendance:colleague_confirm", "forged:token")).status_code == 404
    assert tv.get(url("attendance:claim", "x" * 500)).status_code == 404
    assert tv.get(url("attendance:join"), {"kode": "\x00" * 3}).status_code == 404
    assert tv.get(url("attendance:pause_open", session.uuid)).status_code == 405


def test_opening_a_pause_after_the_end_is_refused_as_json(tv, activity):
    session = _start(tv, activity)
    tv.post(url("attendance:end", session.uuid))
    response = tv.post(
        url("attendance:pause_open", session.uuid),
        data=json.dumps({"video": activity.items.first().video.pk, "chapter": 0}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json() == {"error": "session_ended", "detail": "The session has ended."}


def test_attesting_before_the_end_is_refused_with_a_message(tv, activity):
    session = _start(tv, activity)
    response = tv.post(url("attendance:attest", session.uuid), {"confirm": "on"})
    assert response.status_code == 409
    assert "End the session before you attest the list." in _text(response)


# --- Removing, colleagues --------------------------------------------------------------------


def test_the_facilitator_removes_a_wrong_claim(tv, activity):
    session = _start(tv, activity)
    anna = user_make("anna", "Anna Aune")
    _client(anna).post(url("attendance:claim", session.join_code))
    claim = Claim.objects.get(session=session, user=anna)
    response = tv.post(url("attendance:remove", session.uuid, claim.pk), {"reason": "Not here"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REMOVED and claim.removed_reason == "Not here"
    page = _text(_client(anna).get(url("attendance:claim", session.join_code)))
    assert "The facilitator removed your claim from the list." in page
    assert tv.get(url("attendance:status", session.uuid)).json()["claims"] == 0


def test_a_colleague_without_a_phone_is_added_and_confirms_by_email(
    tv, facilitator, activity, django_capture_on_commit_callbacks
):
    colleague = user_make("kari", "Kari Kollega")
    session = _start(tv, activity)
    with (
        hooks.register_temporarily(COLLEAGUE_SOURCE_HOOK, lambda session, by: [colleague]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        listing = _text(tv.get(url("attendance:session", session.uuid)))
        assert "Kari Kollega" in listing
        response = tv.post(url("attendance:add_colleague", session.uuid), {"user": colleague.pk})
        assert response.status_code == 302
        stranger = user_make("fremmed")
        refused = tv.post(url("attendance:add_colleague", session.uuid), {"user": stranger.pk})
        assert refused.status_code == 400
        assert "That person is not on your colleague list." in _text(refused)
    claim = Claim.objects.get(session=session, user=colleague)
    assert claim.status == ClaimStatus.AWAITING_CONFIRMATION
    token = colleague_confirm_token(claim)
    link = url("attendance:colleague_confirm", token)
    assert [message.to for message in mail.outbox] == [[colleague.email]]
    assert token in mail.outbox[0].body
    assert colleague_claim_from_token(token) == claim
    assert colleague_claim_from_token(token + "x") is None

    # Someone else with the link is told it is not theirs; the colleague confirms.
    assert _client(user_make("fremmed2")).post(link).status_code == 403
    phone = _client(colleague)
    assert "Yes, I was there" in _text(phone.get(link))
    assert phone.post(link).status_code == 302
    claim.refresh_from_db()
    assert claim.confirmed_at is not None
    assert "Thank you. Your attendance is confirmed." in _text(phone.get(link))


# --- What other pages get from attendance ----------------------------------------------------


def test_the_present_page_offers_a_group_session_to_signed_in_users(rf, activity, facilitator):
    from django.contrib.auth.models import AnonymousUser

    video = activity.items.first().video
    request = rf.get("/")
    request.user = AnonymousUser()
    assert group_session_present_action(request, video) is None
    request.user = facilitator
    action = group_session_present_action(request, video)
    assert action.context["activities"] == [activity]
    request.user = facilitator
    assert group_session_present_action(request, video_make("løs")) is None
    activity.live = False
    activity.save()
    assert group_session_present_action(request, video) is None


def test_my_page_lists_sessions_led_and_attended(rf, facilitator, activity):
    session = session_make(activity, facilitator)
    anna = user_make("anna")
    _client(anna).post(url("attendance:claim", session.join_code))
    request = rf.get("/")
    request.user = user_make("ingen")
    assert my_group_sessions_section(request) is None
    request.user = facilitator
    assert my_group_sessions_section(request).context["facilitated"] == [session]
    request.user = anna
    attended = my_group_sessions_section(request).context["attended"]
    assert [claim.session for claim in attended] == [session]


def test_pages_carry_no_inline_script_or_style(tv, activity):
    """The site's CSP forbids inline scripts and styles."""
    session = _start(tv, activity)
    video = activity.items.first().video
    for address in (
        url("attendance:present", session.uuid, video.pk),
        url("attendance:session", session.uuid),
        url("attendance:claim", session.join_code),
        url("attendance:join"),
    ):
        html = tv.get(address).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), address
        assert " style=" not in html and "<style" not in html, address


def test_the_sign_in_sheet_names_who_claimed(tv, activity):
    session = _start(tv, activity)
    _client(user_make("anna", "Anna Aune")).post(url("attendance:claim", session.join_code))
    response = tv.get(url("attendance:sheet", session.uuid))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_plain_present_page_offers_to_start_a_session(facilitator, activity):
    video = activity.items.first().video
    present = url("videos:present", video.pk)
    signed_in = _text(_client(facilitator).get(present))
    assert "Start a group session for credit" in signed_in
    assert f'action="{url("attendance:start")}"' in signed_in
    assert f'name="activity" value="{activity.pk}"' in signed_in
    assert "Start a group session for credit" not in _text(Client().get(present))


def test_a_clip_set_goes_from_video_to_video_and_ends_after_the_last(tv, facilitator):
    first, second = video_make("klipp-1", 300, 2), video_make("klipp-2", 300)
    clips = activity_make(first, second, hours="0.5", title="Fem på fem")
    session = _start(tv, clips)
    page = _text(tv.get(url("attendance:present", session.uuid, first.pk)))
    assert url("attendance:present", session.uuid, second.pk) in page
    assert "Next video: klipp-2" in page and "Video 1 of 2" in page
    assert "data-session-last-video" not in page
    page = _text(tv.get(url("attendance:present", session.uuid, second.pk)))
    assert "data-session-last-video" in page
    assert "End the session and go to the attendance list" in page
    # A video without chapters pauses once, at its end: its codeword is pause 0.
    word = tv.post(
        url("attendance:pause_open", session.uuid),
        data=json.dumps({"video": second.pk, "chapter": 0}),
        content_type="application/json",
    )
    assert word.status_code == 200


def test_starting_a_session_of_an_activity_that_gives_no_credit_is_refused(tv):
    closed = activity_make(video_make("gammel"), live=False)
    response = tv.post(
        url("attendance:start"), {"activity": closed.pk, "video": closed.items.first().video.pk}
    )
    assert response.status_code == 410
    assert not GroupSession.objects.filter(activity=closed).exists()


def test_a_claim_and_a_codeword_cost_a_fixed_number_of_queries(tv, activity):
    """200 phones claim and type the word within seconds of each other: each request's queries
    are pinned (session, user and the writes included), whatever the number already claimed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = _start(tv, activity)
    for number in range(5):
        _client(user_make(f"tidlig{number}")).post(url("attendance:claim", session.join_code))
    word = _pause(tv, session, 0)
    phone = _client(user_make("anna"))
    phone.get(url("attendance:claim", session.join_code))  # the page first, as a phone does

    with CaptureQueriesContext(connection) as claim:
        assert phone.post(url("attendance:claim", session.join_code)).status_code == 302
    with CaptureQueriesContext(connection) as confirm:
        assert _say(phone, session, word["word"]).status_code == 302

    assert len(claim) <= 9, [query["sql"] for query in claim.captured_queries]
    assert len(confirm) <= 13, [query["sql"] for query in confirm.captured_queries]
