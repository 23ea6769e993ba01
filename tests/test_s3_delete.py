"""Deleting a document or an image on S3 removes its file, and no task row holds a secret.

Wagtail deletes the file after commit through a background task whose arguments are the
storage's constructor arguments (``storage.deconstruct()``), stored as JSON in the task table.
The storage here is configured exactly as production configures it (``cms.settings.base`` read
with the S3 variables set), against the real SeaweedFS, with the database task queue.
"""

import importlib.util
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import ResourceDocument

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

PDF = b"%PDF-1.4\n% sjekkliste\n" + b"1" * 1024


def _production_storage(monkeypatch, server, prefix: str) -> dict:
    """STORAGES["default"] as cms.settings.base builds it from the environment."""
    env = {
        "AWS_STORAGE_BUCKET_NAME": server.bucket,
        "AWS_S3_ENDPOINT_URL": server.endpoint_url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": server.access_key,
        "AWS_SECRET_ACCESS_KEY": server.secret_key,
        "AWS_LOCATION": prefix,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # A fresh copy of the settings module, so the one Django runs with stays as it is.
    spec = importlib.util.find_spec("cms.settings.base")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.STORAGES["default"]


@pytest.fixture
def production_s3(settings, monkeypatch, seaweed):
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": _production_storage(monkeypatch, seaweed, prefix),
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return prefix


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _task_rows_as_text() -> str:
    """Every column of every task row, as text (what someone reading the table would see)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM django_tasks_database_dbtaskresult")
        return "\n".join(" | ".join(str(value) for value in row) for row in cursor.fetchall())


def _run_worker() -> None:
    """Run every waiting task the way ``manage.py db_worker`` does, from its stored row."""
    # The worker's own loop closes database connections between tasks, which would end the
    # test's transaction; its run_task is the part that reads a row and runs the task.
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip
    for row in DBTaskResult.objects.ready():
        worker.run_task(row)
        row.refresh_from_db()
        # (Search-index updates queued for the uploads fail now the objects are gone.)
        if row.task_path.endswith("delete_file_from_storage_task"):
            assert row.status == "SUCCESSFUL", row.traceback


def test_deleting_a_document_and_an_image_removes_their_files(
    admin_client, production_s3, seaweed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        added = admin_client.post(
            reverse("wagtaildocs:add"),
            {"title": "Sjekkliste", "file": ContentFile(PDF, name="sjekkliste.pdf"),
             "collection": 1, "category": "checklist", "revised_on": "2026-01-15"},
        )  # fmt: skip
        assert added.status_code == 302, added.content[:2000]
        added = admin_client.post(
            reverse("wagtailimages:add"),
            {"title": "Flytskjema", "file": ContentFile(_png(), name="flytskjema.png"),
             "collection": 1},
        )  # fmt: skip
        assert added.status_code == 302, added.content[:2000]
    document = ResourceDocument.objects.get(title="Sjekkliste")
    image = get_image_model().objects.get(title="Flytskjema")
    keys = seaweed.keys(production_s3)
    assert f"{production_s3}/{document.file.name}" in keys
    assert f"{production_s3}/{image.file.name}" in keys

    with django_capture_on_commit_callbacks(execute=True):
        deleted = admin_client.post(reverse("wagtaildocs:delete", args=[document.pk]))
        assert deleted.status_code == 302
        deleted = admin_client.post(reverse("wagtailimages:delete", args=[image.pk]))
        assert deleted.status_code == 302
    assert not ResourceDocument.objects.filter(pk=document.pk).exists()

    rows = _task_rows_as_text()
    assert document.file.name in rows and image.file.name in rows
    assert seaweed.secret_key not in rows
    assert seaweed.access_key not in rows

    _run_worker()
    assert seaweed.keys(production_s3) == []
    assert seaweed.secret_key not in _task_rows_as_text()


def test_object_storage_refuses_credentials_in_its_options():
    from django.core.exceptions import ImproperlyConfigured

    from cms.storage import ObjectStorage

    with pytest.raises(ImproperlyConfigured, match="secret_key"):
        ObjectStorage(bucket_name="kompetanse", secret_key="not-here")
