from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    """Institutions, their enrolment, contact person and members, and the annual diploma."""

    name = "institutions"
    verbose_name = _("Institutions")

    def ready(self) -> None:
        # A new certificate asks for its holder's institution's diploma to be evaluated.
        from institutions.signal_handlers import register_signal_handlers

        register_signal_handlers()
