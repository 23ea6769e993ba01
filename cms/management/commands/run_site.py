"""``manage.py run_site``: the web server and a task worker together; Ctrl-C stops both."""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server and a django-tasks worker side by side."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, addr: str, port: str, **options):
        manage = [sys.executable, "manage.py"]
        commands = [
            [*manage, "run_worker"],
            [*manage, "runserver", f"{addr}:{port}", "--noreload"],
        ]
        self.stdout.write(f"Site on http://{addr}:{port}/ with a task worker. Ctrl-C stops both.")
        children = [subprocess.Popen(command) for command in commands]  # noqa: S603

        def stop(*_args):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            # If either one dies, stop the other: a site without its worker is half a site.
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, None, -15)]
        if failed:
            sys.exit(1)
