"""Read a learner's watch-progress report defensively: bounded, finite, inside the video.

The player posts ``{"intervals": [[start, end], ...], "position": seconds}`` every few seconds.
Anyone logged in can post anything, so the body is bounded in size and nesting depth before
``json.loads`` sees it (deep nesting exhausts Python's recursion), every number must be finite
(``json.loads`` takes ``NaN``, ``Infinity`` and 400-digit integers, which ``float()`` cannot hold),
and every time must lie inside the video. No Django models here: the rules are testable alone.
"""

import json
import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_BODY_BYTES = 16 * 1024
# {"intervals": [[0, 1]]} nests three deep; a little room, far below Python's recursion limit.
MAX_DEPTH = 8
MAX_INTERVALS = 200
# Players report the end of the last frame a little past the probed duration.
DURATION_TOLERANCE = 1.0
# A JSON number longer than this cannot be a time in seconds (and is costly to convert).
_MAX_NUMBER_CHARS = 32


class ProgressError(ValueError):
    """A progress report that cannot be stored; ``message`` says why, for the player."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProgressReport:
    """What a learner played: intervals inside the video (start <= end), and where they are."""

    intervals: list[list[float]]
    position: float | None


def parse_progress_body(body: bytes, *, duration: float | None) -> ProgressReport:
    """The report in a request body, or ``ProgressError``; ``duration`` is the video's, in s."""
    if len(body) > MAX_BODY_BYTES:
        raise ProgressError(_("The progress report is too large."))
    if not body.strip():
        return ProgressReport(intervals=[], position=None)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProgressError(_("The progress report is not valid JSON.")) from exc
    if _nesting_depth(text) > MAX_DEPTH:
        raise ProgressError(_("The progress report is nested too deeply."))
    try:
        payload = json.loads(
            text, parse_int=_number, parse_float=_number, parse_constant=_no_constant
        )
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, ProgressError):
            raise
        raise ProgressError(_("The progress report is not valid JSON.")) from exc
    if not isinstance(payload, dict):
        raise ProgressError(_("The progress report must be a JSON object."))
    return ProgressReport(
        intervals=clean_intervals(payload.get("intervals", []), duration=duration),
        position=clean_position(payload.get("position"), duration=duration),
    )


def clean_intervals(raw, *, duration: float | None) -> list[list[float]]:
    """Played intervals as ``[start, end]`` floats inside the video (end clamped to it)."""
    limit = float(duration or 0)
    if not isinstance(raw, list | tuple) or len(raw) > MAX_INTERVALS:
        raise ProgressError(
            _("Send at most %(count)s played intervals at a time.") % {"count": MAX_INTERVALS}
        )
    cleaned = []
    for item in raw:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise ProgressError(_("Each interval is a pair of numbers."))
        start, end = (_seconds(value) for value in item)
        if start is None or end is None:
            raise ProgressError(_("Each interval is a pair of numbers."))
        if start > end:
            raise ProgressError(_("An interval ends before it starts."))
        if start < 0 or end > limit + DURATION_TOLERANCE:
            raise ProgressError(_("An interval lies outside the video."))
        cleaned.append([start, min(end, limit)])
    return cleaned


def clean_position(raw, *, duration: float | None) -> float | None:
    """Where the learner is, in seconds inside the video (clamped to its end), or ``None``."""
    if raw is None:
        return None
    limit = float(duration or 0)
    position = _seconds(raw)
    if position is None:
        raise ProgressError(_("The position must be a number of seconds."))
    if not 0 <= position <= limit + DURATION_TOLERANCE:
        raise ProgressError(_("The position lies outside the video."))
    return min(position, limit)


def _seconds(value) -> float | None:
    # bool is an int in Python; ``true`` is not a time.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _number(text: str) -> float:
    if len(text) > _MAX_NUMBER_CHARS:
        raise ProgressError(_("A number in the progress report is too long."))
    number = float(text)
    if not math.isfinite(number):
        raise ProgressError(_("A number in the progress report is too large."))
    return number


def _no_constant(name: str):
    raise ProgressError(_("NaN and Infinity are not numbers of seconds."))


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counted without parsing (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
