"""A ready video with captions and chapters, made through the real services (ffmpeg included)."""

from pathlib import Path

from django.core.files import File

from videos import services
from videos.captions import Chapter
from videos.media import make_test_source
from videos.models import Video

CAPTIONS_NB = """WEBVTT

00:00:00.500 --> 00:00:03.500
Velkommen til dagens fem på fem.

00:00:04.200 --> 00:00:07.500
Når bør vi vente med antibiotika?

00:00:08.200 --> 00:00:11.500
Hva sier retningslinjen om urinveisinfeksjon?
"""

CHAPTERS = (
    ("Hvorfor antibiotikastyring?", 0.0),
    ("Når bør vi vente?", 4.0),
    ("Urinveisinfeksjon hos eldre", 8.0),
)


def ready_video(
    folder: Path,
    *,
    title: str = "Fem på fem: antibiotika i sykehjem",
    kind: str = "clip",
    seconds: float = 12,
    width: int = 640,
    height: int = 360,
    source: Path | None = None,
    captions: str | None = CAPTIONS_NB,
    chapters=CHAPTERS,
    reflection_questions: str = "",
) -> Video:
    """Create, transcode (synchronously) and caption a video; returns it READY.

    Pass ``source`` to reuse a clip made once with ``make_test_source``; otherwise one is made
    in ``folder``. ``chapters`` are ``(title, start)`` pairs; the last ends with the video.
    """
    if source is None:
        source = make_test_source(
            Path(folder) / "source.mp4", seconds=seconds, width=width, height=height
        )
    with open(source, "rb") as handle:
        video = services.video_create(
            title=title, source=File(handle, name="source.mp4"), kind=kind
        )
    services.video_transcode(video_id=video.pk)
    video.refresh_from_db()
    if video.status != "ready":
        raise AssertionError(f"transcoding failed: {video.failure_reason}")
    if reflection_questions:
        video.reflection_questions = reflection_questions
        video.save(update_fields=["reflection_questions"])
    if captions:
        services.video_captions_set(
            video=video, language="nb", data=captions.encode(), filename="nb.vtt"
        )
    if chapters:
        starts = [start for _title, start in chapters]
        ends = [*starts[1:], video.duration]
        services.video_chapters_set(
            video=video,
            chapters=[
                Chapter(title=name, start=start, end=end)
                for (name, start), end in zip(chapters, ends, strict=True)
            ],
        )
    return video
