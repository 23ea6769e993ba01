"""Builds the demo programme idempotently: every ``ensure_*`` changes only what differs.

Running the loader twice leaves the database and the storage exactly as after the first run: no
new revisions, no new files. It writes through Django's storage API, so it works the same on
local files and on S3.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from cms.demo import content
from cms.demo.course import course_link_value, ensure_demo_course
from cms.demo.documents import DEMO_DOCUMENTS, DemoDocument
from cms.demo.videos import ensure_demo_videos
from cms.models import HomePage, ProgrammeSettings, ResourceDocument, ResourceIndexPage
from courses.services import ensure_professions


@dataclass
class LoadReport:
    """What a run of the loader created or changed, for the command to print."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _strip_ids(data):
    # Stream block ids are random per save; content equality must ignore them.
    if isinstance(data, dict):
        return {key: _strip_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [_strip_ids(item) for item in data]
    return data


def _items(values: list) -> list[dict]:
    # ListBlock's stored form; the ids are ignored when comparing (see _strip_ids).
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def ensure_tree_roots(report: LoadReport) -> None:
    """Wagtail's root page and root collection, which a flushed database no longer has."""
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
        report.created.append("root collection")
    if not Page.objects.filter(depth=1).exists():
        locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        report.created.append("root page")


def ensure_locales(report: LoadReport) -> None:
    for code, _name in settings.LANGUAGES:
        _locale, created = Locale.objects.get_or_create(language_code=code)
        if created:
            report.created.append(f"locale {code}")


def ensure_documents(report: LoadReport) -> list[ResourceDocument]:
    root = Collection.get_first_root_node()
    documents = []
    for demo in DEMO_DOCUMENTS:
        documents.append(_ensure_document(demo, root, report))
    return documents


def _ensure_document(demo: DemoDocument, collection: Collection, report) -> ResourceDocument:
    data = demo.render()
    digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    document = ResourceDocument.objects.filter(title=demo.title).order_by("pk").first()
    wanted = {
        "description": demo.description,
        "category": demo.category,
        "revised_on": demo.revised,
    }
    if document is None:
        document = ResourceDocument(title=demo.title, collection=collection, **wanted)
        document.file.save(f"{demo.slug}.pdf", ContentFile(data), save=False)
        document._set_document_file_metadata()
        document.full_clean()
        document.save()
        report.created.append(f"document {demo.slug}")
        return document

    changed = False
    file_missing = not document.file.storage.exists(document.file.name)
    if document.file_hash != digest or file_missing:
        old_name = document.file.name
        document.file.save(f"{demo.slug}.pdf", ContentFile(data), save=False)
        document._set_document_file_metadata()
        if old_name and not file_missing and old_name != document.file.name:
            # Remove the replaced file only once the new one is committed.
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
        changed = True
    for name, value in wanted.items():
        if getattr(document, name) != value:
            setattr(document, name, value)
            changed = True
    if changed:
        document.full_clean()
        document.save()
        report.updated.append(f"document {demo.slug}")
    return document


def _home_activities(documents: list[ResourceDocument], videos, course=None) -> list[dict]:
    interview, clip = videos if videos else (None, None)
    return [
        {
            "type": "featured_video",
            "value": {
                **content.FEATURED_VIDEO,
                "poster": None,
                "video": interview.pk if interview else None,
            },
        },
        {
            "type": "clips",
            "value": {
                "heading": content.CLIPS_HEADING,
                "clips": _items(
                    [
                        {
                            "title": item["title"],
                            "video": clip.pk if clip and index == 0 else None,
                            "questions": _items(item["questions"]),
                        }
                        for index, item in enumerate(content.CLIPS)
                    ]
                ),
            },
        },
        {
            "type": "course",
            "value": course_link_value(course)
            if course
            else {**content.COURSE, "page": None, "url": ""},
        },
        {
            "type": "downloads",
            "value": {
                "heading": content.DOWNLOADS_HEADING,
                "intro": content.DOWNLOADS_INTRO,
                "documents": _items([document.pk for document in documents]),
            },
        },
        {"type": "text", "value": content.REFLECTION_TEXT},
    ]


def _publish_if_changed(page: Page, wanted: dict, report: LoadReport, label: str) -> None:
    """Set ``wanted`` fields on ``page``; save and publish a revision only if something differs."""
    changed = False
    for name, value in wanted.items():
        current = getattr(page, name)
        if name == "activities":
            current_raw = _strip_ids(json.loads(json.dumps(list(current.raw_data))))
            if current_raw != _strip_ids(value):
                page.activities = value
                changed = True
        elif current != value:
            setattr(page, name, value)
            changed = True
    if changed or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()
        report.updated.append(label)


def ensure_home_page(
    report: LoadReport, documents: list[ResourceDocument], videos, *, with_course: bool = True
) -> HomePage:
    """The programme page as the default site's root, replacing Wagtail's welcome page.

    The e-learning course lives below it, so the page is made first and filled in after the
    course exists; its "course" activity then links to the course page.
    """
    locale = Locale.get_default()
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locale, depth=2).first()
    if home is None:
        welcome = Page.objects.filter(depth=2, slug="home", locale=locale).first()
        if welcome is not None and welcome.specific_class is Page:
            welcome.delete()
        home = HomePage(title=content.HOME_TITLE, slug="home", locale=locale, live=False)
        root.add_child(instance=home)
        report.created.append("programme page")

    course = ensure_demo_course(report, home) if with_course else None
    # Adding the course changed the tree under the page: work on a fresh copy.
    home = HomePage.objects.get(pk=home.pk)
    wanted = {
        "title": content.HOME_TITLE,
        "intro": content.HOME_INTRO,
        "activities": _home_activities(documents, videos, course),
    }
    _publish_if_changed(home, wanted, report, "programme page")

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name=content.PROGRAMME_NAME,
        )
        report.created.append("site")
    elif site.root_page_id != home.pk or site.site_name != content.PROGRAMME_NAME:
        site.root_page = home
        site.site_name = content.PROGRAMME_NAME
        site.save()
        report.updated.append("site")
    return home


def ensure_resources_page(report: LoadReport, home: HomePage) -> ResourceIndexPage:
    page = ResourceIndexPage.objects.child_of(home).first()
    if page is None:
        page = ResourceIndexPage(
            title=content.RESOURCES_TITLE,
            slug=content.RESOURCES_SLUG,
            show_in_menus=True,
            live=False,
        )
        home.add_child(instance=page)
        report.created.append("resources page")
    wanted = {
        "title": content.RESOURCES_TITLE,
        "intro": content.RESOURCES_INTRO,
        "show_in_menus": True,
    }
    _publish_if_changed(page, wanted, report, "resources page")
    return page


def ensure_programme_settings(report: LoadReport) -> None:
    site = Site.objects.get(is_default_site=True)
    programme = ProgrammeSettings.for_site(site)
    wanted = {
        "programme_name": content.PROGRAMME_NAME,
        "tagline": content.TAGLINE,
        "certificate_issuer": content.CERTIFICATE_ISSUER,
        "contact_email": content.CONTACT_EMAIL,
    }
    changed = [name for name, value in wanted.items() if getattr(programme, name) != value]
    if changed:
        for name, value in wanted.items():
            setattr(programme, name, value)
        programme.save()
        report.updated.append("programme settings")


def load_demo(*, videos: bool = True) -> LoadReport:
    """Create or bring up to date the whole demo programme; safe to run any number of times.

    New demo videos are queued for the task worker; ``videos=False`` leaves them out (tests
    that do not need them skip the transcoding).
    """
    report = LoadReport()
    with transaction.atomic():
        ensure_locales(report)
        ensure_tree_roots(report)
        documents = ensure_documents(report)
        demo_videos = ensure_demo_videos(report) if videos else None
        home = ensure_home_page(report, documents, demo_videos)
        ensure_resources_page(report, home)
        ensure_programme_settings(report)
        report.created.extend(ensure_professions())
    return report
