"""The annual diploma on the web: its verification page (``/v/<code>/``, through the
certificates' hook), the public list of a year's diplomas, and the PDF for the institution's
contact person and programme admins.

``urlpatterns`` is included by ``institutions/urls.py`` into the "institutions" namespace.
"""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from institutions import diplomas
from institutions.models import InstitutionDiploma
from institutions.selectors import institution_for_contact
from videos.ranges import presigned_file_redirect, stored_file_response
from videos.storeerrors import is_store_unavailable, store_unavailable_response

# A downloaded file is never run as a page, whatever its content claims to be.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
# Until the PDF is made (seconds after issue), the contact person is asked to try again.
PENDING_RETRY_AFTER = 60
PUBLIC_LIST_MAX_AGE = 300


# --- Verification (certificates.verify_views.VERIFIABLE_CODE_HOOK) --------------------------


def diploma_public_data(diploma: InstitutionDiploma) -> dict:
    """What anyone may know about a diploma: what its PDF states, and its status."""
    return {
        "kind": "institution_diploma",
        "code": diploma.code_formatted,
        "status": "revoked" if diploma.is_revoked else "valid",
        "institution_name": diploma.institution_name,
        "programme_year": diploma.year,
        "facts": dict(diploma.facts or {}),
        "issued_on": timezone.localdate(diploma.issued_at).isoformat(),
        "pdf_sha256": diploma.pdf_sha256 or None,
        "revoked": (
            {
                "on": timezone.localdate(diploma.revoked_at).isoformat(),
                "reason": diploma.revoked_reason,
            }
            if diploma.is_revoked
            else None
        ),
        "url": diplomas.diploma_verification_url(diploma),
    }


def diploma_verification(request: HttpRequest, code: str) -> HttpResponse | None:
    """The verification page (or its JSON) of the diploma with this normalised code; None for
    a code that is no diploma's, so certificates counts the miss as usual."""
    diploma = diplomas.diploma_by_code(code)
    if diploma is None:
        return None
    match = getattr(request, "resolver_match", None)
    if (match is not None and match.url_name == "verify_json") or request.GET.get(
        "format"
    ) == "json":
        response = JsonResponse(diploma_public_data(diploma), json_dumps_params={"indent": 2})
        response["Access-Control-Allow-Origin"] = "*"
        return response
    context = {
        "diploma": diploma,
        "achievements": diplomas.achievements(diploma.facts or {}),
        "json_url": reverse("certificates:verify_json", args=[diploma.code_formatted]),
    }
    return render(request, "institutions/diploma/verify.html", context)


# --- The public list ------------------------------------------------------------------------


@require_safe
def diplomas_public_latest(request: HttpRequest) -> HttpResponse:
    """``/diplom/``: the list of the newest year that has criteria or diplomas."""
    years = diplomas.diploma_years()
    year = years[0] if years else timezone.localdate().year
    return redirect("institutions:diplomas_public", year=year)


@require_safe
def diplomas_public(request: HttpRequest, year: int) -> HttpResponse:
    """``/diplom/<year>/``: institutions holding that year's diploma that agreed to be named."""
    if not 2000 <= year <= 2100:
        raise Http404("No such programme year.")
    years = diplomas.diploma_years()
    if year not in years:
        years = sorted([*years, year], reverse=True)
    context = {
        "year": year,
        "years": years,
        "diplomas": diplomas.diplomas_public(year),
        "criteria": diplomas.diploma_criteria_for(year),
    }
    response = render(request, "institutions/diploma/public_list.html", context)
    patch_cache_control(response, public=True, max_age=PUBLIC_LIST_MAX_AGE)
    return response


# --- The PDF for the contact person ---------------------------------------------------------


def _filename(diploma: InstitutionDiploma) -> str:
    return f"diplom-{diploma.year}-{diploma.code_formatted}.pdf"


@require_safe
@login_required
def diploma_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """``/institusjon/<pk>/diplom/<year>.pdf``: the stored PDF, for the institution's contact
    person and programme admins only (anyone else: 404)."""
    institution = institution_for_contact(request.user, pk)
    diploma = InstitutionDiploma.objects.filter(institution=institution, year=year).first()
    if diploma is None:
        raise Http404("No diploma for this year.")
    if not diploma.pdf_sha256 or not diploma.pdf:
        response = render(
            request, "institutions/diploma/pdf_pending.html", {"diploma": diploma}, status=503
        )
        response["Retry-After"] = str(PENDING_RETRY_AFTER)
        add_never_cache_headers(response)
        return response
    storage, name = diploma.pdf.storage, diploma.pdf.name
    try:
        if isinstance(storage, FileSystemStorage):
            return stored_file_response(
                request, storage, name, content_type="application/pdf",
                etag=diploma.pdf_sha256, filename=_filename(diploma), attachment=True,
                csp=DOWNLOAD_CSP, cache_control="private, no-store",
            )  # fmt: skip
        return presigned_file_redirect(
            storage, name, content_type="application/pdf", filename=_filename(diploma),
            csp=DOWNLOAD_CSP, private=True,
        )  # fmt: skip
    except Exception as exc:
        if not is_store_unavailable(exc):
            raise
        return store_unavailable_response(request)


urlpatterns = [
    path("diplom/", diplomas_public_latest, name="diplomas_public_latest"),
    path("diplom/<int:year>/", diplomas_public, name="diplomas_public"),
    path("institusjon/<int:pk>/diplom/<int:year>.pdf", diploma_pdf, name="diploma_pdf"),
]
