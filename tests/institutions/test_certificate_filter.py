"""Programme admins find certificates by institution: those of its members, present and past,
never those of another institution's staff or of someone who only asked to join."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from institutions.models import Institution, Membership, MembershipStatus

pytestmark = pytest.mark.django_db

LISTING = "/admin/certificates/"


def _holder(username, full_name, institution, status):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.no")
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    Membership.objects.create(institution=institution, user=user, status=status)
    services.certificate_issue(
        user=user,
        activity=CompletedActivity(
            key="course:7", kind="course", title="Riktig antibiotikabruk", edition_year=2026,
            hours_individual=Decimal(2), hours_together=Decimal(0),
            completed_on=date(2026, 5, 4), content_revision="1", url="",
        ),
    )  # fmt: skip
    return user


def test_the_listing_filters_certificates_by_the_holders_institution(client, admin_user):
    solbakken = Institution.objects.create(
        name="Solbakken sykehjem", org_number="974760673", municipality="Bergen"
    )
    fjordly = Institution.objects.create(
        name="Fjordly helsehus", org_number="983887457", municipality="Molde"
    )
    _holder("kari", "Kari Nordmann", solbakken, MembershipStatus.ACTIVE)
    _holder("per", "Per Tidligere", solbakken, MembershipStatus.ENDED)
    _holder("ola", "Ola Fjordly", fjordly, MembershipStatus.ACTIVE)
    _holder("siri", "Siri Spurte", solbakken, MembershipStatus.REQUESTED)
    client.force_login(admin_user)

    page = client.get(LISTING, {"institution": solbakken.pk}).content.decode()

    assert "Kari Nordmann" in page and "Per Tidligere" in page
    assert "Ola Fjordly" not in page and "Siri Spurte" not in page
    assert "Solbakken sykehjem" in client.get(LISTING).content.decode()  # the filter's choices
