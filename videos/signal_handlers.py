"""Signal handlers for videos: they only defer work until the transaction has committed.

Like ``wagtail/documents/signal_handlers.py``: a deleted video's files go only once the delete
has committed, through the delete-files task, so a rolled-back delete keeps every file. The keys
are read from the instance here, while it still holds them; the row is gone when the task runs.
"""

from django.db import transaction
from django.db.models.signals import post_delete

from videos.models import Video
from videos.tasks import delete_video_files


def video_deleted(instance: Video, **kwargs) -> None:
    """Queue the deletion of the video's source and everything under its storage folder."""
    source, folder = instance.source.name or "", instance.storage_folder
    transaction.on_commit(lambda: delete_video_files.enqueue(source, folder))


def register_signal_handlers() -> None:
    post_delete.connect(video_deleted, sender=Video, dispatch_uid="videos_video_deleted")
