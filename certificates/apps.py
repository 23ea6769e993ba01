from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Certificates (kursbevis) issued from completions, their verification and yearly ledger."""

    name = "certificates"
    verbose_name = _("Certificates")
