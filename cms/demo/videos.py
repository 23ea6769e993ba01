"""The demo videos: an interview and a "5 in 5" clip, with Bokmål captions and chapters.

The words are in ``content/videos.yaml``. The pictures and sound are ffmpeg test sources (we
have no real footage to ship). Each video is made once; an existing one is left as it is.
"""

import tempfile
from pathlib import Path

from django.core.files import File

from cms.demo.records import LoadReport, demo_object_plan, demo_object_record
from cms.demo.texts import read
from videos import services
from videos.captions import chapters_from_list, parse_captions
from videos.media import make_test_source
from videos.models import Video

DEMO_VIDEOS: dict[str, dict] = read("videos")


def webvtt(cues: list[dict]) -> bytes:
    """The caption cues of a demo video as a WebVTT file."""

    def stamp(seconds: float) -> str:
        minutes, rest = divmod(seconds, 60)
        return f"00:{int(minutes):02d}:{rest:06.3f}"

    blocks = [f"{stamp(cue['start'])} --> {stamp(cue['end'])}\n{cue['text']}" for cue in cues]
    return ("WEBVTT\n\n" + "\n\n".join(blocks) + "\n").encode()


def _ensure_video(report: LoadReport, name: str, spec: dict) -> Video | None:
    key = f"video:{name}"
    title = spec["title"]
    label = f"video {title!r}"
    video, write = demo_object_plan(
        report,
        key=key,
        label=label,
        legacy=lambda: Video.objects.filter(title=title).order_by("pk").first(),
    )
    if not write:
        return video
    created = video is None
    if created:
        with tempfile.TemporaryDirectory() as folder:
            source = make_test_source(
                Path(folder) / "demo.mp4", seconds=spec["seconds"], width=1280, height=720
            )
            with open(source, "rb") as handle:
                video = services.video_create(
                    title=title, source=File(handle, name=f"{spec['kind']}.mp4"), kind=spec["kind"]
                )
        demo_object_record(key=key, obj=video)
        report.created.append(f"{label} (transcoding in the background)")
    changed = []
    if video.title != title or video.reflection_questions != spec["reflection"]:
        video.title = title
        video.reflection_questions = spec["reflection"]
        video.save(update_fields=["title", "reflection_questions"])
        changed.append("title and reflection questions")
    data = webvtt(spec["captions"])
    current = video.captions.filter(language="nb").first()
    if current is None or current.webvtt != parse_captions(data).to_webvtt():
        services.video_captions_set(video=video, language="nb", data=data, filename="demo.vtt")
        changed.append("captions")
    wanted = [(chapter["title"], float(chapter["start"])) for chapter in spec["chapters"]]
    have = [
        (chapter_title, float(start))
        for chapter_title, start in video.chapters.order_by("sort_order").values_list(
            "title", "start"
        )
    ]
    if have != wanted:
        services.video_chapters_set(
            video=video, chapters=chapters_from_list(wanted, duration=float(spec["seconds"]))
        )
        changed.append("chapters")
    if changed and not created:
        report.updated.append(f"{label}: {', '.join(changed)}")
    return video


def ensure_demo_videos(report: LoadReport) -> tuple[Video | None, Video | None]:
    """The interview and the clip; new ones are queued for transcoding by the task worker."""
    return (
        _ensure_video(report, "interview", DEMO_VIDEOS["interview"]),
        _ensure_video(report, "clip", DEMO_VIDEOS["clip"]),
    )
