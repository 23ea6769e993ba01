"""Blocks for a module's lessons: sections of text, images, video, callouts, reflection and quiz."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from videos.blocks import VideoBlock


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: a tip, a warning or a key point from the guideline."""

    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("info", _("Good to know")), ("warning", _("Warning")), ("key", _("Key point"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class ReflectionBlock(blocks.StructBlock):
    """A question for the learner to think about (or discuss), with no right answer."""

    prompt = blocks.TextBlock(label=_("Question to reflect on"))

    class Meta:
        icon = "openquote"
        label = _("Reflection")
        template = "courses/blocks/reflection.html"


class QuizBlock(blocks.StructBlock):
    """The module's quiz; passing it (and opening every section) passes the module."""

    quiz = SnippetChooserBlock("quizzes.Quiz", label=_("Quiz"))

    class Meta:
        icon = "help"
        label = _("Quiz")
        template = "courses/blocks/quiz.html"


class LessonContentBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"), features=["h3", "h4", "bold", "italic", "link", "ol", "ul"]
    )
    image = ImageBlock(label=_("Image"))
    video = VideoBlock()
    callout = CalloutBlock()
    reflection = ReflectionBlock()
    quiz = QuizBlock()


class LessonSectionBlock(blocks.StructBlock):
    """One section of a lesson, shown on its own page of the module."""

    title = blocks.CharBlock(label=_("Section title"), max_length=200)
    content = LessonContentBlock(label=_("Content"))

    class Meta:
        icon = "doc-full"
        label = _("Section")


class LessonBodyBlock(blocks.StreamBlock):
    section = LessonSectionBlock()

    class Meta:
        min_num = 1
