"""Public verification of certificates: ``/v/`` (type a code), ``/v/<code>/`` (the page),
``/v/<code>.json`` (for machines) and ``/v/<code>/sjekk/`` (is this PDF the one issued?).

Anyone may look a certificate up; nobody may guess codes at speed. Codes carry 80 bits, and on
top of that every miss (an unknown or malformed code) is counted per client address in the cache;
past ``CERTIFICATE_VERIFY_MISS_LIMIT`` misses in ``CERTIFICATE_VERIFY_MISS_WINDOW`` seconds the
next miss gets a 429. Finding a certificate is never throttled: an employer checking many real
certificates is never refused. The client address is the one sign-in throttling uses (the
allauth adapter, which honours ``TRUSTED_PROXY_COUNT``).

Every answer carries ``X-Robots-Tag: noindex`` (the pages also a robots meta tag): a
verification page names a person and must not end up in search engines. An uploaded PDF is only
hashed as it streams in, never written anywhere.

Other apps' documents share these addresses without certificates knowing them: a code that is
no certificate's is offered to every ``VERIFIABLE_CODE_HOOK`` function (institutions: the annual
diploma) before it counts as a miss.
"""

import hashlib
from decimal import Decimal

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe
from wagtail import hooks

from certificates import ledger_views
from certificates.codes import code_format, code_normalise
from certificates.models import Certificate, CertificateStatus
from certificates.selectors import course_history_by_code
from certificates.services import verification_url

# Apps above certificates verify their own documents at /v/<code>/ (institutions: the annual
# diploma): each hook is ``fn(request, code) -> HttpResponse | None`` with the normalised code,
# answering only for a code of its own. JSON is asked for at ``verify_json``
# (``request.resolver_match.url_name``) or with ``?format=json`` on the page.
VERIFIABLE_CODE_HOOK = "register_verifiable_code"

# The form field of the hash check, and how much room the multipart framing around it may take.
UPLOAD_FIELD = "pdf"
_MULTIPART_OVERHEAD = 64 * 1024


# --- Throttling misses ----------------------------------------------------------------------


def _miss_key(request: HttpRequest) -> str:
    return f"certificates:verify-miss:{get_adapter(request).get_client_ip(request)}"


def _miss_count(request: HttpRequest) -> int:
    """Count one miss for the client; the number of misses in its current window."""
    key = _miss_key(request)
    window = settings.CERTIFICATE_VERIFY_MISS_WINDOW
    # add() starts the window on the first miss; incr() is atomic (on Redis across workers),
    # so parallel misses are each counted once and later misses do not extend the window.
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, window)
        return 1


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The status can change at any moment (revoked): always ask the server.
    patch_cache_control(response, no_cache=True, private=True)
    return response


def _too_many(request: HttpRequest, *, as_json: bool) -> HttpResponse:
    if as_json:
        response = JsonResponse(
            {"error": "too_many_misses", "detail": _("Too many unknown codes. Wait and retry.")},
            status=429,
        )
    else:
        response = render(request, "certificates/verify/429.html", status=429)
    response["Retry-After"] = str(settings.CERTIFICATE_VERIFY_MISS_WINDOW)
    return _noindex(response)


def other_verifiable(request: HttpRequest, code: str) -> HttpResponse | None:
    """The answer of the first ``VERIFIABLE_CODE_HOOK`` that knows the (normalised) code."""
    for hook in hooks.get_hooks(VERIFIABLE_CODE_HOOK):
        response = hook(request, code)
        if response is not None:
            return _noindex(response)
    return None


def verify_lookup(request: HttpRequest, typed: str, *, as_json: bool, others: bool = False):
    """``(certificate, None)`` for a typed code, or ``(None, response)`` for a miss: counted
    against the client, a 404 (the form page, or JSON) or past the limit a 429. With
    ``others``, a code another app verifies (``VERIFIABLE_CODE_HOOK``) is answered by that
    app's response instead, uncounted.

    Every public lookup by code goes through here, so no endpoint lets codes be guessed
    faster than the page does.
    """
    code = code_normalise(typed)
    certificate = None
    if code is not None:
        certificate = (
            Certificate.objects.select_related("supersedes", "superseded_by")
            .filter(code=code)
            .first()
        )
    if certificate is not None:
        return certificate, None
    if code is not None and others:
        response = other_verifiable(request, code)
        if response is not None:
            return None, response
    if _miss_count(request) > settings.CERTIFICATE_VERIFY_MISS_LIMIT:
        return None, _too_many(request, as_json=as_json)
    if as_json:
        error = "malformed_code" if code is None else "unknown_code"
        return None, _noindex(JsonResponse({"error": error}, status=404))
    return None, _form_page(request, typed=typed, malformed=code is None, status=404)


# --- What the page and the JSON say ---------------------------------------------------------


def _successor(certificate: Certificate) -> Certificate | None:
    return certificate.superseded_by if certificate.is_superseded else None


def _page_url(certificate: Certificate) -> str:
    return reverse("certificates:verify", args=[certificate.code_formatted])


def certificate_public_data(certificate: Certificate) -> dict:
    """What anyone may know about a certificate: every field its PDF states and its status.

    A holder who withdrew their certificates on deleting the account is not named.
    """
    successor = _successor(certificate)
    return {
        "code": certificate.code_formatted,
        "status": str(certificate.status),
        "holder_name": None if certificate.holder_withdrawn else certificate.holder_name,
        "holder_withdrawn": certificate.holder_withdrawn,
        "activity_title": certificate.activity_title,
        "activity_kind": certificate.activity_kind,
        "edition_year": certificate.edition_year,
        "hours_individual": str(certificate.hours_individual),
        "hours_together": str(certificate.hours_together),
        "hours_total": str(certificate.hours_total),
        "activity_date": certificate.activity_date.isoformat(),
        "issued_on": timezone.localdate(certificate.issued_at).isoformat(),
        "issuer": certificate.issuer_name,
        "template_version": certificate.template_version,
        "pdf_sha256": certificate.pdf_sha256 or None,
        "revoked": (
            {
                "on": timezone.localdate(certificate.revoked_at).isoformat(),
                "reason": certificate.revoked_reason,
            }
            if certificate.is_revoked
            else None
        ),
        "superseded_by": (
            {"code": successor.code_formatted, "url": verification_url(successor)}
            if successor is not None
            else None
        ),
        "supersedes": (
            {
                "code": certificate.supersedes.code_formatted,
                "url": verification_url(certificate.supersedes),
            }
            if certificate.supersedes_id
            else None
        ),
        "url": verification_url(certificate),
    }


def hours_text(value: Decimal) -> str:
    """Hours as the PDF prints them (``certificates.pdf.hours_text``: at least one decimal, in
    the active language); repeated here so the public page never loads WeasyPrint."""
    value = Decimal(value)
    places = 1 if value == value.quantize(Decimal("0.1")) else 2
    return formats.number_format(value, decimal_pos=places, use_l10n=True)


def _certificate_page(
    request: HttpRequest, certificate: Certificate, *, check: dict | None = None, status=200
) -> HttpResponse:
    context = {
        "certificate": certificate,
        "successor": _successor(certificate),
        "hours": {
            "individual": hours_text(certificate.hours_individual),
            "together": hours_text(certificate.hours_together),
            "total": hours_text(certificate.hours_total),
        },
        "check": check,
        "upload_field": UPLOAD_FIELD,
        "upload_max_mb": settings.CERTIFICATE_VERIFY_UPLOAD_MAX // (1024 * 1024),
        "statuses": CertificateStatus,
        "json_url": reverse("certificates:verify_json", args=[certificate.code_formatted]),
        "check_url": reverse("certificates:verify_check", args=[certificate.code_formatted]),
    }
    return _noindex(render(request, "certificates/verify/certificate.html", context, status=status))


def _form_page(
    request: HttpRequest, *, typed: str = "", malformed: bool = False, status=200
) -> HttpResponse:
    error = ""
    if status != 200:
        error = (
            _("This is not a verification code. A code has 16 letters and digits.")
            if malformed
            else _("No certificate has this code. Check that you typed it as printed.")
        )
    context = {"typed": typed, "error": error}
    return _noindex(render(request, "certificates/verify/form.html", context, status=status))


# --- Views ----------------------------------------------------------------------------------


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    """``/v/``: a form to type a code; ``?code=`` looks it up and goes to its page."""
    typed = request.GET.get("code")
    if typed is None:
        return _form_page(request)
    if not typed.strip():
        return _form_page(request, typed="", malformed=True, status=400)
    history = course_history_by_code(typed)
    if history is not None:
        url = reverse("certificates:verify", args=[history.code_formatted])
        return _noindex(HttpResponseRedirect(url))
    code = code_normalise(typed)
    if (
        code is not None
        and not Certificate.objects.filter(code=code).exists()
        and other_verifiable(request, code) is not None
    ):
        # Another app's document: its page lives at the same address.
        url = reverse("certificates:verify", args=[code_format(code)])
        return _noindex(HttpResponseRedirect(url))
    certificate, miss = verify_lookup(request, typed, as_json=False)
    if miss is not None:
        return miss
    return _noindex(HttpResponseRedirect(_page_url(certificate)))


@require_safe
def verify_page(request: HttpRequest, code: str) -> HttpResponse:
    """``/v/<code>/``: everything the certificate states, its status and its PDF's SHA-256."""
    as_json = request.GET.get("format") == "json"
    history = None if as_json else course_history_by_code(code)
    if history is not None:
        return ledger_views.history_verify(request, history)
    certificate, miss = verify_lookup(request, code, as_json=as_json, others=True)
    if miss is not None:
        return miss
    if as_json:
        return _json(certificate)
    return _certificate_page(request, certificate)


@require_safe
def verify_json(request: HttpRequest, code: str) -> HttpResponse:
    """``/v/<code>.json``: the same as the page, for machines."""
    certificate, miss = verify_lookup(request, code, as_json=True, others=True)
    if miss is not None:
        return miss
    return _json(certificate)


def _json(certificate: Certificate) -> HttpResponse:
    response = JsonResponse(certificate_public_data(certificate), json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return _noindex(response)


class _TooLarge(StopUpload):
    pass


class Sha256UploadHandler(FileUploadHandler):
    """Hashes the uploaded file as it streams in and keeps none of it (not in memory, not on
    disk); stops reading past ``limit`` bytes."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.hasher = hashlib.sha256()
        self.size = 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large = True
            raise _TooLarge(connection_reset=False)
        self.hasher.update(raw_data)
        return None

    def file_complete(self, file_size):
        return HashedUpload(name=self.file_name, size=self.size, sha256=self.hasher.hexdigest())


class HashedUpload:
    """What is left of an uploaded file: its name, size and SHA-256."""

    def __init__(self, *, name: str, size: int, sha256: str):
        self.name, self.size, self.sha256 = name, size, sha256

    def close(self) -> None:
        """Nothing to close: no byte was kept."""


@csrf_exempt  # checked below, once the upload handlers are in place
@require_POST
def verify_check(request: HttpRequest, code: str) -> HttpResponse:
    """``POST /v/<code>/sjekk/``: is the uploaded PDF byte for byte the one issued?"""
    certificate, miss = verify_lookup(request, code, as_json=False)
    if miss is not None:
        return miss
    limit = settings.CERTIFICATE_VERIFY_UPLOAD_MAX
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit():
        check = {"error": _("Choose the PDF file you want to check.")}
        return _certificate_page(request, certificate, check=check, status=400)
    if int(declared) > limit + _MULTIPART_OVERHEAD:
        # Refused before a byte of the body is read.
        return _too_large(request, certificate, limit)
    handler = Sha256UploadHandler(request, limit=limit)
    # Set before anything reads the body; the CSRF check (below) is the first to read it.
    request.upload_handlers = [handler]
    return _verify_check(request, certificate, handler=handler)


def _too_large(request: HttpRequest, certificate: Certificate, limit: int) -> HttpResponse:
    error = _("The file is larger than %(size)s MB: no certificate is that large.") % {
        "size": limit // (1024 * 1024)
    }
    return _certificate_page(request, certificate, check={"error": error}, status=413)


@csrf_protect
def _verify_check(request: HttpRequest, certificate: Certificate, *, handler) -> HttpResponse:
    upload = request.FILES.get(UPLOAD_FIELD)
    if handler.too_large:
        return _too_large(request, certificate, handler.limit)
    if upload is None:
        check = {"error": _("Choose the PDF file you want to check.")}
        return _certificate_page(request, certificate, check=check, status=400)
    check = {
        "sha256": upload.sha256,
        "name": upload.name,
        "pending": not certificate.pdf_sha256,
        "identical": bool(certificate.pdf_sha256) and upload.sha256 == certificate.pdf_sha256,
    }
    return _certificate_page(request, certificate, check=check)
