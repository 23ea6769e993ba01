"""The shared screen run from a presentation remote alone, on a TV-sized screen: from the
programme page (`/`) to full-screen, captioned playback in at most four presses of the keys a
remote sends, a pause for discussion at the end of a chapter, and the remote's other keys."""

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cms.demo.loader import load_demo
from cms.models import HomePage
from tests.e2e.test_public_pages import _axe_violations
from tests.videos.factories import CHAPTERS, ready_video
from videos.media import make_test_source

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECONDS = 12
TV = {"width": 1920, "height": 1080}
# What a presentation remote (Logitech R400/R500, Kensington and the like) can send.
REMOTE_KEYS = {"PageDown", "PageUp", "b", ".", "F5", "Shift+F5", "Escape"}
CAPTION_TRACK = """[...document.querySelector('video').textTracks]
    .find(track => track.kind === 'captions')"""


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("remote")
    return make_test_source(folder / "clip.mp4", seconds=SECONDS, width=640, height=360)


@pytest.fixture
def programme(live_server, source, tmp_path):
    """The demo programme page with a playable interview (the first card) and one clip."""
    load_demo(videos=False)  # the demo's own videos would cost a transcode each
    interview = ready_video(
        tmp_path / "interview", source=source, kind="interview", title="Intervju: vente og se"
    )
    clip = ready_video(tmp_path / "clip", source=source, kind="clip")
    home = HomePage.objects.get(depth=2)
    activities = json.loads(json.dumps(list(home.activities.raw_data)))
    for block in activities:
        if block["type"] == "featured_video":
            block["value"]["video"] = interview.pk
        elif block["type"] == "clips":
            block["value"]["clips"][0]["value"]["video"] = clip.pk
    home.activities = activities
    home.save()
    return SimpleNamespace(
        home=live_server.url + "/",
        interview=live_server.url + reverse("videos:present", args=[interview.pk]),
        clip=live_server.url + reverse("videos:present", args=[clip.pk]),
    )


class Remote:
    """Presses keys the way a presentation remote does, and counts the presses."""

    def __init__(self, page):
        self.page = page
        self.presses = 0

    def press(self, key: str) -> None:
        assert key in REMOTE_KEYS, f"{key} is not a key a presentation remote sends"
        self.presses += 1
        self.page.keyboard.press(key)


def video_state(page) -> dict:
    return page.evaluate(
        f"""() => {{ const v = document.querySelector('video'); const t = {CAPTION_TRACK};
        return {{time: v.currentTime, paused: v.paused, full: !!document.fullscreenElement,
                 captions: !!t && t.mode === 'showing',
                 cue: t && t.activeCues && t.activeCues.length ? t.activeCues[0].text : ''}}; }}"""
    )


def wait_for(page, condition: str) -> None:
    """Wait until ``condition`` holds, with v the video and t its caption track."""
    page.wait_for_function(
        f"() => {{ const v = document.querySelector('video'); const t = {CAPTION_TRACK}; "
        f"return {condition}; }}"
    )


def test_remote_alone_reaches_full_screen_captioned_playback_and_a_chapter_pause(page, programme):
    page.set_viewport_size(TV)
    remote = Remote(page)
    page.goto(programme.home)
    # The first thing in the first video card is the way to the shared screen.
    card = page.locator("[data-present-card]").first
    first = card.locator("a, button").first
    assert programme.interview.endswith(first.get_attribute("href"))
    box = first.bounding_box()
    assert box["height"] >= 56  # large enough to find across the room (3.5rem)

    with page.expect_navigation(url=programme.interview):
        remote.press("F5")  # the remote's "start the slide show"
    play = page.locator('[data-action="play"]')
    expect(play).to_be_focused()  # Enter or Space would start it too

    remote.press("F5")  # full screen, and the video plays
    wait_for(page, "!!document.fullscreenElement && !v.paused && v.currentTime > 0.6")
    wait_for(page, "t.mode === 'showing' && t.activeCues && t.activeCues.length > 0")
    state = video_state(page)
    assert state["full"] and state["captions"] and not state["paused"]
    assert state["cue"] == "Velkommen til dagens fem på fem."
    assert page.locator(".present__video").bounding_box()["width"] >= TV["width"] * 0.9
    assert remote.presses <= 4, f"{remote.presses} presses from / to captioned full screen"
    pressed_to_playback = remote.presses

    # The first chapter ends at 4 s: the video stops there for discussion, still full screen.
    pause = page.locator("[data-chapter-pause]")
    expect(pause).to_be_visible(timeout=10_000)
    expect(pause.get_by_role("heading")).to_have_text(CHAPTERS[0][0])
    state = video_state(page)
    assert state["paused"] and state["full"]
    assert abs(state["time"] - CHAPTERS[1][1]) < 0.3
    expect(page.locator("[data-announce]")).to_contain_text(CHAPTERS[0][0])

    remote.press("PageDown")  # "next" continues with the second chapter
    expect(pause).to_be_hidden()
    wait_for(page, f"!v.paused && v.currentTime > {CHAPTERS[1][1] + 0.3}")
    remote.press("b")  # the "blank screen" button pauses ...
    wait_for(page, "v.paused")
    remote.press(".")  # ... and, sent as a period by other remotes, plays again
    wait_for(page, "!v.paused")

    remote.press("PageDown")  # the next chapter
    wait_for(page, f"Math.abs(v.currentTime - {CHAPTERS[2][1]}) < 0.6")
    remote.press("PageUp")  # at a chapter's start "previous" goes to the one before
    wait_for(page, f"v.currentTime >= {CHAPTERS[1][1]} && v.currentTime < {CHAPTERS[1][1] + 1}")
    expect(page.locator("[data-current-chapter]")).to_contain_text(f"2/{len(CHAPTERS)}")

    remote.press("Escape")  # ends the show: out of full screen, paused
    wait_for(page, "!document.fullscreenElement && v.paused")
    expect(page.locator('[data-action="fullscreen"]')).to_have_attribute("aria-pressed", "false")
    assert pressed_to_playback == 2


def test_chapter_pause_switch_is_one_key_from_play(page, programme):
    page.set_viewport_size(TV)
    page.goto(programme.interview)
    switch = page.locator("[data-pause-chapters]")
    expect(switch).to_be_checked()  # on by default on the shared screen, for discussion
    expect(page.locator('[data-action="play"]')).to_be_focused()
    page.keyboard.press("Tab")
    expect(switch).to_be_focused()
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    page.keyboard.press("Space")
    expect(switch).not_to_be_checked()

    # Without the pauses the video plays through the chapter's end.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("b")
    page.wait_for_function(
        f"() => document.querySelector('video').currentTime > {CHAPTERS[1][1] + 0.5}"
    )
    expect(page.locator("[data-chapter-pause]")).to_be_hidden()


def test_remote_opens_the_card_that_has_the_focus(page, programme):
    page.set_viewport_size(TV)
    page.goto(programme.home)
    links = page.locator("a[data-present-launch]")
    expect(links).to_have_count(2)
    links.nth(1).focus()
    with page.expect_navigation(url=programme.clip):
        page.keyboard.press("F5")


def test_programme_page_and_present_mode_are_accessible_on_a_tv(page, programme):
    page.set_viewport_size(TV)
    page.goto(programme.home)
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)

    page.goto(programme.interview)
    page.wait_for_function(f"() => {{ const t = {CAPTION_TRACK}; return t && t.cues.length; }}")
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
    # And with the discussion pause over the picture.
    page.evaluate(f"() => {{ const v = document.querySelector('video'); v.muted = true; "
                  f"v.currentTime = {CHAPTERS[1][1] - 0.6}; return v.play(); }}")  # fmt: skip
    expect(page.locator("[data-chapter-pause]")).to_be_visible()
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
