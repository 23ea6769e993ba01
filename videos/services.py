"""Every write that matters for videos: create, replace the source, transcode, captions, progress.

Transcoding is a job with a lease. ``video_transcode`` claims the video with a fresh token and a
lease it renews while it works; all outputs go under a new key prefix and become live in one
transaction only if the token is still ours. A worker that dies leaves an expired lease, which
``videos_requeue_stale`` (run when a worker starts, and periodically) turns into a new job.
"""

import logging
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from videos import captions as caption_parser
from videos.media import MediaError, probe, transcode
from videos.models import (
    Video,
    VideoCaption,
    VideoChapter,
    VideoRendition,
    VideoStatus,
    WatchProgress,
)

logger = logging.getLogger(__name__)


class LeaseLost(Exception):  # noqa: N818 - a state, not a bug
    """Another job took over this video; the current one must stop without writing."""


def video_enqueue_transcode(*, video: Video) -> None:
    """Queue a transcode once the current transaction has committed."""
    from videos.tasks import transcode_video

    video_id = video.pk
    transaction.on_commit(lambda: transcode_video.enqueue(video_id))


@transaction.atomic
def video_create(
    *,
    title: str,
    source: File,
    user=None,
    collection=None,
    kind: str = "interview",
    description: str = "",
    enqueue: bool = True,
) -> Video:
    """Store a new video's source file and (unless told not to) queue it for transcoding."""
    video = Video(title=title, kind=kind, description=description, uploaded_by_user=user)
    if collection is not None:
        video.collection = collection
    video.source.save(Path(source.name).name, source, save=False)
    video.source_size = video.source.size
    video.full_clean()
    video.save()
    if enqueue:
        video_enqueue_transcode(video=video)
    return video


def video_source_changed(*, video: Video, old_source: str = "") -> None:
    """After an editor replaced the source: back to "uploaded" and a new transcode.

    The old renditions stay live until the new ones are ready; an old job still running loses
    its lease token and discards its work. The replaced source file is deleted after commit.
    """
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.UPLOADED, progress=0, failure_reason="", job_token=None,
        lease_expires_at=None, attempts=0, source_size=video.source.size,
    )  # fmt: skip
    video_enqueue_transcode(video=video)
    if old_source and old_source != video.source.name:
        transaction.on_commit(lambda: _delete_later([old_source]))


def _lease_until():
    return timezone.now() + timedelta(seconds=settings.VIDEO_LEASE_SECONDS)


def _claim(video_id: int) -> uuid.UUID | None:
    with transaction.atomic():
        video = Video.objects.select_for_update().filter(pk=video_id).first()
        if video is None:
            return None
        now = timezone.now()
        held = video.job_token and video.lease_expires_at and video.lease_expires_at > now
        if held or video.status == VideoStatus.READY or video.status == VideoStatus.FAILED:
            return None
        token = uuid.uuid4()
        video.job_token, video.lease_expires_at = token, _lease_until()
        video.status, video.progress, video.failure_reason = VideoStatus.PROCESSING, 0, ""
        video.attempts += 1
        video.save(update_fields=[
            "job_token", "lease_expires_at", "status", "progress", "failure_reason", "attempts",
        ])  # fmt: skip
        return token


def _renew(video_id: int, token: uuid.UUID, progress: int) -> None:
    updated = Video.objects.filter(pk=video_id, job_token=token).update(
        progress=progress, lease_expires_at=_lease_until()
    )
    if not updated:
        raise LeaseLost(video_id)


def _fail(video_id: int, token: uuid.UUID, reason: str) -> None:
    Video.objects.filter(pk=video_id, job_token=token).update(
        status=VideoStatus.FAILED, failure_reason=reason, job_token=None, lease_expires_at=None,
        progress=0,
    )  # fmt: skip


def _local_source(video: Video, workdir: Path) -> Path:
    storage = video.source.storage
    if isinstance(storage, FileSystemStorage):
        return Path(storage.path(video.source.name))
    # Copy in chunks: a 2 GB upload must never sit in memory.
    local = workdir / Path(video.source.name).name
    with storage.open(video.source.name, "rb") as remote, open(local, "wb") as out:
        shutil.copyfileobj(remote, out, length=8 * 1024 * 1024)
    return local


def _store_outputs(out_dir: Path, prefix: str) -> dict[Path, str]:
    keys = {}
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(out_dir).as_posix()
        with open(path, "rb") as handle:
            keys[path] = default_storage.save(f"{prefix}/{relative}", File(handle))
    return keys


def video_file_keys(video: Video) -> list[str]:
    """Every stored key of the live web-ready files (renditions, HLS, poster)."""
    if not video.media_prefix:
        return []
    keys = []
    pending = [video.media_prefix]
    while pending:
        folder = pending.pop()
        try:
            dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        keys += [f"{folder}/{name}" for name in files]
        pending += [f"{folder}/{name}" for name in dirs]
    return keys


def video_transcode(*, video_id: int) -> None:
    """Make the video web-ready: probe, encode the ladder, store, then swap in atomically.

    Safe to call twice or from two workers: only the holder of the current lease writes.
    Rejected input marks the video failed with a reason the editor sees.
    """
    token = _claim(video_id)
    if token is None:
        return
    video = Video.objects.get(pk=video_id)
    workdir = Path(tempfile.mkdtemp(prefix=f"video-{video_id}-"))
    stored: dict[Path, str] = {}
    try:
        source = _local_source(video, workdir)
        try:
            found = probe(
                source,
                max_duration=settings.VIDEO_MAX_DURATION,
                max_bytes=settings.VIDEO_MAX_UPLOAD_SIZE,
            )
            _renew(video_id, token, 2)
            output = transcode(
                source, workdir / "out", probe_result=found, poster_at=video.poster_time,
                on_progress=lambda fraction: _renew(video_id, token, 2 + int(fraction * 90)),
            )  # fmt: skip
        except MediaError as exc:
            _fail(video_id, token, str(exc))
            return
        prefix = f"videos/{video_id}/{token.hex[:16]}"
        stored = _store_outputs(workdir / "out", prefix)
        _publish_outputs(video_id, token, prefix, found, output, stored)
        stored = {}
    except LeaseLost:
        logger.info("Video %s: another job took over; discarding this one's files", video_id)
    finally:
        for key in stored.values():
            default_storage.delete(key)
        shutil.rmtree(workdir, ignore_errors=True)


def _publish_outputs(video_id, token, prefix, found, output, stored: dict[Path, str]) -> None:
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video_id)
        if video.job_token != token:
            raise LeaseLost(video_id)
        old_keys = video_file_keys(video)
        video.renditions.all().delete()
        for rung in output.ladder:
            # The size the MP4 was encoded at, straight from the ladder: never recomputed here.
            path = output.renditions[rung.name]
            VideoRendition.objects.create(
                video=video, name=rung.name, file=stored[path], width=rung.width,
                height=rung.height, size=path.stat().st_size,
            )  # fmt: skip
        video.media_prefix = prefix
        video.hls_master = stored[output.hls_master]
        video.poster = stored[output.poster]
        video.duration, video.width, video.height = output.duration, found.width, found.height
        video.status, video.progress, video.failure_reason = VideoStatus.READY, 100, ""
        video.job_token, video.lease_expires_at = None, None
        video.save()
        if old_keys:
            transaction.on_commit(lambda: _delete_later(old_keys))


def _delete_later(keys: list[str]) -> None:
    from videos.tasks import delete_stored_files

    delete_stored_files.enqueue(keys)


def stored_files_delete(*, keys: Iterable[str]) -> None:
    """Delete stored files; missing ones are fine (deleting twice is harmless)."""
    for key in keys:
        default_storage.delete(key)


def videos_requeue_stale(*, now=None) -> list[int]:
    """Give videos whose job died (lease expired) a new job, or fail them after too many tries."""
    now = now or timezone.now()
    requeued = []
    stale = Video.objects.filter(status=VideoStatus.PROCESSING, lease_expires_at__lt=now)
    for video in stale:
        with transaction.atomic():
            locked = Video.objects.select_for_update().get(pk=video.pk)
            if locked.status != VideoStatus.PROCESSING or locked.lease_expires_at >= now:
                continue
            if locked.attempts >= settings.VIDEO_MAX_ATTEMPTS:
                locked.status, locked.job_token, locked.lease_expires_at = (
                    VideoStatus.FAILED, None, None,
                )  # fmt: skip
                locked.failure_reason = _(
                    "Processing stopped %(count)s times before it finished. Try uploading again."
                ) % {"count": locked.attempts}
                locked.save()
                continue
            locked.job_token, locked.lease_expires_at = None, None
            locked.status = VideoStatus.UPLOADED
            locked.save(update_fields=["job_token", "lease_expires_at", "status"])
            video_enqueue_transcode(video=locked)
            requeued.append(locked.pk)
    return requeued


@transaction.atomic
def video_captions_set(
    *, video: Video, language: str, data: bytes, filename: str = ""
) -> VideoCaption:
    """Parse, clean and store captions for one language (replacing any earlier file)."""
    track = caption_parser.parse_captions(data, filename=filename)
    caption, _created = VideoCaption.objects.update_or_create(
        video=video, language=language,
        defaults={"webvtt": track.to_webvtt(), "source_name": filename[:255]},
    )  # fmt: skip
    return caption


@transaction.atomic
def video_chapters_set(*, video: Video, chapters: Iterable[caption_parser.Chapter]) -> None:
    """Replace the video's chapters."""
    video.chapters.all().delete()
    for order, chapter in enumerate(chapters):
        VideoChapter.objects.create(
            video=video, title=chapter.title, start=chapter.start, sort_order=order
        )


def _merge(intervals: list[list[float]]) -> list[list[float]]:
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + 0.5:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _clean_intervals(raw, duration: float) -> list[list[float]]:
    if not isinstance(raw, list) or len(raw) > 200:
        raise ValidationError(_("Send at most 200 played intervals at a time."))
    cleaned = []
    for item in raw:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise ValidationError(_("Each interval is a pair of numbers."))
        start, end = (float(value) for value in item)
        if not (0 <= start <= end) or end > duration + 1:
            raise ValidationError(_("An interval lies outside the video."))
        cleaned.append([start, min(end, duration)])
    return cleaned


def watch_progress_record(*, user, video: Video, intervals, position=None) -> WatchProgress:
    """Add the intervals a learner actually played to their union, and remember the position.

    Seconds watched is the length of the union, so seeking to the end adds nothing; the video
    counts as watched once that reaches ``VIDEO_WATCHED_SHARE`` of its duration.
    """
    duration = float(video.duration or 0)
    cleaned = _clean_intervals(intervals, duration)
    if position is not None:
        position = float(position)
        if not 0 <= position <= duration + 1:
            raise ValidationError(_("The position lies outside the video."))
    with transaction.atomic():
        record, _created = WatchProgress.objects.get_or_create(user=user, video=video)
        record = WatchProgress.objects.select_for_update().get(pk=record.pk)
        union = _merge([*record.intervals, *cleaned])
        record.intervals = union
        record.seconds_watched = sum(end - start for start, end in union)
        if position is not None:
            record.position = min(position, duration)
        if (
            record.completed_at is None
            and duration
            and record.seconds_watched >= settings.VIDEO_WATCHED_SHARE * duration
        ):
            record.completed_at = timezone.now()
        record.save()
    return record
