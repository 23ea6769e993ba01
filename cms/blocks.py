"""StreamField blocks editors use to build "this year's activities" on the programme page.

The course block links to a course page once the e-learning pages exist; until then it holds the
facts and a notice.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from videos.blocks import VideoChooserBlock


class FeaturedVideoBlock(blocks.StructBlock):
    """This year's interview video, shown large at the top of the activities."""

    video = VideoChooserBlock(label=_("Video"), required=False)
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    summary = blocks.TextBlock(label=_("Summary"), required=False)
    speaker = blocks.CharBlock(label=_("Speaker"), required=False, max_length=200)
    duration_minutes = blocks.IntegerBlock(
        label=_("Length in minutes"), required=False, min_value=1
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)

    class Meta:
        icon = "media"
        label = _("Featured video")
        template = "cms/blocks/featured_video.html"


class ClipBlock(blocks.StructBlock):
    """One "5 in 5" clip: five questions answered in five minutes."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    video = VideoChooserBlock(label=_("Video"), required=False)
    questions = blocks.ListBlock(
        blocks.CharBlock(label=_("Question"), max_length=300),
        label=_("Questions"),
        min_num=1,
        max_num=5,
    )

    class Meta:
        icon = "media"
        label = _("5 in 5 clip")


class ClipsBlock(blocks.StructBlock):
    """A group of "5 in 5" clips."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    clips = blocks.ListBlock(ClipBlock(), label=_("Clips"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("5 in 5 clips")
        template = "cms/blocks/clips.html"


class CourseLinkBlock(blocks.StructBlock):
    """A link to the e-learning course, with what it gives in credit."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False)
    page = blocks.PageChooserBlock(label=_("Course page"), required=False)
    url = blocks.URLBlock(label=_("Or an address"), required=False)
    modules = blocks.IntegerBlock(label=_("Number of modules"), required=False, min_value=1)
    credit_hours = blocks.DecimalBlock(
        label=_("Course credit (hours)"), required=False, min_value=0, decimal_places=1
    )

    class Meta:
        icon = "doc-full"
        label = _("E-learning course")
        template = "cms/blocks/course_link.html"


class DownloadsBlock(blocks.StructBlock):
    """A group of printable downloads: pocket cards, flowcharts, checklists."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    documents = blocks.ListBlock(DocumentChooserBlock(), label=_("Files"), min_num=1)

    class Meta:
        icon = "download"
        label = _("Downloads")
        template = "cms/blocks/downloads.html"


class ActivityBlock(blocks.StreamBlock):
    """The blocks allowed in "this year's activities"."""

    featured_video = FeaturedVideoBlock()
    clips = ClipsBlock()
    course = CourseLinkBlock()
    downloads = DownloadsBlock()
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h3", "bold", "italic", "link", "ol", "ul"],
        template="cms/blocks/text.html",
    )
