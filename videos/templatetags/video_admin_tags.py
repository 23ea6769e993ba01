"""Small filters for video listings: durations as m:ss."""

from django import template

from videos.forms import format_timecode

register = template.Library()


@register.filter
def timecode(seconds) -> str:
    """90.5 -> "1:30"; empty for unknown durations."""
    if seconds in (None, ""):
        return ""
    return format_timecode(int(float(seconds)))
