"""Every write that matters for group sessions: start, codewords, claims, attestation, credit.

Each function is atomic and safe to call twice; a refusal raises ``AttendanceRefused`` before
anything is written (a wrong codeword is the one exception: the miss itself is recorded, then
refused). Everything is logged as a ``SessionEvent``, the evidence of the session. The unique
constraint ``attendance_claim_once`` decides two claims by one person at the same moment; the
session row is locked where one decision must follow another (end, codewords, attestation).
"""

import logging
import math
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attendance import errors
from attendance.codes import join_code_new
from attendance.errors import AttendanceRefused
from attendance.models import (
    Claim,
    ClaimSource,
    ClaimStatus,
    Codeword,
    CodewordConfirmation,
    GroupSession,
    SessionEvent,
    SessionEventKind,
)
from attendance.selectors import (  # session_by_code: part of the services' contract
    claims_with_confirmed_pauses,
    session_by_code,  # noqa: F401
)
from attendance.tokens import colleague_confirm_token
from attendance.words import word_draw, word_normalise
from certificates.activities import CompletedActivity
from certificates.services import certificate_issue, holder_name_of

logger = logging.getLogger(__name__)

_CODE_ATTEMPTS = 20
CHANGE_CLAIM_PERMISSION = "attendance.change_claim"


# --- Rules (pure) ----------------------------------------------------------------------------


def required_codewords_for(*, hours: Decimal, pauses: int) -> int:
    """``ATTENDANCE_CODEWORDS_PER_HOUR`` per credit hour, rounded up, but no more than the
    pauses the videos have."""
    wanted = math.ceil(Decimal(settings.ATTENDANCE_CODEWORDS_PER_HOUR) * Decimal(hours))
    return max(0, min(wanted, pauses))


def hours_credit_for(*, duration: timedelta, running_seconds: int, hours: Decimal) -> Decimal:
    """Credit for a session that lasted ``duration``: nothing when shorter than the videos'
    running time, else the duration in hours capped at the activity's hours (to 0.01 down)."""
    seconds = Decimal(int(duration.total_seconds()))
    if seconds < running_seconds:
        return Decimal("0.00")
    measured = seconds / Decimal(3600)
    return min(measured, Decimal(hours)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def activity_videos(activity) -> list:
    """The activity's videos in their order, chapters prefetched."""
    items = activity.items.select_related("video").prefetch_related("video__chapters")
    return [item.video for item in items.order_by("sort_order", "pk")]


def _pauses_of(videos) -> int:
    # Present mode pauses at the end of each chapter; a video without chapters at its end.
    return sum(max(1, len(video.chapters.all())) for video in videos)


# --- Helpers ---------------------------------------------------------------------------------


def _event(session, kind, *, by=None, claim=None, note="", at=None) -> SessionEvent:
    return SessionEvent.objects.create(
        session=session, kind=kind, by=by, claim=claim, note=note, at=at or timezone.now()
    )


def _locked_session(session: GroupSession) -> GroupSession:
    return GroupSession.objects.select_for_update().select_related("activity").get(pk=session.pk)


def _locked_claim(claim: Claim, *, reuse_session: bool = False) -> Claim:
    """The claim's row, locked, with its session read afresh (decisions may follow the
    session's attestation). ``reuse_session`` keeps the session ``claim`` carries, where only
    the claim's own rows matter (a codeword typed on a phone); the user it carries is kept."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if reuse_session and Claim.session.is_cached(claim) and claim.session.pk == locked.session_id:
        locked.session = claim.session
    else:
        locked.session = GroupSession.objects.select_related("activity").get(pk=locked.session_id)
    if Claim.user.is_cached(claim) and claim.user.pk == locked.user_id:
        locked.user = claim.user
    return locked


def _require_facilitator(session: GroupSession, by) -> None:
    if by is None or by.pk != session.facilitator_id:
        raise AttendanceRefused(
            errors.NOT_FACILITATOR, _("Only the facilitator of the session can do this.")
        )


def _may_decide(session: GroupSession, by) -> bool:
    return by is not None and (
        by.pk == session.facilitator_id or by.has_perm(CHANGE_CLAIM_PERMISSION)
    )


def _refuse_if_gone(claim: Claim) -> None:
    if claim.removed_at is not None or claim.rejected_at is not None:
        raise AttendanceRefused(
            errors.CLAIM_REMOVED, _("This claim was removed or rejected, so it cannot be changed.")
        )


def _enqueue_credit(session: GroupSession) -> None:
    from attendance.tasks import credit_session

    session_id = session.pk
    transaction.on_commit(lambda: credit_session.enqueue(session_id))


# --- Sessions --------------------------------------------------------------------------------


def group_session_start(*, facilitator, activity, now=None) -> GroupSession:
    """Start a group session of ``activity`` led by ``facilitator``, with a fresh join code.

    The videos' running time and the number of codewords required are frozen now, as is the
    facilitator's name; the facilitator gets their own (confirmed) claim.
    """
    now = now or timezone.now()
    videos = activity_videos(activity)
    if not activity.live or not videos:
        raise AttendanceRefused(
            errors.ACTIVITY_CLOSED, _("This activity does not give credit at the moment.")
        )
    running = int(sum(video.duration or 0 for video in videos))
    required = required_codewords_for(hours=activity.hours, pauses=_pauses_of(videos))
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                session = GroupSession.objects.create(
                    join_code=join_code_new(),
                    activity=activity,
                    facilitator=facilitator,
                    facilitator_name=holder_name_of(facilitator),
                    started_at=now,
                    running_seconds=running,
                    required_codewords=required,
                )
                claim = Claim.objects.create(
                    session=session,
                    user=facilitator,
                    source=ClaimSource.FACILITATOR,
                    claimed_at=now,
                    confirmed_at=now,
                )
                _event(session, SessionEventKind.STARTED, by=facilitator, claim=claim, at=now)
        except IntegrityError:
            continue  # the join code was taken a moment ago: draw another
        return session
    raise RuntimeError("No free join code after many attempts.")


def group_session_end(*, session, by, now=None) -> GroupSession:
    """End the session and fix its credit; the first end stands.

    A session shorter than the videos' running time earns nothing (event NO_CREDIT); else the
    time from start to end, capped at the activity's hours. A session never ended ends at most
    ``ATTENDANCE_SESSION_MAX_HOURS`` after its start.
    """
    _require_facilitator(session, by)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_session(session)
        if locked.ended_at is not None:
            return locked
        latest = locked.started_at + timedelta(hours=settings.ATTENDANCE_SESSION_MAX_HOURS)
        locked.ended_at = max(locked.started_at, min(now, latest))
        locked.hours_credit = hours_credit_for(
            duration=locked.duration,
            running_seconds=locked.running_seconds,
            hours=locked.activity.hours,
        )
        locked.save(update_fields=["ended_at", "hours_credit"])
        Codeword.objects.filter(session=locked, closed_at=None).update(closed_at=locked.ended_at)
        _event(
            locked, SessionEventKind.ENDED, by=by, at=now,
            note=f"{int(locked.duration.total_seconds())} s, {locked.hours_credit} h",
        )  # fmt: skip
        if locked.hours_credit == 0:
            _event(
                locked, SessionEventKind.NO_CREDIT, by=by, at=now,
                note=f"shorter than the running time of {locked.running_seconds} s",
            )  # fmt: skip
    return locked


def _refuse_if_not_running(session: GroupSession, now) -> None:
    if session.ended_at is not None:
        raise AttendanceRefused(errors.SESSION_ENDED, _("The session has ended."))
    if now > session.claims_close_at:
        raise AttendanceRefused(
            errors.SESSION_EXPIRED, _("The session ran out of time without being ended.")
        )


def codeword_open(*, session, by, video, chapter_index: int, now=None) -> Codeword:
    """Show a fresh codeword for the pause after chapter ``chapter_index`` of ``video``.

    Any codeword still open is closed first. Asking again for the pause that is open returns
    its word (the screen may ask twice). Words are never repeated within a session.
    """
    _require_facilitator(session, by)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_session(session)
        _refuse_if_not_running(locked, now)
        if not locked.activity.items.filter(video=video).exists():
            raise AttendanceRefused(
                errors.WRONG_SESSION, _("This video is not part of the session's activity.")
            )
        open_words = list(locked.codewords.filter(closed_at=None))
        for codeword in open_words:
            if codeword.video_id == video.pk and codeword.chapter_index == chapter_index:
                return codeword
        for codeword in open_words:
            _close(locked, codeword, by=by, now=now)
        used = locked.codewords.values_list("word", flat=True)
        codeword = Codeword.objects.create(
            session=locked,
            video=video,
            chapter_index=chapter_index,
            word=word_draw(exclude=used),
            opened_at=now,
        )
        _event(
            locked, SessionEventKind.CODEWORD_SHOWN, by=by, at=now,
            note=f"{codeword.word} (video {video.pk}, pause {chapter_index})",
        )  # fmt: skip
    return codeword


def _close(session, codeword: Codeword, *, by, now) -> None:
    codeword.closed_at = now
    codeword.save(update_fields=["closed_at"])
    _event(session, SessionEventKind.CODEWORD_CLOSED, by=by, at=now, note=codeword.word)


def codeword_close(*, session, by, codeword, now=None) -> Codeword:
    """Close a codeword (the pause is over); it stays valid for the grace period. Idempotent."""
    _require_facilitator(session, by)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_session(session)
        word = Codeword.objects.select_for_update().get(pk=codeword.pk, session=locked)
        if word.closed_at is None:
            _close(locked, word, by=by, now=now)
    return word


# --- Claims ----------------------------------------------------------------------------------


def _refuse_if_claims_closed(session: GroupSession, now) -> None:
    if now <= session.claims_close_at:
        return
    if session.ended_at is None:
        raise AttendanceRefused(
            errors.SESSION_EXPIRED,
            _("This session ran out of time without being ended, so it takes no more claims."),
        )
    raise AttendanceRefused(
        errors.CLAIMS_CLOSED,
        _("Claims for this session closed %(hours)s hours after it ended.")
        % {"hours": settings.ATTENDANCE_CLAIM_WINDOW_HOURS},
    )


def _already_claimed() -> AttendanceRefused:
    return AttendanceRefused(
        errors.ALREADY_CLAIMED, _("You have already claimed this session; one claim per person.")
    )


def session_claim(*, session, user, now=None) -> Claim:
    """Record that ``user`` was at ``session`` (one tap on their phone); once per person.

    Two claims by the same person at the same moment: the unique constraint lets one in and
    the other is refused as already claimed.
    """
    now = now or timezone.now()
    session = GroupSession.objects.select_related("activity").get(pk=session.pk)
    _refuse_if_claims_closed(session, now)
    if session.claims.filter(user=user).exists():
        raise _already_claimed()
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                session=session, user=user, source=ClaimSource.PHONE, claimed_at=now,
                confirmed_at=now,
            )  # fmt: skip
            _event(session, SessionEventKind.CLAIMED, by=user, claim=claim, at=now)
    except IntegrityError:
        raise _already_claimed() from None
    claim.session = session
    return claim


def codeword_confirm(*, claim, word: str, now=None) -> Codeword:
    """Confirm the codeword on screen for ``claim``. The same word twice is fine.

    A wrong word is counted (and logged) before it is refused; after
    ``ATTENDANCE_CODEWORD_TRIES`` wrong words the claim takes no more. A word whose pause is
    over (past the grace period) is refused as expired, not counted as wrong.
    """
    now = now or timezone.now()
    typed = word_normalise(word)
    refusal = None
    with transaction.atomic():
        locked = _locked_claim(claim, reuse_session=True)
        _refuse_if_gone(locked)
        codeword = locked.session.codewords.filter(word=typed).first() if typed else None
        if codeword is not None and locked.confirmations.filter(codeword=codeword).exists():
            return codeword
        if locked.wrong_words >= settings.ATTENDANCE_CODEWORD_TRIES:
            raise AttendanceRefused(
                errors.TOO_MANY_TRIES,
                _("Too many wrong codewords: ask the facilitator to approve your attendance."),
            )
        if codeword is None:
            locked.wrong_words += 1
            locked.save(update_fields=["wrong_words"])
            _event(
                locked.session, SessionEventKind.CODEWORD_WRONG, by=locked.user, claim=locked,
                at=now, note=typed[:16],
            )  # fmt: skip
            left = settings.ATTENDANCE_CODEWORD_TRIES - locked.wrong_words
            refusal = AttendanceRefused(
                errors.CODEWORD_WRONG,
                _("That is not the codeword on the screen. %(left)s tries left.") % {"left": left},
            )
        elif not codeword.is_valid(now):
            raise AttendanceRefused(
                errors.CODEWORD_EXPIRED,
                _("That codeword is no longer valid: its pause is over."),
            )
        else:
            CodewordConfirmation.objects.create(claim=locked, codeword=codeword, at=now)
            _event(
                locked.session, SessionEventKind.CODEWORD_CONFIRMED, by=locked.user,
                claim=locked, at=now, note=codeword.word,
            )  # fmt: skip
    if refusal is not None:
        raise refusal  # after commit: the miss stays counted
    return codeword


def claim_remove(*, claim, by, reason: str = "") -> Claim:
    """The facilitator removes a wrong claim (someone who was not there). Not after its
    certificate; removing twice changes nothing."""
    with transaction.atomic():
        locked = _locked_claim(claim)
        _require_facilitator(locked.session, by)
        if locked.removed_at is not None:
            return locked
        if locked.certificate_id is not None:
            raise AttendanceRefused(
                errors.CLAIM_CREDITED,
                _("This claim already has its certificate; ask the programme to revoke it."),
            )
        locked.removed_at, locked.removed_by = timezone.now(), by
        locked.removed_reason = (reason or "").strip()
        locked.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        _event(
            locked.session, SessionEventKind.CLAIM_REMOVED, by=by, claim=locked,
            note=locked.removed_reason,
        )  # fmt: skip
    return locked


# --- Colleagues without a phone --------------------------------------------------------------


def colleague_confirm_url(claim: Claim) -> str:
    """The absolute address of the confirmation link for an added colleague."""
    from certificates.services import _site_base

    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("attendance:colleague_confirm", args=[colleague_confirm_token(claim)])
    return f"{_site_base()}{path}"


def colleague_email_send(*, claim: Claim) -> None:
    """Ask an added colleague to confirm by email. A mail server that is down is logged; the
    facilitator can add the colleague to the paper sheet instead."""
    address = claim.user.email
    if not address:
        return
    session = claim.session
    context = {
        "name": holder_name_of(claim.user),
        "facilitator_name": session.facilitator_name,
        "activity_title": session.activity.title,
        "started_on": timezone.localdate(session.started_at),
        "confirm_url": colleague_confirm_url(claim),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("attendance/email/colleague_subject.txt", context)
        body = render_to_string("attendance/email/colleague_message.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [address])
    except OSError:
        logger.exception("Could not email claim %s to the added colleague.", claim.pk)


def colleague_add(*, session, by, user) -> Claim:
    """The facilitator adds a colleague from the member list who had no phone at hand.

    The colleague must be among ``colleagues_for(session, by)``. Adding is the facilitator's
    approval (the colleague has no codewords); the claim counts once the colleague confirms
    from the emailed link.
    """
    from attendance.colleagues import colleagues_for

    _require_facilitator(session, by)
    now = timezone.now()
    session = GroupSession.objects.select_related("activity").get(pk=session.pk)
    _refuse_if_claims_closed(session, now)
    if session.claims.filter(user=user).exists():
        raise AttendanceRefused(
            errors.ALREADY_CLAIMED, _("This person is already on the list of the session.")
        )
    if user.pk not in {colleague.pk for colleague in colleagues_for(session, by)}:
        raise AttendanceRefused(
            errors.NOT_A_COLLEAGUE, _("You can only add colleagues from your member list.")
        )
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                session=session, user=user, source=ClaimSource.ADDED, claimed_at=now,
                added_by=by, approved_at=now, approved_by=by,
            )  # fmt: skip
            _event(session, SessionEventKind.COLLEAGUE_ADDED, by=by, claim=claim, at=now)
    except IntegrityError:
        raise AttendanceRefused(
            errors.ALREADY_CLAIMED, _("This person is already on the list of the session.")
        ) from None
    claim.session = session
    transaction.on_commit(lambda: colleague_email_send(claim=claim))
    return claim


def colleague_confirm(*, claim, user, now=None) -> Claim:
    """The added colleague confirms they were there; credited at once if already attested."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_claim(claim)
        if user is None or locked.user_id != user.pk:
            raise AttendanceRefused(
                errors.NOT_YOUR_CLAIM, _("This confirmation is for another person.")
            )
        _refuse_if_gone(locked)
        if locked.confirmed_at is not None:
            return locked
        _refuse_if_claims_closed(locked.session, now)
        locked.confirmed_at = now
        locked.save(update_fields=["confirmed_at"])
        _event(locked.session, SessionEventKind.COLLEAGUE_CONFIRMED, by=user, claim=locked, at=now)
        if locked.attested_at is not None:
            _enqueue_credit(locked.session)
    return locked


# --- Decisions -------------------------------------------------------------------------------


def claim_approve(*, claim, by) -> Claim:
    """Approve a claim with too few codewords (the facilitator, or a programme admin with
    ``attendance.change_claim``). In an attested session the claim is then attested too and
    credited. Approving twice changes nothing."""
    with transaction.atomic():
        locked = _locked_claim(claim)
        if not _may_decide(locked.session, by):
            raise AttendanceRefused(
                errors.NOT_ALLOWED, _("Only the facilitator or the programme can approve claims.")
            )
        _refuse_if_gone(locked)
        if locked.approved_at is not None:
            return locked
        now = timezone.now()
        locked.approved_at, locked.approved_by = now, by
        fields = ["approved_at", "approved_by"]
        if locked.session.attested_at is not None and locked.attested_at is None:
            locked.attested_at = now
            fields.append("attested_at")
        locked.save(update_fields=fields)
        _event(locked.session, SessionEventKind.CLAIM_APPROVED, by=by, claim=locked, at=now)
        if locked.attested_at is not None:
            _enqueue_credit(locked.session)
    return locked


def claim_reject(*, claim, by, reason: str) -> Claim:
    """Reject a contested claim with a reason (shown to the person). Not after its
    certificate; rejecting twice keeps the first reason."""
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceRefused(errors.REASON_REQUIRED, _("Give a reason for rejecting the claim."))
    with transaction.atomic():
        locked = _locked_claim(claim)
        if not _may_decide(locked.session, by):
            raise AttendanceRefused(
                errors.NOT_ALLOWED, _("Only the facilitator or the programme can reject claims.")
            )
        if locked.rejected_at is not None:
            return locked
        if locked.certificate_id is not None:
            raise AttendanceRefused(
                errors.CLAIM_CREDITED,
                _("This claim already has its certificate; revoke the certificate instead."),
            )
        locked.rejected_at, locked.rejected_by, locked.rejected_reason = timezone.now(), by, reason
        locked.save(update_fields=["rejected_at", "rejected_by", "rejected_reason"])
        _event(locked.session, SessionEventKind.CLAIM_REJECTED, by=by, claim=locked, note=reason)
    return locked


def session_attest(*, session, by, approve_claim_ids=(), now=None) -> GroupSession:
    """The facilitator signs off the list: "I saw these people present".

    The first attestation records the facilitator's name and time. Every confirmed claim not
    attested yet is attested, and so are the listed contested claims (approved at the same
    time) and colleagues added from the member list (credited once they confirm). Calling again
    attests the claims that came in since. Certificates follow in the ``credit_session`` task.
    """
    _require_facilitator(session, by)
    now = now or timezone.now()
    approve = {int(claim_id) for claim_id in approve_claim_ids}
    with transaction.atomic():
        locked = _locked_session(session)
        if locked.ended_at is None:
            raise AttendanceRefused(
                errors.SESSION_NOT_ENDED, _("End the session before you attest the list.")
            )
        fields = []
        if locked.attested_at is None:
            locked.attested_at, locked.attested_by = now, by
            locked.attested_name = holder_name_of(by)
            fields = ["attested_at", "attested_by", "attested_name"]
            locked.save(update_fields=fields)
        claims = list(
            Claim.objects.select_for_update()
            .filter(session=locked, attested_at=None, removed_at=None, rejected_at=None)
            .order_by("pk")
        )
        claims_with_confirmed_pauses(claims)
        attested = []
        for claim in claims:
            claim.session = locked
            if claim.pk in approve and claim.status == ClaimStatus.NEEDS_APPROVAL:
                claim.approved_at, claim.approved_by = now, by
                _event(locked, SessionEventKind.CLAIM_APPROVED, by=by, claim=claim, at=now)
            awaiting_colleague = (
                claim.source == ClaimSource.ADDED
                and claim.status == ClaimStatus.AWAITING_CONFIRMATION
            )
            if claim.status == ClaimStatus.CONFIRMED or awaiting_colleague:
                claim.attested_at = now
                attested.append(claim)
            claim.save(update_fields=["approved_at", "approved_by", "attested_at"])
        _event(
            locked, SessionEventKind.ATTESTED, by=by, at=now,
            note=", ".join(str(claim.pk) for claim in attested),
        )  # fmt: skip
        _enqueue_credit(locked)
    return locked


def _completed_activity(session: GroupSession) -> CompletedActivity:
    activity = session.activity
    videos = activity_videos(activity)
    return CompletedActivity(
        key=f"video-activity:{activity.pk}",
        kind="group",
        title=activity.title,
        edition_year=activity.edition_year,
        hours_individual=Decimal(0),
        hours_together=session.hours_credit,
        completed_on=timezone.localdate(session.ended_at),
        content_revision=activity.updated_at.isoformat(),
        url=videos[0].get_absolute_url() if videos else "",
    )


def session_credit(*, session) -> list[Claim]:
    """Issue the activity's certificate, hours together, to every creditable claim that has
    none yet; returns the claims credited by this call. Idempotent: each claim is locked and
    checked again, and ``certificate_issue`` is once per person and activity anyway."""
    session = GroupSession.objects.select_related("activity").get(pk=session.pk)
    if not session.hours_credit or session.attested_at is None:
        return []
    activity = _completed_activity(session)
    candidates = list(
        session.claims.filter(
            attested_at__isnull=False, certificate=None, removed_at=None, rejected_at=None
        ).values_list("pk", flat=True)
    )
    credited = []
    for claim_id in candidates:
        with transaction.atomic():
            claim = Claim.objects.select_for_update().select_related("user").get(pk=claim_id)
            claim.session = session
            claims_with_confirmed_pauses([claim])
            if claim.certificate_id is not None or not claim.creditable:
                continue
            certificate = certificate_issue(user=claim.user, activity=activity)
            claim.certificate = certificate
            claim.save(update_fields=["certificate"])
            _event(
                session, SessionEventKind.CERTIFICATE_ISSUED, claim=claim,
                note=certificate.code,
            )  # fmt: skip
        credited.append(claim)
    return credited
