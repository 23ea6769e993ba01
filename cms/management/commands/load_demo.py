"""``manage.py load_demo``: build what is missing of the demo programme; never undo an edit."""

import os

from django.core.management.base import BaseCommand

from cms.demo.institutions import demo_contact_login_line
from cms.demo.loader import load_demo
from cms.demo.records import LoadReport


def print_report(command: BaseCommand, report: LoadReport) -> None:
    """What a run created, reset or left out, one line each."""
    for item in report.created:
        command.stdout.write(f"created  {item}")
    for item in report.updated:
        command.stdout.write(f"updated  {item}")
    for item in report.skipped:
        command.stdout.write(f"left out {item} (deleted by an editor; reset_demo brings it back)")


class Command(BaseCommand):
    help = (
        "Create the demo programme's pages, quizzes, videos, downloads and settings where they "
        "never existed. Whatever exists is left as editors made it; reset_demo restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-videos", action="store_true", help="Leave out the demo videos (no transcoding)."
        )

    def handle(self, *args, no_videos: bool, **options):
        report = load_demo(videos=not no_videos)
        print_report(self, report)
        if not report.changed:
            self.stdout.write("Demo content is already up to date.")
        else:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        # The first demo institution's contact person, for trying the contact person's page.
        url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/konto/login/"
        line = demo_contact_login_line(url)
        if line:
            self.stdout.write(line)
