"""``manage.py import_video PATH --title TITLE``: add a video from the command line.

For bulk import and scripts. Captions and chapters are checked before anything is stored, so a
broken caption file leaves nothing behind. With ``--sync`` the video is transcoded here and now,
and a rejected file makes the command exit non-zero with the reason.
"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from videos import services
from videos.captions import CaptionError, parse_captions, parse_chapters
from videos.models import VideoKind, VideoStatus


class Command(BaseCommand):
    help = "Import a video file, with optional captions and chapters; prints the new video's id."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--title", required=True)
        parser.add_argument("--description", default="")
        parser.add_argument("--kind", choices=VideoKind.values, default=VideoKind.INTERVIEW)
        parser.add_argument(
            "--captions", action="append", default=[], metavar="LANG=FILE",
            help="Captions (WebVTT or SRT) for a language, e.g. nb=intervju.vtt. Repeatable.",
        )  # fmt: skip
        parser.add_argument("--chapters", type=Path, help="A WebVTT chapters file.")
        parser.add_argument("--sync", action="store_true", help="Transcode now, in this process.")

    def handle(self, *args, path: Path, title: str, description: str, kind: str,
               captions: list[str], chapters: Path | None, sync: bool, **options):  # fmt: skip
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        caption_files = [self._caption(item) for item in captions]
        chapter_list = self._chapters(chapters) if chapters else None

        with transaction.atomic(), open(path, "rb") as handle:
            video = services.video_create(
                title=title, source=File(handle, name=path.name), kind=kind,
                description=description, enqueue=not sync,
            )  # fmt: skip
            for language, data, name in caption_files:
                services.video_captions_set(video=video, language=language, data=data,
                                            filename=name)  # fmt: skip
            if chapter_list:
                services.video_chapters_set(video=video, chapters=chapter_list)

        if sync:
            services.video_transcode(video_id=video.pk)
            video.refresh_from_db()
            if video.status != VideoStatus.READY:
                raise CommandError(
                    f"Video {video.pk} was rejected: {video.failure_reason or video.status}"
                )
        self.stdout.write(str(video.pk))

    def _caption(self, item: str) -> tuple[str, bytes, str]:
        from django.conf import settings

        language, separator, filename = item.partition("=")
        if not separator or language not in dict(settings.LANGUAGES):
            raise CommandError(
                f"--captions takes LANG=FILE with LANG one of nb, nn, en, sv, da: {item}"
            )
        file = Path(filename)
        if not file.is_file():
            raise CommandError(f"No such caption file: {file}")
        data = file.read_bytes()
        try:
            parse_captions(data, filename=file.name)
        except CaptionError as error:
            raise CommandError(f"{file}: {error}") from error
        return language, data, file.name

    def _chapters(self, file: Path):
        if not file.is_file():
            raise CommandError(f"No such chapters file: {file}")
        try:
            return parse_chapters(file.read_bytes(), filename=file.name)
        except CaptionError as error:
            raise CommandError(f"{file}: {error}") from error
