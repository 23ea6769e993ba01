"""Every write that matters for videos: create, replace the source, transcode, captions, progress.

Transcoding is a job with a lease. ``video_transcode`` claims the video with a fresh token and a
lease it renews while it works; all outputs go under a new key prefix and become live in one
transaction only if the token is still ours. A worker that dies leaves an expired lease, which
``videos_sweep`` (run when a worker starts, and periodically) turns into a new job, after
clearing up what the dead one left: its temporary folder and any ffmpeg still writing there, its
task row (marked failed), and the objects it had stored under a prefix that never went live.
"""

import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.activities import CompletedActivity
from cms import contentversion
from videos import captions as caption_parser
from videos import progress as progress_rules
from videos.media import MediaError, probe, transcode
from videos.models import (
    Video,
    VideoActivity,
    VideoActivityKind,
    VideoCaption,
    VideoChapter,
    VideoRendition,
    VideoStatus,
    WatchProgress,
)
from videos.storeerrors import is_store_unavailable
from videos.workdirs import workdir_create, workdirs_clean

logger = logging.getLogger(__name__)

# While storing outputs, renew the lease at most this often (seconds).
_STORE_RENEW_INTERVAL = 2.0


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
    contentversion.bump()  # an update() sends no signal: pages showing the video are stale
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
    contentversion.bump()  # an update() sends no signal: pages showing the video are stale


def _local_source(video: Video, workdir: Path) -> Path:
    storage = video.source.storage
    if isinstance(storage, FileSystemStorage):
        return Path(storage.path(video.source.name))
    # Copy in chunks: a 2 GB upload must never sit in memory.
    local = workdir / Path(video.source.name).name
    with storage.open(video.source.name, "rb") as remote, open(local, "wb") as out:
        shutil.copyfileobj(remote, out, length=8 * 1024 * 1024)
    return local


def _store_outputs(
    out_dir: Path, prefix: str, stored: dict[Path, str], renew: Callable[[int], None]
) -> None:
    """Store every output file under ``prefix``, recording each key in ``stored`` as it lands.

    ``stored`` is filled in place, so a job stopped half way (lease lost, store failing) still
    knows which objects to delete. The lease is renewed as storing goes on: a long video's
    thousands of HLS segments can take longer than the lease to upload.
    """
    paths = sorted(p for p in out_dir.rglob("*") if p.is_file())
    last_renewal = time.monotonic()
    for count, path in enumerate(paths, start=1):
        relative = path.relative_to(out_dir).as_posix()
        with open(path, "rb") as handle:
            stored[path] = default_storage.save(f"{prefix}/{relative}", File(handle))
        if time.monotonic() - last_renewal >= _STORE_RENEW_INTERVAL:
            last_renewal = time.monotonic()
            renew(92 + count * 7 // len(paths))


def _job_prefix(video_id: int, token: uuid.UUID) -> str:
    """The key prefix under which the job holding ``token`` stores its outputs."""
    return f"videos/{video_id}/{token.hex[:16]}"


def _stored_keys_under(folder: str) -> list[str]:
    keys = []
    pending = [folder]
    while pending:
        folder = pending.pop()
        try:
            dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        keys += [f"{folder}/{name}" for name in files]
        pending += [f"{folder}/{name}" for name in dirs]
    return keys


def video_file_keys(video: Video) -> list[str]:
    """Every stored key of the live web-ready files (renditions, HLS, poster)."""
    if not video.media_prefix:
        return []
    return _stored_keys_under(video.media_prefix)


def video_transcode(*, video_id: int) -> None:
    """Make the video web-ready: probe, encode the ladder, store, then swap in atomically.

    Safe to call twice or from two workers: only the holder of the current lease writes.
    Rejected input marks the video failed with a reason the editor sees.
    """
    token = _claim(video_id)
    if token is None:
        return
    video = Video.objects.get(pk=video_id)
    workdir, owner_lock = workdir_create(video_id)
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
        prefix = _job_prefix(video_id, token)
        _store_outputs(
            workdir / "out", prefix, stored, lambda progress: _renew(video_id, token, progress)
        )
        _publish_outputs(video_id, token, prefix, found, output, stored)
        stored = {}
    except LeaseLost:
        logger.info("Video %s: another job took over; discarding this one's files", video_id)
    finally:
        try:
            for key in stored.values():
                default_storage.delete(key)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            owner_lock.close()


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


def video_files_delete(*, source: str, folder: str) -> None:
    """Delete every stored file of a deleted video: its source and all under its folder.

    The folder holds every transcode's renditions, HLS ladder and poster, live or left behind,
    so nothing of the video outlives it. Runs after the delete committed; safe to run twice.
    """
    stored_files_delete(keys=[*([source] if source else []), *_stored_keys_under(folder)])


def videos_requeue_stale(*, now=None) -> list[int]:
    """Give videos whose job died (lease expired) a new job, or fail them after too many tries.

    Either way the dead job's task row is marked failed and the objects it stored under its own
    prefix (which never went live) are deleted, while the video row is locked: a job that was
    only slow, not dead, then finds its lease gone and stores nothing more.
    """
    now = now or timezone.now()
    requeued = []
    stale = Video.objects.filter(status=VideoStatus.PROCESSING, lease_expires_at__lt=now)
    for video in stale:
        try:
            if _requeue_one(video.pk, now):
                requeued.append(video.pk)
        except Exception as exc:
            if not is_store_unavailable(exc):
                raise
            logger.warning("Video %s: the store is unavailable; the next sweep retries", video.pk)
    return requeued


def _requeue_one(video_id: int, now) -> bool:
    """Clear up after one video's dead job; True if it was given a new job."""
    with transaction.atomic():
        locked = Video.objects.select_for_update().get(pk=video_id)
        if locked.status != VideoStatus.PROCESSING or locked.lease_expires_at >= now:
            return False
        dead_token, lease_end = locked.job_token, locked.lease_expires_at
        _task_rows_fail_dead(video_id=locked.pk, started_before=lease_end, now=now)
        requeue = locked.attempts < settings.VIDEO_MAX_ATTEMPTS
        if requeue:
            locked.job_token, locked.lease_expires_at = None, None
            locked.status = VideoStatus.UPLOADED
            locked.save(update_fields=["job_token", "lease_expires_at", "status"])
            video_enqueue_transcode(video=locked)
        else:
            locked.status, locked.job_token, locked.lease_expires_at = (
                VideoStatus.FAILED, None, None,
            )  # fmt: skip
            locked.failure_reason = _(
                "Processing stopped %(count)s times before it finished. Try uploading again."
            ) % {"count": locked.attempts}
            locked.save()
        # After the write, so the row (PostgreSQL) or the database (SQLite) is locked against
        # the old job while its objects go. A store that is down rolls all of this back, and
        # the next sweep tries again.
        if dead_token is not None:
            _stored_prefix_delete(_job_prefix(locked.pk, dead_token), keep=locked.media_prefix)
    return requeue


def _task_rows_fail_dead(*, video_id: int, started_before, now) -> int:
    """Mark the task rows of a video's dead transcode failed; the worker that ran them is gone."""
    from videos.tasks import transcode_video

    rows = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        task_path=transcode_video.module_path,
        started_at__lt=started_before,
    )
    dead = [row.pk for row in rows if row.args_kwargs.get("args") == [video_id]]
    return DBTaskResult.objects.filter(pk__in=dead).update(
        status=TaskResultStatus.FAILED, finished_at=now,
        exception_class_path="videos.services.WorkerStopped",
        traceback=(
            "The worker running this transcode stopped (killed or crashed) before it finished: "
            "its lease ran out. The video was handed to a new job."
        ),
    )  # fmt: skip


def _stored_prefix_delete(prefix: str, *, keep: str) -> None:
    """Delete every object under a dead job's ``prefix``, unless that prefix is the live one."""
    if not prefix or prefix == keep:
        return
    stored_files_delete(keys=_stored_keys_under(prefix))
    if isinstance(default_storage, FileSystemStorage):
        shutil.rmtree(default_storage.path(prefix), ignore_errors=True)


@dataclass
class SweepResult:
    """What one sweep found and cleared after dead transcode jobs."""

    requeued: list[int] = field(default_factory=list)
    workdirs_removed: list[str] = field(default_factory=list)
    processes_killed: list[int] = field(default_factory=list)


def videos_sweep(*, now=None) -> SweepResult:
    """Clear up after transcode jobs whose worker died, and give their videos a new job.

    Run by ``run_worker`` when it starts and every ``VIDEO_SWEEP_INTERVAL`` seconds. On this
    machine: kill any ffmpeg still writing into a dead job's temporary folder, then remove the
    folder (``videos.workdirs``). In the database and the store: ``videos_requeue_stale``.
    """
    dead = workdirs_clean(older_than=settings.VIDEO_LEASE_SECONDS)
    requeued = videos_requeue_stale(now=now)
    return SweepResult(requeued, dead.removed, dead.processes_killed)


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


def _clean_progress(intervals, position, duration: float) -> tuple[list[list[float]], float | None]:
    # One home for the rules (videos.progress), whether the report came from a request or not.
    try:
        return (
            progress_rules.clean_intervals(intervals, duration=duration),
            progress_rules.clean_position(position, duration=duration),
        )
    except progress_rules.ProgressError as exc:
        raise ValidationError(exc.message) from exc


def watch_progress_record(*, user, video: Video, intervals, position=None) -> WatchProgress:
    """Add the intervals a learner actually played to their union, and remember the position.

    Seconds watched is the length of the union, so seeking to the end adds nothing; the video
    counts as watched once that reaches ``VIDEO_WATCHED_SHARE`` of its duration.
    """
    duration = float(video.duration or 0)
    cleaned, position = _clean_progress(intervals, position, duration)
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
            # After commit, so two clips finished at once in two tabs each see the other.
            transaction.on_commit(lambda: video_activity_credit(user=user, video=video))
        record.save()
    return record


def video_activity_credit(*, user, video: Video) -> list[str]:
    """After ``video`` is first watched to 90 %, queue a certificate for every live activity
    with it whose videos the learner has now all watched; returns the activities' keys.

    Runs once the progress is committed (it reads what is committed); the issuing service makes
    sure a learner gets one certificate per activity, however often this runs.
    """
    from certificates.tasks import issue_certificate

    keys = []
    activities = VideoActivity.objects.filter(live=True, items__video=video).distinct()
    for activity in activities.prefetch_related("items__video"):
        video_ids = {item.video_id for item in activity.items.all()}
        watched = set(
            WatchProgress.objects.filter(
                user=user, video_id__in=video_ids, completed_at__isnull=False
            ).values_list("video_id", flat=True)
        )
        if watched != video_ids:
            continue
        first = activity.items.all()[0].video
        completed = CompletedActivity(
            key=f"video-activity:{activity.pk}",
            kind="clips" if activity.kind == VideoActivityKind.CLIPS else "video",
            title=activity.title,
            edition_year=activity.edition_year,
            hours_individual=activity.hours,
            hours_together=Decimal(0),
            completed_on=timezone.localdate(),
            content_revision=activity.updated_at.isoformat(),
            url=first.get_absolute_url(),
        )
        args = completed.to_task_args()
        transaction.on_commit(lambda args=args: issue_certificate.enqueue(user.pk, args))
        keys.append(completed.key)
    return keys
