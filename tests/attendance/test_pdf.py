"""The printable sign-in sheet: what a facilitator prints for a session without phones."""

import io
import logging

import pytest
from pypdf import PdfReader

from attendance.pdf import ROWS_MIN, render_sign_in_sheet, sign_in_sheet_context
from tests.attendance.factories import activity_make, session_make, user_make

pytestmark = pytest.mark.django_db

NAMES = ["Åse Ødegård", "Per  Hansen", "  "]


@pytest.fixture
def session():
    activity = activity_make(title="Legemiddelsamtalen med beboeren")
    return session_make(activity, user_make("fasilitator", "Frida Fasilitator"))


def text_of(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_sheet_states_the_session_and_prefills_the_names(session, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        body = render_sign_in_sheet(session, NAMES)
    assert [record.getMessage() for record in caplog.records if record.levelno >= 30] == []
    assert body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == 1
    width, height = (float(value) for value in reader.pages[0].mediabox[2:])
    assert round(width) == 595 and round(height) == 842  # A4 in points
    text = text_of(body)
    assert "Legemiddelsamtalen med beboeren" in text
    assert "Frida Fasilitator" in text
    assert "Åse Ødegård" in text and "Per Hansen" in text
    assert session.join_code_formatted in text
    assert str(ROWS_MIN) in text  # numbered blank rows follow the names


def test_sheet_is_a_tagged_archival_pdf(session):
    root = PdfReader(io.BytesIO(render_sign_in_sheet(session, []))).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "nb"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp


def test_names_then_blank_rows(session):
    rows = sign_in_sheet_context(session, NAMES)["rows"]
    assert [row["name"] for row in rows[:2]] == ["Åse Ødegård", "Per Hansen"]
    assert all(row["name"] == "" for row in rows[2:])
    assert len(rows) == ROWS_MIN
    many = sign_in_sheet_context(session, [f"Deltaker {index}" for index in range(40)])["rows"]
    assert len(many) > 40 and many[-1]["name"] == ""


def test_a_long_list_continues_on_further_pages(session):
    body = render_sign_in_sheet(session, [f"Deltaker nummer {index}" for index in range(45)])
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) >= 3
    # The table's headings repeat on every page, so each page can be signed on its own.
    for page in reader.pages:
        assert "Signatur" in page.extract_text() or "Signature" in page.extract_text()
    assert "Deltaker nummer 44" in text_of(body)
