"""The certificate PDF, for its holder and programme admins only.

The PDF is the one stored at issue, never rebuilt here: locally it is served through the
project's one stored-file response (``videos.ranges.stored_file_response``), on S3 by a redirect
to a short-lived presigned URL that no cache may keep. Another learner gets a 404 (not a 403:
whether a certificate exists is nobody else's business); a visitor who is not signed in goes to
the login page.
"""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from certificates.models import Certificate
from videos.ranges import presigned_file_redirect, stored_file_response
from videos.storeerrors import is_store_unavailable, store_unavailable_response

# A downloaded file is never run as a page, whatever its content claims to be.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
# Until the PDF is made (seconds after issue), the holder is asked to try again in a minute.
PENDING_RETRY_AFTER = 60


def may_download(user, certificate: Certificate) -> bool:
    """The holder, superusers and programme admins with ``certificates.view_certificate``."""
    return certificate.holder_id == user.pk or user.has_perm("certificates.view_certificate")


def _filename(certificate: Certificate) -> str:
    return f"kursbevis-{certificate.code_formatted}.pdf"


def _local(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    return stored_file_response(
        request, certificate.pdf.storage, certificate.pdf.name,
        content_type="application/pdf", etag=certificate.pdf_sha256,
        filename=_filename(certificate), attachment=True, csp=DOWNLOAD_CSP,
        cache_control="private, no-store",
    )  # fmt: skip


def _presigned_redirect(certificate: Certificate) -> HttpResponse:
    # The URL inside opens someone's certificate: private, and never kept by any cache.
    return presigned_file_redirect(
        certificate.pdf.storage, certificate.pdf.name, content_type="application/pdf",
        filename=_filename(certificate), csp=DOWNLOAD_CSP, private=True,
    )  # fmt: skip


def _pending(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    response = render(
        request, "certificates/pdf_pending.html", {"certificate": certificate}, status=503
    )
    response["Retry-After"] = str(PENDING_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


@require_safe
@login_required
def certificate_pdf(request: HttpRequest, uuid) -> HttpResponse:
    """``/kursbevis/<uuid>/pdf/``: the stored PDF of one certificate."""
    certificate = get_object_or_404(Certificate, uuid=uuid)
    if not may_download(request.user, certificate):
        raise Http404("No such certificate.")
    if not certificate.pdf_sha256 or not certificate.pdf:
        return _pending(request, certificate)
    try:
        if isinstance(certificate.pdf.storage, FileSystemStorage):
            return _local(request, certificate)
        return _presigned_redirect(certificate)
    except Exception as exc:
        if not is_store_unavailable(exc):
            raise
        return store_unavailable_response(request)
