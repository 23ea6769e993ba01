"""Certificates in the Wagtail admin: programme admins find, revoke (with a reason) and reissue
them; an editor without the permission is refused; nothing is editable and nothing is deleted."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import Certificate, CertificateEvent

pytestmark = pytest.mark.django_db

LISTING = "/admin/certificates/"


def _learner(username: str, full_name: str):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.no")
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    return user


def _issue(user, *, key="course:7", title="Riktig antibiotikabruk i sykehjem", year=2026):
    activity = CompletedActivity(
        key=key, kind="course", title=title, edition_year=year,
        hours_individual=Decimal("2.0"), hours_together=Decimal("0"),
        completed_on=date(year, 11, 30), content_revision="3", url="",
    )  # fmt: skip
    return services.certificate_issue(user=user, activity=activity)


def _staff(username: str, *codenames: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.no", "x")
    user.is_staff = True
    user.save()
    group = Group.objects.create(name=f"group {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


@pytest.fixture
def holder():
    return _learner("kari", "Kari Nordmann")


@pytest.fixture
def certificate(holder):
    return _issue(holder)


@pytest.fixture
def programme_admin():
    return _staff("programadmin", "change_certificate")


@pytest.fixture
def editor():
    # An editor with access to the admin and to pages, not to certificates.
    return _staff("editor", "add_page", "change_page")


def _refused(response) -> bool:
    # Wagtail's admin answers a permission refusal with a redirect to the dashboard and a
    # "Sorry, you do not have permission" message.
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def _text(response) -> str:
    return response.content.decode()


def test_programme_admins_find_certificates_by_code_name_and_activity(
    client, holder, certificate, programme_admin
):
    other = _issue(
        _learner("ola", "Ola Hansen"), key="course:8", title="Hjerte og lunge", year=2025
    )
    client.force_login(programme_admin)

    listing = client.get(LISTING)
    assert listing.status_code == 200
    assert certificate.code_formatted in _text(listing)
    assert other.code_formatted in _text(listing)

    # A code typed in lower case, with O for 0, finds it.
    typed = certificate.code_formatted.lower().replace("0", "o")
    by_code = _text(client.get(LISTING, {"q": typed}))
    assert certificate.code_formatted in by_code and other.code_formatted not in by_code
    by_name = _text(client.get(LISTING, {"q": "Ola Hans"}))
    assert other.code_formatted in by_name and certificate.code_formatted not in by_name
    by_activity = _text(client.get(LISTING, {"q": "antibiotika"}))
    assert certificate.code_formatted in by_activity and other.code_formatted not in by_activity
    by_year = _text(client.get(LISTING, {"edition_year": "2025"}))
    assert other.code_formatted in by_year and certificate.code_formatted not in by_year


def test_the_status_filter(client, holder, certificate, programme_admin):
    revoked = _issue(holder, key="course:9", title="Hjerte og lunge")
    services.certificate_revoke(certificate=revoked, reason="Feil", by=None)
    client.force_login(programme_admin)

    only_revoked = _text(client.get(LISTING, {"status": "revoked"}))
    only_valid = _text(client.get(LISTING, {"status": "valid"}))

    assert revoked.code_formatted in only_revoked
    assert certificate.code_formatted not in only_revoked
    assert certificate.code_formatted in only_valid
    assert revoked.code_formatted not in only_valid


def test_an_admin_revokes_with_a_reason_and_the_page_says_so(client, certificate, programme_admin):
    client.force_login(programme_admin)
    url = f"/admin/certificates/actions/{certificate.pk}/revoke/"
    assert client.get(url).status_code == 200

    no_reason = client.post(url, {"reason": "  "})
    assert no_reason.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    response = client.post(url, {"reason": "Deltok ikke på samlingen"})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_reason == "Deltok ikke på samlingen"
    assert certificate.revoked_by == programme_admin
    assert CertificateEvent.objects.filter(certificate=certificate, kind="revoked").exists()
    client.logout()
    page = _text(client.get(f"/v/{certificate.code_formatted}/"))
    assert 'data-status="revoked"' in page and "Deltok ikke på samlingen" in page


def test_an_admin_issues_a_corrected_certificate_that_supersedes_the_old(
    client, holder, certificate, programme_admin
):
    learner_profile_update(user=holder, full_name="Kari Nordmann-Berg", profession=None,
                           workplace="")  # fmt: skip
    client.force_login(programme_admin)
    url = f"/admin/certificates/actions/{certificate.pk}/reissue/"
    assert "Kari Nordmann-Berg" in _text(client.get(url))

    response = client.post(url)

    assert response.status_code == 302
    new = Certificate.objects.get(supersedes=certificate)
    assert new.holder_name == "Kari Nordmann-Berg"
    certificate.refresh_from_db()
    assert certificate.holder_name == "Kari Nordmann"  # the old row is kept as it was
    assert certificate.status == "superseded"
    page = _text(client.get(f"/v/{certificate.code_formatted}/"))
    assert 'data-status="superseded"' in page and f'href="/v/{new.code_formatted}/"' in page
    # Reissuing again does not make a third certificate.
    client.post(url)
    assert Certificate.objects.filter(holder=holder).count() == 2


def test_an_editor_without_the_permission_is_refused(client, certificate, editor):
    client.force_login(editor)

    assert _refused(client.get(LISTING))
    assert _refused(
        client.post(f"/admin/certificates/actions/{certificate.pk}/revoke/", {"reason": "x"})
    )
    assert _refused(client.post(f"/admin/certificates/actions/{certificate.pk}/reissue/"))
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert Certificate.objects.count() == 1


def test_a_viewer_sees_the_listing_but_cannot_revoke(client, certificate):
    viewer = _staff("viewer", "view_certificate")
    client.force_login(viewer)

    listing = client.get(LISTING)
    assert listing.status_code == 200
    assert certificate.code_formatted in _text(listing)
    assert "/revoke/" not in _text(listing)
    assert _refused(
        client.post(f"/admin/certificates/actions/{certificate.pk}/revoke/", {"reason": "x"})
    )


def test_nothing_is_editable_or_deletable(client, certificate, programme_admin):
    superuser = get_user_model().objects.create_superuser("root", "root@example.no", "x")
    for user in (programme_admin, superuser):
        client.force_login(user)
        listing = _text(client.get(LISTING))
        assert f"/admin/certificates/actions/{certificate.pk}/revoke/" in listing
        assert "/delete/" not in listing and "/edit/" not in listing and "/new/" not in listing
        inspect = client.get(f"/admin/certificates/inspect/{certificate.pk}/")
        assert inspect.status_code == 200
        assert certificate.code in _text(inspect) and "Kari Nordmann" in _text(inspect)
        for path in ("new/", f"edit/{certificate.pk}/", f"delete/{certificate.pk}/",
                     f"copy/{certificate.pk}/"):  # fmt: skip
            assert client.get(LISTING + path).status_code == 404
            assert client.post(LISTING + path, {}).status_code == 404
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_the_reissue_page_says_when_the_name_has_not_changed(client, certificate, programme_admin):
    client.force_login(programme_admin)

    page = _text(client.get(f"/admin/certificates/actions/{certificate.pk}/reissue/"))

    assert "Innehaverens navn er ikke endret" in page
    assert not Certificate.objects.filter(supersedes=certificate).exists()
