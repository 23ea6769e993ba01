"""The learner's yearly ledger on Min side: CSV, the course-history PDF, external activities;
and the public verification page of a course history.

Thin: the selectors read, ``certificates.ledger_services`` writes. Everything here is the
signed-in learner's own: another learner's history or evidence is a 404.
"""

import csv
import io
import posixpath

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from certificates import ledger_services
from certificates.ledger_forms import ExternalActivityForm
from certificates.models import CourseHistory, ExternalActivity
from certificates.selectors import learner_ledger_year
from certificates.services import verification_url

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DOWNLOAD_CSP = "default-src 'none'; sandbox"
_EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def csv_cell(value) -> str:
    """A value as a CSV cell that no spreadsheet reads as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = _DOWNLOAD_CSP
    return response


@verified_email_required
@require_safe
def ledger_csv(request, year: int):
    """The year's certificates and external activities as CSV (UTF-8 with BOM, for Excel)."""
    ledger_year = learner_ledger_year(request.user, year)
    if ledger_year is None:
        raise Http404
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Year"),
            _("Record"),
            _("Activity"),
            _("Edition"),
            _("Date"),
            _("Hours individual"),
            _("Hours together"),
            _("Hours total"),
            _("Status"),
            _("Verification code"),
            _("Verification page"),
        ]
    )
    for certificate in [*ledger_year.certificates, *ledger_year.set_aside]:
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    year,
                    _("Certificate"),
                    certificate.activity_title,
                    certificate.edition_year,
                    certificate.activity_date.isoformat(),
                    certificate.hours_individual,
                    certificate.hours_together,
                    certificate.hours_total,
                    certificate.status.label,
                    certificate.code_formatted,
                    verification_url(certificate),
                )
            ]
        )
    for activity in ledger_year.external:
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    year,
                    _("Self-reported, not verified"),
                    activity.title,
                    "",
                    activity.date.isoformat(),
                    activity.hours,
                    "",
                    activity.hours,
                    "",
                    "",
                    "",
                )
            ]
        )
    writer.writerow(
        [
            csv_cell(value)
            for value in (
                year,
                _("Verified hours in total"),
                "",
                "",
                "",
                ledger_year.hours_individual,
                ledger_year.hours_together,
                ledger_year.hours_total,
                "",
                "",
                "",
            )
        ]
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kursbevis-{year}.csv"'
    return _private(response)


@verified_email_required
@require_POST
def history_make(request, year: int):
    """Make (or find) the year's course-history PDF and send the learner to its download."""
    history = ledger_services.course_history_for(user=request.user, year=year)
    if history is None:
        messages.error(request, _("There is no valid certificate from %(year)s.") % {"year": year})
        return redirect(reverse("accounts:my_page") + "#my-certificates-heading")
    return redirect("certificates:history_pdf", uuid=history.uuid)


@verified_email_required
@require_safe
def history_pdf(request, uuid):
    """The stored course-history PDF, for its owner and programme admins only."""
    history = get_object_or_404(CourseHistory, uuid=uuid)
    if history.holder_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    with history.pdf.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kurshistorikk-{history.year}-{history.code_formatted}.pdf"'
    )
    return _private(response)


@verified_email_required
@require_http_methods(["GET", "HEAD", "POST"])
def external_add(request):
    """Report an activity done elsewhere; it is shown apart and never counted as verified."""
    form = ExternalActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger_services.external_activity_add(
                user=request.user,
                title=form.cleaned_data["title"],
                date=form.cleaned_data["date"],
                hours=form.cleaned_data["hours"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("evidence", error)
        else:
            messages.success(request, _("Your activity has been added."))
            return redirect(reverse("accounts:my_page") + "#my-certificates-heading")
    status = 400 if form.errors else 200
    return render(request, "certificates/ledger/external_add.html", {"form": form}, status=status)


@verified_email_required
@require_POST
def external_delete(request, activity_id: int):
    """Delete one of the learner's own external activities (and its evidence file)."""
    if not ledger_services.external_activity_delete(user=request.user, activity_id=activity_id):
        raise Http404
    messages.success(request, _("The activity has been deleted."))
    return redirect(reverse("accounts:my_page") + "#my-certificates-heading")


@verified_email_required
@require_safe
def external_evidence(request, activity_id: int):
    """The evidence file of one of the learner's own external activities."""
    activity = get_object_or_404(ExternalActivity, pk=activity_id, user=request.user)
    if not activity.evidence:
        raise Http404
    extension = posixpath.splitext(activity.evidence.name.lower())[1]
    with activity.evidence.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(
        data, content_type=_EVIDENCE_TYPES.get(extension, "application/octet-stream")
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{posixpath.basename(activity.evidence.name)}"'
    )
    return _private(response)


def history_verify(request, history: CourseHistory) -> HttpResponse:
    """The public verification page of a course history (``/v/<code>/`` finds it when no
    certificate has the code): what it states, the PDF's SHA-256, and each listed certificate
    with its status now (one revoked since shows as revoked)."""
    certificates = list(history.certificates.order_by("activity_date", "pk"))
    context = {
        "history": history,
        "certificates": certificates,
        "withdrawn": any(certificate.holder_withdrawn for certificate in certificates),
    }
    response = render(request, "certificates/ledger/history_verify.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # A listed certificate can be revoked at any moment: always ask the server.
    patch_cache_control(response, no_cache=True, private=True)
    return response
