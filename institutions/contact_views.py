"""The contact person's page: the institution's participation in a programme year, its CSV and
XLSX exports, and the ZIP of all members' certificates built in the background.

Thin: ``institutions.participation`` reads, ``institutions.exports`` makes the files and runs
the ZIP job. Every view answers 404 to anyone but the institution's contact person and
programme admins (``institutions.selectors.institution_for_contact``): members' data is
nobody else's business, not even whether the institution exists. GETs only read.
``urlpatterns`` is included by ``institutions/urls.py`` into the "institutions" namespace.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from institutions import exports
from institutions.errors import InstitutionRefused
from institutions.models import CertificateExport, ExportStatus, Membership, MembershipStatus
from institutions.participation import institution_participation
from institutions.selectors import institution_for_contact, pending_requests
from institutions.services import may_manage
from videos.ranges import presigned_file_redirect, stored_file_response
from videos.storeerrors import is_store_unavailable, store_unavailable_response

# A downloaded file is never run as a page, whatever its content claims to be.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
# The progress page reloads itself this often (seconds) when JavaScript does not poll.
PROGRESS_REFRESH_SECONDS = 3
FIRST_YEAR = 2000

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _private(response: HttpResponse) -> HttpResponse:
    # One institution's members: never kept by a shared cache, never sniffed into a page.
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, " + response["Cache-Control"]
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404("No such programme year.")
    return year


def _requested_year(request: HttpRequest) -> int:
    """``?year=`` if it is a programme year, else this year; a year that is not a number or is
    out of range is a 404 (a hand-edited address), never a 500."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return timezone.localdate().year
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise Http404("No such programme year.")
    return _year_or_404(int(raw))


def _years(institution) -> list[int]:
    """This year and every earlier year since the institution first enrolled, newest first."""
    this_year = timezone.localdate().year
    starts = [enrolment.starts_on.year for enrolment in institution.enrolments.all()]
    first = min([*starts, timezone.localdate(institution.created_at).year, this_year])
    return list(range(this_year, max(first, FIRST_YEAR) - 1, -1))


def _diploma_status(institution, year: int):
    from institutions.diplomas import diploma_status

    return diploma_status(institution, year)


def _diploma_pdf_url(institution, status) -> str:
    diploma = (status or {}).get("diploma")
    if diploma is None or diploma.is_revoked:
        return ""
    return reverse("institutions:diploma_pdf", args=[institution.pk, diploma.year])


@login_required
@require_safe
def contact_page(request: HttpRequest, pk: int) -> HttpResponse:
    """``institusjon/<pk>/?year=``: the year's participation of the institution's members."""
    institution = institution_for_contact(request.user, pk)
    year = _requested_year(request)
    participation = institution_participation(institution, year)
    memberships = dict(
        Membership.objects.filter(
            institution=institution, status=MembershipStatus.ACTIVE
        ).values_list("user_id", "pk")
    )
    rows = [
        {"member": member, "membership_id": memberships.get(member.user.pk)}
        for member in participation.members
    ]
    names = {member.user.pk: member.name for member in participation.members}
    sessions = [
        {
            "session": session,
            "attendees": [names.get(user.pk, "") for user in getattr(session, "attendees", [])],
        }
        for session in participation.sessions
    ]
    diploma = _diploma_status(institution, year)
    years = _years(institution)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    context = {
        "institution": institution,
        "year": year,
        "years": years,
        "participation": participation,
        "rows": rows,
        "sessions": sessions,
        "requests": pending_requests(institution),
        "diploma": diploma,
        "diploma_pdf_url": _diploma_pdf_url(institution, diploma),
        "exports": CertificateExport.objects.filter(institution=institution, year=year)[:5],
        "is_contact_person": institution.contact_person_id == request.user.pk,
        # Programme admins who may only view see the page without its forms.
        "may_manage": may_manage(request.user, institution),
    }
    return _private(render(request, "institutions/contact/page.html", context))


@login_required
@require_safe
def participation_csv(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """``institusjon/<pk>/deltakelse-<year>.csv``: one row per active member, and a total."""
    institution = institution_for_contact(request.user, pk)
    participation = institution_participation(institution, _year_or_404(year))
    response = HttpResponse(
        exports.participation_csv(participation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="deltakelse-{institution.org_number}-{year}.csv"'
    )
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return _private(response)


@login_required
@require_safe
def participation_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """``institusjon/<pk>/deltakelse-<year>.xlsx``: the members and their certificates."""
    institution = institution_for_contact(request.user, pk)
    participation = institution_participation(institution, _year_or_404(year))
    response = HttpResponse(exports.participation_xlsx(participation), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="deltakelse-{institution.org_number}-{year}.xlsx"'
    )
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return _private(response)


@login_required
@require_POST
def certificate_export_start(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """``institusjon/<pk>/kursbevis-<year>/`` (POST): start the ZIP, then watch it."""
    institution = institution_for_contact(request.user, pk)
    try:
        export = exports.certificate_export_start(
            institution=institution, year=_year_or_404(year), by=request.user
        )
    except InstitutionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(
            reverse("institutions:contact_page", args=[institution.pk]) + f"?year={year}"
        )
    return redirect("institutions:export_progress", pk=institution.pk, uuid=export.uuid)


def _export_or_404(request: HttpRequest, pk: int, uuid) -> CertificateExport:
    institution = institution_for_contact(request.user, pk)
    return get_object_or_404(
        CertificateExport.objects.select_related("institution"),
        uuid=uuid,
        institution=institution,
    )


def _status(export: CertificateExport) -> dict:
    # An export whose job died reads as failed (the next request records it so).
    given_up = exports.export_given_up(export)
    status = ExportStatus.FAILED if given_up else ExportStatus(export.status)
    return {
        "status": status.value,
        "status_label": status.label,
        "done": export.done,
        "total": export.total,
        "percent": export.progress_percent,
        "finished": status in (ExportStatus.DONE, ExportStatus.FAILED),
        # A newer ZIP of the same year replaced this one's file.
        "replaced": export.status == ExportStatus.DONE and not export.file,
        "error": (
            _("The ZIP file was not finished in time, so it was given up.")
            if given_up
            else export.error
        ),
        "download_url": (
            reverse(
                "institutions:export_download",
                kwargs={"pk": export.institution_id, "uuid": export.uuid},
            )
            if export.status == ExportStatus.DONE and export.file
            else ""
        ),
    }


@login_required
@require_safe
def export_progress(request: HttpRequest, pk: int, uuid) -> HttpResponse:
    """``institusjon/<pk>/eksport/<uuid>/``: how far the ZIP has come; the download when done.

    Without JavaScript the page reloads itself while the job runs; with it, the script polls
    ``export_status`` and reloads once the job has finished.
    """
    export = _export_or_404(request, pk, uuid)
    context = {
        "institution": export.institution,
        "export": export,
        "state": _status(export),
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
    }
    return _private(render(request, "institutions/contact/export_progress.html", context))


@login_required
@require_safe
def export_status(request: HttpRequest, pk: int, uuid) -> HttpResponse:
    """``institusjon/<pk>/eksport/<uuid>/status.json``: the progress page's JSON."""
    export = _export_or_404(request, pk, uuid)
    return _private(JsonResponse(_status(export)))


@login_required
@require_safe
def export_download(request: HttpRequest, pk: int, uuid) -> HttpResponse:
    """``institusjon/<pk>/eksport/<uuid>/fil.zip``: the finished ZIP (locally, or by a
    short-lived presigned redirect on S3); not finished yet sends back to the progress page."""
    export = _export_or_404(request, pk, uuid)
    if export.status != ExportStatus.DONE or not export.file:
        return redirect("institutions:export_progress", pk=pk, uuid=export.uuid)
    filename = exports.export_filename(export)
    try:
        if isinstance(export.file.storage, FileSystemStorage):
            return stored_file_response(
                request, export.file.storage, export.file.name,
                content_type="application/zip", etag=str(export.uuid), filename=filename,
                attachment=True, csp=DOWNLOAD_CSP, cache_control="private, no-store",
            )  # fmt: skip
        return presigned_file_redirect(
            export.file.storage, export.file.name, content_type="application/zip",
            filename=filename, csp=DOWNLOAD_CSP, private=True,
        )  # fmt: skip
    except Exception as exc:
        if not is_store_unavailable(exc):
            raise
        return store_unavailable_response(request)


urlpatterns = [
    path("institusjon/<int:pk>/", contact_page, name="contact_page"),
    path(
        "institusjon/<int:pk>/deltakelse-<int:year>.csv",
        participation_csv,
        name="participation_csv",
    ),
    path(
        "institusjon/<int:pk>/deltakelse-<int:year>.xlsx",
        participation_xlsx,
        name="participation_xlsx",
    ),
    path(
        "institusjon/<int:pk>/kursbevis-<int:year>/",
        certificate_export_start,
        name="certificate_export_start",
    ),
    path("institusjon/<int:pk>/eksport/<uuid:uuid>/", export_progress, name="export_progress"),
    path(
        "institusjon/<int:pk>/eksport/<uuid:uuid>/status.json",
        export_status,
        name="export_status",
    ),
    path(
        "institusjon/<int:pk>/eksport/<uuid:uuid>/fil.zip",
        export_download,
        name="export_download",
    ),
]
