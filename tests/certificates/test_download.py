"""The certificate PDF: its holder and programme admins download the stored bytes; another
learner gets a 404, a visitor who is not signed in the login page; nothing is rebuilt."""

import hashlib
import urllib.request
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def _learner(username: str, full_name: str):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.no")
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    return user


def _issue(user, *, store: bool = True) -> Certificate:
    activity = CompletedActivity(
        key="course:7", kind="course", title="Riktig antibiotikabruk i sykehjem",
        edition_year=2026, hours_individual=Decimal("2.0"), hours_together=Decimal("0"),
        completed_on=date(2026, 11, 30), content_revision="3", url="",
    )  # fmt: skip
    certificate = services.certificate_issue(user=user, activity=activity)
    if store:
        certificate = services.certificate_pdf_store(certificate=certificate)
    return certificate


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def owner():
    return _learner("kari", "Kari Nordmann")


@pytest.fixture
def certificate(owner):
    return _issue(owner)


def test_the_owner_downloads_the_stored_pdf(client, owner, certificate):
    client.force_login(owner)
    response = client.get(reverse("certificates:pdf", args=[certificate.uuid]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert certificate.code_formatted in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(_body(response)).hexdigest() == certificate.pdf_sha256


def test_the_download_is_the_stored_file_never_a_new_render(client, owner, certificate):
    # Whatever the stored file holds is what the owner gets: the view renders nothing.
    stored = certificate.pdf.open("rb").read()
    client.force_login(owner)
    first = _body(client.get(reverse("certificates:pdf", args=[certificate.uuid])))
    second = _body(client.get(reverse("certificates:pdf", args=[certificate.uuid])))
    assert first == second == stored
    assert certificate.events.filter(kind="pdf_stored").count() == 1


def test_another_learner_gets_a_404(client, certificate):
    client.force_login(_learner("ola", "Ola Nordmann"))
    response = client.get(reverse("certificates:pdf", args=[certificate.uuid]))
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_an_unknown_certificate_is_a_404_too(client, owner):
    client.force_login(owner)
    url = reverse("certificates:pdf", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client, certificate):
    url = reverse("certificates:pdf", args=[certificate.uuid])
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [url]


def test_programme_admins_download_any_certificate(client, certificate):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.no", "x")
    client.force_login(admin)
    response = client.get(reverse("certificates:pdf", args=[certificate.uuid]))
    assert response.status_code == 200
    assert hashlib.sha256(_body(response)).hexdigest() == certificate.pdf_sha256

    staff = _learner("kontor", "Kontor")
    staff.user_permissions.add(
        Permission.objects.get(codename="view_certificate", content_type__app_label="certificates")
    )
    client.force_login(staff)
    assert client.get(reverse("certificates:pdf", args=[certificate.uuid])).status_code == 200


def test_a_pdf_not_made_yet_says_try_again_in_a_minute(client, owner):
    certificate = _issue(owner, store=False)
    client.force_login(owner)
    response = client.get(reverse("certificates:pdf", args=[certificate.uuid]))

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert "Try again" in response.content.decode() or "igjen" in response.content.decode()
    certificate.refresh_from_db()
    assert not certificate.pdf_sha256  # the download did not make it


@pytest.mark.s3
def test_on_s3_the_owner_is_redirected_to_a_presigned_url_no_cache_keeps(
    client, owner, seaweed, s3_storage
):
    certificate = _issue(owner)
    assert not isinstance(certificate.pdf.storage, FileSystemStorage)
    client.force_login(owner)
    response = client.get(reverse("certificates:pdf", args=[certificate.uuid]))

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    location = response["Location"]
    assert "X-Amz-Signature=" in location
    with urllib.request.urlopen(location, timeout=10) as fetched:
        body = fetched.read()
        assert fetched.headers["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == certificate.pdf_sha256
