"""An editor whose admin language is Bokmål walks the admin pages they use and meets no English.

The walk: a page's edit view (with unsaved edits, the status side panel and the scheduling
dialog open), a video's edit view, a quiz's edit view (with its scheduling dialog), the snippets
listing and the quiz and video activity listings. On each, the text a person can see is checked
against English strings Wagtail's own Bokmål catalogue leaves untranslated (the project supplies
them in ``locale_overrides/``), and against the known mistranslation "Tiittel".
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from cms.demo.loader import load_demo
from cms.models import HomePage
from quizzes.models import Quiz
from videos.models import Video, VideoCaption, VideoChapter, VideoStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EDITOR = "redaktor"
PASSWORD = "Sommerkurs-i-Bodø-2026"

# English an editor met on these pages before the overrides: Wagtail's Bokmål catalogue has no
# translation for them (or, for "Tiittel", a wrong one). Matched as whole words, case-sensitive.
KNOWN_ENGLISH = [
    # The footer and autosave.
    "You have unsaved edits",
    "unsaved edits",
    "Save your changes before leaving",
    "Actions (footer)",
    "Actions",
    # The scheduling dialog.
    "Set publishing schedule",
    "Choose when this page should go live and/or expire",
    "Schedule to publish",
    "Save schedule",
    "Close dialog",
    "Go-live date/time",
    "Expiry date/time",
    # The status side panel.
    "Set schedule",
    "Edit schedule",
    "No publishing schedule set",
    "First published",
    "View history",
    "Locale",
    "Locking",
    "Anyone can edit this",
    "Page visibility",
    "Once live anyone can view",
    "Visible to all",
    "No other translations",
    "Referenced",
    # Side panels, menus, StreamField and listings.
    "Side panels",
    "Side panel width",
    "Toggle side panel",
    "Toggle status",
    "Toggle preview",
    "Toggle checks",
    "Toggle comments",
    "Toggle section",
    "Toggle sidebar",
    "Toggle breadcrumbs",
    "Minimap",
    "Main menu",
    "Insert a block",
    "Duplicate",
    "Collapse all",
    "Add comment",
    "Help",
    "Show filters",
    "Sort by",
    "new items in this menu",
    # Python's booleans in listings, and words Wagtail's catalogue does translate elsewhere.
    "True",
    "False",
    "None",
    "Yes",
    "No",
    "Title",
    "Preview",
    "Publish",
    "Save draft",
    "History",
    "Comments",
    "Snippets",
    "Captions",
    "Chapters",
    "Duration",
]
MISTRANSLATED = ["Tiittel"]
UNSAVED_WATCHER_READY = """() => {
    const form = document.querySelector("[data-edit-form]");
    const watcher = window.wagtail.app.getControllerForElementAndIdentifier(form, "w-unsaved");
    return Boolean(watcher && watcher.initialFormData);
}"""


def _visible_text(page) -> str:
    """What a person meets: rendered text of visible elements, and the placeholders, labels and
    tooltips of visible elements (a screen reader reads the labels out)."""
    text = page.locator("body").inner_text()
    attributes = page.eval_on_selector_all(
        "[placeholder], [aria-label], [title]",
        """els => els.filter(e => e.checkVisibility()).flatMap(
            e => ["placeholder", "aria-label", "title"].map(a => e.getAttribute(a) || "")
        )""",
    )
    return "\n".join([text, *attributes])


def _english_in(text: str) -> list[str]:
    found = []
    for phrase in [*KNOWN_ENGLISH, *MISTRANSLATED]:
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text):
            found.append(phrase)
    return found


def _check(page, where: str, seen: dict[str, list[str]]) -> None:
    page.wait_for_load_state("networkidle")
    found = _english_in(_visible_text(page))
    if found:
        seen[where] = found


def _editor():
    user = get_user_model().objects.create_superuser(
        username=EDITOR, email="redaktor@example.no", password=PASSWORD
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "nb"
    profile.save()
    return user


def _video() -> Video:
    """A ready video with Norwegian captions and two chapters, as an editor's would be."""
    video = Video.objects.create(
        title="Samtale om kanylering", collection=Collection.get_first_root_node(),
        source="videos/source/demo/kanylering.mp4", status=VideoStatus.READY, duration=95.0,
    )  # fmt: skip
    VideoCaption.objects.create(video=video, language="nb", webvtt="WEBVTT\n")
    VideoChapter.objects.create(video=video, title="Forberedelse", start=0, sort_order=0)
    VideoChapter.objects.create(video=video, title="Stikket", start=40, sort_order=1)
    return video


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.locator("input[name=username]").fill(EDITOR)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")


def _open_schedule_dialog(page) -> None:
    page.locator("[data-side-panel-toggle=status]").click()
    expect(page.locator("[data-side-panel=status]")).to_be_visible()
    page.locator("[data-a11y-dialog-show=schedule-publishing-dialog]").first.click()
    expect(page.locator("#schedule-publishing-dialog")).to_be_visible()


def test_an_editor_in_bokmal_meets_no_english_in_the_admin(page, live_server):
    load_demo(videos=False)
    _editor()
    video = _video()
    home = HomePage.objects.get(depth=2)
    quiz = Quiz.objects.order_by("pk").first()
    base = live_server.url
    seen: dict[str, list[str]] = {}

    _sign_in(page, base)
    expect(page.locator("html")).to_have_attribute("lang", "nb")

    page.goto(f"{base}/admin/pages/{home.pk}/edit/")
    _check(page, "page edit", seen)
    # Typing makes the page autosave a draft, which the footer reports.
    page.locator("#id_title").fill(home.title + " (utkast)")
    _check(page, "page edit, autosaved", seen)
    _open_schedule_dialog(page)
    _check(page, "page schedule dialog", seen)

    page.goto(f"{base}/admin/videos/edit/{video.pk}/")
    _check(page, "video edit", seen)
    # Videos have no drafts: typing makes the "unsaved edits" warning appear in the footer, once
    # the form's watcher has taken its first look at the form (two seconds after load).
    page.wait_for_function(UNSAVED_WATCHER_READY)
    page.locator("#id_title").fill(video.title + " (ny)")
    expect(page.locator(".footer__save-warning")).not_to_be_empty()
    _check(page, "video edit, unsaved", seen)

    page.goto(f"{base}/admin/snippets/quizzes/quiz/edit/{quiz.pk}/")
    _check(page, "quiz edit", seen)
    # Quizzes offer no scheduling yet (their panels have no publishing panel): the status panel.
    page.locator("[data-side-panel-toggle=status]").click()
    expect(page.locator("[data-side-panel=status]")).to_be_visible()
    _check(page, "quiz status panel", seen)

    for where, path in [
        ("snippets listing", "/admin/snippets/"),
        ("quiz listing", "/admin/snippets/quizzes/quiz/"),
        ("video activity listing", "/admin/snippets/videos/videoactivity/"),
        ("video listing", "/admin/videos/"),
    ]:
        page.goto(base + path)
        _check(page, where, seen)

    assert seen == {}
