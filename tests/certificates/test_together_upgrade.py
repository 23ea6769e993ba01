"""One certificate per activity, marked "together" when the learner also did it at a group
session: the hours are never earned twice, and the certificate says how many were together."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def _learner():
    user = get_user_model().objects.create_user("ola", email="ola@example.no")
    learner_profile_update(user=user, full_name="Ola Nordmann", profession=None, workplace="")
    return user


def _watched(**changes) -> CompletedActivity:
    values = {
        "key": "video-activity:7",
        "kind": "video",
        "title": "Intervju: Når er det riktig å vente med antibiotika?",
        "edition_year": 2026,
        "hours_individual": Decimal("1.0"),
        "hours_together": Decimal("0"),
        "completed_on": date(2026, 3, 2),
        "content_revision": "r1",
        "url": "http://testserver/videos/1/",
    }
    return CompletedActivity(**{**values, **changes})


def _together(hours: str, on=date(2026, 4, 8)) -> CompletedActivity:
    return _watched(
        kind="group", hours_individual=Decimal(0), hours_together=Decimal(hours), completed_on=on
    )


def test_a_group_session_after_watching_alone_marks_the_hours_together():
    user = _learner()
    alone = services.certificate_issue(user=user, activity=_watched())

    together = services.certificate_issue(user=user, activity=_together("0.75"))

    assert together.pk != alone.pk
    assert together.supersedes_id == alone.pk
    assert together.hours_individual == Decimal("0.25")
    assert together.hours_together == Decimal("0.75")
    assert together.hours_total == alone.hours_total
    assert together.activity_kind == "group"
    assert together.activity_date == date(2026, 4, 8)
    alone.refresh_from_db()
    assert alone.status == "superseded"
    # The ledger counts only the valid one: the hours are not earned twice.
    assert Certificate.objects.filter(holder=user, superseded_by__isnull=True).count() == 1


def test_watching_alone_after_a_group_session_changes_nothing():
    user = _learner()
    together = services.certificate_issue(user=user, activity=_together("1.00"))

    again = services.certificate_issue(user=user, activity=_watched())

    assert again.pk == together.pk
    assert Certificate.objects.filter(holder=user).count() == 1


def test_a_second_session_with_fewer_hours_together_keeps_the_certificate():
    user = _learner()
    first = services.certificate_issue(user=user, activity=_together("0.80"))

    assert services.certificate_issue(user=user, activity=_together("0.50")).pk == first.pk
    longer = services.certificate_issue(user=user, activity=_together("1.00"))

    assert longer.supersedes_id == first.pk
    assert longer.hours_together == Decimal("1.00")
    assert services.certificate_issue(user=user, activity=_together("1.00")).pk == longer.pk


def test_a_revoked_certificate_is_not_upgraded():
    user = _learner()
    alone = services.certificate_issue(user=user, activity=_watched())
    services.certificate_revoke(certificate=alone, reason="Feil", by=None)

    result = services.certificate_issue(user=user, activity=_together("0.75"))

    assert result.pk == alone.pk
    assert Certificate.objects.filter(holder=user).count() == 1
