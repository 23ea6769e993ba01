"""The video player in Chromium, used the way a person would: play, captions, chapters, speed,
transcript, keys; shared-screen mode from a keyboard or presentation remote; watch tracking."""

import json
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from cms.demo.loader import load_demo
from tests.e2e.test_public_pages import _axe_violations
from tests.videos.factories import CHAPTERS, ready_video
from videos import services
from videos.media import make_test_source
from videos.templatetags.video_tags import video_sources

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECONDS = 12
REFLECTION = "<ol><li>Hva gjør vi i dag når en beboer får feber?</li></ol>"
CAPTION_TRACK = """() => [...document.querySelector('video').textTracks]
    .find(track => track.kind === 'captions')"""


@pytest.fixture(scope="module")
def clip_source(tmp_path_factory):
    """One short real clip (picture and sound) for the module; each test transcodes its own."""
    folder = tmp_path_factory.mktemp("clip")
    return make_test_source(folder / "clip.mp4", seconds=SECONDS, width=640, height=360)


@pytest.fixture
def clip(live_server, clip_source, tmp_path):
    load_demo(videos=False)  # the demo videos would cost a transcode each; we make our own
    video = ready_video(tmp_path, source=clip_source, reflection_questions=REFLECTION)
    base = live_server.url
    # The interface in English (the source strings), whatever the state of the catalogues; the
    # captions are Bokmål, which the player falls back to.
    with translation.override("en"):
        return SimpleNamespace(
            video=video,
            detail=base + reverse("videos:detail", args=[video.pk]),
            present=base + reverse("videos:present", args=[video.pk]),
            progress=base + reverse("videos:progress", args=[video.pk]),
            base=base,
        )


@pytest.fixture
def problems(page):
    """Console errors (CSP violations among them) and uncaught script errors on the page."""
    found: list[str] = []

    def console(message):
        # The site has no favicon yet; Chromium's own request for one is not this page's doing.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            found.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def video_state(page) -> dict:
    return page.evaluate(
        """() => { const v = document.querySelector('video');
        return {time: v.currentTime, paused: v.paused, rate: v.playbackRate,
                src: v.currentSrc}; }"""
    )


def play_muted(page) -> None:
    page.evaluate("async () => { const v = document.querySelector('video'); v.muted = true; "
                  "await v.play(); }")  # fmt: skip


def wait_for_time(page, condition: str) -> None:
    page.wait_for_function(f"() => {{ const t = document.querySelector('video').currentTime; "
                           f"return {condition}; }}")  # fmt: skip


def wait_for_caption_cues(page) -> None:
    page.wait_for_function(
        f"() => {{ const track = ({CAPTION_TRACK})(); "
        "return track && track.mode === 'showing' && track.cues && track.cues.length > 0; }"
    )


def test_detail_page_plays_with_captions_chapters_speed_and_transcript(page, clip, problems):
    page.goto(clip.detail)
    expect(page.locator("h1")).to_have_text(clip.video.title)
    # Without JavaScript the browser plays the MP4 (one rendition for a 360p source).
    source = page.locator("video source")
    expect(source).to_have_count(1)
    assert source.get_attribute("src").endswith("/360p.mp4")
    track = page.locator("video track[kind=captions]")
    assert track.get_attribute("srclang") == "nb"
    assert track.get_attribute("default") is not None

    wait_for_caption_cues(page)
    assert page.evaluate(f"({CAPTION_TRACK})().language") == "nb"

    play_muted(page)
    wait_for_time(page, "t > 1")
    state = video_state(page)
    assert not state["paused"]
    assert state["src"].endswith("/hls/master.m3u8")  # Chromium plays HLS itself

    chapter_title, chapter_start = CHAPTERS[2]
    page.get_by_role("link", name=chapter_title).click()
    wait_for_time(page, f"t >= {chapter_start} && t < {chapter_start + 1}")
    expect(page.get_by_role("link", name=chapter_title)).to_have_attribute("aria-current", "true")

    page.get_by_label("Playback speed").select_option("1.5")
    assert video_state(page)["rate"] == 1.5

    # The player's keys work while focus is in it: k pauses, ArrowLeft goes back 10 s.
    page.locator("video").focus()
    page.keyboard.press("k")
    page.wait_for_function("() => document.querySelector('video').paused")
    before = video_state(page)["time"]
    page.keyboard.press("ArrowLeft")
    wait_for_time(page, f"Math.abs(t - {max(before - 10, 0)}) < 0.5")

    page.get_by_text("Show the transcript").click()
    expect(page.get_by_text("Når bør vi vente med antibiotika?")).to_be_visible()
    page.locator(".video-transcript__time").nth(1).click()
    wait_for_time(page, "t >= 4.2 && t < 5.2")
    assert problems == []


def test_sources_give_phones_360p_and_others_720p_without_javascript():
    renditions = [SimpleNamespace(name=f"{h}p", height=h) for h in (1080, 360, 720)]
    sources = [(s["rendition"].name, s["media"]) for s in video_sources(renditions)]
    assert sources == [("360p", "(max-width: 640px)"), ("720p", ""), ("360p", ""), ("1080p", "")]


def test_detail_page_is_accessible_and_fits_a_phone(page, clip, problems, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(clip.detail)
    wait_for_caption_cues(page)
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert problems == []


def test_present_mode_is_run_from_the_keyboard(page, clip, problems):
    page.goto(clip.present)
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    wait_for_caption_cues(page)
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)

    page.keyboard.press("k")
    page.wait_for_function("() => !document.querySelector('video').paused")
    page.keyboard.press("k")
    page.wait_for_function("() => document.querySelector('video').paused")

    start = video_state(page)["time"]
    page.keyboard.press("ArrowRight")
    wait_for_time(page, f"Math.abs(t - {start + 10}) < 0.5")
    page.keyboard.press("ArrowLeft")  # a remote's PageUp/PageDown: test_present_remote.py
    wait_for_time(page, f"Math.abs(t - {start}) < 0.5")

    captions = page.get_by_role("button", name="Captions")
    expect(captions).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("c")
    assert page.evaluate(f"({CAPTION_TRACK})().mode") != "showing"
    expect(captions).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("c")
    assert page.evaluate(f"({CAPTION_TRACK})().mode") == "showing"

    page.keyboard.press("n")
    wait_for_time(page, f"Math.abs(t - {CHAPTERS[1][1]}) < 0.3")

    # Tab reaches the controls in the order they are shown, each with a visible focus ring.
    # Play has the focus from the start; the keys above did not move it.
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_focused()
    names = ["Play"]
    for _ in range(8):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.innerText.trim()"))
        assert page.evaluate("document.activeElement.matches(':focus-visible')")
    assert names == [
        "Play",
        "",  # the chapter-pause switch, one Tab after Play
        "Previous chapter",
        "Back 10 s",
        "Forward 10 s",
        "Next chapter",
        "Captions",
        "Full screen",
        "Leave shared-screen mode",
    ]
    assert problems == []


def test_present_mode_pauses_for_discussion_after_each_chapter(page, clip, problems):
    page.goto(clip.present)
    expect(page.get_by_label("Pause after each chapter")).to_be_checked()  # a "5 in 5" clip
    first_title, _start = CHAPTERS[0]
    second_start = CHAPTERS[1][1]
    page.evaluate(f"() => {{ document.querySelector('video').currentTime = {second_start - 1}; }}")
    play_muted(page)

    overlay = page.locator("[data-chapter-pause]")
    expect(overlay).to_be_visible()
    expect(overlay.get_by_role("heading")).to_have_text(first_title)
    expect(overlay.get_by_role("timer")).to_have_text(
        re.compile(r"00:0[1-9]")
    )  # the discussion timer runs
    state = video_state(page)
    assert state["paused"]
    assert abs(state["time"] - second_start) < 0.3
    expect(page.get_by_role("button", name="Continue")).to_be_focused()

    page.keyboard.press("PageDown")  # the remote's "next" continues
    expect(overlay).to_be_hidden()
    page.wait_for_function("() => !document.querySelector('video').paused")

    # After the last chapter's discussion come the reflection questions.
    page.evaluate(f"() => {{ document.querySelector('video').currentTime = {SECONDS - 1}; }}")
    expect(overlay.get_by_role("heading")).to_have_text(CHAPTERS[-1][0])
    page.keyboard.press("Enter")
    expect(page.get_by_text("Hva gjør vi i dag når en beboer får feber?")).to_be_visible()
    assert problems == []


def test_watch_tracking_counts_only_what_was_played(page, clip, problems):
    user = get_user_model().objects.create_user("learner", password="not-used-here")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": clip.base}]
    )
    page.goto(clip.detail)
    play_muted(page)
    wait_for_time(page, "t >= 3")
    with page.expect_response(
        lambda response: response.url == clip.progress and response.request.method == "POST"
    ) as posted:
        page.evaluate("() => { const v = document.querySelector('video'); "
                      "v.currentTime = v.duration; }")  # fmt: skip  # dragged to the end
    assert posted.value.ok

    saved = page.evaluate(f"async () => (await fetch('{clip.progress}')).json()")
    assert 2.5 <= saved["seconds_watched"] < 6
    assert saved["watched"] is False
    assert saved["position"] > SECONDS - 1
    expect(page.get_by_text("Watched", exact=True)).to_be_hidden()

    # Back another day: the whole video watched, stopped half way. The page says so and offers
    # to go on from there, or to start again.
    services.watch_progress_record(
        user=user, video=clip.video, intervals=[[0, clip.video.duration]], position=6
    )
    page.goto(clip.detail)
    expect(page.get_by_text("Watched", exact=True)).to_be_visible()
    expect(page.locator("[data-resume]")).to_contain_text("00:06")
    wait_for_time(page, "Math.abs(t - 6) < 0.5")
    page.get_by_role("button", name="Start from the beginning").click()
    wait_for_time(page, "t < 0.5")
    assert problems == []
