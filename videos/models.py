"""Videos and what belongs to them: renditions, captions, chapters, learners' watch progress,
and the video activities (an interview, a "5 in 5" clip set) that give hours of credit.

A ``Video`` is shaped like Wagtail's documents: it lives in a collection, is searchable, has a
permission policy and a usage listing. Its web-ready files (MP4 renditions, an HLS ladder and a
poster) are written under a fresh key prefix by each transcode and become live in one database
transaction (``videos.services.video_transcode``), so visitors never see a half-made set.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import CollectionMember, Orderable, ReferenceIndex
from wagtail.search import index

from videos.forms import VideoCaptionForm, VideoChapterForm


class VideoKind(models.TextChoices):
    """What kind of video this is; a "5 in 5" clip has one chapter per question."""

    INTERVIEW = "interview", _("Interview")
    CLIP = "clip", _("5 in 5 clip")
    OTHER = "other", _("Other video")


class VideoStatus(models.TextChoices):
    """Where the video is on its way to being web-ready."""

    UPLOADED = "uploaded", _("Uploaded")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def source_upload_to(instance: "Video", filename: str) -> str:
    # A fresh folder per upload: a re-upload never overwrites the file a running job reads.
    return f"videos/source/{uuid.uuid4().hex}/{filename}"


class Video(CollectionMember, index.Indexed, ClusterableModel):
    """An uploaded video and the state of its web-ready versions."""

    title = models.CharField(
        _("title"), max_length=255,
        help_text=_("Shown above the player and in the video chooser; learners see it."),
    )  # fmt: skip
    description = models.TextField(
        _("description"), blank=True,
        help_text=_("A sentence or two about what the video shows; shown under the player."),
    )  # fmt: skip
    kind = models.CharField(
        _("kind"), max_length=16, choices=VideoKind.choices, default=VideoKind.INTERVIEW,
        help_text=_('A "5 in 5" clip has one chapter per question.'),
    )  # fmt: skip
    source = models.FileField(
        _("video file"), upload_to=source_upload_to, max_length=500,
        help_text=_("MP4, MOV, MKV or WebM. It is made web-ready in the background."),
    )  # fmt: skip
    source_size = models.PositiveBigIntegerField(null=True, editable=False)
    reflection_questions = RichTextField(
        _("reflection questions"), blank=True, features=["bold", "italic", "ol", "ul"],
        help_text=_("Shown after the video, for discussion at a staff meeting."),
    )  # fmt: skip
    poster_time = models.FloatField(
        _("poster frame at (seconds)"), null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty to use the frame at 10 % of the video."),
    )  # fmt: skip

    # Filled in by transcoding.
    status = models.CharField(
        _("status"), max_length=16, choices=VideoStatus.choices, default=VideoStatus.UPLOADED,
        editable=False,
    )  # fmt: skip
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, editable=False, validators=[MaxValueValidator(100)]
    )
    failure_reason = models.TextField(_("reason it failed"), blank=True, editable=False)
    duration = models.FloatField(_("duration (seconds)"), null=True, editable=False)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    media_prefix = models.CharField(max_length=255, blank=True, editable=False)
    poster = models.CharField(max_length=500, blank=True, editable=False)
    hls_master = models.CharField(max_length=500, blank=True, editable=False)

    # The job that currently owns the transcode, and until when its lease holds.
    job_token = models.UUIDField(null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    uploaded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by user"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL,
    )  # fmt: skip
    uploaded_by_user.wagtail_reference_index_ignore = True

    search_fields = [
        *CollectionMember.search_fields,
        index.SearchField("title", boost=10),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("status"),
        index.FilterField("kind"),
        index.FilterField("uploaded_by_user"),
    ]

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at", "-pk"]
        permissions = [("choose_video", "Can choose video")]
        indexes = [models.Index(fields=["status", "lease_expires_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == VideoStatus.READY

    @property
    def is_playable(self) -> bool:
        """A finished set of web-ready files is live (also while a new source is processed)."""
        return bool(self.media_prefix)

    @property
    def storage_folder(self) -> str:
        """The key folder that holds every transcode's files (renditions, HLS, poster)."""
        return f"videos/{self.pk}"

    @property
    def is_clip(self) -> bool:
        return self.kind == VideoKind.CLIP

    def get_absolute_url(self) -> str:
        return reverse("videos:detail", args=[self.pk])

    def get_usage(self):
        return ReferenceIndex.get_grouped_references_to(self)

    @property
    def usage_url(self) -> str:
        return reverse("videos_admin:usage", args=[self.pk])

    def caption_languages(self) -> set[str]:
        return {caption.language for caption in self.captions.all()}


class VideoRendition(models.Model):
    """One web-ready MP4 of a video (H.264/AAC, faststart) at one height."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="renditions")
    name = models.CharField(max_length=16)
    file = models.CharField(max_length=500)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["-height"]
        constraints = [
            models.UniqueConstraint(fields=["video", "name"], name="videos_rendition_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.video} ({self.name})"


class VideoCaption(models.Model):
    """Captions for one language, kept as cleaned WebVTT (see ``videos.captions``)."""

    video = ParentalKey(Video, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES,
        help_text=_("The language spoken or written in the captions; one file per language."),
    )  # fmt: skip
    webvtt = models.TextField(editable=False)
    source_name = models.CharField(_("uploaded file"), max_length=255, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = VideoCaptionForm
    panels = [FieldPanel("language"), FieldPanel("upload")]

    class Meta:
        verbose_name = _("captions")
        verbose_name_plural = _("captions")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["video", "language"], name="videos_caption_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.video}: {self.get_language_display()}"


class VideoChapter(Orderable):
    """A titled point in the video; in a "5 in 5" clip, one question."""

    video = ParentalKey(Video, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(
        _("title"), max_length=200,
        help_text=_("Shown in the player's chapter list; in a clip, the question asked."),
    )  # fmt: skip
    start = models.FloatField(_("starts at (seconds)"), validators=[MinValueValidator(0)])

    base_form_class = VideoChapterForm
    panels = [FieldPanel("title"), FieldPanel("start")]

    class Meta(Orderable.Meta):
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self) -> str:
        return self.title


class WatchProgress(models.Model):
    """What one learner has actually played of one video: the union of played intervals."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_progress"
    )
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="watch_progress")
    intervals = models.JSONField(default=list)
    seconds_watched = models.FloatField(default=0)
    position = models.FloatField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "video"], name="videos_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.video}: {self.seconds_watched:.0f}s"


class VideoActivityKind(models.TextChoices):
    """What a credit-bearing video activity is: one interview, or a "5 in 5" clip set."""

    INTERVIEW = "interview", _("Interview")
    CLIPS = "clips", _("5 in 5 clip set")


class VideoActivity(ClusterableModel):
    """Videos that together give hours of credit: watching each to 90 % issues a certificate.

    An interview is usually one video; a "5 in 5" clip set needs every clip in it. Each year's
    edition is its own activity (its own row), so a learner can earn the credit once per edition.
    """

    title = models.CharField(
        _("title"), max_length=255, help_text=_("As it is printed on the certificate.")
    )
    edition_year = models.PositiveSmallIntegerField(
        _("edition year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The programme year this edition belongs to; printed on the certificate."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=VideoActivityKind.choices,
        default=VideoActivityKind.INTERVIEW,
        help_text=_('An interview is usually one video; a "5 in 5" clip set has several clips.'),
    )  # fmt: skip
    hours = models.DecimalField(
        _("hours of credit"), max_digits=4, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
        help_text=_("Hours of individual credit a learner earns by watching every video."),
    )  # fmt: skip
    live = models.BooleanField(
        _("gives credit"), default=True,
        help_text=_("Untick to stop issuing certificates for this activity (issued ones stay)."),
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("edition_year"),
        FieldPanel("kind"),
        FieldPanel("hours"),
        FieldPanel("live"),
        InlinePanel(
            "items", label=_("videos"), min_num=1,
            help_text=_("Every video must be watched to 90 % for the credit."),
        ),
    ]  # fmt: skip

    class Meta:
        ordering = ["-edition_year", "title"]
        verbose_name = _("video activity")
        verbose_name_plural = _("video activities")

    def __str__(self) -> str:
        return f"{self.title} ({self.edition_year})"


class VideoActivityItem(Orderable):
    """One video of a video activity, in the order learners meet them."""

    activity = ParentalKey(VideoActivity, on_delete=models.CASCADE, related_name="items")
    video = models.ForeignKey(
        # A deleted video leaves the activity; the editor sees the shorter list in the snippet.
        Video,
        verbose_name=_("video"),
        help_text=_("A learner must watch it to 90 % for the credit."),
        on_delete=models.CASCADE,
        related_name="activity_items",
    )

    panels = [FieldPanel("video")]

    class Meta(Orderable.Meta):
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        constraints = [
            models.UniqueConstraint(fields=["activity", "video"], name="videos_activity_item_once")
        ]

    def __str__(self) -> str:
        return str(self.video)
