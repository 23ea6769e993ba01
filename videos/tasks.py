"""Background tasks for videos; each one calls a service and holds no logic of its own."""

from django_tasks import task

from videos import services


@task()
def transcode_video(video_id: int) -> None:
    """Make an uploaded video web-ready (see ``services.video_transcode``)."""
    services.video_transcode(video_id=video_id)


@task()
def delete_stored_files(keys: list[str]) -> None:
    """Delete replaced renditions and sources after the swap has committed."""
    services.stored_files_delete(keys=keys)


@task()
def delete_video_files(source: str, folder: str) -> None:
    """Delete a deleted video's source and every file under its folder (after the delete)."""
    services.video_files_delete(source=source, folder=folder)
