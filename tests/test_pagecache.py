"""The anonymous page cache: public pages replayed from memory, never a personal one, and a
content change seen by every process within two seconds.

The first part drives this process's middleware stack with Django's test client. The second
runs the site in gunicorn (another process, as in production) on the test database and changes
content from here and from ``manage.py publish_scheduled`` (a third process, as the worker
runs it), once with the content version in the database row and once in Redis.
"""

import datetime
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Revision, Site

from cms import contentversion
from cms.models import HomePage, ProgrammeSettings, ResourceDocument, ResourceIndexPage
from courses.models import CoursePage, ModulePage
from quizzes.models import QuizAttempt
from tests.courses.course_factories import make_course
from tests.quizzes.factories import right_answers
from tests.support.processes import database_url, free_port, stop

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Kanylering-og-urinstix-2026"
HEADER = "X-Page-Cache"


def _learner(email="kari@example.no", full_name="Kari Nordmann"):
    from accounts.services import learner_profile_update

    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    return user


# --- In this process ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_second_anonymous_visit_is_replayed_and_browsers_are_told_to_revalidate(client, demo):
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == 200
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"] and second["ETag"].startswith('"')
    assert second["Cache-Control"] == "no-cache"
    # The replayed page keeps the headers the page was rendered with.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.django_db
def test_a_browser_holding_the_page_gets_304(client, demo):
    etag = client.get("/")["ETag"]
    again = client.get("/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again[HEADER] == "hit"
    other = client.get("/", headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200 and other.content


@pytest.mark.django_db
def test_each_language_is_its_own_entry(client, demo):
    norwegian = client.get("/")
    english = client.get("/en/")
    assert english.status_code == 200
    assert english[HEADER] == "miss"  # not the Bokmål page replayed under another address
    assert _lang(norwegian) == "nb" and _lang(english) == "en"
    assert _lang(client.get("/en/")) == "en" and _lang(client.get("/")) == "nb"
    assert client.get("/en/")[HEADER] == client.get("/")[HEADER] == "hit"


def _lang(response) -> str:
    return BeautifulSoup(response.content, "html.parser").html["lang"]


@pytest.mark.django_db
def test_a_query_string_is_rendered_every_time(client, demo):
    client.get(demo.resources.url)
    filtered = demo.resources.url + "?category=flowchart"
    assert client.get(filtered).get(HEADER) is None
    assert client.get(filtered).get(HEADER) is None


@pytest.mark.django_db
def test_logged_in_users_never_see_a_cached_page(client, demo):
    client.get("/")
    assert client.get("/")[HEADER] == "hit"
    client.force_login(_learner())
    signed_in = client.get("/")
    assert signed_in.get(HEADER) is None  # rendered for them, not looked up
    assert BeautifulSoup(signed_in.content, "html.parser").select(".account-nav__logout")
    # Their page was not stored for others: the next visitor still gets the anonymous one.
    client.logout()
    anonymous = client.get("/")
    assert anonymous[HEADER] == "hit"
    assert not BeautifulSoup(anonymous.content, "html.parser").select(".account-nav__logout")


@pytest.mark.django_db
def test_a_page_with_a_csrf_token_is_never_stored(client, demo):
    PageViewRestriction.objects.create(
        page=demo.resources, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    for _ in range(2):
        response = client.get(demo.resources.url)
        assert response.status_code == 200
        assert response[HEADER] == "miss"
        form = BeautifulSoup(response.content, "html.parser").find("form")
        assert form.find("input", {"name": "csrfmiddlewaretoken"})["value"]
        client.cookies.clear()  # as a new visitor would come


def _signed_in_elsewhere(request):
    # An authentication that needs no session cookie (a token, a proxy's header) sets the user.
    request.user = get_user_model().objects.get(username="kari")
    template = engines["django"].from_string("<html><body>Hei {{ request.user.get_full_name }}")
    return HttpResponse(template.render({}, request))


urlpatterns = [path("hei/", _signed_in_elsewhere)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_page_rendering_a_users_name_is_never_stored(client):
    learner = _learner()
    get_user_model().objects.filter(pk=learner.pk).update(first_name="Kari", last_name="Nordmann")
    for _ in range(2):
        response = client.get("/hei/")
        assert b"Kari Nordmann" in response.content
        assert response[HEADER] == "miss"


@pytest.mark.django_db
def test_signing_in_does_not_empty_the_cache(client, demo):
    _learner()
    client.get("/")
    visitor = type(client)()
    response = visitor.post("/konto/login/", {"login": "kari@example.no", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in visitor.session
    assert client.get("/")[HEADER] == "hit"


@pytest.mark.django_db
def test_a_quiz_submission_does_not_empty_the_cache(client, demo):
    course = make_course(demo.home, modules=1)
    module = ModulePage.objects.child_of(course).get().specific
    learner = type(client)()
    learner.force_login(_learner())
    learner.get(module.url)
    html = learner.get(module.url + "2/").content.decode()
    form = BeautifulSoup(html, "html.parser").select_one("form.quiz__form")
    data = {
        field["name"]: field["value"]
        for field in form.find_all("input", {"type": "hidden"})
        if field.get("name") != "csrfmiddlewaretoken"
    }
    data |= {f"q-{key}": value for key, value in right_answers(module.quizzes()[0]).items()}
    client.get("/")
    client.get(course.url)
    assert learner.post(module.url + "quiz/", data).status_code == 302
    assert QuizAttempt.objects.get().passed
    assert client.get("/")[HEADER] == "hit"
    assert client.get(course.url)[HEADER] == "hit"


@pytest.mark.django_db
def test_a_publish_here_is_seen_at_once_here(client, demo):
    client.get("/")
    home = demo.home
    home.title = "Ny overskrift på programsiden"
    home.save_revision().publish()
    response = client.get("/")
    assert response[HEADER] == "miss"
    assert b"Ny overskrift p\xc3\xa5 programsiden" in response.content


# --- Another process ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    cache: str | None
    body: str


def _get(url: str) -> Answer:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return Answer(response.status, response.headers.get(HEADER), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get(HEADER), error.read().decode())
    except OSError:
        return Answer(0, None, "")


@pytest.fixture(params=["database", "redis"])
def version_store(request, settings):
    """Where every process reads the content version; the environment for the children."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE", "REDIS", "CACHE_KEY_PREFIX"))
    }
    env |= {"DJANGO_SETTINGS_MODULE": "cms.settings.test", "DATABASE_URL": database_url()}
    settings.PAGE_CACHE_VERSION_STORE = request.param
    if request.param == "redis":
        location = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        prefix = f"{os.environ.get('CACHE_KEY_PREFIX', 'kompetanse-test')}-pagecache"
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": location,
                "KEY_PREFIX": prefix,
            }
        }
        env |= {"REDIS_URL": location, "CACHE_KEY_PREFIX": prefix}
    return env


@pytest.fixture
def server(version_store, media_storage, transactional_db):
    """The site in gunicorn (one worker: one process's memory) on the test database."""
    port = free_port()
    env = version_store | {"MEDIA_ROOT": str(media_storage)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "cms.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while _get(base + "/healthz").status == 0:
            assert process.poll() is None, "gunicorn exited"
            assert time.monotonic() - started < 60, "gunicorn did not answer within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        stop(process)


@pytest.fixture
def site(transactional_db, tmp_path):
    """A programme page, a resources page with one download, and a captioned video."""
    from tests.videos.factories import ready_video

    home = HomePage(title="Programsiden", slug="programsiden", intro="<p>Første utgave</p>")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    resources = ResourceIndexPage(title="Ressurser", slug="ressurser", show_in_menus=True)
    home.add_child(instance=resources)
    resources.save_revision().publish()
    document = ResourceDocument.objects.create(
        title="Sjekkliste for urinveisinfeksjon",
        category="checklist",
        file=ContentFile(b"%PDF-1.4 first", name="sjekkliste-1.pdf"),
    )
    programme = ProgrammeSettings.for_site(Site.objects.get())
    programme.programme_name = "Antibiotikaprogrammet"
    programme.save()
    video = ready_video(tmp_path, seconds=2, width=320, height=180, chapters=())
    return {"home": home, "resources": resources, "document": document, "video": video}


def _cached(url: str) -> None:
    """Two visits: the second must come from the server's memory, or the test proves nothing."""
    _get(url)
    answer = _get(url)
    assert (answer.status, answer.cache) == (200, "hit"), url


def _within_two_seconds(url: str, shows, what: str) -> float:
    """Ask as the next visitors would until the change shows; how long it took."""
    started = time.monotonic()
    while True:
        answer = _get(url)
        if shows(answer):
            return time.monotonic() - started
        assert time.monotonic() - started < 2.0, f"{what}: still {answer.status} {answer.cache}"
        time.sleep(0.05)


def _publish_scheduled(env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "publish_scheduled"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


def test_content_changes_reach_another_process_within_two_seconds(site, server, version_store):
    from videos.services import video_captions_set

    home, resources, document, video = (
        site[name] for name in ("home", "resources", "document", "video")
    )
    taken = {}

    # Site settings: the programme's name is in every page's header.
    _cached(server + "/")
    programme = ProgrammeSettings.for_site(Site.objects.get())
    programme.programme_name = "Smittevernprogrammet"
    programme.save()
    taken["settings"] = _within_two_seconds(
        server + "/", lambda a: "Smittevernprogrammet" in a.body, "the new programme name"
    )

    # A publish.
    _cached(server + "/")
    home.intro = "<p>Andre utgave</p>"
    home.save_revision().publish()
    taken["publish"] = _within_two_seconds(
        server + "/", lambda a: "Andre utgave" in a.body, "the published introduction"
    )

    # A document's file replaced: the resources page links to the new file.
    _cached(server + resources.url)
    document.file = ContentFile(b"%PDF-1.4 second, longer", name="sjekkliste-2.pdf")
    document.file_size = None
    document.save()
    taken["document"] = _within_two_seconds(
        server + resources.url, lambda a: "sjekkliste-2" in a.body, "the replaced document"
    )

    # A video's captions: English captions added, so the player offers an English track.
    video_url = f"{server}/videos/{video.pk}/"
    _cached(video_url)
    assert 'srclang="en"' not in _get(video_url).body
    video_captions_set(
        video=video, language="en", data=b"WEBVTT\n\n00:00.000 --> 00:01.500\nWelcome\n"
    )
    taken["captions"] = _within_two_seconds(
        video_url, lambda a: 'srclang="en"' in a.body, "the new caption track"
    )

    # Scheduled go-live, published by publish_scheduled in a process of its own.
    course = CoursePage(
        title="Planlagt kurs", slug="planlagt-kurs", show_in_menus=True, credit_hours=2
    )
    course.live = False
    home.add_child(instance=course)
    course.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = course.save_revision()
    revision.publish()  # scheduled: not live yet
    course.refresh_from_db()
    assert not course.live
    _cached(server + "/")
    assert "Planlagt kurs" not in _get(server + "/").body
    # Its time comes (moved back, not waited for), then the worker's command runs.
    due = timezone.now() - datetime.timedelta(seconds=1)
    content = {**revision.content, "go_live_at": due.isoformat()}
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=due, content=content)
    _publish_scheduled(version_store)
    assert CoursePage.objects.get(pk=course.pk).live
    taken["scheduled"] = _within_two_seconds(
        server + "/", lambda a: "Planlagt kurs" in a.body, "the scheduled course in the menu"
    )

    # An unpublish: the resources page goes away, and from the menu.
    _cached(server + resources.url)
    resources.unpublish()
    taken["unpublish"] = _within_two_seconds(
        server + resources.url, lambda a: a.status == 404, "the unpublished page's 404"
    )
    assert "Ressurser" not in _get(server + "/").body

    assert set(taken) == {"settings", "publish", "document", "captions", "scheduled", "unpublish"}


def test_the_shared_version_is_raised_only_after_commit(transactional_db, version_store):
    from django.db import transaction

    contentversion.forget()
    before = contentversion.current()
    with transaction.atomic():
        contentversion.bump()
        contentversion.forget()
        assert contentversion.current() == before  # others must not re-render old content
    contentversion.forget()
    assert contentversion.current() == before + 1
