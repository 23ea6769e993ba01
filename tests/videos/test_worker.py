"""A worker killed in the middle of a transcode: the job is picked up and finishes next run.

Real processes: the worker (``manage.py run_worker``) runs in a subprocess on the same test
database and media folder, with the database task queue; the test kills it with SIGKILL.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files import File
from django.db import connection
from django.utils import timezone

from cms.demo.loader import LoadReport, ensure_tree_roots
from videos import services
from videos.media import make_test_source
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{conf['NAME']}"
    user = conf.get("USER") or ""
    auth = f"{user}:{conf['PASSWORD']}@" if conf.get("PASSWORD") else (f"{user}@" if user else "")
    host = f"{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}"
    return f"postgres://{auth}{host}/{conf['NAME']}"


def _start_worker(media_root: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": str(media_root),
        "VIDEO_LEASE_SECONDS": "30",
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
    # The lease runs out (simulated here instead of waiting 30 s).
    Video.objects.filter(pk=video.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    second = _start_worker(media_storage, "--batch")
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output.decode(errors="replace")[-2000:]

    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.failure_reason
    assert video.attempts == 2
    assert {r.name for r in video.renditions.all()} == {"360p", "720p"}
    assert b"Requeued" in output
