"""Quizzes and attempts.

A ``Quiz`` is a snippet with drafts, revisions, preview and scheduled publishing. Learners answer
the live revision; each ``QuizAttempt`` stores the revision it answered, the answers given (choice
ids), the score and pass/fail, so editing the quiz later changes no old result.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from quizzes.blocks import QuestionsBlock
from quizzes.questions import questions_from_stored


class Quiz(DraftStateMixin, RevisionMixin, PreviewableMixin, index.Indexed, models.Model):
    """A set of questions with a pass mark; usually the end of one course module."""

    title = models.CharField(_("title"), max_length=255)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."),
    )  # fmt: skip
    shuffle = models.BooleanField(
        _("shuffle"), default=False, help_text=_("Show questions and answers in random order.")
    )
    questions = StreamField(QuestionsBlock(), verbose_name=_("questions"))
    revisions = GenericRelation("wagtailcore.Revision", related_query_name="quiz")

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("pass_mark"),
        FieldPanel("max_attempts"),
        FieldPanel("shuffle"),
        FieldPanel("questions"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    @property
    def is_available(self) -> bool:
        """Learners can take the quiz now: it has a live version."""
        return self.live and self.live_revision_id is not None

    def get_preview_template(self, request, mode_name):
        return "quizzes/quiz_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["questions"] = questions_from_stored(self.questions.get_prep_value())
        return context


class QuizAttempt(models.Model):
    """One learner's go at one version of a quiz; submitted at most once."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    # The order questions and choices were shown in (ids), for shuffled quizzes.
    layout = models.JSONField(default=list)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict)
    correct_count = models.PositiveSmallIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("quiz attempt")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["user", "quiz", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.user} / {self.quiz} ({self.score})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
