"""Institutions, their enrolment periods in the programme, their members, and the log of changes.

An institution is identified by its organisation number. It enrols for a period (by default five
years) and has one named contact person, who confirms who belongs to it. A learner belongs to at
most one institution at a time (one open membership, decided by a constraint, not by a lock).
Changes go through ``institutions.services``, each leaving an ``InstitutionEvent``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions.numbers import validate_org_number


class InstitutionKind(models.TextChoices):
    NURSING_HOME = "nursing_home", _("Nursing home")
    ACUTE_WARD = "acute_ward", _("Municipal acute ward")
    HOME_CARE = "home_care", _("Home care")
    OTHER = "other", _("Other")


class Institution(models.Model):
    """A workplace in the programme (a nursing home, a municipal acute ward, home care...).

    ``list_publicly`` is the institution's consent to be named on the public list of diplomas;
    without it a diploma is still issued and verifiable, just not listed.
    """

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        unique=True,
        validators=[validate_org_number],
        help_text=_("Nine digits, as in the Register of Legal Entities."),
    )
    municipality = models.CharField(_("municipality"), max_length=100)
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=InstitutionKind.choices,
        default=InstitutionKind.NURSING_HOME,
    )
    pharmacy = models.CharField(_("pharmacy"), max_length=200, blank=True)
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_for_institutions",
    )
    list_publicly = models.BooleanField(
        _("may be named on the public list of diplomas"), default=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["municipality"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    @property
    def org_number_formatted(self) -> str:
        """As printed in the register: "974 760 673"."""
        n = self.org_number or ""
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 9 else n

    def current_enrolment(self, on: datetime.date | None = None) -> "Enrolment | None":
        """The enrolment active on ``on`` (today by default), or None."""
        on = on or timezone.localdate()
        if "enrolments" in getattr(self, "_prefetched_objects_cache", {}):
            # A listing prefetched them: no query per row.
            candidates = sorted(
                self.enrolments.all(), key=lambda e: (e.starts_on, e.pk), reverse=True
            )
        else:
            candidates = self.enrolments.filter(starts_on__lte=on, ends_on__gt=on).order_by(
                "-starts_on", "-pk"
            )
        for enrolment in candidates:
            if enrolment.active_on(on):
                return enrolment
        return None


class Enrolment(models.Model):
    """One period the institution takes part in the programme: from ``starts_on`` up to (not
    including) ``ends_on``, or up to ``left_on`` when it left early."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    left_on = models.DateField(_("left the programme"), null=True, blank=True)
    left_reason = models.TextField(_("reason for leaving"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="institutions_enrolment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.starts_on} – {self.ends_on}"

    @property
    def last_day(self) -> datetime.date:
        """The first day it no longer counts: the end, or the day it left if earlier."""
        if self.left_on is not None and self.left_on < self.ends_on:
            return self.left_on
        return self.ends_on

    def active_on(self, on: datetime.date) -> bool:
        return self.starts_on <= on < self.last_day

    @property
    def active(self) -> bool:
        return self.active_on(timezone.localdate())


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


OPEN_MEMBERSHIP_STATUSES = (MembershipStatus.REQUESTED, MembershipStatus.ACTIVE)


class Membership(models.Model):
    """A learner's request to belong to an institution, and what became of it.

    Rows are kept after they close (declined, ended) as the record of who belonged when.
    """

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="institution_memberships",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open (requested or active) membership per learner: races are decided here.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["requested", "active"]),
                name="institutions_one_open_membership",
            ),
        ]
        indexes = [models.Index(fields=["institution", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.institution_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MEMBERSHIP_STATUSES


class InstitutionEventKind(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    CONTACT_CHANGED = "contact_changed", _("Contact person changed")
    PHARMACY_CHANGED = "pharmacy_changed", _("Pharmacy changed")
    BEDS_CHANGED = "beds_changed", _("Number of beds changed")
    DETAILS_CHANGED = "details_changed", _("Details changed")
    LEFT = "left", _("Left the programme")
    MEMBER_REQUESTED = "member_requested", _("Membership requested")
    MEMBER_CONFIRMED = "member_confirmed", _("Membership confirmed")
    MEMBER_DECLINED = "member_declined", _("Membership declined")
    MEMBER_ENDED = "member_ended", _("Membership ended")
    EXPORT_MADE = "export_made", _("Certificates exported")
    DIPLOMA_ISSUED = "diploma_issued", _("Diploma issued")
    DIPLOMA_REVOKED = "diploma_revoked", _("Diploma revoked")


class InstitutionEvent(models.Model):
    """Evidence of one change to an institution: who, when, what. Never edited or deleted."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("what"), max_length=24, choices=InstitutionEventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("institution event")
        verbose_name_plural = _("institution events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.kind} at {self.at:%Y-%m-%d %H:%M}"
