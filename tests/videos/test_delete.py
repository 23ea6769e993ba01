"""Deleting a video deletes all its stored files, after the delete commits, locally and on S3."""

import posixpath
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from tests.videos.factories import ready_video
from videos import services
from videos.media import make_test_source
from videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("delete")
    return make_test_source(folder / "kort.mp4", seconds=2, width=320, height=240)


def stored_files(media_root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()
    )


def video_folder(video: Video) -> str:
    """The folder above the live transcode's prefix, where every transcode of it is stored."""
    return posixpath.dirname(video.media_prefix)


def video_keys(video: Video) -> list[str]:
    """The source and every web-ready file of ``video`` as stored now."""
    return [video.source.name, *services.video_file_keys(video)]


def test_deleting_in_the_admin_leaves_no_file_in_local_storage(
    admin_client, media_storage, tmp_path, clip, django_capture_on_commit_callbacks
):
    video = ready_video(tmp_path, source=clip)
    keys = video_keys(video)
    assert len(keys) > 5 and all(default_storage.exists(key) for key in keys)
    # What a worker killed mid-transcode left under the video's folder goes too.
    default_storage.save(f"{video_folder(video)}/0123456789abcdef/720p.mp4", ContentFile(b"x"))
    url = reverse("videos_admin:delete", args=[video.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)

    assert response.status_code == 302
    assert not Video.objects.filter(pk=video.pk).exists()
    assert stored_files(media_storage) == []


def test_bulk_delete_through_the_orm_deletes_every_videos_files(
    media_storage, tmp_path, clip, django_capture_on_commit_callbacks
):
    first = ready_video(tmp_path, source=clip, title="Første")
    second = ready_video(tmp_path, source=clip, title="Andre")
    kept = ready_video(tmp_path, source=clip, title="Beholdes")
    kept_keys = video_keys(kept)

    with django_capture_on_commit_callbacks(execute=True):
        Video.objects.filter(pk__in=[first.pk, second.pk]).delete()

    assert sorted(stored_files(media_storage)) == sorted(kept_keys)


def test_a_rolled_back_delete_keeps_every_file(
    media_storage, tmp_path, clip, django_capture_on_commit_callbacks
):
    video = ready_video(tmp_path, source=clip)
    before = stored_files(media_storage)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Video.objects.get(pk=video.pk).delete()
        raise RuntimeError("the delete is rolled back")

    assert callbacks == []
    assert Video.objects.filter(pk=video.pk).exists()
    assert stored_files(media_storage) == before
    assert before  # the video really had files to lose


def test_files_are_deleted_only_after_the_delete_commits(
    media_storage, tmp_path, clip, django_capture_on_commit_callbacks
):
    video = ready_video(tmp_path, source=clip)
    before = stored_files(media_storage)

    with django_capture_on_commit_callbacks(execute=True):
        Video.objects.get(pk=video.pk).delete()
        # Still inside the transaction: a rollback here must find the files in place.
        assert stored_files(media_storage) == before

    assert stored_files(media_storage) == []


def test_deleting_a_video_on_s3_leaves_no_object(
    admin_client, s3_storage, tmp_path, clip, django_capture_on_commit_callbacks
):
    video = ready_video(tmp_path, source=clip)
    kept = ready_video(tmp_path, source=clip, title="Beholdes")
    server, prefix = s3_storage.server, s3_storage.prefix
    keys = video_keys(video)
    assert all(f"{prefix}/{key}" in server.keys(prefix) for key in keys)
    kept_objects = sorted(f"{prefix}/{key}" for key in video_keys(kept))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("videos_admin:delete", args=[video.pk]))

    assert response.status_code == 302
    assert server.keys(f"{prefix}/{video_folder(video)}/") == []
    assert server.keys(f"{prefix}/{video.source.name}") == []
    assert sorted(server.keys(prefix)) == kept_objects
