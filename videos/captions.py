"""Parse, validate and sanitise caption and chapter files that editors upload for a video.

WebVTT is read as is and SRT is converted; the result is always a clean WebVTT file. Cue text
keeps only WebVTT's own harmless markup, so captions can be served and shown without trusting the
uploader. Every fault is a ``CaptionError`` naming the line of the uploaded file to fix.
"""

import codecs
import html
import math
import re
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

MAX_CAPTION_BYTES = 2 * 1024 * 1024
MAX_CUES = 20000
# No training video runs for a day; a later time is a typo or a broken export.
_MAX_MS = 24 * 3600 * 1000

_NEWLINE = re.compile(r"\r\n|\r|\n")
# C0/C1 controls (not tab or newline), lone surrogates and Unicode line separators: invisible,
# and some of them end a line in one player but not in another.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_SKIPPED_BLOCK = re.compile(r"NOTE(?:[ \t].*)?|STYLE|REGION")
_TIMING = re.compile(r"\s*(\S+?)\s*-->\s*(\S+)(.*)")
_TIMING_LIKE = re.compile(r"\d:\d\d|->|--")
_VTT_TIME = re.compile(r"(?:(\d{1,9}):)?(\d{2}):(\d{2})\.(\d{3})")
_SRT_TIME = re.compile(r"(?:(\d{1,9}):)?(\d{2}):(\d{2})[,.](\d{3})")
_SRT_OVERRIDE = re.compile(r"\{\\[^{}\n]*\}")
_SRT_TIMING_START = re.compile(r"\s*(?:\d+:)?\d{2}:\d{2},\d{3}\s*-->")
_SEQUENCE = re.compile(r"[0-9]+")
# Like HTML, "<" starts a tag only before a letter, "/" or a timestamp: "3 < 5 > 4" is text.
# Quoted attribute values may hold ">", so `<img alt="a>b" onerror=...>` goes whole; a lone quote
# (`<v O'Brien>`) falls back to the plain form. No two branches match the same text, and none
# crosses "<" or a newline, so hostile input cannot make matching slow.
_TAG = re.compile(
    r"""<[A-Za-z/](?:[^<>\n"']|"[^"<\n]*"|'[^'<\n]*')*>|<[A-Za-z/][^<>\n]*>|<\d[\d:.]*>"""
)
_TAG_PARTS = re.compile(r"(/?)([^\s./]*)((?:\.[^\s.]*)*)(?:\s+(.*))?", re.S)
_ANY_TAG = re.compile(r"<[^<>]*>")
_SAFE_TAGS = frozenset({"b", "i", "u", "c", "v", "lang", "ruby", "rt"})
_CLASS = re.compile(r"[A-Za-z0-9_-]+")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_PERCENT = r"(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)%"
_SETTINGS = {
    "vertical": re.compile(r"rl|lr"),
    "line": re.compile(rf"(?:-?\d{{1,3}}|{_PERCENT}|auto)(?:,(?:start|center|end))?"),
    "position": re.compile(rf"(?:{_PERCENT}|auto)(?:,(?:line-left|center|line-right))?"),
    "size": re.compile(_PERCENT),
    "align": re.compile(r"start|center|end|left|right"),
}
_EXAMPLE = {False: "00:00:01.000 --> 00:00:04.000", True: "00:00:01,000 --> 00:00:04,000"}

_E_TOO_BIG = _("The file is larger than %(limit)s MB.")
_E_NOT_UTF8 = _("Line %(line)s: the file is not UTF-8 text. Save it as UTF-8 and upload it again.")
_E_EMPTY = _("The file is empty.")
_E_NO_CUES = _("The file has no cues: no timing line such as 00:00:01.000 --> 00:00:04.000.")
_E_HEADER = _("Line %(line)s: a WebVTT file must start with the line WEBVTT.")
_E_TIMING = _("Line %(line)s: the cue timing is not valid (expected %(example)s).")
_E_STRAY = _(
    "Line %(line)s: this text is not part of a cue. A blank line ends a cue, and each cue "
    "starts with a timing line such as %(example)s."
)
_E_SEQUENCE = _("Line %(line)s: the cue number must be a whole number.")
_E_SIXTY = _("Line %(line)s: minutes and seconds must be below 60 in %(time)s.")
_E_NEGATIVE = _("Line %(line)s: times cannot be negative.")
_E_TOO_LATE = _("Line %(line)s: %(time)s is more than 24 hours into the video.")
_E_END = _("Line %(line)s: the cue must end after it starts.")
_E_ORDER = _("Line %(line)s: this cue starts before the cue above it. Put cues in time order.")
_E_NO_TEXT = _("Line %(line)s: the cue has no text.")
_E_TOO_MANY = _("Line %(line)s: the file has more than %(limit)s cues.")
_E_TITLE_MARKUP = _("Line %(line)s: a chapter title must be plain text, without tags.")
_E_TITLE_LINES = _("Line %(line)s: a chapter title must be a single line.")
_E_DURATION = _("The video length must be a positive number of seconds.")
_E_CH_TITLE = _("Chapter %(number)s: the title is empty.")
_E_CH_LINES = _("Chapter %(number)s: the title must be a single line.")
_E_CH_TIME = _("Chapter %(number)s: the start time is not a number of seconds.")
_E_CH_NEGATIVE = _("Chapter %(number)s: the start time cannot be negative.")
_E_CH_TOO_LATE = _("Chapter %(number)s starts more than 24 hours into the video.")
_E_CH_AFTER_END = _("Chapter %(number)s starts at %(time)s, but the video ends at %(duration)s.")
_E_CH_SAME = _("Chapter %(number)s starts at the same time as the chapter before it.")
_E_CH_ORDER = _("Chapter %(number)s starts before the chapter before it. List chapters in order.")
_E_CH_NO_END = _("Chapter %(number)s has no end time. Give the video length.")


# Lazy, so a message built while parsing is shown in the language of whoever reads it.
_lazy_interpolate = lazy(lambda message, params: str(message) % params, str)


class CaptionError(ValueError):
    """A caption or chapter file, or a chapter list, that cannot be used.

    ``line`` is the 1-based line of the uploaded file at fault (for ``chapters_from_list`` the
    1-based entry number), or ``None`` when the fault is the file as a whole. ``message`` is a
    translatable, human-readable explanation that already names the line.
    """

    def __init__(self, message, *, line: int | None = None, **params):
        self.line = line
        self.params = {"line": line, **params}
        self.message = _lazy_interpolate(message, self.params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Cue:
    """One timed caption. ``text`` is sanitised WebVTT cue text; times are in seconds."""

    identifier: str
    start: float
    end: float
    text: str
    settings: str = ""

    @property
    def plain_text(self) -> str:
        """The text without markup and with entities decoded, for transcripts and search."""
        return html.unescape(_ANY_TAG.sub("", self.text))


@dataclass(frozen=True)
class CaptionTrack:
    """The cues of one caption file, in start order."""

    cues: tuple[Cue, ...]

    def to_webvtt(self) -> str:
        """Write the track as a clean WebVTT file."""
        blocks = []
        for cue in self.cues:
            start, end = _ms(cue.start), _ms(cue.end)
            # Cleaned again: cues may also be built in code, and cleaning is idempotent.
            timing = f"{_format(start)} --> {_format(end)} {_clean_settings(cue.settings)}"
            text = _sanitise(cue.text, start, end)
            lines = [_clean_identifier(cue.identifier), timing.rstrip(), text]
            blocks.append("\n".join(line for line in lines if line))
        return _document(blocks)


@dataclass(frozen=True)
class Chapter:
    """A chapter of a video: a plain-text title, a start and (unless unknown) an end in seconds."""

    title: str
    start: float
    end: float | None


def parse_captions(data: bytes | str, *, filename: str = "") -> CaptionTrack:
    """Parse an uploaded WebVTT or SRT caption file into a sanitised ``CaptionTrack``.

    SRT is recognised by a ``.srt`` filename or by its comma timings when the file has no
    WEBVTT header. Raises ``CaptionError`` for anything a player would misread.
    """
    cues = tuple(cue for cue, _line, _text in _parse(data, filename))
    return CaptionTrack(cues=cues)


def parse_chapters(data: bytes | str, *, filename: str = "") -> tuple[Chapter, ...]:
    """Parse a WebVTT chapters file: each cue is a chapter and its text the title."""
    chapters = []
    for cue, _line, text_lines in _parse(data, filename):
        if len(text_lines) > 1:
            raise CaptionError(_E_TITLE_LINES, line=text_lines[1][0])
        number, raw = text_lines[0]
        if _TAG.search(raw):
            raise CaptionError(_E_TITLE_MARKUP, line=number)
        chapters.append(Chapter(title=cue.plain_text.strip(), start=cue.start, end=cue.end))
    return tuple(chapters)


def chapters_from_list(
    items: list[tuple[str, float]], *, duration: float | None
) -> tuple[Chapter, ...]:
    """Build chapters from ``(title, start seconds)`` entries as an editor types them.

    Starts must rise strictly; each chapter ends where the next begins and the last at
    ``duration`` (or ``None`` if the length is unknown). ``CaptionError.line`` is the entry number.
    """
    if duration is not None and not (math.isfinite(duration) and 0 < duration <= _MAX_MS / 1000):
        raise CaptionError(_E_DURATION)
    starts: list[tuple[str, int]] = []
    for number, (raw_title, raw_start) in enumerate(items, 1):
        error = {"line": number, "number": number}
        title = _CONTROL.sub("", str(raw_title)).strip()
        if not title:
            raise CaptionError(_E_CH_TITLE, **error)
        if "\n" in title or "\r" in title:
            raise CaptionError(_E_CH_LINES, **error)
        try:
            seconds = float(raw_start)
        except (TypeError, ValueError):
            raise CaptionError(_E_CH_TIME, **error) from None
        if not math.isfinite(seconds):
            raise CaptionError(_E_CH_TIME, **error)
        start = _ms(seconds)
        if start < 0:
            raise CaptionError(_E_CH_NEGATIVE, **error)
        if start > _MAX_MS:
            raise CaptionError(_E_CH_TOO_LATE, **error)
        if duration is not None and start >= _ms(duration):
            end = _format(_ms(duration))
            raise CaptionError(_E_CH_AFTER_END, time=_format(start), duration=end, **error)
        if starts and start == starts[-1][1]:
            raise CaptionError(_E_CH_SAME, **error)
        if starts and start < starts[-1][1]:
            raise CaptionError(_E_CH_ORDER, **error)
        starts.append((title, start))
    if not starts:
        return ()
    ends = [start / 1000 for _title, start in starts[1:]] + [duration]
    return tuple(
        Chapter(title=title, start=start / 1000, end=end)
        for (title, start), end in zip(starts, ends, strict=True)
    )


def chapters_to_webvtt(chapters) -> str:
    """Write chapters as a WebVTT chapters file; every chapter needs an end."""
    blocks = []
    for number, chapter in enumerate(chapters, 1):
        if chapter.end is None:
            raise CaptionError(_E_CH_NO_END, line=number, number=number)
        title = " ".join(_CONTROL.sub("", chapter.title).split())
        timing = f"{_format(_ms(chapter.start))} --> {_format(_ms(chapter.end))}"
        blocks.append(f"{timing}\n{_escape(title)}")
    return _document(blocks)


def _document(blocks: list[str]) -> str:
    return "\n\n".join(["WEBVTT", *blocks]) + "\n"


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _format(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _escape(text: str) -> str:
    # ">" is escaped too, which also keeps "-->" in a caption from ending the cue.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _lines(data: bytes | str) -> list[tuple[int, str]]:
    """Decode the upload and return its (line number, line) pairs, controls removed."""
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_CAPTION_BYTES:
        raise CaptionError(_E_TOO_BIG, limit=MAX_CAPTION_BYTES // (1024 * 1024))
    if isinstance(data, str):
        text = data
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[: exc.start].decode("utf-8")
            raise CaptionError(_E_NOT_UTF8, line=len(_NEWLINE.split(before))) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CaptionError(_E_EMPTY)
    return [(n, _CONTROL.sub("", line).rstrip()) for n, line in enumerate(_NEWLINE.split(text), 1)]


def _blocks(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in lines:
        if line.strip():
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _parse(data: bytes | str, filename: str):
    """Yield (cue, timing line number, raw text lines) for each cue of the file."""
    blocks = _blocks(_lines(data))
    if not blocks:
        raise CaptionError(_E_EMPTY)
    first_number, first_line = blocks[0][0]
    name = filename.lower()
    if _HEADER.fullmatch(first_line):
        srt = False
        header = blocks.pop(0)
        # A cue stuck to the header (no blank line) is kept rather than silently lost.
        timing_at = next((i for i, (_n, line) in enumerate(header) if "-->" in line), None)
        if timing_at is not None:
            blocks.insert(0, header[timing_at:])
    elif name.endswith(".srt") or (
        not name.endswith(".vtt") and any(_SRT_TIMING_START.match(line) for _n, line in blocks[0])
    ):
        srt = True
    else:
        raise CaptionError(_E_HEADER, line=first_number)
    example = _EXAMPLE[srt]
    previous_start, count, identifiers = -1, 0, set()
    for block in blocks:
        first = block[0][1]
        second = block[1][1] if len(block) > 1 else ""
        if not srt and _SKIPPED_BLOCK.fullmatch(first) and "-->" not in second:
            continue
        if "-->" in first:
            timing_at, identifier = 0, ""
        elif "-->" in second:
            timing_at, identifier = 1, first.strip()
            if srt and not _SEQUENCE.fullmatch(identifier):
                raise CaptionError(_E_SEQUENCE, line=block[0][0])
        else:
            for number, line in block[:2]:
                if _TIMING_LIKE.search(line):
                    raise CaptionError(_E_TIMING, line=number, example=example)
            raise CaptionError(_E_STRAY, line=block[0][0], example=example)
        timing_line, timing = block[timing_at]
        start, end, settings = _parse_timing(timing, timing_line, srt)
        if end <= start:
            raise CaptionError(_E_END, line=timing_line)
        if start < previous_start:
            raise CaptionError(_E_ORDER, line=timing_line)
        count += 1
        if count > MAX_CUES:
            raise CaptionError(_E_TOO_MANY, line=timing_line, limit=MAX_CUES)
        text_lines = block[timing_at + 1 :]
        raw = "\n".join(line for _n, line in text_lines)
        if srt:
            raw, identifier, settings = _SRT_OVERRIDE.sub("", raw), "", ""
        identifier = _clean_identifier(identifier)
        if identifier in identifiers:
            identifier = ""  # WebVTT identifiers must be unique; a repeat is just dropped.
        identifiers.add(identifier)
        cue = Cue(identifier, start / 1000, end / 1000, _sanitise(raw, start, end), settings)
        if not cue.plain_text.strip():
            raise CaptionError(_E_NO_TEXT, line=timing_line)
        previous_start = start
        yield cue, timing_line, text_lines
    if not count:
        raise CaptionError(_E_NO_CUES)


def _parse_timing(line: str, number: int, srt: bool) -> tuple[int, int, str]:
    match = _TIMING.fullmatch(line)
    if not match:
        raise CaptionError(_E_TIMING, line=number, example=_EXAMPLE[srt])
    start, end = (_parse_time(token, number, srt) for token in match.group(1, 2))
    return start, end, _clean_settings(match.group(3))


def _parse_time(token: str, number: int, srt: bool) -> int:
    pattern = _SRT_TIME if srt else _VTT_TIME
    match = pattern.fullmatch(token)
    if not match:
        if token.startswith("-") and pattern.fullmatch(token[1:]):
            raise CaptionError(_E_NEGATIVE, line=number)
        raise CaptionError(_E_TIMING, line=number, example=_EXAMPLE[srt])
    ms = _time_ms(match)
    if ms is None:
        raise CaptionError(_E_SIXTY, line=number, time=token)
    if ms > _MAX_MS:
        raise CaptionError(_E_TOO_LATE, line=number, time=token)
    return ms


def _time_ms(match: re.Match) -> int | None:
    hours, minutes, seconds, millis = (int(part or 0) for part in match.groups())
    if minutes > 59 or seconds > 59:
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _clean_settings(raw: str) -> str:
    """Keep the positioning settings with valid values; regions and the rest are dropped."""
    kept: dict[str, str] = {}
    for setting in raw.split():
        name, _sep, value = setting.partition(":")
        if name in _SETTINGS and _SETTINGS[name].fullmatch(value):
            kept[name] = value
    return " ".join(f"{name}:{value}" for name, value in kept.items())


def _clean_identifier(raw: str, allowed: str = " _-.") -> str:
    # Identifiers and speaker names are plain words: nothing that could read as markup or as a
    # script URL survives.
    return " ".join("".join(ch for ch in raw if ch.isalnum() or ch in allowed).split())


def _sanitise(text: str, start: int, end: int) -> str:
    """Reduce cue text to WebVTT's safe markup, well-formed, with text escaped."""
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        out.append(_text(text[position : match.start()]))
        out.append(_safe_tag(match.group()[1:-1], open_tags, start, end))
        position = match.end()
    out.append(_text(text[position:]))
    out.extend(f"</{name}>" for name in reversed(open_tags))
    # A line left blank (it held only a dropped tag) would end the cue early.
    lines = (line.rstrip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line.strip())


def _text(raw: str) -> str:
    # Decoding first and escaping again turns stray "&" and "<" into entities and keeps the
    # existing ones as they were.
    return _escape(_CONTROL.sub("", html.unescape(raw)))


def _safe_tag(inner: str, open_tags: list[str], start: int, end: int) -> str:
    """Return the cleaned form of one tag, or "" to drop it (its text is kept either way)."""
    time = _VTT_TIME.fullmatch(inner)
    if time:
        ms = _time_ms(time)
        return f"<{_format(ms)}>" if ms is not None and start <= ms <= end else ""
    parts = _TAG_PARTS.fullmatch(inner)
    if not parts:
        return ""
    closing, name, classes, annotation = parts.groups()
    name = name.lower()
    if name not in _SAFE_TAGS:
        return ""
    if closing:
        if name not in open_tags:
            return ""
        closed = []
        while open_tags:  # closing an outer tag closes the ones left open inside it
            closed.append(open_tags.pop())
            if closed[-1] == name:
                break
        return "".join(f"</{tag}>" for tag in closed)
    # Real captions nest a few levels; the cap keeps hostile nesting cheap to check.
    if len(open_tags) >= 8 or (name == "rt" and (not open_tags or open_tags[-1] != "ruby")):
        return ""
    annotation = (annotation or "").strip()
    if name == "v":
        annotation = _clean_identifier(annotation, " _-.,'")
        if not annotation:
            return ""
    elif name == "lang":
        if not _LANG.fullmatch(annotation):
            return ""
    else:
        annotation = ""
    kept = "".join(f".{cls}" for cls in classes.split(".")[1:] if _CLASS.fullmatch(cls))
    open_tags.append(name)
    return f"<{name}{kept}{' ' + annotation if annotation else ''}>"
