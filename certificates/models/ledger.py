"""The yearly ledger: the targets per year, learners' self-reported activities, and the course
histories (one verifiable PDF listing a year's certificates).

Only certificates count as verified hours; an external activity is the learner's own word and is
always shown apart from them.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from certificates.codes import code_format

# When programme admins have not set a year's target, these apply.
DEFAULT_TARGET_MIN = Decimal(12)
DEFAULT_TARGET_MAX = Decimal(15)
DEFAULT_TOGETHER_MIN = Decimal(3)


class YearTarget(models.Model):
    """How many hours of credit staff aim for in one year, and how many of them together.

    Programme admins edit these as a snippet; a year without a row uses 12–15 hours and 3 hours
    together (``YearTarget.for_year``).
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    target_min = models.DecimalField(
        _("target, at least (hours)"), max_digits=5, decimal_places=2, default=DEFAULT_TARGET_MIN,
        validators=[MinValueValidator(0)],
        help_text=_("The lower end of the year's target band."),
    )  # fmt: skip
    target_max = models.DecimalField(
        _("target, at most (hours)"), max_digits=5, decimal_places=2, default=DEFAULT_TARGET_MAX,
        validators=[MinValueValidator(0)],
        help_text=_("The upper end of the year's target band."),
    )  # fmt: skip
    together_min = models.DecimalField(
        _("done together, at least (hours)"), max_digits=5, decimal_places=2,
        default=DEFAULT_TOGETHER_MIN, validators=[MinValueValidator(0)],
        help_text=_("Hours of the target that should be done together with colleagues."),
    )  # fmt: skip

    panels = [
        FieldPanel("year"),
        FieldPanel("target_min"),
        FieldPanel("target_max"),
        FieldPanel("together_min"),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self):
        if (
            self.target_min is not None
            and self.target_max is not None
            and self.target_min > self.target_max
        ):
            raise ValidationError({"target_max": _("The upper end cannot be below the lower end.")})
        if (
            self.together_min is not None
            and self.target_max is not None
            and self.together_min > self.target_max
        ):
            raise ValidationError(
                {"together_min": _("The hours together cannot exceed the target.")}
            )

    @classmethod
    def for_year(cls, year: int) -> "YearTarget":
        """The year's row, or an unsaved one with the defaults."""
        return cls.objects.filter(year=year).first() or cls(year=year)


def external_evidence_upload_to(instance: "ExternalActivity", filename: str) -> str:
    """Under the learner's own folder, in a fresh random folder (never guessable, never
    overwritten); only the owner's view serves it."""
    return f"ledger/{instance.user_id}/{uuid.uuid4().hex}/{filename}"


class ExternalActivity(models.Model):
    """An activity the learner reports themselves (a course elsewhere, a conference).

    It is the learner's own word: shown apart from certificates and never counted as verified
    hours. The optional evidence file is deleted with the row, after commit
    (``certificates.services.external_activity_delete``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_activities"
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(99)],
    )  # fmt: skip
    evidence = models.FileField(
        _("evidence"), upload_to=external_evidence_upload_to, max_length=300, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("external activity")
        verbose_name_plural = _("external activities")

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


def course_history_upload_to(instance: "CourseHistory", filename: str) -> str:
    return f"certificates/history/{instance.year}/{instance.uuid}.pdf"


class CourseHistory(models.Model):
    """One course-history PDF: all of a learner's valid certificates of one year, verifiable by
    its own code like a certificate.

    Made once for a given set of certificates and never rebuilt; when the year gains a
    certificate, the next download makes a new history (the old one stays verifiable).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("verification code"), max_length=16, unique=True, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_histories"
    )
    holder_name = models.CharField(_("holder's name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    certificates = models.ManyToManyField(
        "certificates.Certificate", related_name="course_histories"
    )
    # The certificates' ids, sorted, as listed in the PDF: finds an existing history for a set.
    certificate_ids = models.JSONField(default=list)
    hours_individual = models.DecimalField(max_digits=6, decimal_places=2)
    hours_together = models.DecimalField(max_digits=6, decimal_places=2)
    issued_at = models.DateTimeField(_("issued"))
    pdf = models.FileField(upload_to=course_history_upload_to, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("course history")
        verbose_name_plural = _("course histories")

    def __str__(self) -> str:
        return f"{self.holder_name} {self.year} ({self.code_formatted})"

    @property
    def code_formatted(self) -> str:
        return code_format(self.code)

    @property
    def hours_total(self) -> Decimal:
        return self.hours_individual + self.hours_together

    @property
    def holder_withdrawn(self) -> bool:
        """Withdrawn with the account: its certificates say so, and the history follows them."""
        return self.certificates.filter(holder_withdrawn=True).exists()
