"""Admin wiring for videos: menu, chooser, collection permissions, the publishing rule, and the
credit-bearing video activities as a snippet."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.forms.collections import collection_member_permission_formset_factory
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from videos.admin_views import video_chooser_viewset, video_viewset
from videos.models import Video, VideoActivity
from videos.selectors import publish_blockers


@hooks.register("register_admin_viewset")
def register_video_viewsets():
    return [video_viewset, video_chooser_viewset]


@hooks.register("register_group_permission_panel")
def register_video_permissions_panel():
    return collection_member_permission_formset_factory(
        Video,
        [
            ("add_video", _("Add"), _("Add/edit videos you own")),
            ("change_video", _("Edit"), _("Edit any video")),
            ("choose_video", _("Choose"), _("Select videos in choosers")),
        ],
        "videos/admin/permissions_formset.html",
    )


@hooks.register("describe_collection_contents")
def describe_collection_videos(collection):
    count = Video.objects.filter(collection=collection).count()
    if not count:
        return None
    return {
        "count": count,
        "count_text": ngettext("%(count)s video", "%(count)s videos", count) % {"count": count},
        "url": reverse("videos_admin:index") + f"?collection={collection.pk}",
    }


@hooks.register("before_publish_page")
def block_publishing_uncaptioned_videos(request, page):
    """A page showing a video goes live only if the video is ready and captioned (WCAG 1.2.2).

    The draft revision is already saved, so the editor loses nothing: they see what is missing.
    """
    problems = publish_blockers(page)
    if not problems:
        return None
    messages.error(
        request,
        _("The page was saved as a draft but not published: %(problems)s")
        % {"problems": " ".join(problems)},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def block_bulk_publishing_uncaptioned_videos(request, action_type, objects, action_class):
    """The same rule for "Publish" on many pages at once from the page listing."""
    if action_type != "publish":
        return None
    problems = []
    for page in objects:
        revision = page.get_latest_revision_as_object()
        problems += [f"{page.title}: {problem}" for problem in publish_blockers(revision)]
    if not problems:
        return None
    messages.error(
        request,
        _("Nothing was published: %(problems)s") % {"problems": " ".join(problems)},
    )
    return redirect(_safe_next_url(request) or reverse("wagtailadmin_explore_root"))


def _safe_next_url(request) -> str:
    """The ``next`` parameter, only if it points back into this site (never ``//evil.example``)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


class VideoActivityViewSet(SnippetViewSet):
    model = VideoActivity
    icon = "media"
    menu_label = _("Video activities")
    add_to_admin_menu = False
    list_display = ["title", "edition_year", "kind", "hours", "live"]
    list_filter = ["edition_year", "kind", "live"]
    ordering = ["-edition_year", "title"]
    search_fields = ["title"]


register_snippet(VideoActivityViewSet)
