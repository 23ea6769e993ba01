"""Caption and chapter uploads: what editors get back, and what viewers' players receive."""

import time

import pytest
from django.utils import translation

from videos.captions import (
    MAX_CAPTION_BYTES,
    MAX_CUES,
    CaptionError,
    CaptionTrack,
    Chapter,
    Cue,
    chapters_from_list,
    chapters_to_webvtt,
    parse_captions,
    parse_chapters,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def caption_error(data, filename="") -> CaptionError:
    with pytest.raises(CaptionError) as info:
        parse_captions(data, filename=filename)
    return info.value


def one_cue_text(text: str) -> str:
    """The cleaned text of a single cue holding ``text``, as written to the WebVTT file."""
    track = parse_captions(f"WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n{text}\n")
    output = track.to_webvtt()
    assert output.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n")
    assert output.endswith("\n")
    return output.removeprefix("WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n").removesuffix("\n")


GOOD_VTT = """WEBVTT - Håndhygiene
Kind: captions
Language: nb

NOTE Laget av opplæringsteamet,
to linjer.

STYLE
::cue { color: yellow }

REGION
id:bunn
width:40%

intro
00:01.000 --> 00:04.000 align:start position:10%,line-left region:bunn size:150% foo:bar \t\x20
<v Anna>Vask hendene &amp; bruk <i>hansker</i>\x20\x20
i minst 30 sekunder.</v>

00:00:03.500 --> 00:00:06.000 line:-1 vertical:rl align:middle
Overlappende <b.viktig>tekst</b>

01:00:00.000 --> 01:00:01.250
<lang en>Thank you</lang>
"""

GOOD_VTT_CLEAN = """WEBVTT

intro
00:00:01.000 --> 00:00:04.000 align:start position:10%,line-left
<v Anna>Vask hendene &amp; bruk <i>hansker</i>
i minst 30 sekunder.</v>

00:00:03.500 --> 00:00:06.000 line:-1 vertical:rl
Overlappende <b.viktig>tekst</b>

01:00:00.000 --> 01:00:01.250
<lang en>Thank you</lang>
"""


def test_webvtt_file_is_written_back_clean():
    track = parse_captions(GOOD_VTT.encode(), filename="handhygiene.vtt")

    assert track.to_webvtt() == GOOD_VTT_CLEAN
    assert [(cue.identifier, cue.start, cue.end) for cue in track.cues] == [
        ("intro", 1.0, 4.0),
        ("", 3.5, 6.0),
        ("", 3600.0, 3601.25),
    ]


def test_clean_output_parses_to_the_same_track():
    clean = parse_captions(GOOD_VTT).to_webvtt()

    assert parse_captions(clean, filename="x.vtt").to_webvtt() == clean


def test_crlf_and_cr_line_endings_read_like_lf():
    lf = parse_captions(GOOD_VTT).to_webvtt()

    assert parse_captions(GOOD_VTT.replace("\n", "\r\n")).to_webvtt() == lf
    assert parse_captions(GOOD_VTT.replace("\n", "\r")).to_webvtt() == lf


def test_byte_order_mark_is_ignored():
    body = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGod morgen\n"

    assert parse_captions(b"\xef\xbb\xbf" + body.encode()).cues[0].text == "God morgen"
    assert parse_captions("\ufeff" + body).to_webvtt() == body


def test_cue_stuck_to_the_header_is_kept():
    track = parse_captions("WEBVTT\n00:00:01.000 --> 00:00:02.000\nHei\n")

    assert [cue.plain_text for cue in track.cues] == ["Hei"]


def test_srt_is_converted_to_webvtt():
    srt = (
        "1\r\n"
        "00:00:01,000 --> 00:00:04,000\r\n"
        '<font color="#ff0000">Husk</font> <b>munnbind</b>\r\n'
        "på avdelingen\r\n"
        "\r\n"
        "2\r\n"
        "00:00:05,500 --> 00:01:02,250 X1:100 X2:200\r\n"
        "{\\an8}<i>Tekst øverst</I>\r\n"
    )

    track = parse_captions(srt.encode(), filename="munnbind.srt")

    assert track.to_webvtt() == (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:04.000\n"
        "Husk <b>munnbind</b>\n"
        "på avdelingen\n\n"
        "00:00:05.500 --> 00:01:02.250\n"
        "<i>Tekst øverst</i>\n"
    )


def test_srt_is_recognised_by_content_and_needs_no_sequence_numbers():
    srt = "00:00:01,000 --> 00:00:02,000\nEn\n\n00:00:03,000 --> 00:00:04,000\nTo\n"

    track = parse_captions(srt.encode())

    assert [(cue.start, cue.plain_text) for cue in track.cues] == [(1.0, "En"), (3.0, "To")]


def test_overlapping_cues_are_allowed():
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:10.000\nA\n\n00:00:01.000 --> 00:00:03.000\nB\n"

    assert len(parse_captions(vtt).cues) == 2


def test_plain_text_for_transcripts():
    track = parse_captions(
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n"
        "<v Kari Nordmann>Bruk <b>hånd&shy;sprit</b> &amp; vent</v>\n"
        "<00:00:02.000>til <c.gul>det</c> har tørket &lt;30 s&gt;.\n"
    )

    assert track.cues[0].plain_text == "Bruk hånd\xadsprit & vent\ntil det har tørket <30 s>."


MALFORMED = [
    # (data, filename, line, message)
    (b"", "", None, "The file is empty."),
    (b"  \r\n\n", "a.vtt", None, "The file is empty."),
    (
        b"WEBVTT\n\nNOTE only a note\n",
        "",
        None,
        "The file has no cues: no timing line such as 00:00:01.000 --> 00:00:04.000.",
    ),
    (
        b"00:00:01.000 --> 00:00:02.000\nHei\n",
        "a.vtt",
        1,
        "Line 1: a WebVTT file must start with the line WEBVTT.",
    ),
    (b"WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nHei\n", "a.vtt", 1, None),
    (
        b"WEBVTT\n\n00:00:01.000 -> 00:00:04.000\nHei\n",
        "",
        3,
        "Line 3: the cue timing is not valid (expected 00:00:01.000 --> 00:00:04.000).",
    ),
    (b"WEBVTT\n\nstart\n00:00:01 --> 00:00:04.000\nHei\n", "", 4, None),
    (b"WEBVTT\n\n00:00:01,000 --> 00:00:04,000\nHei\n", "", 3, None),
    (b"WEBVTT\n\n00:00:01.000 -->\nHei\n", "", 3, None),
    (
        b"WEBVTT\n\n00:00:04.000 --> 00:00:04.000\nHei\n",
        "",
        3,
        "Line 3: the cue must end after it starts.",
    ),
    (b"WEBVTT\n\n1\n00:00:05.000 --> 00:00:04.000\nHei\n", "", 4, None),
    (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n\n00:60:00.000 --> 01:00:00.000\nB\n",
        "",
        6,
        "Line 6: minutes and seconds must be below 60 in 00:60:00.000.",
    ),
    (b"WEBVTT\n\n00:00:01.000 --> 00:00:60.000\nHei\n", "", 3, None),
    (b"WEBVTT\n\n00:00.000 --> 60:00.000\nHei\n", "", 3, None),
    (
        b"WEBVTT\n\n-00:00:01.000 --> 00:00:02.000\nHei\n",
        "",
        3,
        "Line 3: times cannot be negative.",
    ),
    (
        b"WEBVTT\n\n00:00:01.000 --> 25:00:00.000\nHei\n",
        "",
        3,
        "Line 3: 25:00:00.000 is more than 24 hours into the video.",
    ),
    (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n00:00:03.000 --> 00:00:04.000\nB\n",
        "",
        3,
        "Line 3: the cue has no text.",
    ),
    (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<script></script>\n", "", 3, None),
    (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nForste linje\n\nandre linje\n",
        "",
        6,
        "Line 6: this text is not part of a cue. A blank line ends a cue, and each cue starts "
        "with a timing line such as 00:00:01.000 --> 00:00:04.000.",
    ),
    (
        b"WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nA\n\n00:00:04.000 --> 00:00:07.000\nB\n",
        "",
        6,
        "Line 6: this cue starts before the cue above it. Put cues in time order.",
    ),
    (
        b"1\n00:00:01,000 --> 00:00:02,000\nA\n\nto\n00:00:03,000 --> 00:00:04,000\nB\n",
        "a.srt",
        5,
        "Line 5: the cue number must be a whole number.",
    ),
    (
        b"1\n00:00:01.000 --> 00:00:02.000\nA\n\n2\n00:00:03,000 -> 00:00:04,000\nB\n",
        "a.srt",
        6,
        "Line 6: the cue timing is not valid (expected 00:00:01,000 --> 00:00:04,000).",
    ),
    (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nCaf\xe9 au lait\n",
        "",
        4,
        "Line 4: the file is not UTF-8 text. Save it as UTF-8 and upload it again.",
    ),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHei".encode("utf-16"), "a.vtt", 1, None),
    (b"WEBVTT\n\n" + b"9" * 5000 + b":00:00.000 --> 00:00:02.000\nHei\n", "", 3, None),
]


@pytest.mark.parametrize(("data", "filename", "line", "message"), MALFORMED)
def test_malformed_file_names_the_line_to_fix(data, filename, line, message):
    error = caption_error(data, filename)

    assert isinstance(error, ValueError)
    assert error.line == line
    if line is not None:
        assert str(error).startswith(f"Line {line}: ")
    if message is not None:
        assert str(error) == message
        assert str(error.message) == message


def test_file_over_the_size_limit_is_refused():
    head = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
    error = caption_error(head + b"a" * (MAX_CAPTION_BYTES - len(head) + 1))

    assert error.line is None
    assert str(error) == "The file is larger than 2 MB."


def test_file_just_under_the_size_limit_is_accepted():
    head = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"

    track = parse_captions(head + b"a" * (MAX_CAPTION_BYTES - len(head)))

    assert len(track.cues[0].text) == MAX_CAPTION_BYTES - len(head)


def many_cues(count: int) -> str:
    def stamp(ms: int) -> str:
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"

    return "WEBVTT\n\n" + "".join(
        f"{stamp(i * 100)} --> {stamp(i * 100 + 100)}\nx\n\n" for i in range(count)
    )


def test_too_many_cues_are_refused_at_the_first_cue_over_the_limit():
    error = caption_error(many_cues(MAX_CUES + 1))

    # Each cue takes three lines after the two-line header; cue 20001 starts on line 60003.
    assert error.line == 60003
    assert str(error) == "Line 60003: the file has more than 20000 cues."
    assert len(parse_captions(many_cues(MAX_CUES)).cues) == MAX_CUES


HOSTILE = [
    ("<script>alert(1)</script>Hei", "alert(1)Hei"),
    ("Hei <img src=x onerror=alert(1)>der", "Hei der"),
    ('<img alt="a>b" onerror=alert(1)>Hei', "Hei"),
    ('<a href="javascript:alert(1)">lenke</a>', "lenke"),
    ("<c.javascript:alert(1)>tekst</c>", "<c>tekst</c>"),
    ('<c.gul.x"y.ok-1 onclick=alert(1)>tekst</c>', "<c.gul.ok-1>tekst</c>"),
    ("<v javascript:alert(1)>tekst", "<v javascriptalert1>tekst</v>"),
    ("<v <script>>tekst", "&lt;v &gt;tekst"),
    ('<font color="red" face="x">rød</font>', "rød"),
    ("<lang javascript:x>en</lang><lang nb-NO>to</lang>", "en<lang nb-NO>to</lang>"),
    ("A --> B", "A --&gt; B"),
    ("3 < 5 & 5 > 3", "3 &lt; 5 &amp; 5 &gt; 3"),
    ("&lt;script&gt; &amp;amp; &nbsp;x", "&lt;script&gt; &amp;amp; \xa0x"),
    ("<!-- HTML comment --> <5 mg>", "&lt;!-- HTML comment --&gt; &lt;5 mg&gt;"),
    ("<i><b>feil</i> rekkefølge</b>", "<i><b>feil</b></i> rekkefølge"),
    ("</i>løs <u>åpen", "løs <u>åpen</u>"),
    ("<B>STOR</B>", "<b>STOR</b>"),
    ("<v O'Brien>Hei, det er meg</v>", "<v O'Brien>Hei, det er meg</v>"),
    ("<rt>x</rt><ruby>漢<rt>kan</ruby>", "x<ruby>漢<rt>kan</rt></ruby>"),
    ("<00:00:02.000>inne <00:00:20.000>ute", "<00:00:02.000>inne ute"),
    ("N\x00U\x07L\x1b[31m\u2028L", "NUL[31mL"),
    ("første\n<img src=x>\nsiste", "første\nsiste"),
]


@pytest.mark.parametrize(("text", "clean"), HOSTILE)
def test_cue_text_keeps_only_safe_markup(text, clean):
    assert one_cue_text(text) == clean


@pytest.mark.parametrize(
    "body",
    [
        "<a" + '""' * 200_000,
        "<a" * 200_000,
        '<a"' * 150_000,
        "<i></b>" * 60_000 + "x",
        "<b>" * 150_000 + "x",
        "{\\" * 200_000 + "x",
    ],
)
def test_hostile_markup_does_not_stall_the_upload(body):
    started = time.monotonic()

    track = parse_captions(f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{body}\n")

    assert "<a" not in track.to_webvtt()
    # Each takes well under a second; a parser with quadratic or exponential paths takes minutes.
    assert time.monotonic() - started < 10


def test_hostile_file_gives_a_harmless_valid_webvtt_file():
    hostile = (
        "WEBVTT\n\n"
        "<script>alert(1)</script>\n"
        "00:00:01.000 --> 00:00:05.000 align:javascript:alert(1) onerror=alert(1)\n"
        "<script>alert(1)</script><img src=x onerror=alert(1)>"
        '<a href="javascript:alert(1)">x</a><c.javascript:alert(1)>y</c>\x00\n'
        "--> 00:00:06.000 --> 00:00:07.000\n"
    )

    output = parse_captions(hostile).to_webvtt()

    for bad in ("<script", "javascript:", "onerror", "<img", "<a ", "href", "\x00"):
        assert bad not in output.lower()
    assert output == (
        "WEBVTT\n\n"
        "scriptalert1script\n"
        "00:00:01.000 --> 00:00:05.000\n"
        "alert(1)x<c>y</c>\n"
        "--&gt; 00:00:06.000 --&gt; 00:00:07.000\n"
    )
    assert parse_captions(output).to_webvtt() == output


def test_cues_built_in_code_are_cleaned_when_written():
    track = CaptionTrack(
        cues=(Cue("<b>id</b>", 1, 2, "<script>x</script> a --> b", "align:left size:9000%"),)
    )

    assert (
        track.to_webvtt()
        == "WEBVTT\n\nbidb\n00:00:01.000 --> 00:00:02.000 align:left\nx a --&gt; b\n"
    )


def test_chapters_file():
    vtt = (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:01:30.000\nIntroduksjon\n\n"
        "kap2\n00:01:30.000 --> 00:05:00.500\n  Smittevern &amp; hygiene  \n"
    )

    chapters = parse_chapters(vtt.encode(), filename="kapitler.vtt")

    assert chapters == (
        Chapter("Introduksjon", 0.0, 90.0),
        Chapter("Smittevern & hygiene", 90.0, 300.5),
    )
    assert chapters_to_webvtt(chapters) == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:01:30.000\nIntroduksjon\n\n"
        "00:01:30.000 --> 00:05:00.500\nSmittevern &amp; hygiene\n"
    )


@pytest.mark.parametrize(
    ("vtt", "line", "message"),
    [
        (
            "WEBVTT\n\n00:00:00.000 --> 00:01:00.000\nIntro\n\n"
            "00:01:00.000 --> 00:02:00.000\n<b>Fet</b> tittel\n",
            7,
            "Line 7: a chapter title must be plain text, without tags.",
        ),
        (
            "WEBVTT\n\n00:00:00.000 --> 00:01:00.000\nIntro\nover to linjer\n",
            5,
            "Line 5: a chapter title must be a single line.",
        ),
        (
            "WEBVTT\n\n00:00:00.000 --> 00:01:00.000\n\n",
            3,
            "Line 3: the cue has no text.",
        ),
        ("WEBVTT\n\n00:01:00.000 --> 00:00:30.000\nIntro\n", 3, None),
        ("Intro\n", 1, None),
    ],
)
def test_bad_chapters_file_names_the_line(vtt, line, message):
    with pytest.raises(CaptionError) as info:
        parse_chapters(vtt, filename="kapitler.vtt")

    assert info.value.line == line
    if message is not None:
        assert str(info.value) == message


def test_chapters_from_a_list():
    chapters = chapters_from_list(
        [("Velkommen", 5), (" Håndvask ", 62.5), ("Oppsummering", 300)], duration=420.0
    )

    assert chapters == (
        Chapter("Velkommen", 5.0, 62.5),
        Chapter("Håndvask", 62.5, 300.0),
        Chapter("Oppsummering", 300.0, 420.0),
    )
    assert chapters_to_webvtt(chapters) == (
        "WEBVTT\n\n"
        "00:00:05.000 --> 00:01:02.500\nVelkommen\n\n"
        "00:01:02.500 --> 00:05:00.000\nHåndvask\n\n"
        "00:05:00.000 --> 00:07:00.000\nOppsummering\n"
    )


def test_chapters_from_a_list_without_duration_leave_the_last_end_open():
    chapters = chapters_from_list([("Start", 0), ("Slutt", 60)], duration=None)

    assert chapters[-1] == Chapter("Slutt", 60.0, None)
    with pytest.raises(CaptionError) as info:
        chapters_to_webvtt(chapters)
    assert str(info.value) == "Chapter 2 has no end time. Give the video length."


def test_chapter_titles_are_escaped_in_the_file():
    chapters = chapters_from_list([("<script>alert(1)</script> --> & mer", 0)], duration=10)

    assert chapters_to_webvtt(chapters) == (
        "WEBVTT\n\n00:00:00.000 --> 00:00:10.000\n"
        "&lt;script&gt;alert(1)&lt;/script&gt; --&gt; &amp; mer\n"
    )


def test_empty_chapter_list_gives_no_chapters():
    assert chapters_from_list([], duration=60) == ()


@pytest.mark.parametrize(
    ("items", "duration", "line", "message"),
    [
        ([("A", 0), ("  ", 10)], 60, 2, "Chapter 2: the title is empty."),
        ([("A", 0), ("B\nC", 10)], 60, 2, "Chapter 2: the title must be a single line."),
        ([("A", -1)], 60, 1, "Chapter 1: the start time cannot be negative."),
        ([("A", "ti")], 60, 1, "Chapter 1: the start time is not a number of seconds."),
        ([("A", float("nan"))], None, 1, None),
        (
            [("A", 0), ("B", 10), ("C", 10)],
            60,
            3,
            "Chapter 3 starts at the same time as the chapter before it.",
        ),
        (
            [("A", 0), ("B", 30), ("C", 20)],
            60,
            3,
            "Chapter 3 starts before the chapter before it. List chapters in order.",
        ),
        (
            [("A", 0), ("B", 90)],
            60,
            2,
            "Chapter 2 starts at 00:01:30.000, but the video ends at 00:01:00.000.",
        ),
        ([("A", 0), ("B", 60)], 60, 2, None),
        ([("A", 0), ("B", 25 * 3600)], None, 2, None),
        ([("A", 0)], 0, None, "The video length must be a positive number of seconds."),
    ],
)
def test_bad_chapter_list_names_the_entry(items, duration, line, message):
    with pytest.raises(CaptionError) as info:
        chapters_from_list(items, duration=duration)

    assert info.value.line == line
    if message is not None:
        assert str(info.value) == message
