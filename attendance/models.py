"""Group sessions at a shared screen: the session, its evidence log, the codewords shown at the
chapter pauses, and each person's claim of having been there.

Everything that decides credit is frozen when it happens (the facilitator's name and the
session's running time and codeword requirement at start, the credited hours at the end, the
attesting name at attestation), so a later edit of the activity changes no session. The log
(``SessionEvent``) and the confirmations are evidence: never edited or deleted. Every write goes
through ``attendance.services``.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.codes import join_code_format


class ClaimSource(models.TextChoices):
    PHONE = "phone", _("Own phone")
    FACILITATOR = "facilitator", _("Facilitator")
    ADDED = "added", _("Added by the facilitator")


class ClaimStatus(models.TextChoices):
    """Where a claim stands; computed from its fields (``Claim.status``), never stored."""

    REMOVED = "removed", _("Removed")
    REJECTED = "rejected", _("Rejected")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting the colleague's confirmation")
    NEEDS_APPROVAL = "needs_approval", _("Needs the facilitator's approval")
    CONFIRMED = "confirmed", _("Confirmed")
    CREDITED = "credited", _("Credited")


class SessionEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    CODEWORD_SHOWN = "codeword_shown", _("Codeword shown")
    CODEWORD_CLOSED = "codeword_closed", _("Codeword closed")
    ENDED = "ended", _("Ended")
    CLAIMED = "claimed", _("Claimed")
    CODEWORD_CONFIRMED = "codeword_confirmed", _("Codeword confirmed")
    CODEWORD_WRONG = "codeword_wrong", _("Wrong codeword")
    CLAIM_REMOVED = "claim_removed", _("Claim removed")
    COLLEAGUE_ADDED = "colleague_added", _("Colleague added")
    COLLEAGUE_CONFIRMED = "colleague_confirmed", _("Colleague confirmed")
    CLAIM_APPROVED = "claim_approved", _("Claim approved")
    CLAIM_REJECTED = "claim_rejected", _("Claim rejected")
    ATTESTED = "attested", _("Attested")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    NO_CREDIT = "no_credit", _("No credit")


class GroupSession(models.Model):
    """One showing of a video activity on a shared screen, led by a facilitator.

    Started by ``group_session_start``; people in the room claim it by its join code. The
    credited hours are the server-measured time from start to end, capped at the activity's
    hours, and nothing at all when the session was shorter than the videos' running time.
    """

    # Records, not content: their admin listing would otherwise queue a reference-index task on
    # every insert (one more INSERT and commit per certificate, completion or session).
    wagtail_reference_index_ignore = True

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    join_code = models.CharField(_("join code"), max_length=6, unique=True, editable=False)
    activity = models.ForeignKey(
        "videos.VideoActivity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="group_sessions",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        related_name="facilitated_sessions",
    )
    facilitator_name = models.CharField(_("facilitator's name"), max_length=200)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    running_seconds = models.PositiveIntegerField(_("running time (seconds)"))
    required_codewords = models.PositiveSmallIntegerField(_("codewords required"))
    hours_credit = models.DecimalField(
        _("hours of credit"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    attested_at = models.DateTimeField(_("attested"), null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attested_name = models.CharField(_("attested by (name)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["ended_at"])]

    def __str__(self) -> str:
        return f"{self.activity_id and self.activity.title} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    @property
    def duration(self) -> timedelta | None:
        """Server-measured time from start to end; None while the session runs."""
        if self.ended_at is None:
            return None
        return self.ended_at - self.started_at

    @property
    def duration_minutes(self) -> int | None:
        duration = self.duration
        return None if duration is None else int(duration.total_seconds() // 60)

    @property
    def too_short(self) -> bool:
        """Ended before the videos could have been shown in full (gives no credit)."""
        duration = self.duration
        return duration is not None and duration.total_seconds() < self.running_seconds

    @property
    def gives_no_credit(self) -> bool:
        """Ended with no hours to give: too short, or too short to make 0.01 hours."""
        return self.ended_at is not None and not self.hours_credit

    @property
    def claims_close_at(self):
        """Claims are taken until a window after the end; a session never ended stops taking
        them ``ATTENDANCE_SESSION_MAX_HOURS`` after its start."""
        if self.ended_at is not None:
            return self.ended_at + timedelta(hours=settings.ATTENDANCE_CLAIM_WINDOW_HOURS)
        return self.started_at + timedelta(hours=settings.ATTENDANCE_SESSION_MAX_HOURS)

    @property
    def join_code_formatted(self) -> str:
        return join_code_format(self.join_code)

    @property
    def edition_year(self) -> int:
        return self.activity.edition_year

    @property
    def is_attested(self) -> bool:
        return self.attested_at is not None


class SessionEvent(models.Model):
    """Evidence of one thing that happened in a session: who, when, what. Never edited."""

    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what"), max_length=24, choices=SessionEventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claim = models.ForeignKey(
        "Claim",
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("session event")
        verbose_name_plural = _("session events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.kind} at {self.at:%Y-%m-%d %H:%M:%S}"


class Codeword(models.Model):
    """A short word shown on the shared screen during one chapter pause.

    Valid while the pause is on screen and for ``ATTENDANCE_CODEWORD_GRACE_SECONDS`` after it
    closed (people are still typing); never repeated within a session.
    """

    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="codewords")
    video = models.ForeignKey(
        "videos.Video", verbose_name=_("video"), on_delete=models.PROTECT, related_name="+"
    )
    chapter_index = models.PositiveSmallIntegerField(_("chapter pause"))
    word = models.CharField(_("codeword"), max_length=16)
    opened_at = models.DateTimeField(_("shown"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("codeword")
        verbose_name_plural = _("codewords")
        ordering = ["opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "word"], name="attendance_codeword_once")
        ]

    def __str__(self) -> str:
        return self.word

    def is_valid(self, now=None) -> bool:
        """Open, or closed no longer ago than the grace period."""
        if self.closed_at is None:
            return True
        now = now or timezone.now()
        grace = timedelta(seconds=settings.ATTENDANCE_CODEWORD_GRACE_SECONDS)
        return now <= self.closed_at + grace


class Claim(models.Model):
    """One person's claim of having attended a session; one per person and session.

    The unique constraint ``attendance_claim_once`` decides two claims at the same moment. A
    claim is credited (gets its certificate) once it is confirmed, the facilitator attested it
    and the session earned hours.
    """

    session = models.ForeignKey(
        GroupSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="claims"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="group_claims",
    )
    source = models.CharField(_("claimed by"), max_length=16, choices=ClaimSource.choices)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    wrong_words = models.PositiveSmallIntegerField(_("wrong codewords"), default=0)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejected_reason = models.TextField(_("reason for rejecting"), blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removed_reason = models.TextField(_("reason for removing"), blank=True)
    attested_at = models.DateTimeField(_("attested"), null=True, blank=True)
    certificate = models.ForeignKey(
        "certificates.Certificate",
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["claimed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_claim_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.session_id}"

    @property
    def codewords_confirmed(self) -> int:
        """Distinct pauses (video, chapter) this claim confirmed a codeword of.

        Uses the ``confirmed_pauses`` annotation when a selector set it.
        """
        annotated = getattr(self, "confirmed_pauses", None)
        if annotated is not None:
            return annotated
        return (
            self.confirmations.values("codeword__video_id", "codeword__chapter_index")
            .distinct()
            .count()
        )

    @property
    def codewords_counted(self) -> int:
        """Confirmed codewords as the pages count them: up to the number required ("3 of 3",
        never "4 of 3", for someone who typed every word of a video with more pauses)."""
        return min(self.codewords_confirmed, self.session.required_codewords)

    @property
    def present_throughout(self) -> bool:
        if self.source == ClaimSource.FACILITATOR:
            return True
        return self.codewords_confirmed >= self.session.required_codewords

    @property
    def status(self) -> str:
        if self.removed_at is not None:
            return ClaimStatus.REMOVED
        if self.rejected_at is not None:
            return ClaimStatus.REJECTED
        if self.certificate_id is not None:
            return ClaimStatus.CREDITED
        if self.confirmed_at is None:
            return ClaimStatus.AWAITING_CONFIRMATION
        # A colleague added from the member list had no phone: adding them is the
        # facilitator's approval (``colleague_add`` sets approved_*), standing in for codewords.
        if self.approved_at is None and not self.present_throughout:
            return ClaimStatus.NEEDS_APPROVAL
        return ClaimStatus.CONFIRMED

    def get_status_display(self) -> str:
        return ClaimStatus(self.status).label

    @property
    def creditable(self) -> bool:
        return (
            self.status == ClaimStatus.CONFIRMED
            and self.attested_at is not None
            and bool(self.session.hours_credit)
        )


class CodewordConfirmation(models.Model):
    """Evidence that a claimer typed the codeword of one pause while it was valid."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="confirmations")
    codeword = models.ForeignKey(Codeword, on_delete=models.PROTECT, related_name="confirmations")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("codeword confirmation")
        verbose_name_plural = _("codeword confirmations")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "codeword"], name="attendance_confirmation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.codeword_id}"
