"""What a rendered page costs in queries once the layout caches are warm, and that what they keep
never crosses languages or visitors and goes stale the moment content changes.

Each count is taken on the second request, as a visitor after the first would get it; the
first request fills ``cms.layoutcache``. The query string keeps the anonymous page cache
(``cms.pagecache``) out of the way, so the page is really rendered.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms import layoutcache
from cms.models import HomePage
from tests.videos.factories import ready_video
from videos import selectors, services
from videos.media import make_test_source

pytestmark = pytest.mark.django_db

CAPTIONS_CHANGED = b"WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nEn ny tekst i undertekstene.\n"


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render-queries")
    return make_test_source(folder / "s.mp4", seconds=4, width=640, height=360)


@pytest.fixture
def featured(demo, tmp_path, source):
    """The demo programme page with a ready, captioned video as its featured video."""
    video = ready_video(tmp_path, source=source, title="Intervju om antibiotika")
    home = HomePage.objects.get(pk=demo.home.pk)
    activities = list(home.activities.raw_data)
    featured = next(block for block in activities if block["type"] == "featured_video")
    featured["value"]["video"] = video.pk
    home.activities = activities
    home.save_revision().publish()
    return video


def _second_request(client, path: str):
    """The queries and response of ``path`` requested again after a first, warming request."""
    first = client.get(path)
    assert first.status_code in (200, 404), first.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == first.status_code
    return [query["sql"] for query in queries.captured_queries], response


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_programme_page_with_a_player_costs_three_queries(client, featured):
    # Wagtail's own per-request work stays: the active locale and the page's view restrictions
    # (its ancestors, then their restrictions). Site, settings, menu, language links, the
    # activities and the player come from memory.
    queries, response = _second_request(client, "/?uncached=1")
    assert len(queries) == 3, "\n".join(queries)
    soup = _soup(response)
    assert soup.select_one("[data-video-player]")["data-video-id"] == str(featured.pk)
    assert soup.select("track[kind=captions]"), "the captions track is there"
    assert len(soup.select(".video-chapters__link")) == 3
    assert len(soup.select(".language-switcher a")) == 5
    assert soup.select(".site-nav a")


def test_player_media_is_two_queries_and_the_captions_are_read_once(featured):
    video = type(featured).objects.get(pk=featured.pk)
    layoutcache.clear()
    with CaptureQueriesContext(connection) as queries:
        media = selectors._player_media(video, "nb")
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 2, "\n".join(sql)
    assert sum("videos_videocaption" in statement for statement in sql) == 1
    assert [rendition.height for rendition in media["renditions"]] == sorted(
        rendition.height for rendition in video.renditions.all()
    )
    assert [chapter.title for chapter in media["chapters"]] == [
        "Hvorfor antibiotikastyring?",
        "Når bør vi vente?",
        "Urinveisinfeksjon hos eldre",
    ]
    assert media["chapters"][-1].end == video.duration
    assert media["default_caption"].language == "nb"
    assert media["transcript"]


@pytest.mark.parametrize("mode", ["", "present/"])
def test_video_page_and_present_mode_cost_two_queries(client, featured, mode):
    # The video itself with its collection, and the collection's view restrictions.
    queries, response = _second_request(client, f"/videos/{featured.pk}/{mode}?uncached=1")
    assert response.status_code == 200
    assert len(queries) == 2, "\n".join(queries)
    assert _soup(response).select("track[kind=captions]")


def test_a_404_reads_no_session_and_renders_no_menu(client, demo):
    queries, response = _second_request(client, "/finnes-ikke/?uncached=1")
    assert response.status_code == 404
    # Routing (the locale, the missing child page) and the two redirect lookups.
    assert len(queries) == 4, "\n".join(queries)
    assert not any("django_session" in statement for statement in queries)
    soup = _soup(response)
    assert soup.h1.get_text(strip=True) == "Fant ikke siden"
    assert not soup.select(".site-nav")
    assert [a["href"] for a in soup.select(".language-switcher a")] == [
        "/", "/nn/", "/en/", "/sv/", "/da/",
    ]  # fmt: skip


def test_cached_parts_are_kept_per_language(client, featured):
    client.get("/?uncached=1")
    norwegian = _soup(client.get("/?uncached=1"))
    client.get("/en/?uncached=1")
    english = _soup(client.get("/en/?uncached=1"))
    assert norwegian.select_one(".video-chapters h4").get_text(strip=True) == "Kapitler"
    assert english.select_one(".video-chapters h4").get_text(strip=True) == "Chapters"
    assert norwegian.select_one(".site-nav a").get_text(strip=True) == "Hjem"
    assert english.select_one(".site-nav a").get_text(strip=True) == "Home"
    current = lambda soup: soup.select_one(".language-switcher [aria-current]")["lang"]  # noqa: E731
    assert (current(norwegian), current(english)) == ("nb", "en")


def _signed_in_client(email: str) -> Client:
    user = get_user_model().objects.create_user(
        username=email, email=email, password="x-Passord-123"
    )
    client = Client()
    client.force_login(user)
    return client


def _player_token(soup: BeautifulSoup) -> str | None:
    return soup.select_one("[data-video-player]").get("data-csrf-token")


def test_a_signed_in_visitor_gets_their_own_token_and_never_an_anonymous_copy(client, featured):
    anonymous = _soup(client.get("/?uncached=1"))
    assert anonymous.select_one("[data-video-player]")["data-track-progress"] == "false"
    assert _player_token(anonymous) is None

    tokens = []
    for email in ("kari@example.org", "ola@example.org"):
        learner = _signed_in_client(email)
        for _ in range(2):  # the second from the cached fragment
            response = learner.get("/?uncached=1")
            soup = _soup(response)
            assert soup.select_one("[data-video-player]")["data-track-progress"] == "true"
            # The same request's token as the sign-out form, so the player's POSTs pass CSRF.
            logout_token = soup.select_one(".account-nav__logout [name=csrfmiddlewaretoken]")
            assert _player_token(soup) == logout_token["value"]
            tokens.append(_player_token(soup))
    assert len(set(tokens)) == len(tokens), "every request has its own token"

    again = _soup(client.get("/?uncached=1"))
    assert _player_token(again) is None


def test_published_changes_and_new_captions_show_on_the_next_request(client, featured):
    home = HomePage.objects.get(depth=2)
    activities = list(home.activities.raw_data)
    featured_block = next(block for block in activities if block["type"] == "featured_video")
    client.get("/?uncached=1")
    assert featured_block["value"]["title"] in client.get("/?uncached=1").text

    featured_block["value"]["title"] = "Et nytt intervju i år"
    home.activities = activities
    home.save_revision().publish()
    assert "Et nytt intervju i år" in client.get("/?uncached=1").text

    services.video_captions_set(
        video=featured, language="nb", data=CAPTIONS_CHANGED, filename="nb.vtt"
    )
    page = client.get("/?uncached=1").text
    assert "En ny tekst i undertekstene." in page
    video_page = client.get(f"/videos/{featured.pk}/?uncached=1").text
    assert "En ny tekst i undertekstene." in video_page
