"""The pure rules for a watch-progress report, without a database or a request."""

import pytest
from django.utils import translation

from videos.progress import (
    MAX_BODY_BYTES,
    MAX_INTERVALS,
    ProgressError,
    ProgressReport,
    parse_progress_body,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_normal_report():
    body = b'{"intervals": [[0, 12.5], [20, 30]], "position": 30}'
    assert parse_progress_body(body, duration=60) == ProgressReport(
        intervals=[[0.0, 12.5], [20.0, 30.0]], position=30.0
    )


def test_an_empty_body_is_an_empty_report():
    assert parse_progress_body(b"", duration=60) == ProgressReport(intervals=[], position=None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"intervals": [[0, ' + b"9" * 400 + b"]]}",
            "A number in the progress report is too long.",
        ),
        (b'{"position": 1e999}', "A number in the progress report is too large."),
        (b'{"position": NaN}', "NaN and Infinity are not numbers of seconds."),
        (b'{"position": -Infinity}', "NaN and Infinity are not numbers of seconds."),
        (b"[" * 10_000, "The progress report is nested too deeply."),
        (b'{"a":' * 2000 + b"1" + b"}" * 2000, "The progress report is nested too deeply."),
        (b" " * (MAX_BODY_BYTES + 1), "The progress report is too large."),
        (b'{"intervals": [[30, 10]]}', "An interval ends before it starts."),
        (b'{"intervals": [[0, 62]]}', "An interval lies outside the video."),
        (b'{"intervals": [[-1, 2]]}', "An interval lies outside the video."),
        (b'{"position": 61.5}', "The position lies outside the video."),
        (b'{"position": false}', "The position must be a number of seconds."),
        (b'{"intervals": [[null, 2]]}', "Each interval is a pair of numbers."),
        (b'{"intervals": [0, 2]}', "Each interval is a pair of numbers."),
        (b'{"intervals": "0-2"}', f"Send at most {MAX_INTERVALS} played intervals at a time."),
        (b"{'intervals': []}", "The progress report is not valid JSON."),
        (b"[]", "The progress report must be a JSON object."),
    ],
)
def test_bad_reports_say_why(body, message):
    with pytest.raises(ProgressError) as raised:
        parse_progress_body(body, duration=60)
    assert str(raised.value.message) == message


def test_brackets_inside_strings_do_not_count_as_nesting():
    body = b'{"note": "' + b"[" * 100 + b'", "intervals": [[0, 1]]}'
    assert parse_progress_body(body, duration=60).intervals == [[0.0, 1.0]]


def test_too_many_intervals():
    body = ('{"intervals": [' + ",".join(["[0, 1]"] * (MAX_INTERVALS + 1)) + "]}").encode()
    with pytest.raises(ProgressError):
        parse_progress_body(body, duration=60)


def test_end_just_past_the_duration_is_clamped():
    report = parse_progress_body(b'{"intervals": [[50, 60.6]], "position": 60.6}', duration=60)
    assert report == ProgressReport(intervals=[[50.0, 60.0]], position=60.0)
