"""After ``make run`` the demo learner has two real certificates: one from last year, one from
this year, with their PDFs stored, shown on Min side; running it again makes nothing new."""

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate
from cms.demo.models import DemoObject
from videos.models import VideoActivity

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def _make_run_setup() -> str:
    """What ``make run`` runs before it starts the site (load_demo first, then the learner)."""
    out = io.StringIO()
    call_command("load_demo", "--no-videos", stdout=out)
    call_command("ensure_admin", stdout=out)
    call_command("ensure_demo_learner", stdout=out)
    return out.getvalue()


def test_the_demo_learner_has_a_certificate_from_last_year_and_one_from_this_year(client):
    output = _make_run_setup()
    assert "laerer@example.org / Sykehjem-demo-2026" in output
    learner = get_user_model().objects.get(email="laerer@example.org")
    certificates = list(Certificate.objects.filter(holder=learner).order_by("activity_date"))

    assert [c.activity_date.year for c in certificates] == [THIS_YEAR - 1, THIS_YEAR]
    for certificate in certificates:
        assert certificate.holder_name == "Kari Nordmann"
        assert certificate.status == "valid"
        with certificate.pdf.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == certificate.pdf_sha256
    assert certificates[0].issuer_name == (
        "Kompetansesenteret for antibiotikabruk i kommunehelsetjenesten"
    )

    client.force_login(learner)
    page = client.get("/min-side/").content.decode()
    for certificate in certificates:
        assert certificate.code_formatted in page
    download = client.get(f"/kursbevis/{certificates[1].uuid}/pdf/")
    assert download.status_code in (200, 302)


def test_make_run_again_issues_nothing_new_and_keeps_the_learner_s_work():
    _make_run_setup()
    learner = get_user_model().objects.get(email="laerer@example.org")
    learner.set_password("Mitt-eget-passord-2026")
    learner.save()
    before = list(Certificate.objects.order_by("pk").values_list("pk", "code", "pdf_sha256"))
    activity = VideoActivity.objects.get(title="5 RASKe om urinveisinfeksjon")
    activity.title = "5 RASKe om UVI (redigert)"
    activity.save()

    output = _make_run_setup()

    assert list(Certificate.objects.order_by("pk").values_list("pk", "code", "pdf_sha256")) == (
        before
    )
    assert VideoActivity.objects.filter(title="5 RASKe om UVI (redigert)").exists()
    assert VideoActivity.objects.count() == 2
    learner.refresh_from_db()
    assert learner.check_password("Mitt-eget-passord-2026")
    assert "already up to date" in output


def test_a_database_from_before_the_records_gets_no_second_certificate():
    _make_run_setup()
    DemoObject.objects.all().delete()
    count = Certificate.objects.count()
    _make_run_setup()
    assert Certificate.objects.count() == count
    assert VideoActivity.objects.count() == 2
