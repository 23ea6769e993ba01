from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The project and its site-wide pages: the programme page, resources and site settings."""

    name = "cms"
    verbose_name = _("Programme site")

    def ready(self):
        # Content saves and publishes raise the content version the page cache is made under.
        from cms.signal_handlers import register_signal_handlers

        register_signal_handlers()
