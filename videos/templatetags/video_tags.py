"""Template tags for the video player: the player itself, times, and the order of MP4 sources."""

import math

from django import template
from django.utils.formats import number_format

register = template.Library()

# Phones get the 360p file without JavaScript; everyone else starts at (at most) 720p.
SMALL_SCREEN = "(max-width: 640px)"
DEFAULT_HEIGHT = 720
SPEEDS = (0.75, 1, 1.25, 1.5, 2)


@register.inclusion_tag("videos/includes/player.html", takes_context=True)
def video_player(context, video, heading_level: int = 2, present_link: bool = True):
    """The player for ``video`` with chapters, speed, transcript and reflection questions.

    Renders the same context as the video page (``videos.selectors.player_context``), so a video
    embedded in any page behaves like the one on its own page. ``heading_level`` is the level
    of the player's section headings, to fit the outline of the page around it.
    ``present_link=False`` leaves out the toolbar's link to shared-screen mode, for a card
    that already starts with one.
    """
    from videos.selectors import player_context

    request = context["request"]
    player = player_context(request, video)
    player["request"] = request
    player["heading_level"] = heading_level
    player["present_link"] = present_link
    return player


@register.simple_tag
def playback_speeds() -> list[dict]:
    """The speeds a viewer can choose, labelled in the active language's number format."""
    return [
        {"value": f"{speed:g}", "label": f"{number_format(speed)}×", "normal": speed == 1}
        for speed in SPEEDS
    ]


@register.filter
def clock(seconds) -> str:
    """``75.4`` → ``"01:15"``; an hour or more → ``"1:01:15"``. Empty for unknown times."""
    if seconds is None or seconds == "":
        return ""
    try:
        total = int(math.floor(float(seconds)))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(total, 0), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


@register.filter
def iso_duration(seconds) -> str:
    """Seconds as an ISO 8601 duration for ``<time datetime>``, e.g. ``"PT1M15S"``."""
    try:
        total = int(round(float(seconds)))
    except (TypeError, ValueError):
        return ""
    minutes, secs = divmod(max(total, 0), 60)
    return f"PT{minutes}M{secs}S" if minutes else f"PT{secs}S"


@register.filter
def seconds(value) -> str:
    """A time as a short decimal for ``#t=`` fragments and ``data-*`` attributes."""
    try:
        number = round(float(value), 2)
    except (TypeError, ValueError):
        return "0"
    return f"{number:g}"


@register.filter
def video_sources(renditions) -> list[dict]:
    """The ``<source>`` order for MP4 renditions (given in any order).

    The smallest file first for small screens (``media``), then the tallest rendition up to
    720p, then the rest from tall to short, so a browser without JavaScript picks 720p.
    """
    ordered = sorted(renditions, key=lambda rendition: rendition.height)
    if len(ordered) < 2:
        return [{"rendition": rendition, "media": ""} for rendition in ordered]
    sources = [{"rendition": ordered[0], "media": SMALL_SCREEN}]
    modest = [r for r in reversed(ordered) if r.height <= DEFAULT_HEIGHT]
    large = [r for r in ordered if r.height > DEFAULT_HEIGHT]
    sources += [{"rendition": rendition, "media": ""} for rendition in modest + large]
    return sources
