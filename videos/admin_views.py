"""Wagtail admin for videos: listing with poster and status, create/edit via services, chooser.

Every view checks the video's collection and owner, like Wagtail's documents: an editor sees and
changes only videos in collections where their group may edit, or may add and they uploaded; the
chooser offers only videos in collections where they may choose (``CollectionOwnershipPermission
Policy``, registered in ``videos.apps``). A refusal is Wagtail's own "permission denied".
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import CollectionFilter, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from videos import services
from videos.forms import VideoForm
from videos.models import Video
from videos.storeerrors import is_store_unavailable


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


class CaptionsColumn(Column):
    """The caption languages, or a "No captions" tag: an uncaptioned video cannot go live."""

    cell_template_name = "videos/admin/captions_cell.html"


def video_permission_policy():
    return policy_registry.get_by_type(Video)


class VideoFilterSet(WagtailFilterSet):
    """Status and kind; the collection filter offers only collections the editor works in."""

    class Meta:
        model = Video
        fields = ["status", "kind"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        collections = video_permission_policy().collections_user_has_any_permission_for(
            request.user, ["add", "change"]
        )
        self.filters["collection"] = CollectionFilter(
            field_name="collection", label=_("Collection"), queryset=collections
        )


class VideoIndexView(generic.IndexView):
    """Only the videos this editor may change: in their collections, or theirs where they add."""

    def get_base_queryset(self):
        return (
            self.permission_policy.instances_user_has_any_permission_for(
                self.request.user, ["change", "delete"]
            )
            .select_related("collection")
            .prefetch_related("captions")
        )


class InstancePermissionMixin:
    """Refuse unless the user may do ``permission_required`` to this very video."""

    def user_has_permission(self, permission):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, permission, self.object
        )


class VideoDeleteView(InstancePermissionMixin, generic.DeleteView):
    pass


class VideoUsageView(InstancePermissionMixin, generic.UsageView):
    pass


class VideoHistoryView(generic.HistoryView):
    any_permission_required = ["change", "delete"]

    def user_has_any_permission(self, permissions):
        return self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, permissions, self.object
        )


class CollectionChoiceMixin:
    """The collections an editor may put a video in: where they may add (and where it is)."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # An editor must not upload to, or move their video into, another group's collection.
        allowed = video_permission_policy().collections_user_has_permission_for(
            self.request.user, "add"
        )
        video = getattr(self, "object", None)
        if video is not None and video.pk:
            allowed = allowed | Collection.objects.filter(pk=video.collection_id)
        if "collection" in form.fields:
            form.fields["collection"].queryset = allowed
            form.fields["collection"].help_text = _(
                "Decides which editors' groups may see, change and choose the video."
            )
        return form


class VideoSaveMixin(CollectionChoiceMixin):
    """After the form saved: chapters from an uploaded file, a transcode for a new source.

    With the file store down, saving rolls back (Wagtail saves in one transaction, and the
    upload fails before the row is written) and the editor gets the form back with an error.
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Exception as exc:
            if not is_store_unavailable(exc):
                raise
            message = _("The file store is unavailable, so nothing was saved. Try again soon.")
            form.add_error("source", message)
            self.produced_error_code, self.produced_error_message = "store_unavailable", message
            return self.form_invalid(form)

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
    def get_object(self, queryset=None):
        video = super().get_object(queryset)
        # Captions and chapters are edited here too (inline panels), so this one check covers them.
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", video
        ):
            raise PermissionDenied
        return video

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
    index_view_class = VideoIndexView
    add_view_class = VideoCreateView
    edit_view_class = VideoEditView
    delete_view_class = VideoDeleteView
    usage_view_class = VideoUsageView
    history_view_class = VideoHistoryView
    # A copy would share the original's source file, which deleting either would remove.
    copy_view_enabled = False
    # The model's own search index (title, description): naming fields here made Wagtail ask
    # SQLite's full-text table for a "description" column it does not have (a 500 on search).
    filterset_class = VideoFilterSet
    ordering = ["-created_at"]
    list_per_page = 30
    list_display = [
        PosterColumn("poster", label=_("Poster")),
        TitleColumn("title", label=_("Title"), url_name="videos_admin:edit"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        DurationColumn("duration", label=_("Duration")),
        CaptionsColumn("captions", label=_("Captions")),
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
            # Lower-case labels: Wagtail builds "Legg til %(label)s" and "%(label)s 1" from them.
            FormInlinePanel("captions", heading=_("Captions"), label=_("captions")),
            MultiFieldPanel(
                [FieldPanel("chapters_file"), FormInlinePanel("chapters", label=_("chapter"))],
                heading=_("Chapters"),
            ),
        ],
        base_form_class=VideoForm,
    )


class ChoosableVideosMixin:
    """The chooser lists (and searches) only videos in collections where the user may choose,
    with what an editor picks a video by: its poster, title, duration and captions."""

    def get_object_list(self):
        return (
            video_permission_policy()
            .instances_user_has_any_permission_for(self.request.user, ["choose"])
            .prefetch_related("captions")
        )

    @property
    def columns(self):
        return [
            PosterColumn("poster", label=_("Poster")),
            *super().columns,
            DurationColumn("duration", label=_("Duration")),
            CaptionsColumn("captions", label=_("Captions")),
        ]


class VideoChooseView(ChoosableVideosMixin, chooser_views.ChooseView):
    pass


class VideoChooseResultsView(ChoosableVideosMixin, chooser_views.ChooseResultsView):
    pass


class VideoChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        video = super().get_object(pk)
        if not video_permission_policy().user_has_permission_for_instance(
            self.request.user, "choose", video
        ):
            raise PermissionDenied
        return video


class VideoChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return (
            video_permission_policy()
            .instances_user_has_any_permission_for(self.request.user, ["choose"])
            .filter(pk__in=pks)
        )


class VideoChooserCreateView(chooser_views.CreateView):
    """No upload from the chooser: videos are added in the video admin (checks, transcode)."""

    def dispatch(self, request, *args, **kwargs):
        # Wagtail registers this URL for every chooser; without a creation form a POST was a 500.
        raise Http404("Videos are uploaded in the video admin.")


class VideoChooserViewSet(ChooserViewSet):
    """The video chooser used by ``VideoChooserBlock`` and choosers in forms."""

    model = Video
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView
    chosen_view_class = VideoChosenView
    chosen_multiple_view_class = VideoChosenMultipleView
    create_view_class = VideoChooserCreateView
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
