"""Deleting the account asks whether the certificates stay verifiable, and does what was chosen."""

import re
from datetime import date
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import Certificate, CertificateEvent, ExternalActivity

pytestmark = pytest.mark.django_db

PASSWORD = "Mitt-eget-passord-77"  # noqa: S105 - a test password


def _learner(client):
    user = get_user_model().objects.create_user("kari", email="kari@example.no", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    learner_profile_update(user=user, full_name="Kari Nordmann", profession=None, workplace="")
    client.force_login(user)
    return user


def _certificate(user) -> Certificate:
    return services.certificate_issue(
        user=user,
        activity=CompletedActivity(
            key="course:1", kind="course", title="Smittevern", edition_year=2026,
            hours_individual=Decimal(2), hours_together=Decimal(0),
            completed_on=date(2026, 3, 1), content_revision="1", url="http://testserver/kurs/",
        ),
    )  # fmt: skip


def test_the_deletion_page_asks_only_a_learner_with_certificates(client):
    user = _learner(client)
    url = reverse("accounts:delete_account")
    assert 'name="certificates"' not in client.get(url).content.decode()
    _certificate(user)
    page = client.get(url).content.decode()
    assert 'name="certificates"' in page
    assert "<legend>" in page
    # The privacy-keeping answer is chosen unless the learner picks the other.
    assert re.search(r'<input[^>]*value="withdraw"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="keep"[^>]*checked', page)


def test_keeping_the_certificates_keeps_the_name_verifiable(client):
    user = _learner(client)
    certificate = _certificate(user)
    response = client.post(
        reverse("accounts:delete_account"), {"password": PASSWORD, "certificates": "keep"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.holder_withdrawn
    assert certificate.status == "valid"
    assert certificate.holder_name == "Kari Nordmann"


def test_withdrawing_marks_every_certificate_and_erases_external_activities(
    client, django_capture_on_commit_callbacks
):
    user = _learner(client)
    certificate = _certificate(user)
    activity = ExternalActivity(user=user, title="Fagdag", date=date(2026, 2, 1), hours=3)
    activity.evidence.save("bevis.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    activity.save()
    storage, name = activity.evidence.storage, activity.evidence.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:delete_account"),
            {"password": PASSWORD, "certificates": "withdraw"},
        )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.holder_withdrawn
    assert certificate.status == "withdrawn"
    assert CertificateEvent.objects.filter(certificate=certificate, kind="withdrawn").exists()
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    assert not ExternalActivity.objects.filter(user=user).exists()
    assert not storage.exists(name)


def test_an_unknown_answer_deletes_nothing(client):
    user = _learner(client)
    certificate = _certificate(user)
    response = client.post(
        reverse("accounts:delete_account"), {"password": PASSWORD, "certificates": "publish"}
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.is_active
    certificate.refresh_from_db()
    assert not certificate.holder_withdrawn


@pytest.mark.parametrize(
    ("answer", "name_shown"), [("keep", True), ("withdraw", False)], ids=["keep", "withdraw"]
)
def test_what_the_verification_page_shows_after_the_choice(client, answer, name_shown):
    user = _learner(client)
    certificate = _certificate(user)
    client.post(reverse("accounts:delete_account"), {"password": PASSWORD, "certificates": answer})

    page = client.get(f"/v/{certificate.code_formatted}/")
    text = page.content.decode()
    data = client.get(f"/v/{certificate.code_formatted}.json").json()

    assert page.status_code == 200
    assert ("Kari Nordmann" in text) is name_shown
    assert ("Kari Nordmann" in str(data)) is name_shown
    if not name_shown:
        assert "trukket tilbake av innehaveren" in text.lower()
