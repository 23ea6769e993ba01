"""``manage.py run_worker``: the project's task worker, and the periodic jobs that run beside it.

It works the queue exactly like django-tasks-db's ``db_worker`` and, in a thread beside it,
runs three periodic jobs, once at start and then every so many seconds:

- scheduled publishing (Wagtail's ``publish_scheduled``): pages, quizzes and other snippets
  whose go-live time has come are published, expired ones unpublished; every
  ``PUBLISH_SCHEDULED_INTERVAL`` seconds (30), so a schedule is met within a minute;
- the video sweep (``videos.services.videos_sweep``): clears up after transcode jobs whose
  worker died and hands their videos to a new job; every ``VIDEO_SWEEP_INTERVAL`` seconds (60);
- the certificate sweep (``certificates.services.certificates_render_missing``): asks again for
  the PDF of a certificate whose render died; every ``CERTIFICATE_SWEEP_INTERVAL`` seconds (300).

``make run`` starts it beside the development server (``run_site``); production runs it beside
gunicorn. Several workers may run at once: publishing a revision twice is harmless, and the
sweep works under leases.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from certificates.services import certificates_render_missing
from videos.services import videos_sweep

logger = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    """Work the worker repeats every ``interval`` seconds beside the task queue."""

    name: str
    interval: float
    run: Callable[[], None]


def run_job(job: PeriodicJob) -> None:
    """One run of ``job``; a failure is logged, and the job runs again next time."""
    try:
        job.run()
    except Exception:
        logger.exception("Periodic job %r failed; it runs again in %s s", job.name, job.interval)
    finally:
        close_old_connections()


def run_periodically(jobs: list[PeriodicJob], stop: threading.Event) -> None:
    """Run each job every ``interval`` seconds until ``stop`` is set."""
    due = [time.monotonic() + job.interval for job in jobs]
    while not stop.wait(max(0.0, min(due) - time.monotonic())):
        for index, job in enumerate(jobs):
            if due[index] <= time.monotonic():
                run_job(job)
                due[index] = time.monotonic() + job.interval


class Command(BaseCommand):
    help = (
        "Run the task worker (db_worker), publish what editors scheduled, and clear up after "
        "video jobs whose worker died."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Work the queue, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--reload", action="store_true", default=False)

    def publish_scheduled(self) -> None:
        call_command("publish_scheduled", stdout=self.stdout)

    def video_sweep(self) -> None:
        result = videos_sweep()
        if result.processes_killed:
            self.stdout.write(f"Killed ffmpeg left by a dead job: {result.processes_killed}")
        if result.workdirs_removed:
            self.stdout.write(f"Removed temporary folders of dead jobs: {result.workdirs_removed}")
        if result.requeued:
            self.stdout.write(f"Requeued videos whose job had stopped: {result.requeued}")

    def certificate_sweep(self) -> None:
        asked = certificates_render_missing()
        if asked:
            self.stdout.write(f"Asked again for certificate PDFs: {len(asked)}")

    def handle(self, *args, batch: bool, interval: float, reload: bool, **options):
        jobs = [
            PeriodicJob(
                "publish scheduled", settings.PUBLISH_SCHEDULED_INTERVAL, self.publish_scheduled
            ),
            PeriodicJob("video sweep", settings.VIDEO_SWEEP_INTERVAL, self.video_sweep),
            PeriodicJob(
                "certificate sweep", settings.CERTIFICATE_SWEEP_INTERVAL, self.certificate_sweep
            ),
        ]
        # Once before the queue is worked, as a worker that starts after a crash needs.
        for job in jobs:
            run_job(job)
        worker_options = {"interval": interval, "reload": reload, "no_startup_delay": True}
        if batch:
            call_command("db_worker", batch=True, **worker_options)
            return
        stop = threading.Event()
        threading.Thread(
            target=run_periodically, args=(jobs, stop), daemon=True, name="periodic-jobs"
        ).start()
        try:
            call_command("db_worker", **worker_options)
        finally:
            stop.set()
