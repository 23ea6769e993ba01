"""A page and a quiz scheduled in the admin go live on time with only ``make run``'s processes.

Real processes: ``manage.py run_site`` (the development server and ``run_worker`` beside it, as
``make run`` starts them) on the test database, with the database task queue. The test
schedules a new module page and a quiz the way the admin does (a revision published with a
``go_live_at`` ahead), then polls the page over HTTP until it answers.
"""

import datetime
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from courses.models import CoursePage, ModulePage
from quizzes.models import Quiz
from tests.support.processes import database_url, free_port, stop

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _wait_for(condition, *, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"{what} within {timeout:.0f} s")


@pytest.fixture
def site_processes(media_storage):
    """``run_site`` on a free port, as ``make run`` starts it; stopped with SIGTERM after."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": str(media_storage),
        # The default (30 s) meets "within a minute"; the test need not wait that long.
        "PUBLISH_SCHEDULED_INTERVAL": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_site", "--port", str(port)],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _status(base + "/") == 200, timeout=60, what="the site answers")
        yield base
    finally:
        stop(process)


@pytest.fixture
def demo_course(demo):
    return CoursePage.objects.get()


def test_scheduled_page_and_quiz_go_live_on_time(demo_course, site_processes):
    go_live = timezone.now() + datetime.timedelta(seconds=5)

    quiz = Quiz(title="Planlagt quiz om smittevern", pass_mark=80, live=False, questions=[])
    quiz.save()
    quiz.go_live_at = go_live
    quiz.save_revision().publish()  # as the admin's "publish" with a go-live date: scheduled

    page = ModulePage(title="Planlagt modul", slug="planlagt-modul", live=False)
    page.body = [
        {
            "type": "section",
            "value": {"title": "Del 1", "content": [{"type": "text", "value": "<p>Ny</p>"}]},
        }
    ]
    demo_course.add_child(instance=page)
    page.go_live_at = go_live
    page.save_revision().publish()
    page.refresh_from_db()
    url = site_processes + page.url
    assert not page.live and _status(url) == 404  # scheduled, not yet live
    assert not Quiz.objects.get(pk=quiz.pk).live

    _wait_for(lambda: _status(url) == 200, timeout=120, what="the scheduled page goes live")
    live_after = (timezone.now() - go_live).total_seconds()
    assert live_after < 60, f"live {live_after:.0f} s after its time"
    page.refresh_from_db()
    assert page.live and page.live_revision_id == page.latest_revision_id
    _wait_for(
        lambda: Quiz.objects.get(pk=quiz.pk).live, timeout=30, what="the scheduled quiz is live"
    )


def test_a_failing_periodic_job_keeps_running_and_does_not_stop_the_others():
    import threading

    from cms.management.commands.run_worker import PeriodicJob, run_periodically

    runs = {"failing": 0, "working": 0}
    stop = threading.Event()

    def failing():
        runs["failing"] += 1
        raise RuntimeError("storage down")

    def working():
        runs["working"] += 1
        if runs["working"] >= 3 and runs["failing"] >= 3:
            stop.set()

    jobs = [PeriodicJob("failing", 0.01, failing), PeriodicJob("working", 0.01, working)]
    thread = threading.Thread(target=run_periodically, args=(jobs, stop), daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert runs["failing"] >= 3 and runs["working"] >= 3
