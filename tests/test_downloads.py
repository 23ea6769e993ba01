"""Downloads for anonymous visitors on local storage, and what editors may upload."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from cms.models import ResourceDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% sjekkliste\n" + b"0" * 2048


@pytest.fixture
def checklist(db):
    document = ResourceDocument(
        title="Sjekkliste før oppstart", category="checklist",
        file=ContentFile(PDF, name="sjekkliste-før-oppstart.pdf"),
    )  # fmt: skip
    document._set_document_file_metadata()
    document.save()
    return document


def test_download_has_type_disposition_and_nosniff(client, checklist):
    response = client.get(checklist.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''sjekkliste-f%C3%B8r-oppstart.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_download_answers_conditional_requests(client, checklist):
    first = client.get(checklist.url)
    again = client.get(checklist.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_missing_file_is_404_not_500(client, checklist):
    storages["default"].delete(checklist.file.name)
    response = client.get(checklist.url)
    assert response.status_code == 404


def test_wrong_file_name_or_id_is_404(client, checklist):
    assert (
        client.get(reverse("document_download", args=[checklist.pk, "other.pdf"])).status_code
        == 404
    )
    assert client.get(reverse("document_download", args=[999999, "x.pdf"])).status_code == 404


def test_only_get_and_head(client, checklist):
    assert client.post(checklist.url).status_code == 405
    assert client.head(checklist.url).status_code == 200


def test_editor_cannot_upload_a_disallowed_type(admin_client):
    upload = ContentFile(b"MZ\x90\x00 not a document", name="verktoy.exe")
    response = admin_client.post(
        reverse("wagtaildocs:add"), {"title": "Verktøy", "file": upload, "collection": 1}
    )
    assert response.status_code == 200  # the form again, with the error
    assert ResourceDocument.objects.count() == 0
    content = response.content.decode()
    assert "exe" in content
    assert "pdf, docx, pptx, xlsx, png, jpg, jpeg" in content


def test_editor_can_upload_a_pdf_with_category_and_revision_date(admin_client):
    upload = ContentFile(PDF, name="lommekort.pdf")
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Lommekort", "file": upload, "collection": 1, "category": "pocket_card",
         "revised_on": "2026-03-01", "description": "Førstevalg ved vanlige infeksjoner."},
    )  # fmt: skip
    assert response.status_code == 302
    document = ResourceDocument.objects.get()
    assert (document.category, str(document.revised_on)) == ("pocket_card", "2026-03-01")
    assert document.file_size == len(PDF)


def test_a_range_request_gets_206_with_just_those_bytes(client, checklist):
    """A download that broke off resumes where it stopped (documents had no Range support)."""
    response = client.get(checklist.url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{len(PDF)}"
    assert b"".join(response.streaming_content) == PDF[10:20]
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"].startswith("attachment;")
    past_the_end = client.get(checklist.url, HTTP_RANGE=f"bytes={len(PDF)}-")
    assert past_the_end.status_code == 416


def test_if_range_with_an_old_etag_gets_the_whole_file(client, checklist):
    response = client.get(checklist.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_public_document_may_be_cached(client, checklist):
    response = client.get(checklist.url)
    assert "public" in response["Cache-Control"]


def test_restricted_document_is_kept_out_of_shared_caches(client, checklist, django_user_model):
    from wagtail.models import Collection, CollectionViewRestriction

    internal = Collection.get_first_root_node().add_child(name="Interne dokumenter")
    CollectionViewRestriction.objects.create(collection=internal, restriction_type="login")
    checklist.collection = internal
    checklist.save(update_fields=["collection"])
    client.force_login(django_user_model.objects.create_user("ansatt", "a@example.org", "x"))

    for headers in ({}, {"HTTP_RANGE": "bytes=0-9"}):
        response = client.get(checklist.url, **headers)
        assert response.status_code in (200, 206)
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert "public" not in cache_control
