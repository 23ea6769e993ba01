from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo programme: its texts as data files and the record of what the loader made."""

    name = "cms.demo"
    label = "demo"
    verbose_name = _("Demo content")
    default_auto_field = "django.db.models.BigAutoField"
