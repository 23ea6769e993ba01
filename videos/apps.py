from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideosConfig(AppConfig):
    """Videos, transcoding, captions, chapters, delivery and the player."""

    name = "videos"
    verbose_name = _("Videos")
