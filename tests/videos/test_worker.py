"""A worker killed in the middle of a transcode: the job is picked up and finishes next run.

Real processes: the worker (``manage.py run_worker``) runs in a subprocess on the same test
database and media folder (or SeaweedFS bucket), with the database task queue; the test kills it
with SIGKILL, and checks that nothing the dead job had is left behind.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files import File
from django.utils import timezone

from cms.demo.loader import LoadReport, ensure_tree_roots
from tests.support.processes import database_url
from videos import services
from videos.media import make_test_source
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _start_worker(media_root: Path, *args: str, env_extra: dict | None = None) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": str(media_root),
        "VIDEO_LEASE_SECONDS": "30",
        **(env_extra or {}),
    }
    # Its own process group, so SIGKILL reaches ffmpeg too, as when a machine dies.
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2", *args],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)  # polling a condition, not waiting out a race
    raise AssertionError(f"timed out waiting for {what}")


def test_killed_worker_leaves_no_half_ready_video_and_the_job_finishes(
    settings, tmp_path, media_storage
):
    ensure_tree_roots(LoadReport())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    source = make_test_source(tmp_path / "lang.mp4", seconds=30, width=1280, height=720)
    with open(source, "rb") as handle:
        video = services.video_create(title="Langt intervju", source=File(handle, name="i.mp4"))

    first = _start_worker(media_storage)
    try:
        _wait_for(
            lambda: Video.objects.filter(pk=video.pk, progress__gte=10).exists(),
            timeout=120, what="the first worker to be well into the transcode",
        )  # fmt: skip
    except AssertionError:
        os.killpg(first.pid, signal.SIGKILL)
        raise AssertionError(first.communicate()[0].decode(errors="replace")[-3000:]) from None
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()

    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING
    assert not video.renditions.exists()
    assert video.media_prefix == ""
    # The lease runs out now (simulated instead of waiting 30 s): after the dead job's task row
    # started (a fast machine gets well into the job within a second of its start, so "a second
    # ago" could be before it), before the sweep.
    Video.objects.filter(pk=video.pk).update(lease_expires_at=timezone.now())

    second = _start_worker(media_storage, "--batch")
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output.decode(errors="replace")[-2000:]

    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.failure_reason
    assert video.attempts == 2
    assert {r.name for r in video.renditions.all()} == {"360p", "720p"}
    assert b"Requeued" in output


def _children(pid: int) -> list[int]:
    """Pids of the live processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent_and_state(int(entry.name))[0] == pid:
            found.append(int(entry.name))
    return found


def _parent_and_state(pid: int) -> tuple[int, str]:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0, "gone"
    state, parent = stat.rsplit(")", 1)[1].split()[:2]
    return int(parent), state


def _alive(pid: int) -> bool:
    return _parent_and_state(pid)[1] not in ("gone", "Z", "X")  # a zombie has finished


def _files_under(storage_root: Path | None, s3, prefix: str) -> list[str]:
    if s3 is not None:
        return s3.server.keys(f"{s3.prefix}/{prefix}/")
    folder = storage_root / prefix
    return [str(path) for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.mark.parametrize("store", ["local", "s3"])
def test_killed_worker_leaves_no_ffmpeg_temp_files_task_row_or_orphan_objects(
    request, settings, tmp_path, media_storage, store
):
    """Only the worker is killed (as the OOM killer does), not its process group."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django_tasks_db.models import DBTaskResult

    ensure_tree_roots(LoadReport())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {"TMPDIR": str(tmp_path / "worker-tmp")}
    (tmp_path / "worker-tmp").mkdir()
    s3 = None
    if store == "s3":
        s3 = request.getfixturevalue("s3_storage")
        env |= {
            "AWS_STORAGE_BUCKET_NAME": s3.server.bucket,
            "AWS_S3_ENDPOINT_URL": s3.server.endpoint_url,
            "AWS_ACCESS_KEY_ID": s3.server.access_key,
            "AWS_SECRET_ACCESS_KEY": s3.server.secret_key,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_LOCATION": s3.prefix,
        }
    source = make_test_source(tmp_path / "lang.mp4", seconds=30, width=1280, height=720)
    with open(source, "rb") as handle:
        video = services.video_create(title="Langt intervju", source=File(handle, name="i.mp4"))

    first = _start_worker(media_storage, env_extra=env)
    try:
        _wait_for(
            lambda: Video.objects.filter(pk=video.pk, progress__gte=10).exists(),
            timeout=120, what="the first worker to be well into the transcode",
        )  # fmt: skip
        encoders = _children(first.pid)
        assert encoders, "the worker runs ffmpeg as its child"
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    try:
        # ffmpeg dies with its worker: it does not go on for seconds, eating a core.
        _wait_for(
            lambda: not any(_alive(pid) for pid in encoders), timeout=3,
            what="the dead worker's ffmpeg to stop",
        )  # fmt: skip
    finally:
        for pid in encoders:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)

    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING
    dead_prefix = f"videos/{video.pk}/{video.job_token.hex[:16]}"
    # What the dead job had stored before it died (it was killed mid-encode here; a kill while
    # storing leaves exactly this: objects under its own prefix, referenced by no row).
    default_storage.save(f"{dead_prefix}/360p.mp4", ContentFile(b"half an upload"))
    default_storage.save(f"{dead_prefix}/hls/360p/segment_00000.m4s", ContentFile(b"x"))
    assert _files_under(media_storage, s3, dead_prefix)
    assert [p.name for p in (tmp_path / "worker-tmp").iterdir()]  # the dead job's folder
    # The lease runs out now: after the dead job's task row started (a fast machine gets well into
    # the job within a second of its start, so "a second ago" could be before it), before the sweep.
    Video.objects.filter(pk=video.pk).update(lease_expires_at=timezone.now())

    second = _start_worker(media_storage, "--batch", env_extra=env)
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output.decode(errors="replace")[-2000:]

    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.failure_reason
    assert not _files_under(media_storage, s3, dead_prefix)
    assert list((tmp_path / "worker-tmp").iterdir()) == []
    rows = DBTaskResult.objects.filter(task_path="videos.tasks.transcode_video")
    assert not rows.filter(status="RUNNING").exists()
    dead_row = rows.filter(status="FAILED").get()
    assert "stopped" in dead_row.traceback
    assert rows.filter(status="SUCCESSFUL").count() == 1
