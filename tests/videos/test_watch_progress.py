"""Watch tracking counts the seconds actually played, not the furthest point reached."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from videos import services
from videos.models import Video, VideoStatus, WatchProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def video():
    # Progress needs only a ready video with a duration; no need to transcode for these tests.
    return Video.objects.create(
        title="Intervju",
        source="videos/source/x/i.mp4",
        status=VideoStatus.READY,
        duration=600,
        media_prefix="videos/1/demo",
    )


@pytest.fixture
def learner(client):
    user = get_user_model().objects.create_user("sykepleier", password="hemmelig-passord-1")
    client.force_login(user)
    return user


def _post(client, video, **body):
    return client.post(
        reverse("videos:progress", args=[video.pk]),
        data=json.dumps(body), content_type="application/json",
    )  # fmt: skip


def test_dragging_to_the_end_counts_nothing(client, learner, video):
    _post(client, video, intervals=[[0, 20]], position=20)
    response = _post(client, video, intervals=[], position=595)
    body = response.json()
    assert response.status_code == 200
    assert body["seconds_watched"] == 20
    assert body["watched"] is False
    assert body["position"] == 595


def test_overlapping_batches_are_counted_once(client, learner, video):
    for batch in ([[0, 100]], [[50, 150]], [[140, 200], [300, 310]]):
        _post(client, video, intervals=batch, position=batch[-1][1])
    record = WatchProgress.objects.get(user=learner, video=video)
    assert record.seconds_watched == 210
    assert record.intervals == [[0, 200], [300, 310]]


def test_watched_at_ninety_percent(client, learner, video):
    assert _post(client, video, intervals=[[0, 530]]).json()["watched"] is False
    assert _post(client, video, intervals=[[530, 541]]).json()["watched"] is True


def test_resume_position_comes_back_on_another_device(client, learner, video):
    _post(client, video, intervals=[[0, 42]], position=42)
    assert client.get(reverse("videos:progress", args=[video.pk])).json()["position"] == 42


@pytest.mark.parametrize(
    "body",
    [
        {"intervals": [[0, 9999]]},
        {"intervals": [[30, 10]]},
        {"intervals": [["a", 10]]},
        {"intervals": "0-10"},
        {"intervals": [[0, 1]] * 201},
        {"intervals": [], "position": -5},
    ],
)
def test_bad_batches_get_400_and_change_nothing(client, learner, video, body):
    _post(client, video, intervals=[[0, 10]], position=10)
    response = _post(client, video, **body)
    assert response.status_code == 400
    assert "error" in response.json()
    record = WatchProgress.objects.get(user=learner, video=video)
    assert (record.seconds_watched, record.position) == (10, 10)


def test_anonymous_visitors_are_told_to_log_in(client, video):
    response = _post(client, video, intervals=[[0, 10]])
    assert response.status_code == 403
    assert not WatchProgress.objects.exists()


def test_service_is_safe_to_call_twice_with_the_same_batch(video):
    user = get_user_model().objects.create_user("hjelpepleier")
    for _ in range(2):
        record = services.watch_progress_record(user=user, video=video, intervals=[[0, 30]])
    assert record.seconds_watched == 30


HUGE = "9" * 400
DEEP_ARRAY = "[" * 100_000
# Under the size limit, but far deeper than Python's recursion limit.
DEEP_ARRAY_SMALL = '{"intervals": ' + "[" * 5000 + "]" * 5000 + "}"
DEEP_OBJECT = '{"":' * 3000 + "1" + "}" * 3000
# A valid report padded past the 16 KB a report may take.
OVERSIZED = '{"intervals": [[0, 1]], "position": 1' + " " * (17 * 1024) + "}"

HOSTILE_BODIES = {
    "400-digit interval end": f'{{"intervals": [[0, {HUGE}]]}}',
    "400-digit interval start": f'{{"intervals": [[{HUGE}, 10]]}}',
    "400-digit position": f'{{"intervals": [], "position": {HUGE}}}',
    "negative 400-digit position": f'{{"intervals": [], "position": -{HUGE}}}',
    "deeply nested array": DEEP_ARRAY_SMALL,
    "deeply nested object": DEEP_OBJECT,
    "NaN interval end": '{"intervals": [[0, NaN]]}',
    "Infinity position": '{"intervals": [], "position": Infinity}',
    "exponent overflow": '{"intervals": [[0, 1e999]]}',
    "true as a time": '{"intervals": [[true, 5]]}',
    "string position": '{"intervals": [], "position": "12"}',
    "not an object": "[[0, 10]]",
    "not JSON": "intervals=0-10",
    "not UTF-8": b'{"intervals": [[0, 1]], "x": "\xff"}',
    "interval of three": '{"intervals": [[0, 1, 2]]}',
}


def _post_raw(client, video, body):
    return client.post(
        reverse("videos:progress", args=[video.pk]), data=body, content_type="application/json"
    )


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_reports_get_400_with_a_message_and_change_nothing(client, learner, video, body):
    _post(client, video, intervals=[[0, 10]], position=10)

    response = _post_raw(client, video, body)

    assert response.status_code == 400
    assert response.json()["error"]
    record = WatchProgress.objects.get(user=learner, video=video)
    assert (record.intervals, record.seconds_watched, record.position) == ([[0, 10]], 10, 10)


@pytest.mark.parametrize("body", [DEEP_ARRAY, OVERSIZED], ids=["100 000 [", "17 KB"])
def test_oversized_reports_are_refused_before_parsing(client, learner, video, body):
    response = _post_raw(client, video, body)

    assert response.status_code == 413
    assert response.json()["error"]
    assert not WatchProgress.objects.exists()


def test_first_report_that_is_hostile_creates_no_row(client, learner, video):
    response = _post_raw(client, video, f'{{"intervals": [[0, {HUGE}]]}}')

    assert response.status_code == 400
    assert not WatchProgress.objects.exists()


def test_a_few_hundred_milliseconds_past_the_end_is_clamped(client, learner, video):
    response = _post(client, video, intervals=[[590, 600.4]], position=600.4)

    assert response.status_code == 200
    record = WatchProgress.objects.get(user=learner, video=video)
    assert record.intervals == [[590, 600]] and record.position == 600
