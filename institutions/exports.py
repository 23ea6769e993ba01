"""What the contact person takes away: the year's participation as CSV or XLSX, and a ZIP of
all members' valid certificates of the year, built in the background.

The spreadsheets are made from ``institution_participation`` and are safe to open in Excel: a
text cell never turns into a formula. The ZIP is a job in two steps: ``certificate_export_start``
records the request (and the number of certificates to pack) and enqueues
``institutions.tasks.build_certificate_export``; the task calls ``certificate_export_build``,
which claims the row once, renders any certificate PDF not made yet, packs, stores the ZIP in
default storage and records how far it has come, or why it failed.
"""

import csv
import io
import logging
import re
import tempfile
import unicodedata
import zipfile
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from certificates.models import Certificate
from certificates.services import certificate_pdf_store
from institutions.errors import InstitutionRefused
from institutions.models import (
    CertificateExport,
    ExportStatus,
    Institution,
    InstitutionEvent,
    InstitutionEventKind,
)
from institutions.participation import (
    Participation,
    active_member_users,
    valid_certificates_of_year,
)
from videos.storeerrors import is_store_unavailable
from videos.tasks import delete_stored_files

logger = logging.getLogger(__name__)

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# An export still unfinished this long after it was asked for has lost its worker (a restart, a
# crash): it is given up, so that a new request can start afresh. Packing even a few hundred
# certificates takes minutes.
EXPORT_GIVEN_UP_AFTER = timedelta(minutes=30)

# Record progress at most this often while packing (certificates), besides the last one.
_PROGRESS_EVERY = 5


# --- The participation spreadsheet ---------------------------------------------------------


def csv_cell(value) -> str:
    """A value as a CSV cell that no spreadsheet reads as a formula: a leading = + - @ (or tab,
    carriage return) gets an apostrophe in front, which Excel shows as plain text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _hours(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def participation_tables(participation: Participation) -> dict[str, list[list]]:
    """The participation as two tables (header row first): one row per member with a total
    row, and one row per certificate. Both spreadsheets are written from these."""
    members = [
        [
            _("Name"),
            _("Profession"),
            _("Certificates"),
            _("Hours individual"),
            _("Hours together"),
            _("Hours total"),
            _("Group minimum met"),
            _("Group sessions attended"),
            _("Certificate titles"),
        ]
    ]
    certificates = [
        [
            _("Name"),
            _("Activity"),
            _("Date"),
            _("Hours individual"),
            _("Hours together"),
            _("Together"),
            _("Verification code"),
        ]
    ]
    for member in participation.members:
        members.append(
            [
                member.name,
                member.profession,
                len(member.certificates),
                _hours(member.hours_individual),
                _hours(member.hours_together),
                _hours(member.hours_total),
                _yes_no(member.group_minimum_met),
                member.sessions_attended,
                "; ".join(c.activity_title for c in member.certificates),
            ]
        )
        for certificate in member.certificates:
            certificates.append(
                [
                    member.name,
                    certificate.activity_title,
                    certificate.activity_date,
                    _hours(certificate.hours_individual),
                    _hours(certificate.hours_together),
                    _yes_no(certificate.hours_together > 0),
                    certificate.code_formatted,
                ]
            )
    totals = participation.totals
    members.append(
        [
            _("Total (%(count)s members)") % {"count": totals.members_count},
            "",
            sum(len(member.certificates) for member in participation.members),
            _hours(totals.hours_individual),
            _hours(totals.hours_together),
            _hours(totals.hours_total),
            f"{totals.members_group_minimum_met} ({totals.share_group_minimum_met} %)",
            totals.group_sessions_count,
            "",
        ]
    )
    return {"members": members, "certificates": certificates}


def participation_csv(participation: Participation) -> bytes:
    """The members' table as CSV: UTF-8 with a BOM (so Excel reads the letters æøå right), no
    cell that a spreadsheet would run as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in participation_tables(participation)["members"]:
        writer.writerow([csv_cell(_plain(value)) for value in row])
    return out.getvalue().encode("utf-8")


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def participation_xlsx(participation: Participation) -> bytes:
    """Both tables as an XLSX workbook. Text is always stored as text (never as a formula, even
    when it starts with "="), numbers as numbers, dates as dates."""
    tables = participation_tables(participation)
    workbook = Workbook()
    sheets = [
        (workbook.active, _("Participation %(year)s"), tables["members"]),
        (workbook.create_sheet(), _("Certificates %(year)s"), tables["certificates"]),
    ]
    for sheet, title, rows in sheets:
        # Sheet titles: at most 31 characters, none of []:*?/\
        sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title % {"year": participation.year})[:31]
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    # openpyxl reads a string that starts with "=" as a formula: not here.
                    cell.data_type = TYPE_STRING
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


# --- The ZIP of certificates -----------------------------------------------------------------


def _export_certificates(institution: Institution, year: int):
    return valid_certificates_of_year(
        user_ids=active_member_users(institution).values("pk"), year=year
    )


def certificate_export_start(*, institution: Institution, year: int, by) -> CertificateExport:
    """Ask for a ZIP of all active members' valid certificates of ``year``.

    An export of the same institution and year that is still queued or running is returned
    instead of starting another (a second click, two tabs); one unfinished for longer than
    ``EXPORT_GIVEN_UP_AFTER`` is marked failed and a new one starts. Refuses when there is no
    certificate to pack. The build starts after commit.
    """
    now = timezone.now()
    with transaction.atomic():
        # Two requests at once for one institution: the second waits here and then finds the
        # first one's export.
        Institution.objects.select_for_update().get(pk=institution.pk)
        unfinished = CertificateExport.objects.filter(
            institution=institution,
            year=year,
            status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        )
        for export in unfinished:
            if not export_given_up(export, now=now):
                return export
            _fail(export.pk, _("The ZIP file was not finished in time, so it was given up."))
        total = _export_certificates(institution, year).count()
        if not total:
            raise InstitutionRefused(
                _("No member has a valid certificate from %(year)s.") % {"year": year},
                code="nothing_to_export",
            )
        export = CertificateExport.objects.create(
            institution=institution, year=year, requested_by=by, total=total
        )
        InstitutionEvent.objects.create(
            institution=institution,
            kind=InstitutionEventKind.EXPORT_MADE,
            by=by,
            note=_("ZIP of %(count)s certificates from %(year)s") % {"count": total, "year": year},
        )
        export_id = export.pk
        transaction.on_commit(lambda: _enqueue_build(export_id))
    return export


def export_given_up(export: CertificateExport, *, now=None) -> bool:
    """Whether an unfinished export has waited so long that its job must have died."""
    if export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return False
    return export.requested_at < (now or timezone.now()) - EXPORT_GIVEN_UP_AFTER


def _enqueue_build(export_id: int) -> None:
    from institutions.tasks import build_certificate_export

    build_certificate_export.enqueue(export_id)


def _claim(export_id: int) -> bool:
    """Move a queued export to running; only one worker wins, every other call does nothing."""
    return bool(
        CertificateExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.RUNNING, done=0
        )
    )


def _member_name(name: str) -> str:
    """A name as a folder in the ZIP: letters kept (also æøå), anything a file system or an
    unpacker could misread replaced."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[^\w\- .]+", "_", name).strip(" ._")
    return name[:80] or "_"


def _entry_name(certificate: Certificate, taken: set[str]) -> str:
    folder = _member_name(certificate.holder_name)
    base = f"{folder}/{_member_name(certificate.activity_title)[:60]}-{certificate.code}"
    name, n = f"{base}.pdf", 2
    while name in taken:
        name, n = f"{base}-{n}.pdf", n + 1
    taken.add(name)
    return name


def _fail(export_id: int, reason: str) -> None:
    CertificateExport.objects.filter(pk=export_id).update(
        status=ExportStatus.FAILED, error=reason, finished_at=timezone.now()
    )


def certificate_export_build(*, export_id: int) -> CertificateExport:
    """Build the export's ZIP (the body of ``build_certificate_export``).

    Every member's valid certificate of the year goes in, as ``<name>/<activity>-<code>.pdf``;
    a certificate whose PDF is not made yet is rendered and stored first (once, by
    ``certificate_pdf_store``). ``done`` counts the certificates packed so far. Any failure ends
    the export as failed with a sentence that says why; nothing half-made is stored.
    """
    if not _claim(export_id):
        return CertificateExport.objects.get(pk=export_id)
    export = CertificateExport.objects.select_related("institution").get(pk=export_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _build(export)
        except Exception as exc:  # noqa: BLE001 -- every failure ends the export, saying why
            logger.exception("Certificate export %s failed.", export_id)
            if is_store_unavailable(exc):
                reason = _("The file store could not be reached. Please try again later.")
            elif isinstance(exc, _CertificateUnavailable):
                reason = exc.reason
            else:
                reason = _("The ZIP file could not be made because of an error on our side.")
            _fail(export_id, reason)
    export.refresh_from_db()
    return export


class _CertificateUnavailable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _pdf_bytes(certificate: Certificate) -> bytes:
    if not certificate.pdf_sha256 or not certificate.pdf:
        try:
            certificate = certificate_pdf_store(certificate=certificate)
        except Exception as exc:
            if is_store_unavailable(exc):
                raise
            raise _CertificateUnavailable(
                _("The PDF of the certificate %(code)s (%(name)s) could not be made.")
                % {"code": certificate.code_formatted, "name": certificate.holder_name}
            ) from exc
    try:
        with certificate.pdf.open("rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise _CertificateUnavailable(
            _("The stored PDF of the certificate %(code)s (%(name)s) is missing.")
            % {"code": certificate.code_formatted, "name": certificate.holder_name}
        ) from exc


def _build(export: CertificateExport) -> None:
    certificates = list(_export_certificates(export.institution, export.year))
    CertificateExport.objects.filter(pk=export.pk).update(total=len(certificates))
    taken: set[str] = set()
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, certificate in enumerate(certificates, start=1):
                archive.writestr(_entry_name(certificate, taken), _pdf_bytes(certificate))
                if done % _PROGRESS_EVERY == 0 or done == len(certificates):
                    CertificateExport.objects.filter(pk=export.pk).update(done=done)
        spool.seek(0)
        export.file.save(f"{export.uuid}.zip", File(spool), save=False)
    with transaction.atomic():
        CertificateExport.objects.filter(pk=export.pk).update(
            file=export.file.name,
            status=ExportStatus.DONE,
            done=len(certificates),
            total=len(certificates),
            finished_at=timezone.now(),
            error="",
        )
        _earlier_zips_delete(export)


def _earlier_zips_delete(export: CertificateExport) -> None:
    """A ZIP holds every member's certificates: keep only the newest of an institution's year.

    The earlier exports' rows stay (who asked, when); their files are deleted after commit.
    """
    earlier = (
        CertificateExport.objects.filter(
            institution_id=export.institution_id, year=export.year, status=ExportStatus.DONE
        )
        .exclude(pk=export.pk)
        .exclude(file="")
    )
    names = list(earlier.values_list("file", flat=True))
    if not names:
        return
    earlier.update(file="")
    transaction.on_commit(lambda: delete_stored_files.enqueue(names))


def export_filename(export: CertificateExport) -> str:
    return f"kursbevis-{export.institution.org_number}-{export.year}.zip"
