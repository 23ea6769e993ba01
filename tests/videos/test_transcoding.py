"""Background transcoding through the services: real ffmpeg, bad input, leases, replacement."""

import datetime
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from videos import services
from videos.media import make_test_source
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    return {
        "720p": make_test_source(folder / "hd.mp4", seconds=4, width=1280, height=720),
        "small": make_test_source(folder / "small.mp4", seconds=3, width=640, height=360),
        "sound": _audio_only(folder / "sound.m4a"),
    }


def _audio_only(path: Path) -> Path:
    import subprocess

    import imageio_ffmpeg

    subprocess.run(  # noqa: S603 - fixed arguments
        [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-y", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=2", "-c:a", "aac", str(path)],
        check=True, capture_output=True,
    )  # fmt: skip
    return path


def _create(path: Path | None = None, *, data: bytes | None = None, name="video.mp4") -> Video:
    if data is not None:
        return services.video_create(title="Opptak", source=ContentFile(data, name=name))
    with open(path, "rb") as handle:
        return services.video_create(title="Opptak", source=File(handle, name=path.name))


def test_transcode_makes_renditions_hls_and_poster(clips):
    video = _create(clips["720p"])
    assert video.status == VideoStatus.UPLOADED
    services.video_transcode(video_id=video.pk)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.progress == 100
    assert (video.width, video.height) == (1280, 720)
    assert video.duration == pytest.approx(4, abs=0.2)
    renditions = {r.name: r for r in video.renditions.all()}
    assert set(renditions) == {"360p", "720p"}  # never upscaled to 1080p
    assert (renditions["360p"].width, renditions["360p"].height) == (640, 360)
    for rendition in renditions.values():
        assert default_storage.size(rendition.file) == rendition.size > 0
    with default_storage.open(video.poster, "rb") as poster:
        assert poster.read(2) == b"\xff\xd8"
    with default_storage.open(video.hls_master, "rb") as master:
        playlist = master.read().decode()
    assert playlist.count("#EXT-X-STREAM-INF") == 2


@pytest.mark.parametrize(
    ("kind", "settings_change", "reason"),
    [
        ("pdf", {}, "not a video"),
        ("empty", {}, "empty"),
        ("truncated", {}, "incomplete"),
        ("sound", {}, "no picture"),
        ("small", {"VIDEO_MAX_DURATION": 1}, "the longest allowed is"),
        ("small", {"VIDEO_MAX_UPLOAD_SIZE": 1000}, "more than the limit"),
    ],
)
def test_bad_input_fails_with_a_reason_the_editor_reads(
    clips, settings, kind, settings_change, reason
):
    for name, value in settings_change.items():
        setattr(settings, name, value)
    settings.LANGUAGE_CODE = "en"
    if kind == "pdf":
        video = _create(data=b"%PDF-1.4\n" + b"x" * 5000, name="presentasjon.mp4")
    elif kind == "empty":
        video = Video.objects.create(title="Tom", source="videos/source/x/empty.mp4")
        default_storage.save("videos/source/x/empty.mp4", ContentFile(b""))
        video.source.name = "videos/source/x/empty.mp4"
        video.save()
    elif kind == "truncated":
        data = clips["small"].read_bytes()
        video = _create(data=data[: len(data) // 2], name="halv.mp4")
    else:
        video = _create(clips[kind])
    services.video_transcode(video_id=video.pk)
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert reason in video.failure_reason.lower()
    assert not video.renditions.exists()
    assert video.media_prefix == ""
    assert not default_storage.exists(f"videos/{video.pk}")


def test_a_held_lease_keeps_a_second_job_out(clips):
    video = _create(clips["small"])
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING,
        job_token="00000000-0000-0000-0000-000000000001",
        lease_expires_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    services.video_transcode(video_id=video.pk)
    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING
    assert not video.renditions.exists()


def test_stale_job_is_requeued_and_finishes(clips, django_capture_on_commit_callbacks):
    video = _create(clips["small"])
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING, attempts=1,
        job_token="00000000-0000-0000-0000-000000000002",
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert services.videos_requeue_stale() == [video.pk]
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.attempts == 2


def test_job_that_keeps_dying_is_failed_not_retried_forever(clips, settings):
    settings.VIDEO_MAX_ATTEMPTS = 3
    video = _create(clips["small"])
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING, attempts=3,
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )  # fmt: skip
    assert services.videos_requeue_stale() == []
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert "3" in video.failure_reason


def test_new_source_replaces_renditions_and_old_files_go_after_commit(
    clips, django_capture_on_commit_callbacks
):
    video = _create(clips["small"])
    services.video_transcode(video_id=video.pk)
    video.refresh_from_db()
    old_files = [r.file for r in video.renditions.all()] + [video.poster, video.hls_master]
    old_prefix = video.media_prefix

    with open(clips["720p"], "rb") as handle:
        video.source.save("ny.mp4", File(handle), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.video_source_changed(video=video)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.media_prefix != old_prefix
    assert {r.name for r in video.renditions.all()} == {"360p", "720p"}
    assert all(default_storage.exists(r.file) for r in video.renditions.all())
    assert not any(default_storage.exists(key) for key in old_files)


def test_a_job_that_lost_its_lease_writes_nothing(clips, monkeypatch):
    """Another job takes over while this one encodes: this one must discard its files."""
    video = _create(clips["small"])
    original = services._renew

    def stolen(video_id, token, progress):
        if progress > 10:
            Video.objects.filter(pk=video_id).update(job_token=None)
        original(video_id, token, progress)

    monkeypatch.setattr(services, "_renew", stolen)
    services.video_transcode(video_id=video.pk)
    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING
    assert not video.renditions.exists()
    assert not default_storage.exists(f"videos/{video.pk}")


def _odd_sized_source(path: Path, width: int, height: int) -> Path:
    """An H.264 4:4:4 clip with an odd picture size (4:2:0 H.264 needs even sizes)."""
    import subprocess

    import imageio_ffmpeg

    subprocess.run(  # noqa: S603 - fixed arguments
        [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-y", "-f", "lavfi", "-i",
         f"testsrc=size={width}x{height}:rate=25:duration=2", "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv444p", str(path)],
        check=True, capture_output=True,
    )  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("width", "height", "odd"),
    [(320, 240, False), (427, 241, True), (854, 480, False), (360, 640, False)],
)
def test_stored_rendition_sizes_are_the_encoded_files_sizes(tmp_path, width, height, odd):
    """What the player is told (width/height of each rendition) is what the file really is."""
    import av

    if odd:
        source = _odd_sized_source(tmp_path / "odd.mp4", width, height)
    else:
        source = make_test_source(tmp_path / "s.mp4", seconds=2, width=width, height=height)
    video = _create(source)
    services.video_transcode(video_id=video.pk)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.failure_reason
    for rendition in video.renditions.all():
        with default_storage.open(rendition.file, "rb") as handle, av.open(handle) as container:
            stream = container.streams.video[0].codec_context
            encoded = (stream.width, stream.height)
        assert (rendition.width, rendition.height) == encoded, rendition.name


def test_sweep_keeps_a_live_jobs_folder_and_removes_a_dead_ones(tmp_path, monkeypatch):
    """The owner lock decides: held (a live job, even in this process) or free (its job died)."""
    import tempfile

    from videos import workdirs

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    live, live_lock = workdirs.workdir_create(1)
    dead, dead_lock = workdirs.workdir_create(2)
    (dead / "source.mp4").write_bytes(b"x" * 1000)
    dead_lock.close()  # what the kernel does when the dead job's process ends
    unlocked_fresh = tmp_path / f"{workdirs.PREFIX}3-starting"
    unlocked_fresh.mkdir()  # a job between mkdtemp and taking its lock
    try:
        result = workdirs.workdirs_clean(older_than=60)
        assert result.removed == [str(dead)]
        assert live.exists() and unlocked_fresh.exists() and not dead.exists()
    finally:
        live_lock.close()
