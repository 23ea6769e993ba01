"""A ZIP of an institution's members' certificates for one year, built in the background.

The work is done by ``institutions.exports``; the row carries the progress the contact person
watches (``done`` of ``total``) and the finished file.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def export_file_upload_to(instance: "CertificateExport", filename: str) -> str:
    return f"exports/{instance.institution_id}/{instance.uuid}.zip"


class CertificateExport(models.Model):
    """One request for a ZIP of certificates, its progress and its result."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="certificate_exports",
    )
    year = models.PositiveSmallIntegerField(_("programme year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    file = models.FileField(_("file"), upload_to=export_file_upload_to, max_length=255, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("certificate export")
        verbose_name_plural = _("certificate exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year}: {self.status}"

    @property
    def progress_percent(self) -> int:
        """0-100; a finished export is 100 even when there was nothing to put in it."""
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, (self.done * 100) // self.total)
