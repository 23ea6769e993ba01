"""`manage.py import_video` for bulk import and scripts."""

import io

import pytest
from django.core.management import CommandError, call_command

from videos.media import make_test_source
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db

CAPTIONS = "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHvorfor vente med antibiotika?\n"
CHAPTERS = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nSpørsmål 1\n\n"
    "00:00:01.000 --> 00:00:02.000\nSpørsmål 2\n"
)


def test_sync_import_of_a_1080p_file(tmp_path):
    source = make_test_source(tmp_path / "full-hd.mp4", seconds=2, width=1920, height=1080)
    (tmp_path / "nb.vtt").write_text(CAPTIONS)
    (tmp_path / "kapitler.vtt").write_text(CHAPTERS)
    out = io.StringIO()
    call_command(
        "import_video", str(source), "--title", "Fem på fem", "--kind", "clip",
        "--captions", f"nb={tmp_path / 'nb.vtt'}", "--chapters", str(tmp_path / "kapitler.vtt"),
        "--sync", stdout=out,
    )  # fmt: skip
    video = Video.objects.get(pk=int(out.getvalue().strip()))
    assert video.status == VideoStatus.READY
    assert sorted(r.height for r in video.renditions.all()) == [360, 720, 1080]
    assert video.hls_master.endswith("hls/master.m3u8")
    assert video.poster.endswith("poster.jpg")
    assert [c.title for c in video.chapters.order_by("start")] == ["Spørsmål 1", "Spørsmål 2"]
    assert video.caption_languages() == {"nb"}


def test_a_file_that_is_not_a_video_exits_with_the_reason(tmp_path, settings):
    settings.LANGUAGE_CODE = "en"
    fake = tmp_path / "lysbilder.mp4"
    fake.write_bytes(b"%PDF-1.7\n" + b"0" * 4096)
    with pytest.raises(CommandError, match="not a video"):
        call_command("import_video", str(fake), "--title", "Feil", "--sync")
    assert not Video.objects.filter(status=VideoStatus.READY).exists()


def test_broken_captions_stop_the_import_before_anything_is_stored(tmp_path):
    source = make_test_source(tmp_path / "kort.mp4", seconds=1, width=320, height=240)
    (tmp_path / "feil.vtt").write_text("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nTekst\n")
    with pytest.raises(CommandError, match="3"):
        call_command("import_video", str(source), "--title", "X",
                     "--captions", f"nb={tmp_path / 'feil.vtt'}")  # fmt: skip
    assert not Video.objects.exists()
