"""Builds the demo programme: creates what never existed and leaves everything else alone.

``load_demo`` runs at every ``make run``, so it must never undo an editor's work: each demo
object is known by a stable key (:class:`cms.demo.models.DemoObject`), an object that exists is
left exactly as it is (its fields, StreamFields, revisions, files), and one that an editor
deleted is not brought back. ``reset_demo`` (``load_demo(reset=True)``) puts the original
content back. Files are written through Django's storage API, so it works the same on local
files and on S3.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from accounts.services import ensure_professions
from cms.demo.certificates import ensure_demo_certificates
from cms.demo.course import course_link_value, ensure_demo_course
from cms.demo.documents import DEMO_DOCUMENTS, DemoDocument
from cms.demo.institutions import ensure_demo_institutions
from cms.demo.records import (
    LoadReport,
    demo_object_plan,
    demo_object_record,
    page_publish,
    stream_data,
)
from cms.demo.texts import read
from cms.demo.videos import ensure_demo_videos
from cms.models import HomePage, ProgrammeSettings, ResourceDocument, ResourceIndexPage

__all__ = ["LoadReport", "ensure_locales", "ensure_tree_roots", "load_demo"]


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
    """A Wagtail locale for every language the site offers."""
    for code, _name in settings.LANGUAGES:
        _locale, created = Locale.objects.get_or_create(language_code=code)
        if created:
            report.created.append(f"locale {code}")


def ensure_documents(report: LoadReport) -> list[ResourceDocument]:
    """The demo's downloads that exist (deleted ones are left out)."""
    root = Collection.get_first_root_node()
    documents = [_ensure_document(demo, root, report) for demo in DEMO_DOCUMENTS]
    return [document for document in documents if document is not None]


def _ensure_document(
    demo: DemoDocument, collection: Collection, report: LoadReport
) -> ResourceDocument | None:
    key = f"document:{demo.slug}"
    label = f"document {demo.slug}"
    document, write = demo_object_plan(
        report,
        key=key,
        label=label,
        legacy=lambda: ResourceDocument.objects.filter(title=demo.title).order_by("pk").first(),
    )
    if document is None and not write:
        return None
    wanted = {
        "title": demo.title,
        "description": demo.description,
        "category": demo.category,
        "revised_on": demo.revised,
    }
    if document is None:
        document = ResourceDocument(collection=collection, **wanted)
        document.file.save(demo.filename, ContentFile(demo.render()), save=False)
        document._set_document_file_metadata()
        document.full_clean()
        document.save()
        demo_object_record(key=key, obj=document)
        report.created.append(label)
        return document

    file_missing = not document.file.storage.exists(document.file.name)
    if not write:
        # The file itself vanished (a wiped media folder): put back the very same bytes, but
        # only while the document still holds the demo's file, not one an editor uploaded.
        if file_missing:
            data = demo.render()
            if document.file_hash == hashlib.sha1(data, usedforsecurity=False).hexdigest():
                document.file.storage.save(document.file.name, ContentFile(data))
                report.updated.append(f"{label}: file restored")
        return document

    data = demo.render()
    changed = False
    if file_missing or document.file_hash != hashlib.sha1(data, usedforsecurity=False).hexdigest():
        old_name = document.file.name
        document.file.save(demo.filename, ContentFile(data), save=False)
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
        report.updated.append(label)
    return document


def _home_activities(documents: list[ResourceDocument], videos, course) -> list[dict]:
    home = read("programme")["home"]
    interview, clip = videos if videos else (None, None)
    clips = [
        {
            "title": item["title"],
            "video": clip.pk if clip and index == 0 else None,
            "questions": item["questions"],
        }
        for index, item in enumerate(home["clips"])
    ]
    activities = [
        {
            "type": "featured_video",
            "value": {
                **home["featured_video"],
                "poster": None,
                "video": interview.pk if interview else None,
            },
        },
        {"type": "clips", "value": {"heading": home["clips_heading"], "clips": clips}},
        # Without a course (an editor deleted it) the programme page has no course block.
        *([{"type": "course", "value": course_link_value(course)}] if course else []),
        {
            "type": "downloads",
            "value": {
                "heading": home["downloads_heading"],
                "intro": home["downloads_intro"],
                "documents": [document.pk for document in documents],
            },
        },
        {"type": "text", "value": home["reflection"]},
    ]
    return stream_data(HomePage, "activities", activities)


def ensure_home_page(report: LoadReport, documents: list[ResourceDocument], videos):
    """The programme page as the default site's root, replacing Wagtail's welcome page.

    The e-learning course lives below it, so a new page is made first and filled in once the
    course exists; its "course" activity then links to the course page. None if an editor
    deleted it.
    """
    locale = Locale.get_default()
    home, write = demo_object_plan(
        report,
        key="page:home",
        label="programme page",
        legacy=lambda: HomePage.objects.filter(locale=locale, depth=2).first(),
    )
    if home is None and not write:
        return None
    texts = read("programme")["home"]
    if home is None:
        welcome = Page.objects.filter(depth=2, slug="home", locale=locale).first()
        if welcome is not None and welcome.specific_class is Page:
            welcome.delete()
        home = HomePage(title=texts["title"], slug="home", locale=locale, live=False)
        Page.get_first_root_node().add_child(instance=home)
        demo_object_record(key="page:home", obj=home)
        report.created.append("programme page")

    course = ensure_demo_course(report, home, videos)
    if write:
        # Adding the course changed the tree under the page: work on a fresh copy.
        home = HomePage.objects.get(pk=home.pk)
        wanted = {
            "title": texts["title"],
            "intro": texts["intro"],
            "activities": _home_activities(documents, videos, course),
        }
        page_publish(home, wanted, report, "programme page")
    return home


def ensure_site(report: LoadReport, home: HomePage) -> None:
    """The default site, rooted at the programme page and named after the programme."""
    name = read("programme")["settings"]["programme_name"]
    site, write = demo_object_plan(
        report,
        key="site",
        label="site",
        legacy=lambda: Site.objects.filter(is_default_site=True, root_page=home).first(),
    )
    if not write:
        return
    if site is None:
        # Wagtail's own default site (rooted at its welcome page) becomes the demo's.
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name=name
        )
        report.created.append("site")
    elif site.root_page_id != home.pk or site.site_name != name:
        site.root_page = home
        site.site_name = name
        site.save()
        report.updated.append("site")
    demo_object_record(key="site", obj=site)


def ensure_resources_page(report: LoadReport, home: HomePage) -> None:
    """The page that lists every download, in the menu below the programme page."""
    texts = read("programme")["resources"]
    page, write = demo_object_plan(
        report,
        key="page:resources",
        label="resources page",
        legacy=lambda: ResourceIndexPage.objects.child_of(home).first(),
    )
    if not write:
        return
    wanted = {"title": texts["title"], "intro": texts["intro"], "show_in_menus": True}
    if page is None:
        page = ResourceIndexPage(slug=texts["slug"], live=False, **wanted)
        Page.objects.get(pk=home.pk).add_child(instance=page)
        demo_object_record(key="page:resources", obj=page)
        report.created.append("resources page")
    page_publish(page.specific, wanted, report, "resources page")


def ensure_programme_settings(report: LoadReport) -> None:
    """The programme's name, tagline, certificate issuer and contact, for the default site."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    programme = ProgrammeSettings.for_site(site)
    wanted = read("programme")["settings"]
    found, write = demo_object_plan(
        report,
        key="settings:programme",
        label="programme settings",
        # Settings someone filled in before objects were recorded are theirs.
        legacy=lambda: programme if programme.programme_name else None,
    )
    if not write:
        return
    if any(getattr(programme, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(programme, name, value)
        programme.save()
        (report.updated if found is not None else report.created).append("programme settings")
    demo_object_record(key="settings:programme", obj=programme)


def load_demo(*, videos: bool = True, reset: bool = False) -> LoadReport:
    """Create what is missing of the demo programme; safe to run any number of times.

    Nothing that exists is changed and nothing an editor deleted comes back. ``reset=True``
    puts every demo object back to its original content and recreates deleted ones (what
    ``manage.py reset_demo`` does). New demo videos are queued for the task worker;
    ``videos=False`` leaves them out (tests that do not need them skip the transcoding).
    """
    report = LoadReport(reset=reset)
    with transaction.atomic():
        ensure_locales(report)
        ensure_tree_roots(report)
        documents = ensure_documents(report)
        demo_videos = ensure_demo_videos(report) if videos else None
        home = ensure_home_page(report, documents, demo_videos)
        if home is not None:
            ensure_site(report, home)
            ensure_resources_page(report, home)
        ensure_programme_settings(report)
        report.created.extend(ensure_professions())
        # Last: certificates freeze the programme's name from the settings above.
        ensure_demo_certificates(report, demo_videos)
        # Institutions, their members' certificates and the group session of the interview.
        ensure_demo_institutions(report)
    return report
