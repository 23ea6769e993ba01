"""Content changes raise the shared content version, so cached pages go stale everywhere.

A visitor's page is made of pages, snippets, documents, images, videos (their renditions,
captions and chapters), site settings, sites, locales, redirects and view restrictions; a save
or delete of any of those calls ``contentversion.bump()``, which forgets this process's pages at
once and raises the shared value after the commit (a rolled-back change raises nothing). The
list is explicit and learner data is not on it: sessions, attempts, progress, certificates,
claims and users change all day and never change what an anonymous visitor sees.

Scheduled publishing needs nothing of its own: ``publish_scheduled`` publishes the revision the
way the admin does, so the page is saved and ``page_published`` is sent in that process.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import contentversion

# Models whose rows are what visitors see, besides the families found in _is_content below.
CONTENT_MODELS = frozenset(
    {
        "wagtailcore.site",
        "wagtailcore.locale",
        "wagtailcore.collection",
        "wagtailcore.pageviewrestriction",
        "wagtailcore.collectionviewrestriction",
        "wagtailredirects.redirect",
        "videos.video",
        "videos.videorendition",
        "videos.videocaption",
        "videos.videochapter",
        "videos.videoactivity",
        "videos.videoactivityitem",
        "quizzes.quiz",
    }
)
# A page save that only records a new draft changes nothing live (Wagtail's save_revision).
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_id",
        "draft_title",
        "has_unpublished_changes",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
        "locked_by_id",
    }
)


def _is_content(model: type) -> bool:
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page
    from wagtail.snippets.models import get_snippet_models

    if model._meta.label_lower in CONTENT_MODELS:
        return True
    families = (Page, BaseSiteSetting, BaseGenericSetting, get_document_model(), get_image_model())
    # Image renditions are left out: one is made the first time a page shows an image, and
    # the page that made it is already right.
    return issubclass(model, families) or model in get_snippet_models()


def content_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """Raise the version after a save of anything on the allow-list (not fixture loading)."""
    if raw or not _is_content(sender):
        return
    from wagtail.models import Page

    if update_fields and isinstance(instance, Page) and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    contentversion.bump()


def content_deleted(sender, instance, **kwargs) -> None:
    """Raise the version after a delete of anything on the allow-list."""
    if _is_content(sender):
        contentversion.bump()


def page_changed(sender, **kwargs) -> None:
    """Publish, unpublish and move: raise the version (a move saves no page row of its own)."""
    contentversion.bump()


def register_signal_handlers() -> None:
    post_save.connect(content_saved, dispatch_uid="cms_content_saved")
    post_delete.connect(content_deleted, dispatch_uid="cms_content_deleted")
    page_published.connect(page_changed, dispatch_uid="cms_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="cms_page_unpublished")
    post_page_move.connect(page_changed, dispatch_uid="cms_page_moved")
    # Not content: the user bar's note of admin access, made at sign-in (cms.userbar).
    from django.contrib.auth.signals import user_logged_in

    from cms.userbar import signed_in

    user_logged_in.connect(signed_in, dispatch_uid="cms_note_admin_access")
