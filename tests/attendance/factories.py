"""Ready-made activities, people and sessions for the attendance tests (shared with the web
tests: import what you need)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from attendance import services
from videos.models import Video, VideoActivity, VideoActivityItem, VideoChapter, VideoStatus


def video_make(title: str = "intervju", seconds: float = 1800, chapters: int = 0) -> Video:
    """A ready video (no transcode needed) with ``chapters`` evenly spaced chapters."""
    video = Video.objects.create(
        title=title,
        source=f"videos/source/x/{title}.mp4",
        status=VideoStatus.READY,
        duration=seconds,
        media_prefix=f"videos/1/{title}",
    )
    for index in range(chapters):
        VideoChapter.objects.create(
            video=video, title=f"Spørsmål {index + 1}", start=index * seconds / chapters,
            sort_order=index,
        )  # fmt: skip
    return video


def activity_make(
    *videos: Video, hours: str = "1", live: bool = True, title: str = "Intervju om legemidler"
) -> VideoActivity:
    """A video activity of ``videos`` (default: one 30-minute video with 3 chapters)."""
    if not videos:
        videos = (video_make(chapters=3),)
    activity = VideoActivity.objects.create(
        title=title, edition_year=2026, kind="interview", hours=Decimal(hours), live=live
    )
    for order, video in enumerate(videos):
        VideoActivityItem.objects.create(activity=activity, video=video, sort_order=order)
    return activity


def user_make(username: str, full_name: str = "", email: str | None = None):
    first, _, last = full_name.partition(" ")
    return get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org" if email is None else email,
        password="hemmelig-passord-1",
        first_name=first,
        last_name=last,
    )


def session_make(activity=None, facilitator=None, *, started_minutes_ago: float = 0):
    """A running session started ``started_minutes_ago`` minutes ago."""
    activity = activity or activity_make()
    facilitator = facilitator or user_make("fasilitator", "Frida Fasilitator")
    now = timezone.now() - timedelta(minutes=started_minutes_ago)
    return services.group_session_start(facilitator=facilitator, activity=activity, now=now)
