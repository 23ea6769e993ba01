"""Group sessions through their services: what each one records, and every refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail import hooks

from attendance import errors, selectors, services
from attendance.colleagues import COLLEAGUE_SOURCE_HOOK
from attendance.errors import AttendanceRefused
from attendance.models import ClaimSource, ClaimStatus, SessionEventKind
from certificates.models import Certificate
from tests.attendance.factories import activity_make, session_make, user_make, video_make

pytestmark = pytest.mark.django_db

HALF_HOUR = 1800


def refused(code):
    """``pytest.raises`` for a refusal with ``code``."""

    class _Check:
        def __enter__(self):
            self._raises = pytest.raises(AttendanceRefused)
            self.info = self._raises.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self._raises.__exit__(*exc)
            assert self.info.value.code == code, self.info.value.code
            assert self.info.value.message
            return handled

    return _Check()


def kinds(session) -> list[str]:
    return list(session.events.order_by("at", "pk").values_list("kind", flat=True))


@pytest.fixture
def facilitator():
    return user_make("fasilitator", "Frida Fasilitator")


@pytest.fixture
def session(facilitator):
    """A session of a 1-hour activity (one 30-minute video, 3 chapters) started 40 minutes ago."""
    return session_make(activity_make(hours="1"), facilitator, started_minutes_ago=40)


def _pause(session, chapter_index=0, now=None):
    video = session.activity.items.first().video
    return services.codeword_open(
        session=session, by=session.facilitator, video=video, chapter_index=chapter_index, now=now
    )


def _present_claim(session, user, now=None):
    """A phone claim that confirmed every required codeword."""
    claim = services.session_claim(session=session, user=user, now=now)
    for index in range(session.required_codewords):
        codeword = _pause(session, index, now=now)
        services.codeword_confirm(claim=claim, word=codeword.word.lower(), now=now)
    return claim


# --- Start -----------------------------------------------------------------------------------


def test_start_freezes_running_time_codewords_and_name(facilitator):
    session = session_make(activity_make(hours="1"), facilitator)
    assert session.running_seconds == HALF_HOUR
    assert session.required_codewords == 3
    assert session.facilitator_name == "Frida Fasilitator"
    assert len(session.join_code) == 6
    assert session.join_code_formatted == f"{session.join_code[:3]} {session.join_code[3:]}"
    (claim,) = session.claims.all()
    assert claim.user == facilitator
    assert claim.source == ClaimSource.FACILITATOR
    assert claim.status == ClaimStatus.CONFIRMED
    assert kinds(session) == [SessionEventKind.STARTED]
    assert session.ended_at is None and session.duration is None and not session.too_short


def test_start_refuses_an_activity_that_gives_no_credit(facilitator):
    with refused(errors.ACTIVITY_CLOSED):
        session_make(activity_make(live=False), facilitator)


@pytest.mark.parametrize(
    ("hours", "pauses", "expected"),
    [("1", 3, 3), ("1", 10, 3), ("1.5", 10, 5), ("0.25", 10, 1), ("2", 4, 4), ("1", 1, 1)],
)
def test_required_codewords_three_per_hour_capped_at_the_pauses(hours, pauses, expected):
    assert services.required_codewords_for(hours=Decimal(hours), pauses=pauses) == expected


def test_required_codewords_counts_chapters_per_video_and_one_for_a_video_without(facilitator):
    videos = (video_make("a", 600, chapters=2), video_make("b", 600), video_make("c", 600))
    session = session_make(activity_make(*videos, hours="2"), facilitator)
    # 2 + 1 + 1 pauses; 3 an hour would ask for 6.
    assert session.required_codewords == 4
    assert session.running_seconds == 1800


# --- End and the credit ----------------------------------------------------------------------


def test_end_is_for_the_facilitator_only(session):
    with refused(errors.NOT_FACILITATOR):
        services.group_session_end(session=session, by=user_make("annen"))


def test_end_credits_the_duration_capped_and_rounded_down(session):
    ended = services.group_session_end(session=session, by=session.facilitator)
    # 40 minutes of a 1-hour activity whose video runs 30 minutes.
    assert Decimal("0.66") <= ended.hours_credit <= Decimal("0.67")
    assert ended.hours_credit == ended.hours_credit.quantize(Decimal("0.01"))
    assert not ended.too_short
    assert SessionEventKind.ENDED in kinds(ended)
    assert SessionEventKind.NO_CREDIT not in kinds(ended)


def test_hours_credit_rules():
    credit = services.hours_credit_for
    hour = Decimal(1)
    assert credit(duration=timedelta(minutes=29), running_seconds=HALF_HOUR, hours=hour) == 0
    assert credit(duration=timedelta(minutes=30), running_seconds=HALF_HOUR, hours=hour) == (
        Decimal("0.50")
    )
    assert credit(
        duration=timedelta(minutes=40, seconds=59), running_seconds=HALF_HOUR, hours=hour
    ) == Decimal("0.68")
    assert credit(duration=timedelta(hours=3), running_seconds=HALF_HOUR, hours=hour) == hour


def test_a_session_shorter_than_the_running_time_gives_no_credit(facilitator):
    session = session_make(activity_make(hours="1"), facilitator, started_minutes_ago=10)
    ended = services.group_session_end(session=session, by=facilitator)
    assert ended.too_short
    assert ended.hours_credit == 0
    assert kinds(ended)[-2:] == [SessionEventKind.ENDED, SessionEventKind.NO_CREDIT]


def test_a_long_session_is_capped_at_the_activity_hours(facilitator):
    session = session_make(activity_make(hours="1"), facilitator, started_minutes_ago=150)
    assert services.group_session_end(session=session, by=facilitator).hours_credit == 1


def test_the_first_end_stands(session):
    first = services.group_session_end(session=session, by=session.facilitator)
    later = timezone.now() + timedelta(hours=1)
    second = services.group_session_end(session=session, by=session.facilitator, now=later)
    assert second.ended_at == first.ended_at
    assert second.hours_credit == first.hours_credit
    assert kinds(second).count(SessionEventKind.ENDED) == 1


def test_a_session_never_ended_ends_at_most_the_max_hours_after_start(settings, facilitator):
    session = session_make(activity_make(hours="1"), facilitator, started_minutes_ago=60 * 20)
    ended = services.group_session_end(session=session, by=facilitator)
    assert ended.duration == timedelta(hours=settings.ATTENDANCE_SESSION_MAX_HOURS)
    assert ended.hours_credit == 1


# --- Codewords -------------------------------------------------------------------------------


def test_codeword_open_closes_the_open_one_and_never_repeats_a_word(session):
    first = _pause(session, 0)
    again = _pause(session, 0)
    assert again.pk == first.pk  # the screen asked twice for the same pause
    second = _pause(session, 1)
    first.refresh_from_db()
    assert first.closed_at is not None
    assert second.word != first.word
    words = {_pause(session, index).word for index in range(2, 40)}
    assert len(words) == 38 and first.word not in words and second.word not in words
    assert kinds(session).count(SessionEventKind.CODEWORD_SHOWN) == 40


def test_codeword_open_refusals(session):
    video = session.activity.items.first().video
    with refused(errors.NOT_FACILITATOR):
        services.codeword_open(session=session, by=user_make("x"), video=video, chapter_index=0)
    with refused(errors.WRONG_SESSION):
        services.codeword_open(
            session=session, by=session.facilitator, video=video_make("annen"), chapter_index=0
        )
    services.group_session_end(session=session, by=session.facilitator)
    with refused(errors.SESSION_ENDED):
        services.codeword_open(
            session=session, by=session.facilitator, video=video, chapter_index=0
        )


def test_codeword_close_is_idempotent_and_for_the_facilitator(session):
    codeword = _pause(session)
    with refused(errors.NOT_FACILITATOR):
        services.codeword_close(session=session, by=user_make("x"), codeword=codeword)
    closed = services.codeword_close(session=session, by=session.facilitator, codeword=codeword)
    again = services.codeword_close(session=session, by=session.facilitator, codeword=codeword)
    assert closed.closed_at == again.closed_at is not None
    assert kinds(session).count(SessionEventKind.CODEWORD_CLOSED) == 1


def test_codeword_valid_while_shown_and_for_the_grace_period_after(settings, session):
    claim = services.session_claim(session=session, user=user_make("a"))
    codeword = _pause(session)
    assert codeword.is_valid()
    closed_at = timezone.now()
    services.codeword_close(
        session=session, by=session.facilitator, codeword=codeword, now=closed_at
    )
    codeword.refresh_from_db()
    grace = timedelta(seconds=settings.ATTENDANCE_CODEWORD_GRACE_SECONDS)
    assert codeword.is_valid(closed_at + grace)
    assert not codeword.is_valid(closed_at + grace + timedelta(seconds=1))
    # Typed just within the grace period: confirmed.
    services.codeword_confirm(claim=claim, word=codeword.word, now=closed_at + grace)
    assert claim.codewords_confirmed == 1


def test_a_codeword_past_its_grace_is_expired_not_wrong(settings, session):
    claim = services.session_claim(session=session, user=user_make("a"))
    codeword = _pause(session)
    closed_at = timezone.now()
    services.codeword_close(
        session=session, by=session.facilitator, codeword=codeword, now=closed_at
    )
    late = closed_at + timedelta(seconds=settings.ATTENDANCE_CODEWORD_GRACE_SECONDS + 1)
    with refused(errors.CODEWORD_EXPIRED):
        services.codeword_confirm(claim=claim, word=codeword.word, now=late)
    claim.refresh_from_db()
    assert claim.wrong_words == 0
    assert claim.codewords_confirmed == 0


def test_confirming_a_word_twice_is_fine_and_case_does_not_matter(session):
    claim = services.session_claim(session=session, user=user_make("a"))
    codeword = _pause(session)
    services.codeword_confirm(claim=claim, word=f"  {codeword.word.lower()} ")
    services.codeword_confirm(claim=claim, word=codeword.word)
    assert claim.confirmations.count() == 1
    assert kinds(session).count(SessionEventKind.CODEWORD_CONFIRMED) == 1


def test_a_wrong_word_is_counted_logged_and_refused(session):
    claim = services.session_claim(session=session, user=user_make("a"))
    _pause(session)
    with refused(errors.CODEWORD_WRONG) as info:
        services.codeword_confirm(claim=claim, word="FEIL-ORD")
    assert "9" in info.value.message  # tries left
    claim.refresh_from_db()
    assert claim.wrong_words == 1
    assert SessionEventKind.CODEWORD_WRONG in kinds(session)


def test_too_many_wrong_words_stop_the_claim(settings, session):
    claim = services.session_claim(session=session, user=user_make("a"))
    codeword = _pause(session)
    for _attempt in range(settings.ATTENDANCE_CODEWORD_TRIES):
        with refused(errors.CODEWORD_WRONG):
            services.codeword_confirm(claim=claim, word="GJETTING")
    with refused(errors.TOO_MANY_TRIES):
        services.codeword_confirm(claim=claim, word=codeword.word)
    claim.refresh_from_db()
    assert claim.wrong_words == settings.ATTENDANCE_CODEWORD_TRIES
    assert claim.codewords_confirmed == 0


def test_a_removed_claim_confirms_nothing(session):
    claim = services.session_claim(session=session, user=user_make("a"))
    codeword = _pause(session)
    services.claim_remove(claim=claim, by=session.facilitator, reason="Ikke til stede")
    with refused(errors.CLAIM_REMOVED):
        services.codeword_confirm(claim=claim, word=codeword.word)


def test_a_pause_shown_twice_counts_once(session):
    claim = services.session_claim(session=session, user=user_make("a"))
    first = _pause(session, 0)
    services.codeword_confirm(claim=claim, word=first.word)
    _pause(session, 1)
    again = _pause(session, 0)  # rewound to the first pause: a new word
    assert again.word != first.word
    services.codeword_confirm(claim=claim, word=again.word)
    assert claim.confirmations.count() == 2
    assert claim.codewords_confirmed == 1


# --- Claims ----------------------------------------------------------------------------------


def test_claim_records_a_phone_claim_that_needs_codewords(session):
    claim = services.session_claim(session=session, user=user_make("a"))
    assert claim.source == ClaimSource.PHONE
    assert claim.status == ClaimStatus.NEEDS_APPROVAL
    assert not claim.present_throughout
    for index in range(3):
        services.codeword_confirm(claim=claim, word=_pause(session, index).word)
    assert claim.present_throughout
    assert claim.status == ClaimStatus.CONFIRMED
    assert SessionEventKind.CLAIMED in kinds(session)


def test_one_claim_per_person_also_the_facilitator(session):
    user = user_make("a")
    services.session_claim(session=session, user=user)
    with refused(errors.ALREADY_CLAIMED):
        services.session_claim(session=session, user=user)
    with refused(errors.ALREADY_CLAIMED):
        services.session_claim(session=session, user=session.facilitator)
    assert session.claims.filter(user=user).count() == 1


def test_claims_close_the_window_after_the_end(settings, session):
    ended = services.group_session_end(session=session, by=session.facilitator)
    window = timedelta(hours=settings.ATTENDANCE_CLAIM_WINDOW_HOURS)
    assert ended.claims_close_at == ended.ended_at + window
    services.session_claim(session=ended, user=user_make("a"), now=ended.ended_at + window)
    with refused(errors.CLAIMS_CLOSED):
        services.session_claim(
            session=ended, user=user_make("b"), now=ended.ended_at + window + timedelta(seconds=1)
        )


def test_a_session_never_ended_expires(settings, session):
    late = session.started_at + timedelta(hours=settings.ATTENDANCE_SESSION_MAX_HOURS, seconds=1)
    with refused(errors.SESSION_EXPIRED):
        services.session_claim(session=session, user=user_make("a"), now=late)


def test_claim_remove_refusals_and_record(session):
    claim = services.session_claim(session=session, user=user_make("a"))
    with refused(errors.NOT_FACILITATOR):
        services.claim_remove(claim=claim, by=claim.user)
    removed = services.claim_remove(claim=claim, by=session.facilitator, reason="  Feil person ")
    assert removed.status == ClaimStatus.REMOVED
    assert removed.removed_reason == "Feil person"
    again = services.claim_remove(claim=claim, by=session.facilitator, reason="annet")
    assert again.removed_reason == "Feil person"
    assert kinds(session).count(SessionEventKind.CLAIM_REMOVED) == 1


def test_a_credited_claim_is_not_removed_or_rejected(session, django_capture_on_commit_callbacks):
    claim = _present_claim(session, user_make("a"))
    services.group_session_end(session=session, by=session.facilitator)
    services.session_attest(session=session, by=session.facilitator)
    services.session_credit(session=session)
    with refused(errors.CLAIM_CREDITED):
        services.claim_remove(claim=claim, by=session.facilitator)
    with refused(errors.CLAIM_CREDITED):
        services.claim_reject(claim=claim, by=session.facilitator, reason="nei")


# --- Colleagues without a phone --------------------------------------------------------------


@pytest.fixture
def colleague():
    return user_make("kollega", "Kari Kollega")


@pytest.fixture
def member_list(colleague):
    def members(session, facilitator):
        return [colleague, facilitator]

    with hooks.register_temporarily(COLLEAGUE_SOURCE_HOOK, members):
        yield


def test_only_colleagues_from_the_member_list_can_be_added(session, colleague):
    with refused(errors.NOT_A_COLLEAGUE):
        services.colleague_add(session=session, by=session.facilitator, user=colleague)
    assert not session.claims.filter(user=colleague).exists()


def test_colleagues_for_leaves_out_those_already_on_the_list(session, colleague, member_list):
    from attendance.colleagues import colleagues_for

    assert colleagues_for(session, session.facilitator) == [colleague]
    services.session_claim(session=session, user=colleague)
    assert colleagues_for(session, session.facilitator) == []


def test_colleague_add_is_for_the_facilitator(session, colleague, member_list):
    with refused(errors.NOT_FACILITATOR):
        services.colleague_add(session=session, by=user_make("x"), user=colleague)


def test_an_added_colleague_is_emailed_and_counts_once_confirmed(
    session, colleague, member_list, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.colleague_add(session=session, by=session.facilitator, user=colleague)
    assert claim.source == ClaimSource.ADDED
    assert claim.status == ClaimStatus.AWAITING_CONFIRMATION
    assert SessionEventKind.COLLEAGUE_ADDED in kinds(session)
    (mail,) = mailoutbox
    assert mail.to == ["kollega@example.org"]
    assert "/gruppe/bekreft/" in mail.body
    with refused(errors.ALREADY_CLAIMED):
        services.colleague_add(session=session, by=session.facilitator, user=colleague)

    with refused(errors.NOT_YOUR_CLAIM):
        services.colleague_confirm(claim=claim, user=session.facilitator)
    confirmed = services.colleague_confirm(claim=claim, user=colleague)
    assert confirmed.status == ClaimStatus.CONFIRMED
    again = services.colleague_confirm(claim=claim, user=colleague)
    assert again.confirmed_at == confirmed.confirmed_at
    assert kinds(session).count(SessionEventKind.COLLEAGUE_CONFIRMED) == 1


def test_a_colleague_confirming_after_attestation_is_credited(
    session, colleague, member_list, django_capture_on_commit_callbacks
):
    claim = services.colleague_add(session=session, by=session.facilitator, user=colleague)
    services.group_session_end(session=session, by=session.facilitator)
    services.session_attest(session=session, by=session.facilitator)
    services.session_credit(session=session)
    claim.refresh_from_db()
    assert claim.attested_at is not None and claim.certificate is None
    with django_capture_on_commit_callbacks(execute=True):
        services.colleague_confirm(claim=claim, user=colleague)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CREDITED
    assert claim.certificate.holder == colleague
    assert (
        claim.certificate.hours_together
        == session.__class__.objects.get(pk=session.pk).hours_credit
    )


# --- Approve and reject ----------------------------------------------------------------------


def test_approve_is_for_the_facilitator_or_a_programme_admin(session):
    claim = services.session_claim(session=session, user=user_make("a"))
    with refused(errors.NOT_ALLOWED):
        services.claim_approve(claim=claim, by=user_make("staff"))
    admin = user_make("programadmin")
    admin.user_permissions.add(Permission.objects.get(codename="change_claim"))
    admin = admin.__class__.objects.get(pk=admin.pk)  # fresh permission cache
    approved = services.claim_approve(claim=claim, by=admin)
    assert approved.status == ClaimStatus.CONFIRMED
    assert approved.approved_by == admin
    again = services.claim_approve(claim=claim, by=session.facilitator)
    assert again.approved_by == admin


def test_reject_needs_a_reason_and_a_right(session):
    claim = services.session_claim(session=session, user=user_make("a"))
    with refused(errors.REASON_REQUIRED):
        services.claim_reject(claim=claim, by=session.facilitator, reason="  ")
    with refused(errors.NOT_ALLOWED):
        services.claim_reject(claim=claim, by=user_make("x"), reason="Nei")
    rejected = services.claim_reject(claim=claim, by=session.facilitator, reason="Kom ikke")
    assert rejected.status == ClaimStatus.REJECTED
    assert rejected.rejected_reason == "Kom ikke"
    with refused(errors.CLAIM_REMOVED):
        services.claim_approve(claim=claim, by=session.facilitator)
    assert SessionEventKind.CLAIM_REJECTED in kinds(session)


def test_approving_after_attestation_credits_the_claim(session, django_capture_on_commit_callbacks):
    claim = services.session_claim(session=session, user=user_make("a"))
    services.group_session_end(session=session, by=session.facilitator)
    services.session_attest(session=session, by=session.facilitator)
    services.session_credit(session=session)
    claim.refresh_from_db()
    assert claim.attested_at is None  # contested, not ticked
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim, by=session.facilitator)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CREDITED


# --- Attestation and credit ------------------------------------------------------------------


def test_attest_refusals(session):
    with refused(errors.SESSION_NOT_ENDED):
        services.session_attest(session=session, by=session.facilitator)
    services.group_session_end(session=session, by=session.facilitator)
    with refused(errors.NOT_FACILITATOR):
        services.session_attest(session=session, by=user_make("x"))


def test_attest_records_who_and_attests_confirmed_and_ticked_claims(session):
    present = _present_claim(session, user_make("tilstede"))
    contested = services.session_claim(session=session, user=user_make("uten-ord"))
    ticked = services.session_claim(session=session, user=user_make("godkjent"))
    services.group_session_end(session=session, by=session.facilitator)
    attested = services.session_attest(
        session=session, by=session.facilitator, approve_claim_ids=[ticked.pk]
    )
    assert attested.attested_name == "Frida Fasilitator"
    assert attested.attested_by == session.facilitator
    for claim in (present, contested, ticked):
        claim.refresh_from_db()
    assert present.attested_at is not None
    assert contested.attested_at is None
    assert ticked.attested_at is not None and ticked.approved_by == session.facilitator
    event = attested.events.get(kind=SessionEventKind.ATTESTED)
    assert str(present.pk) in event.note and str(ticked.pk) in event.note
    assert str(contested.pk) not in event.note.split(", ")


def test_a_later_attestation_takes_the_claims_that_came_since(session):
    services.group_session_end(session=session, by=session.facilitator)
    first = services.session_attest(session=session, by=session.facilitator)
    late = services.session_claim(session=session, user=user_make("sen"))
    second = services.session_attest(
        session=session, by=session.facilitator, approve_claim_ids=[late.pk]
    )
    assert second.attested_at == first.attested_at
    late.refresh_from_db()
    assert late.attested_at is not None
    assert second.events.filter(kind=SessionEventKind.ATTESTED).count() == 2


def test_attestation_issues_one_together_certificate_per_credited_claim(
    session, django_capture_on_commit_callbacks
):
    people = [_present_claim(session, user_make(f"deltaker{index}")) for index in range(2)]
    contested = services.session_claim(session=session, user=user_make("uten-ord"))
    removed = _present_claim(session, user_make("fjernet"))
    services.claim_remove(claim=removed, by=session.facilitator)
    services.group_session_end(session=session, by=session.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_attest(session=session, by=session.facilitator)
    session.refresh_from_db()
    holders = set(Certificate.objects.values_list("holder__username", flat=True))
    assert holders == {"fasilitator", "deltaker0", "deltaker1"}
    for claim in people:
        claim.refresh_from_db()
        certificate = claim.certificate
        assert claim.status == ClaimStatus.CREDITED
        assert certificate.activity_kind == "group"
        assert certificate.hours_together == session.hours_credit
        assert certificate.hours_individual == 0
        assert certificate.activity_key == f"video-activity:{session.activity.pk}"
        assert certificate.activity_date == timezone.localdate(session.ended_at)
    contested.refresh_from_db()
    assert contested.certificate is None
    assert session.events.filter(kind=SessionEventKind.CERTIFICATE_ISSUED).count() == 3

    assert services.session_credit(session=session) == []  # idempotent
    assert Certificate.objects.count() == 3


def test_a_session_without_credit_issues_nothing(facilitator):
    session = session_make(activity_make(hours="1"), facilitator, started_minutes_ago=5)
    _present_claim(session, user_make("a"))
    services.group_session_end(session=session, by=facilitator)
    services.session_attest(session=session, by=facilitator)
    assert services.session_credit(session=session) == []
    assert not Certificate.objects.exists()


def test_an_individual_certificate_is_marked_together(session):
    from certificates.activities import CompletedActivity
    from certificates.services import certificate_issue

    user = user_make("alene")
    alone = certificate_issue(
        user=user,
        activity=CompletedActivity(
            key=f"video-activity:{session.activity.pk}", kind="video", title="Intervju",
            edition_year=2026, hours_individual=1, hours_together=0,
            completed_on=timezone.localdate(), content_revision="", url="",
        ),
    )  # fmt: skip
    claim = _present_claim(session, user)
    services.group_session_end(session=session, by=session.facilitator)
    services.session_attest(session=session, by=session.facilitator)
    services.session_credit(session=session)
    claim.refresh_from_db()
    assert claim.certificate.hours_together > 0
    assert claim.certificate.hours_total == alone.hours_total


# --- Selectors -------------------------------------------------------------------------------


def test_selectors_for_facilitator_institutions_and_min_side(session):
    present = _present_claim(session, user_make("tilstede", "Per Tilstede"))
    contested = services.session_claim(session=session, user=user_make("uten-ord"))
    outsider = user_make("utenfor")
    rows = selectors.claims_for_facilitator(session)
    assert [row.pk for row in rows] == [session.claims.get(source="facilitator").pk, present.pk,
                                        contested.pk]  # fmt: skip
    assert rows[1].confirmed_pauses == 3 and rows[1].name == "Per Tilstede"
    assert rows[2].status == ClaimStatus.NEEDS_APPROVAL

    services.group_session_end(session=session, by=session.facilitator)
    services.session_attest(session=session, by=session.facilitator)
    session.refresh_from_db()
    year = timezone.localdate(session.ended_at).year
    user_ids = [present.user_id, contested.user_id, outsider.pk]
    (found,) = selectors.sessions_with_attendees(user_ids=user_ids, year=year)
    assert found.pk == session.pk and found.attendees == [present.user]
    assert selectors.sessions_with_attendees(user_ids=user_ids, year=year - 1) == []
    assert selectors.group_sessions_attended(user_ids=user_ids, year=year) == {present.user_id: 1}

    mine = selectors.learner_sessions(present.user)
    assert mine["facilitated"] == [] and [claim.pk for claim in mine["attended"]] == [present.pk]
    led = selectors.learner_sessions(session.facilitator)
    assert led["facilitated"] == [session] and led["attended"] == []

    assert [claim.pk for claim in selectors.contested_claims()] == [contested.pk]


def test_session_by_code_reads_forgivingly(session):
    code = session.join_code
    typed = f"{code[:3].lower()} - {code[3:]}".replace("0", "o").replace("1", "l")
    assert selectors.session_by_code(typed) == session
    assert selectors.session_by_code("") is None
    assert selectors.session_by_code("UUUUUU") is None
    assert services.session_by_code(code) == session
