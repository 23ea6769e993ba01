from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The project and its site-wide pages: the programme page, resources and site settings."""

    name = "cms"
    verbose_name = _("Programme site")
