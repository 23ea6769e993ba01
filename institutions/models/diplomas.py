"""The annual diploma: the criteria programme admins set per year, and the diplomas issued.

Logic (evaluation, PDF, verification) lives in ``institutions.diplomas``; here is only data and
the invariant that an institution gets at most one diploma a year.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.codes import code_format, code_new


class DiplomaCriteria(models.Model):
    """What an institution must reach in one programme year to earn the diploma; all three must
    hold. A year without a row gives no diploma."""

    year = models.PositiveSmallIntegerField(
        _("programme year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    min_group_sessions = models.PositiveSmallIntegerField(_("group sessions at least"), default=1)
    min_total_hours = models.DecimalField(
        _("hours across members at least"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Verified hours summed across the institution's active members."),
    )
    min_share_group_minimum = models.PositiveSmallIntegerField(
        _("share of members with the group minimum, percent"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Percent of active members whose hours together reached the year's group minimum."
        ),
    )

    class Meta:
        verbose_name = _("diploma criteria")
        verbose_name_plural = _("diploma criteria")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


def diploma_pdf_upload_to(instance: "InstitutionDiploma", filename: str) -> str:
    return f"diplomas/{instance.year}/{instance.uuid}.pdf"


class InstitutionDiploma(models.Model):
    """One institution's diploma for one programme year, frozen at issue like a certificate."""

    # A record, not content: kept out of Wagtail's reference index like certificates.
    wagtail_reference_index_ignore = True

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=code_new, editable=False
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="diplomas",
    )
    institution_name = models.CharField(_("institution's name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("programme year"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    facts = models.JSONField(_("what was met"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=diploma_pdf_upload_to, max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("institution diploma")
        verbose_name_plural = _("institution diplomas")
        ordering = ["-year", "institution_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"], name="institutions_diploma_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_name} ({self.year})"

    @property
    def code_formatted(self) -> str:
        return code_format(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
