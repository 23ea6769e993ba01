"""``manage.py reset_demo --yes``: put the demo programme back to its original content."""

import sys

from django.core.management.base import BaseCommand, CommandError

from cms.demo.loader import load_demo
from cms.management.commands.load_demo import print_report


class Command(BaseCommand):
    help = (
        "Reset every demo page, quiz, video, download and setting to its original content, and "
        "recreate the ones that were deleted. Editors' changes to them are replaced by a new "
        "revision (older revisions stay in the history). Needs --yes, or a typed 'yes'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="Reset without asking.")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive",
            help="Never ask: without --yes, refuse.",
        )  # fmt: skip
        parser.add_argument(
            "--no-videos", action="store_true", help="Leave out the demo videos (no transcoding)."
        )

    def handle(self, *args, yes: bool, interactive: bool, no_videos: bool, **options):
        if not yes:
            if not (interactive and sys.stdin.isatty()):
                raise CommandError(
                    "reset_demo replaces editors' changes to the demo content: "
                    "run it with --yes to confirm."
                )
            answer = input("Replace all changes to the demo content with the original? [yes/no] ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was reset.")
        report = load_demo(videos=not no_videos, reset=True)
        print_report(self, report)
        self.stdout.write(self.style.SUCCESS("Demo content reset."))
