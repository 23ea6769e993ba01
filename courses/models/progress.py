"""Learners' progress through modules, and the record that they completed a course edition."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModuleStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PASSED = "passed", _("Passed")


class ModuleProgress(models.Model):
    """Where one learner is in one module: sections opened, the last one, and whether passed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE,
                               related_name="progress")  # fmt: skip
    sections_opened = models.JSONField(default=list)
    last_section = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=ModuleStatus.choices,
                              default=ModuleStatus.IN_PROGRESS)  # fmt: skip
    passed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="courses_progress_unique")
        ]
        indexes = [models.Index(fields=["user", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.user} / {self.module}: {self.status}"


class CourseCompletion(models.Model):
    """A learner completed every module of one course edition; recorded exactly once.

    Certificates are issued from these records, so the constraint below is the last word on
    "exactly once", whatever races happen above it.
    """

    # Records, not content: their admin listing would otherwise queue a reference-index task on
    # every insert (one more INSERT and commit per certificate, completion or session).
    wagtail_reference_index_ignore = True

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_completions"
    )
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT,
                               related_name="completions")  # fmt: skip
    course_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.PROTECT, null=True, related_name="+"
    )
    credit_hours = models.DecimalField(max_digits=4, decimal_places=1)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_completion_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} completed {self.course}"
