"""``manage.py run_worker``: the django-tasks worker, plus recovery of video jobs that died.

A worker killed in the middle of a transcode leaves a video "processing" with a lease that runs
out. This command clears up after such jobs and hands their videos to a new job
(``videos.services.videos_sweep``) when it starts and every minute while it runs, then works the
queue exactly like ``db_worker`` (all its options are passed through).
"""

import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from videos.services import videos_sweep


class Command(BaseCommand):
    help = "Run the task worker (db_worker) and requeue video jobs whose worker died."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Work the queue, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--reload", action="store_true", default=False)

    def sweep(self) -> None:
        result = videos_sweep()
        if result.processes_killed:
            self.stdout.write(f"Killed ffmpeg left by a dead job: {result.processes_killed}")
        if result.workdirs_removed:
            self.stdout.write(f"Removed temporary folders of dead jobs: {result.workdirs_removed}")
        if result.requeued:
            self.stdout.write(f"Requeued videos whose job had stopped: {result.requeued}")

    def handle(self, *args, batch: bool, interval: float, reload: bool, **options):
        self.sweep()
        if not batch:
            stop = threading.Event()

            def sweep_periodically():
                while not stop.wait(settings.VIDEO_SWEEP_INTERVAL):
                    try:
                        self.sweep()
                    finally:
                        close_old_connections()

            threading.Thread(target=sweep_periodically, daemon=True, name="video-sweep").start()
        worker_options = {"interval": interval, "reload": reload, "no_startup_delay": True}
        if batch:
            worker_options["batch"] = True
        call_command("db_worker", **worker_options)
