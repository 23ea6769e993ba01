"""``manage.py load_demo``: build the demo programme; running it again changes nothing."""

from django.core.management.base import BaseCommand

from cms.demo.loader import load_demo


class Command(BaseCommand):
    help = "Create or update the demo programme (pages, downloads, settings). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-videos", action="store_true", help="Leave out the demo videos (no transcoding)."
        )

    def handle(self, *args, no_videos: bool, **options):
        report = load_demo(videos=not no_videos)
        for item in report.created:
            self.stdout.write(f"created  {item}")
        for item in report.updated:
            self.stdout.write(f"updated  {item}")
        if not report.changed:
            self.stdout.write("Demo content is already up to date.")
        else:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
