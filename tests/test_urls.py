"""Ids in URLs are ASCII digits only: other Unicode digits (Arabic-Indic, fullwidth) never route."""

import pytest
from django.core.files.base import ContentFile

from cms.models import ResourceDocument
from tests.videos.factories import ready_video

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% lommekort\n" + b"0" * 512
# The first code point of digit zero in scripts whose digits Python's int() and regex \d accept:
# Arabic-Indic, Extended Arabic-Indic, Devanagari and fullwidth.
ZEROS = [0x0660, 0x06F0, 0x0966, 0xFF10]


def _written_in(number: int, zero: int) -> str:
    return "".join(chr(zero + int(d)) for d in str(number))


@pytest.fixture
def pocket_card(db):
    document = ResourceDocument(
        title="Lommekort", category="pocket_card", file=ContentFile(PDF, name="lommekort.pdf")
    )
    document._set_document_file_metadata()
    document.save()
    return document


@pytest.mark.parametrize("zero", ZEROS)
def test_document_id_in_non_ascii_digits_is_404(client, pocket_card, zero):
    assert client.get(pocket_card.url).status_code == 200
    path = f"/documents/{_written_in(pocket_card.pk, zero)}/{pocket_card.filename}"
    assert client.get(path).status_code == 404


def test_video_urls_in_non_ascii_digits_are_404(client, tmp_path):
    video = ready_video(tmp_path, seconds=1, width=320, height=180, captions=None, chapters=())
    tails = ("/", "/present/", "/poster.jpg", "/360p.mp4")
    for tail in tails:
        assert client.get(f"/videos/{video.pk}{tail}").status_code == 200, tail
    for zero in ZEROS:
        for tail in tails:
            path = f"/videos/{_written_in(video.pk, zero)}{tail}"
            assert client.get(path).status_code == 404, path
        path = f"/videos/{video.pk}/{_written_in(360, zero)}p.mp4"
        assert client.get(path).status_code == 404, path
