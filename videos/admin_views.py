"""Wagtail admin for videos: listing with poster and status, create/edit via services, chooser."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from videos import services
from videos.forms import VideoForm
from videos.models import Video


class FormInlinePanel(InlinePanel):
    """An InlinePanel whose rows use the child model's ``base_form_class`` (Wagtail's does not).

    Caption rows need it for their file upload, chapter rows for their m:ss time field.
    """

    def get_form_options(self):
        options = super().get_form_options()
        child_form = getattr(self.db_field.related_model, "base_form_class", None)
        if child_form is not None:
            options["formsets"][self.relation_name]["form"] = child_form
        return options


class PosterColumn(Column):
    cell_template_name = "videos/admin/poster_cell.html"


class DurationColumn(Column):
    cell_template_name = "videos/admin/duration_cell.html"


class StatusColumn(Column):
    cell_template_name = "videos/admin/status_cell.html"


class VideoSaveMixin:
    """After the form saved: chapters from an uploaded file, a transcode for a new source."""

    def after_save(self, video: Video, *, new_source: bool, old_source: str = "") -> None:
        chapters = self.form.cleaned_data.get("chapters_file")
        if chapters:
            services.video_chapters_set(video=video, chapters=chapters)
        if new_source:
            services.video_source_changed(video=video, old_source=old_source)


class VideoCreateView(VideoSaveMixin, generic.CreateView):
    def save_instance(self):
        self.form.instance.uploaded_by_user = self.request.user
        video = super().save_instance()
        self.after_save(video, new_source=True)
        return video


class VideoEditView(VideoSaveMixin, generic.EditView):
    def save_instance(self):
        new_source = "source" in self.form.changed_data
        # The form has already put the new file on the instance; the old name is in the database.
        old_source = Video.objects.filter(pk=self.object.pk).values_list("source", flat=True)[0]
        video = super().save_instance()
        self.after_save(video, new_source=new_source, old_source=old_source)
        return video


class VideoViewSet(ModelViewSet):
    """Videos in the admin menu: upload, listing with poster, duration and status, edit."""

    model = Video
    icon = "media"
    menu_label = _("Videos")
    menu_order = 300
    add_to_admin_menu = True
    url_prefix = "videos"
    name = "videos_admin"
    add_view_class = VideoCreateView
    edit_view_class = VideoEditView
    search_fields = ["title", "description"]
    list_filter = ["status", "kind", "collection"]
    ordering = ["-created_at"]
    list_per_page = 30
    list_display = [
        PosterColumn("poster", label=_("Poster")),
        TitleColumn("title", label=_("Title"), url_name="videos_admin:edit"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        DurationColumn("duration", label=_("Duration")),
        StatusColumn("status", label=_("Status")),
        DateColumn("created_at", label=_("Uploaded")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("kind"),
            FieldPanel("collection"),
            FieldPanel("source", classname="video-source-upload"),
            FieldPanel("description"),
            FieldPanel("poster_time"),
            FieldPanel("reflection_questions"),
            FormInlinePanel("captions", heading=_("Captions"), label=_("Captions")),
            MultiFieldPanel(
                [FieldPanel("chapters_file"), FormInlinePanel("chapters", label=_("Chapter"))],
                heading=_("Chapters"),
            ),
        ],
        base_form_class=VideoForm,
    )


class VideoChooserViewSet(ChooserViewSet):
    """The video chooser used by ``VideoChooserBlock`` and choosers in forms."""

    model = Video
    icon = "media"
    choose_one_text = _("Choose a video")
    choose_another_text = _("Choose another video")
    edit_item_text = _("Edit this video")
    url_prefix = "video-chooser"
    name = "video_chooser"
    per_page = 20


video_viewset = VideoViewSet()
video_chooser_viewset = VideoChooserViewSet()


def video_edit_url(video: Video) -> str:
    return reverse("videos_admin:edit", args=[video.pk])
