"""Certificate and course-history PDFs: WeasyPrint, A4, archival PDF/A-3a (tagged), fonts bundled.

A leaf module: it takes a frozen dict and returns PDF bytes. It reads no model and no live setting
that the PDF states, so a certificate says exactly what was frozen at issue. Templates live under
``certificates/templates/certificates/pdf/`` and the one stylesheet, the fonts (DejaVu Sans, with
its licence) and the default programme mark under ``certificates/static/certificates/``.

Rendering never touches the network or the file system beyond the project's static files: the
documents refer to static files through a reserved origin (``STATIC_ORIGIN``, an RFC 2606
``.invalid`` name that no resolver answers) and ``StaticOnlyFetcher`` answers that origin from
Django's staticfiles finders and ``data:`` URIs from memory; every other URL (http, https, file,
an unknown static path, a path that climbs out with ``..``) is refused and the render fails,
so a certificate can never come out silently without its fonts or logo.
"""

import datetime as dt
import mimetypes
import posixpath
from decimal import Decimal
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from .codes import code_format

# PDF/A-3a: archival (ISO 19005-3) at conformance level A, which WeasyPrint 70 produces with a
# logical structure tree (tagged PDF), embedded fonts, an sRGB output intent and XMP metadata.
PDF_VARIANT = "pdf/a-3a"
STATIC_ORIGIN = "https://static.invalid/"
DEFAULT_LOGO = "certificates/logo.svg"
STYLESHEET = "certificates/pdf.css"

KIND_LABELS = {
    "course": _("E-learning course"),
    "video": _("Video activity"),
    "clips": _("5 in 5 clip set"),
    "group": _("Group session"),
}


class ResourceRefused(ValueError):
    """A document asked for a URL that is not one of the project's static files or a data: URI."""


class StaticOnlyFetcher(URLFetcher):
    """Serves ``STATIC_ORIGIN`` URLs from the staticfiles finders and data: URIs; refuses the rest.

    ``fail_on_errors`` makes WeasyPrint stop the render on a refused URL instead of leaving the
    resource out with a warning.
    """

    def __init__(self):
        super().__init__(
            timeout=1, allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True
        )

    def fetch(self, url, headers=None):
        """Answer one URL, or raise ``ResourceRefused``."""
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        if not url.startswith(STATIC_ORIGIN):
            raise ResourceRefused(f"Only the project's static files may be used: {url}")
        found = finders.find(static_path(url))
        if not found:
            raise ResourceRefused(f"No such static file: {url}")
        with open(found, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_path(url: str) -> str:
    """The static path a ``STATIC_ORIGIN`` URL names; ``ResourceRefused`` for anything odd."""
    parts = urlsplit(url)
    path = unquote(parts.path).lstrip("/")
    normalised = posixpath.normpath(path) if path else ""
    if (
        parts.query
        or parts.fragment
        or not normalised
        or normalised != path
        or normalised.startswith(("../", "/"))
        or "\\" in path
        or "\x00" in path
    ):
        raise ResourceRefused(f"Not a plain static path: {url}")
    return normalised


def static_url(path: str) -> str:
    """The URL the documents use for a static file (the form ``StaticOnlyFetcher`` serves)."""
    return STATIC_ORIGIN + path.lstrip("/")


def render_certificate_pdf(data: dict) -> bytes:
    """Render one certificate (kursbevis) as PDF/A-3a bytes, A4, one page.

    ``data`` is the frozen dict ``certificate_pdf_data(certificate)`` builds; every value is what
    the PDF states, nothing is looked up:

    - ``holder_name`` (str), ``activity_title`` (str), ``activity_kind`` ("course" | "video" |
      "clips" | "group"; an unknown kind prints no kind label), ``edition_year`` (int)
    - ``hours_individual``, ``hours_together`` (Decimal, str or number); ``hours_total``
      (optional: the sum of the two when absent)
    - ``activity_date`` (date or ISO string), ``issued_at`` (aware datetime or ISO string; printed
      as a date in the site's time zone)
    - ``issuer_name`` (str), ``issuer_logo`` (a static path such as "certificates/logo.svg", or a
      data: URI; empty means the default programme mark)
    - ``code`` (16 stored characters) and/or ``code_formatted`` ("XXXX-XXXX-XXXX-XXXX")
    - ``verification_url`` (absolute URL of the public verification page; the QR code opens it)
    - ``template_version`` (str, printed small), ``language`` (e.g. "nb"; default the site's)
    - optional ``supersedes_code_formatted``: the code of the certificate this one replaces
    Other keys (``uuid``, ``activity_url``, ``content_revision``, ...) are ignored.
    """
    with translation.override(_language(data)):
        hours_individual = _decimal(data.get("hours_individual"))
        hours_together = _decimal(data.get("hours_together"))
        hours_total = _decimal(data.get("hours_total", hours_individual + hours_together))
        context = _common_context(data) | {
            "activity_title": data["activity_title"],
            "kind_label": KIND_LABELS.get(data.get("activity_kind", ""), ""),
            "edition_year": data.get("edition_year") or "",
            "activity_date": _date(data.get("activity_date")),
            "hours_individual": hours_text(hours_individual),
            "hours_together": hours_text(hours_together),
            "hours_total": hours_text(hours_total),
            "supersedes_code_formatted": data.get("supersedes_code_formatted", ""),
            "density": _density(data),
        }
        return _render("certificates/pdf/certificate.html", context)


def render_history_pdf(data: dict) -> bytes:
    """Render a learner's course history of one year as PDF/A-3a bytes, A4, as many pages as needed.

    The history is itself verifiable: it carries its own code and verification URL. ``data``:

    - ``holder_name``, ``year`` (int), ``issued_at`` (aware datetime or ISO string),
      ``issuer_name``, ``issuer_logo``, ``code`` and/or ``code_formatted``, ``verification_url``,
      ``template_version``, ``language``: as for ``render_certificate_pdf``
    - ``certificates``: a list, in the order to print, of dicts with ``activity_title``,
      ``activity_kind``, ``edition_year``, ``activity_date``, ``hours_individual``,
      ``hours_together``, optional ``hours_total``, and ``code`` and/or ``code_formatted``
      (the certificate's own code). The totals are summed here from these rows, so the printed
      total can never disagree with the rows.
    - optional ``target_min``, ``target_max``, ``together_min`` (hours; the year's target band and
      group minimum; printed when given)
    - optional ``external_activities``: a list of dicts with ``title``, ``date``, ``hours``; printed
      apart as self-reported, never counted in the totals
    """
    with translation.override(_language(data)):
        rows = []
        total_individual = total_together = Decimal(0)
        for item in data.get("certificates", []):
            hours_individual = _decimal(item.get("hours_individual"))
            hours_together = _decimal(item.get("hours_together"))
            total_individual += hours_individual
            total_together += hours_together
            hours_total = _decimal(item.get("hours_total", hours_individual + hours_together))
            rows.append(
                {
                    "activity_title": item["activity_title"],
                    "kind_label": KIND_LABELS.get(item.get("activity_kind", ""), ""),
                    "edition_year": item.get("edition_year") or "",
                    "activity_date": _date(item.get("activity_date")),
                    "hours_individual": hours_text(hours_individual),
                    "hours_together": hours_text(hours_together),
                    "hours_total": hours_text(hours_total),
                    "code_formatted": _code_formatted(item),
                }
            )
        external = [
            {
                "title": item["title"],
                "date": _date(item.get("date")),
                "hours": hours_text(_decimal(item.get("hours"))),
            }
            for item in data.get("external_activities", [])
        ]
        context = _common_context(data) | {
            "year": data["year"],
            "rows": rows,
            "total_individual": hours_text(total_individual),
            "total_together": hours_text(total_together),
            "total": hours_text(total_individual + total_together),
            "target_min": _optional_hours(data.get("target_min")),
            "target_max": _optional_hours(data.get("target_max")),
            "together_min": _optional_hours(data.get("together_min")),
            "external": external,
        }
        return _render("certificates/pdf/history.html", context)


def _density(data: dict) -> str:
    """A CSS class that keeps the certificate on one A4 page however long its texts are."""
    title, name = len(data["activity_title"]), len(data["holder_name"])
    issuer = len(data.get("issuer_name", ""))
    if title > 180 or name > 60 or issuer > 120:
        return "compact tight"
    if title > 70 or name > 32 or issuer > 60:
        return "compact"
    return ""


def hours_text(value: Decimal) -> str:
    """Hours as the documents print them, in the active language: at least one decimal."""
    value = Decimal(value)
    places = 1 if value == value.quantize(Decimal("0.1")) else 2
    return formats.number_format(value, decimal_pos=places, use_l10n=True)


def _language(data: dict) -> str:
    return data.get("language") or settings.LANGUAGE_CODE


def _common_context(data: dict) -> dict:
    logo = data.get("issuer_logo") or DEFAULT_LOGO
    issued_at = _datetime(data.get("issued_at"))
    verification_url = data["verification_url"]
    return {
        "language": _language(data),
        "holder_name": data["holder_name"],
        "issuer_name": data.get("issuer_name", ""),
        "issuer_logo_url": logo if logo.startswith("data:") else static_url(logo),
        "issued_at": issued_at,
        "created_iso": issued_at.isoformat() if issued_at else "",
        "code_formatted": _code_formatted(data),
        "verification_url": verification_url,
        "qr_data_uri": qr_data_uri(verification_url),
        "template_version": data.get("template_version", ""),
        "stylesheet_url": static_url(STYLESHEET),
    }


def qr_data_uri(url: str) -> str:
    """A QR code (segno, error correction M) that opens ``url``, as an SVG data: URI."""
    return segno.make(url, error="m", micro=False).svg_data_uri(border=4, dark="#000000")


def _render(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def _code_formatted(data: dict) -> str:
    return data.get("code_formatted") or code_format(data.get("code", ""))


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _optional_hours(value) -> str:
    # Targets are whole hours as a rule: "12–15 timer", not "12,0–15,0 timer".
    if value in (None, ""):
        return ""
    value = _decimal(value)
    if value == value.to_integral_value():
        return formats.number_format(value, decimal_pos=0, use_l10n=True)
    return hours_text(value)


def _date(value) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _datetime(value) -> dt.datetime | None:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value
