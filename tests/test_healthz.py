"""/healthz reports the database, the storage and the task queue, and says 503 when one fails."""

import datetime

import pytest
from django.utils import timezone

from tests.support.seaweed import SeaweedServer

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]


def test_anonymous_visitors_see_only_ok_or_fail(client):
    body = client.get("/healthz").json()
    assert body == {
        "status": "ok",
        "checks": {"database": {"ok": True}, "storage": {"ok": True}, "tasks": {"ok": True}},
    }


def test_staff_see_the_details(client, admin_client, django_user_model):
    checks = admin_client.get("/healthz").json()["checks"]
    assert checks["database"]["vendor"]
    assert checks["storage"]["backend"] == "FileSystemStorage"
    # Signed in without being staff is the same as anonymous.
    django_user_model.objects.create_user("laerer", password="x-long-password-1")
    client.login(username="laerer", password="x-long-password-1")
    assert client.get("/healthz").json()["checks"]["storage"] == {"ok": True}


def test_details_for_everyone_when_the_setting_says_so(client, settings):
    settings.HEALTHZ_DETAILS = True
    checks = client.get("/healthz").json()["checks"]
    assert checks["storage"]["backend"] == "FileSystemStorage"


@pytest.mark.s3
def test_stopped_object_store_gives_503_for_storage(client, admin_client, settings):
    server = SeaweedServer(bucket="healthz-probe").start()
    try:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": server.storage_options("healthz"),
            },
        }
        assert client.get("/healthz").status_code == 200
        server.stop()
        response = client.get("/healthz")
        staff = admin_client.get("/healthz")
    finally:
        server.stop()
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["storage"] == {"ok": False}
    assert checks["database"] == {"ok": True}
    # Anyone may see that storage fails; only staff see where it lives and why.
    text = response.content.decode()
    for internal in ("127.0.0.1", str(server.s3_port), "healthz-probe", "S3Storage", "Error"):
        assert internal not in text
    assert staff.status_code == 503
    assert "error" in staff.json()["checks"]["storage"]


def test_wrong_storage_credentials_give_503(client, settings, seaweed):
    options = seaweed.storage_options("healthz")
    options["secret_key"] = "not-the-secret"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "not-the-secret" not in response.content.decode()


def test_task_queue_with_no_worker_is_reported(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTHZ_TASK_MAX_WAIT = 600
    settings.HEALTHZ_DETAILS = True
    from wagtail.tasks import update_reference_index_task  # any real task will do

    result = update_reference_index_task.enqueue("wagtailcore", "page", "1")
    assert client.get("/healthz").json()["checks"]["tasks"]["waiting"] == 1

    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["ok"] is False
