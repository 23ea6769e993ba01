"""Question blocks for a quiz: single choice, multiple choice and true/false, with feedback.

Every choice keeps the stable id Wagtail gives list items; attempts store those ids, so an
answer always refers to exactly one choice of exactly one version of the quiz.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=500)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.TextBlock(
        label=_("Feedback"), required=False,
        help_text=_("Shown after the learner has answered, when this answer was chosen."),
    )  # fmt: skip

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class _ChoiceQuestionBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Question"))
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Choices"), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        label=_("Explanation"), required=False,
        help_text=_("Shown after answering, whatever was chosen."),
    )  # fmt: skip

    def _correct_count(self, value) -> int:
        return sum(1 for choice in value["choices"] if choice["correct"])


class SingleChoiceQuestionBlock(_ChoiceQuestionBlock):
    """One right answer among several."""

    class Meta:
        icon = "radio-full"
        label = _("Single choice")

    def clean(self, value):
        value = super().clean(value)
        if self._correct_count(value) != 1:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark exactly one answer as correct."))}
            )
        return value


class MultipleChoiceQuestionBlock(_ChoiceQuestionBlock):
    """One or more right answers; the learner must pick all of them and nothing else."""

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")

    def clean(self, value):
        value = super().clean(value)
        if self._correct_count(value) < 1:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one answer as correct."))}
            )
        return value


class TrueFalseQuestionBlock(blocks.StructBlock):
    """A statement that is either true or false."""

    statement = blocks.TextBlock(label=_("Statement"))
    is_true = blocks.BooleanBlock(label=_("The statement is true"), required=False)
    feedback_true = blocks.TextBlock(label=_("Feedback if answered true"), required=False)
    feedback_false = blocks.TextBlock(label=_("Feedback if answered false"), required=False)

    class Meta:
        icon = "help"
        label = _("True or false")


class QuestionsBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()

    class Meta:
        min_num = 1
