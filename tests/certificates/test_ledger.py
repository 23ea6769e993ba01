"""The yearly ledger on Min side: verified hours per year against the target, the course-history
PDF and CSV, and self-reported external activities shown apart."""

import csv
import hashlib
import io
import re
from datetime import date
from decimal import Decimal

import pypdfium2
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import CourseHistory, ExternalActivity, YearTarget
from certificates.selectors import learner_ledger

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _learner(client=None, username="kari", full_name="Kari Nordmann"):
    email = f"{username}@example.no"
    user = get_user_model().objects.create_user(username, email=email, password="passord-123-x")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    if client is not None:
        client.force_login(user)
    return user


def _issue(user, key, *, year=THIS_YEAR, individual="2", together="0", title="Smittevern"):
    return services.certificate_issue(
        user=user,
        activity=CompletedActivity(
            key=key,
            kind="course",
            title=title,
            edition_year=year,
            hours_individual=Decimal(individual),
            hours_together=Decimal(together),
            completed_on=date(year, 3, 14),
            content_revision="1",
            url="http://testserver/kurs/",
        ),
    )


def test_hours_per_year_against_the_default_target_and_group_minimum():
    user = _learner()
    _issue(user, "course:1", individual="10")
    _issue(user, "group:1", individual="0", together="3")
    _issue(user, "course:old", year=THIS_YEAR - 2, individual="4")

    this_year, past_year = learner_ledger(user)

    assert (this_year.year, past_year.year) == (THIS_YEAR, THIS_YEAR - 2)
    assert this_year.hours_individual == 10
    assert this_year.hours_together == 3
    assert this_year.hours_total == 13
    assert (this_year.target_min, this_year.target_max, this_year.together_min) == (12, 15, 3)
    assert this_year.met
    assert past_year.hours_total == 4
    assert not past_year.met


def test_enough_hours_without_the_group_minimum_is_not_met():
    user = _learner()
    _issue(user, "course:1", individual="14")
    (entry,) = learner_ledger(user)
    assert entry.target_met and not entry.together_met and not entry.met


def test_an_admin_s_target_for_the_year_applies():
    YearTarget.objects.create(year=THIS_YEAR, target_min=8, target_max=10, together_min=1)
    user = _learner()
    _issue(user, "course:1", individual="7", together="1")
    (entry,) = learner_ledger(user)
    assert (entry.target_min, entry.target_max, entry.together_min) == (8, 10, 1)
    assert entry.met


def test_a_revoked_certificate_is_shown_apart_and_not_counted(client):
    user = _learner(client)
    counted = _issue(user, "course:1", individual="2", title="Smittevern")
    revoked = _issue(user, "course:2", individual="5", title="Trukket kurs")
    services.certificate_revoke(certificate=revoked, reason="Feil kurs", by=None)

    (entry,) = learner_ledger(user)
    assert entry.certificates == [counted]
    assert [c.pk for c in entry.set_aside] == [revoked.pk]
    assert entry.hours_total == 2

    page = client.get(reverse("accounts:my_page")).content.decode()
    assert counted.code_formatted in page
    assert reverse("certificates:pdf", args=[counted.uuid]) in page
    assert "Feil kurs" in page


def test_min_side_shows_the_hours_with_an_accessible_progress_bar(client):
    user = _learner(client)
    _issue(user, "course:1", individual="6")
    page = client.get(reverse("accounts:my_page")).content.decode()
    bar = re.search(r'<progress max="([\d.]+)" value="([\d.]+)" aria-labelledby="([^"]+)"', page)
    assert (float(bar[1]), float(bar[2])) == (15, 6)
    label = re.search(rf'<p id="{bar[3]}">([^<]+)</p>', page)[1]
    assert "6" in label and "12" in label and "15" in label


def test_csv_escapes_formulas_and_lists_only_the_learner_s_year(client):
    user = _learner(client)
    _issue(user, "course:1", individual="2", title='=HYPERLINK("http://evil")')
    _issue(user, "course:old", year=THIS_YEAR - 1, title="Fjorårets kurs")
    other = _learner(username="ola", full_name="Ola Nordmann")
    _issue(other, "course:1", title="Olas kurs")

    response = client.get(reverse("certificates:ledger_csv", args=[THIS_YEAR]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in titles
    assert "Fjorårets kurs" not in titles and "Olas kurs" not in titles


def test_csv_of_a_year_with_nothing_is_404(client):
    _learner(client)
    assert client.get(reverse("certificates:ledger_csv", args=[1999])).status_code == 404


def test_course_history_pdf_is_verifiable_and_made_once(client):
    user = _learner(client)
    first = _issue(user, "course:1", individual="2", title="Smittevern i sykehjem")
    second = _issue(user, "course:2", individual="1.5", title="Antibiotika")

    response = client.post(reverse("certificates:history_make", args=[THIS_YEAR]))
    history = CourseHistory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:history_pdf", args=[history.uuid])
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == history.pdf_sha256
    text = "".join(
        page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(download.content)
    )
    assert "Kari Nordmann" in text
    assert history.code_formatted in text
    assert first.code_formatted in text and second.code_formatted in text
    assert sorted(history.certificate_ids) == sorted([first.pk, second.pk])

    # Asking again gives the same stored document; a new certificate makes a new one.
    client.post(reverse("certificates:history_make", args=[THIS_YEAR]))
    assert CourseHistory.objects.count() == 1
    _issue(user, "course:3", individual="1")
    client.post(reverse("certificates:history_make", args=[THIS_YEAR]))
    assert CourseHistory.objects.count() == 2


def test_another_learner_gets_404_for_a_history(client):
    owner = _learner(username="kari")
    _issue(owner, "course:1")
    from certificates.ledger_services import course_history_for

    history = course_history_for(user=owner, year=THIS_YEAR)
    _learner(client, username="ola", full_name="Ola Nordmann")
    assert client.get(reverse("certificates:history_pdf", args=[history.uuid])).status_code == 404


def test_an_external_activity_is_shown_apart_and_never_counted(client):
    user = _learner(client)
    _issue(user, "course:1", individual="2")
    response = client.post(
        reverse("certificates:external_add"),
        {
            "title": "Fagdag om sårbehandling",
            "date": f"{THIS_YEAR}-01-20",
            "hours": "6",
            "evidence": SimpleUploadedFile("Kursbevis fagdag.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    activity = ExternalActivity.objects.get(user=user)
    assert activity.evidence.name.startswith(f"ledger/{user.pk}/")
    (entry,) = learner_ledger(user)
    assert entry.hours_total == 2
    assert entry.hours_external == 6
    page = client.get(reverse("accounts:my_page")).content.decode()
    assert "Fagdag om sårbehandling" in page
    evidence = client.get(reverse("certificates:external_evidence", args=[activity.pk]))
    assert evidence.content == PDF_BYTES


def test_evidence_that_is_not_a_pdf_or_image_is_refused_and_nothing_stored(client):
    user = _learner(client)
    response = client.post(
        reverse("certificates:external_add"),
        {
            "title": "Kurs",
            "date": f"{THIS_YEAR}-01-20",
            "hours": "2",
            "evidence": SimpleUploadedFile("bevis.pdf", b"<html><script>alert(1)</script>"),
        },
    )
    assert response.status_code == 400
    assert "Legg ved en PDF-, PNG- eller JPEG-fil" in response.content.decode()
    assert not ExternalActivity.objects.filter(user=user).exists()


def test_evidence_larger_than_5_mb_is_refused(client):
    user = _learner(client)
    big = SimpleUploadedFile("bevis.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024))
    response = client.post(
        reverse("certificates:external_add"),
        {"title": "Kurs", "date": f"{THIS_YEAR}-01-20", "hours": "2", "evidence": big},
    )
    assert response.status_code == 400
    assert not ExternalActivity.objects.filter(user=user).exists()


def test_deleting_an_external_activity_deletes_its_file_after_commit(
    client, django_capture_on_commit_callbacks
):
    user = _learner(client)
    client.post(
        reverse("certificates:external_add"),
        {
            "title": "Fagdag",
            "date": f"{THIS_YEAR}-01-20",
            "hours": "3",
            "evidence": SimpleUploadedFile("bevis.pdf", PDF_BYTES),
        },
    )
    activity = ExternalActivity.objects.get(user=user)
    storage, name = activity.evidence.storage, activity.evidence.name
    assert storage.exists(name)
    other = _learner(username="ola", full_name="Ola Nordmann")
    client.force_login(other)
    url = reverse("certificates:external_delete", args=[activity.pk])
    assert client.post(url).status_code == 404
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not ExternalActivity.objects.filter(pk=activity.pk).exists()
    assert not storage.exists(name)


def test_deleting_needs_post_and_csrf(client):
    user = _learner()
    activity = ExternalActivity.objects.create(user=user, title="Kurs", date=date.today(), hours=1)
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    url = reverse("certificates:external_delete", args=[activity.pk])
    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403
    assert ExternalActivity.objects.filter(pk=activity.pk).exists()


def test_a_course_history_is_found_by_its_code_typed_loosely():
    from certificates.ledger_services import course_history_for
    from certificates.selectors import course_history_by_code

    user = _learner()
    certificate = _issue(user, "course:1")
    history = course_history_for(user=user, year=THIS_YEAR)
    typed = history.code_formatted.lower().replace("-", " ")
    found = course_history_by_code(typed)
    assert found == history
    assert list(found.certificates.all()) == [certificate]
    assert course_history_by_code("not a code") is None


def test_min_side_queries_do_not_grow_with_certificates(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms import contentversion

    user = _learner(client)
    # The content version held: no change made by another process of the suite empties the
    # layout caches between the warm-up and the count.
    version = contentversion.current()
    monkeypatch.setattr(contentversion, "current", lambda: version)

    def queries() -> int:
        client.get("/min-side/")  # warm the site cache, as any earlier page would
        client.get("/min-side/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/min-side/").status_code == 200
        return len(captured)

    _issue(user, "course:1")
    one = queries()
    for number in range(2, 7):
        _issue(user, f"course:{number}", year=THIS_YEAR - number % 3)
    ExternalActivity.objects.create(user=user, title="Fagdag", date=date.today(), hours=2)
    revoked = _issue(user, "course:99")
    services.certificate_revoke(certificate=revoked, reason="Feil", by=None)
    many = queries()
    assert many == one, f"{one} queries for 1 certificate, {many} for 7"


def test_the_verification_page_shows_a_course_history_and_its_certificates_now(client):
    user = _learner()
    kept = _issue(user, "course:1", individual="2", title="Smittevern i sykehjem")
    later_revoked = _issue(user, "course:2", individual="1", title="Antibiotika")
    from certificates.ledger_services import course_history_for

    history = course_history_for(user=user, year=THIS_YEAR)
    services.certificate_revoke(certificate=later_revoked, reason="Feil", by=None)

    typed = client.get("/v/", {"code": history.code_formatted.lower()})
    assert typed.status_code == 302
    page = client.get(typed["Location"])
    text = page.content.decode()

    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "Kari Nordmann" in text
    assert history.pdf_sha256 in text
    assert kept.code_formatted in text and later_revoked.code_formatted in text
    assert 'data-status="revoked"' in text


def test_a_refused_form_keeps_what_the_learner_typed(client):
    _learner(client)
    response = client.post(
        reverse("certificates:external_add"),
        {"title": "Fagdag", "date": f"{THIS_YEAR}-01-20", "hours": "0"},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert f'value="{THIS_YEAR}-01-20"' in text
    assert 'value="Fagdag"' in text
    assert 'aria-invalid="true"' in text
