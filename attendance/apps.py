from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """Group sessions at a shared screen: join codes, codewords, claims, attestation."""

    name = "attendance"
    verbose_name = _("Group sessions")
