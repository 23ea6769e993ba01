from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    """Institutions, their enrolment, contact person and members, and the annual diploma."""

    name = "institutions"
    verbose_name = _("Institutions")
