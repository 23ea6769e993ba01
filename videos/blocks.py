"""StreamField blocks for videos: a chooser, the player block, and the "5 in 5" clip block."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from videos.admin_views import video_chooser_viewset

VideoChooserBlock = video_chooser_viewset.get_block_class(
    name="VideoChooserBlock", module_path="videos.blocks"
)


class VideoBlock(blocks.StructBlock):
    """A video with its player, captions, chapters and transcript."""

    video = VideoChooserBlock(label=_("Video"))
    heading = blocks.CharBlock(
        label=_("Heading"), required=False, help_text=_("Leave empty to use the video's title.")
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "videos/blocks/video.html"


class ClipBlock(VideoBlock):
    """A "5 in 5" clip: each chapter is one of the five questions, listed beside the player."""

    class Meta:
        icon = "list-ol"
        label = _("5 in 5 clip")
        template = "videos/blocks/clip.html"
