"""The S3 path end to end against a real SeaweedFS: upload, list, presigned download, ranges."""

import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from cms.models import ResourceDocument

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

PDF = b"%PDF-1.4\n% flytskjema\n" + bytes(range(256)) * 40


def _upload(admin_client) -> ResourceDocument:
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Flytskjema UVI", "file": ContentFile(PDF, name="flytskjema-uvi.pdf"),
         "collection": 1, "category": "flowchart", "revised_on": "2026-01-15"},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    return ResourceDocument.objects.get(title="Flytskjema UVI")


def _fetch(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    return urllib.request.urlopen(request, timeout=10)


def test_upload_list_and_download_by_presigned_redirect(admin_client, client, s3_storage, demo):
    document = _upload(admin_client)
    # the file is in the bucket, under this test's prefix, private
    keys = s3_storage.server.keys(s3_storage.prefix)
    assert f"{s3_storage.prefix}/{document.file.name}" in keys
    anonymous = s3_storage.server.endpoint_url + f"/{s3_storage.server.bucket}/{keys[0]}"
    with pytest.raises(urllib.error.HTTPError) as denied:
        _fetch(anonymous)
    assert denied.value.code == 403

    listing = client.get(demo.resources.url).content.decode()
    assert "Flytskjema UVI" in listing
    assert document.url in listing

    response = client.get(document.url)
    assert response.status_code == 302
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    location = response["Location"]
    assert location.startswith(s3_storage.server.endpoint_url)
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=300" in location

    with _fetch(location) as whole:
        assert whole.status == 200
        assert whole.read() == PDF
        assert whole.headers["Content-Type"] == "application/pdf"
        assert "attachment" in whole.headers["Content-Disposition"]

    with _fetch(location, {"Range": "bytes=0-99"}) as part:
        assert part.status == 206
        assert part.headers["Content-Range"] == f"bytes 0-99/{len(PDF)}"
        assert part.read() == PDF[:100]


def test_tampered_presigned_url_is_refused(client, s3_storage, admin_client):
    document = _upload(admin_client)
    location = client.get(document.url)["Location"]
    tampered = location.replace("X-Amz-Expires=300", "X-Amz-Expires=86400")
    with pytest.raises(urllib.error.HTTPError) as refused:
        _fetch(tampered)
    assert refused.value.code == 403


def test_missing_object_is_404_not_500(client, s3_storage, admin_client):
    document = _upload(admin_client)
    storages["default"].delete(document.file.name)
    assert client.get(document.url).status_code == 404


def test_load_demo_works_on_s3_and_twice_changes_nothing(s3_storage):
    from django.core.management import call_command

    call_command("load_demo", "--no-videos")
    keys = sorted(s3_storage.server.keys(s3_storage.prefix))
    hashes = list(ResourceDocument.objects.order_by("pk").values_list("file", "file_hash"))
    from wagtail.images import get_image_model

    from certificates.models import Certificate

    # The four demo downloads, the lessons' figure and the certificates' PDFs made so far,
    # nothing else.
    stored = [name for name, _hash in hashes]
    stored += list(Certificate.objects.exclude(pdf="").values_list("pdf", flat=True))
    stored += list(get_image_model().objects.values_list("file", flat=True))
    assert len(stored) >= 7
    assert keys == sorted(f"{s3_storage.prefix}/{name}" for name in stored)
    call_command("load_demo", "--no-videos")
    assert sorted(s3_storage.server.keys(s3_storage.prefix)) == keys
    assert list(ResourceDocument.objects.order_by("pk").values_list("file", "file_hash")) == hashes
