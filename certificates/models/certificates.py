"""Certificates (kursbevis), frozen at issue, and the evidence log of everything done to them.

Nothing here is ever deleted: a revoked certificate keeps its row with the date and reason, a
corrected one is superseded by a new certificate that points back at it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.codes import code_format


def certificate_pdf_upload_to(instance: "Certificate", filename: str) -> str:
    """Store each PDF under the year of issue, named by the certificate's UUID (never guessable
    from the code, which is public)."""
    return f"certificates/{instance.issued_at:%Y}/{instance.uuid}.pdf"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn by the holder")


class Certificate(models.Model):
    """One certificate for one learner and one activity edition, exactly as the PDF states it.

    Every field is copied at issue and never re-read from live data (the profile's name, the
    course's title and hours, the programme's name and logo), so a later edit changes no issued
    certificate. Issued only by ``certificates.services.certificate_issue``.
    """

    # Records, not content: their admin listing would otherwise queue a reference-index task on
    # every insert (one more INSERT and commit per certificate, completion or session).
    wagtail_reference_index_ignore = True

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("verification code"), max_length=16, unique=True, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder_name = models.CharField(_("holder's name"), max_length=200)
    activity_key = models.CharField(_("activity"), max_length=100)
    activity_kind = models.CharField(_("kind of activity"), max_length=16)
    activity_title = models.CharField(_("activity title"), max_length=255)
    edition_year = models.PositiveSmallIntegerField(_("edition year"))
    activity_url = models.CharField(_("activity address"), max_length=500, blank=True)
    hours_individual = models.DecimalField(
        _("hours of credit, individual"), max_digits=5, decimal_places=2
    )
    hours_together = models.DecimalField(
        _("hours of credit, together"), max_digits=5, decimal_places=2, default=0
    )
    activity_date = models.DateField(_("date completed"))
    issued_at = models.DateTimeField(_("issued"))
    issuer_name = models.CharField(_("issuer"), max_length=255)
    issuer_logo = models.CharField(_("issuer's logo"), max_length=255, blank=True)
    content_revision = models.CharField(_("content revision"), max_length=64, blank=True)
    template_version = models.CharField(_("template version"), max_length=32)
    pdf = models.FileField(
        _("PDF"), upload_to=certificate_pdf_upload_to, max_length=255, blank=True
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    holder_withdrawn = models.BooleanField(_("withdrawn by the holder"), default=False)
    # Position in the Bitstring Status List of the Open Badges credentials.
    status_index = models.PositiveIntegerField(unique=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # Exactly once per learner and activity edition: a reissue supersedes, so only the
            # first certificate of a chain has no predecessor.
            models.UniqueConstraint(
                fields=["holder", "activity_key"],
                condition=models.Q(supersedes__isnull=True),
                name="certificates_once_per_activity",
            ),
        ]
        indexes = [models.Index(fields=["holder", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.activity_title} ({self.edition_year}): {self.holder_name}"

    @property
    def code_formatted(self) -> str:
        return code_format(self.code)

    @property
    def hours_total(self):
        return self.hours_individual + self.hours_together

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by")

    @property
    def status(self) -> str:
        """What the verification page says first; revoking outranks everything else."""
        if self.is_revoked:
            return CertificateStatus.REVOKED
        if self.is_superseded:
            return CertificateStatus.SUPERSEDED
        if self.holder_withdrawn:
            return CertificateStatus.WITHDRAWN
        return CertificateStatus.VALID


class CertificateEventKind(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PDF_STORED = "pdf_stored", _("PDF stored")
    RENDER_REQUEUED = "render_requeued", _("PDF asked for again")
    REVOKED = "revoked", _("Revoked")
    REISSUED = "reissued", _("Reissued")
    WITHDRAWN = "withdrawn", _("Withdrawn by the holder")
    EMAILED = "emailed", _("Emailed to the holder")


class CertificateEvent(models.Model):
    """Evidence of one thing done to a certificate: who, when, what. Never edited or deleted."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=CertificateEventKind.choices)
    at = models.DateTimeField(default=timezone.now, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.kind} at {self.at:%Y-%m-%d %H:%M}"
