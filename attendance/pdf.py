"""The printable sign-in sheet of a group session, for sessions where phones are not used.

WeasyPrint, A4, tagged archival PDF (PDF/A-3a) with the bundled fonts, exactly like the
certificates: rendering goes through ``certificates.pdf``'s fetcher, which answers only the
project's static files and ``data:`` URIs and refuses every other URL. WeasyPrint is imported
only when a sheet is made (it costs most of a second at process start).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

TEMPLATE = "attendance/pdf/sign_in_sheet.html"
# Rows on the first page; a longer list of names continues on further pages.
ROWS_MIN = 13
BLANK_ROWS_MIN = 6


def sign_in_sheet_context(session, names: list[str]) -> dict:
    """What the sheet states: the session's frozen facts, the names to pre-fill, blank rows."""
    from certificates.services import certificate_issuer

    names = [" ".join(str(name).split()) for name in names if str(name).strip()]
    blank = max(BLANK_ROWS_MIN, ROWS_MIN - len(names))
    activity = session.activity
    return {
        "language": settings.LANGUAGE_CODE,
        "issuer_name": certificate_issuer()[0],
        "activity_title": activity.title,
        "edition_year": activity.edition_year,
        "date": timezone.localdate(session.started_at),
        "facilitator_name": session.facilitator_name,
        "join_code": session.join_code_formatted,
        "rows": [{"number": index + 1, "name": name} for index, name in enumerate(names)]
        + [{"number": len(names) + index + 1, "name": ""} for index in range(blank)],
    }


def render_sign_in_sheet(session, names: list[str]) -> bytes:
    """The sign-in sheet of ``session`` as PDF bytes: title, activity, date, facilitator, and a
    table of name / workplace / signature with ``names`` pre-filled, then blank rows."""
    from weasyprint import HTML

    from certificates.pdf import PDF_VARIANT, STATIC_ORIGIN, StaticOnlyFetcher, static_url

    with translation.override(settings.LANGUAGE_CODE):
        context = sign_in_sheet_context(session, names) | {
            "font_regular": static_url("certificates/fonts/DejaVuSans.ttf"),
            "font_bold": static_url("certificates/fonts/DejaVuSans-Bold.ttf"),
        }
        html = render_to_string(TEMPLATE, context)
    document = HTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
