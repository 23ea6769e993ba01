import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideosConfig(AppConfig):
    """Videos, transcoding, captions, chapters, delivery and the player."""

    name = "videos"
    verbose_name = _("Videos")

    def ready(self):
        # Python's table lacks the streaming types; storage backends and our views use it to
        # set Content-Type on stored playlists, segments and captions.
        mimetypes.add_type("application/vnd.apple.mpegurl", ".m3u8")
        mimetypes.add_type("video/iso.segment", ".m4s")
        mimetypes.add_type("text/vtt", ".vtt")
        mimetypes.add_type("video/mp4", ".mp4")

        from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
        from wagtail.permissions import register_permission_policy

        from videos.models import Video

        # Like documents: editors add and edit their own videos per collection; "change" is all.
        register_permission_policy(
            Video,
            CollectionOwnershipPermissionPolicy(
                Video, auth_model=Video, owner_field_name="uploaded_by_user"
            ),
        )

        from videos.signal_handlers import register_signal_handlers

        register_signal_handlers()
