"""Uploaded videos: what editors are told about bad files, and what viewers' players receive."""

import struct
import subprocess
from pathlib import Path

import av
import imageio_ffmpeg
import pytest
from django.utils import translation

from videos.media import (
    MediaError,
    ProbeResult,
    Rendition,
    make_test_source,
    probe,
    rendition_ladder,
    transcode,
)

LIMITS = {"max_duration": 3600.0, "max_bytes": 500 * 1024 * 1024}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    return {
        "small": make_test_source(folder / "small.mp4", seconds=4, width=640, height=360),
        "full_hd": make_test_source(folder / "full_hd.mp4", seconds=2, width=1920, height=1080),
    }


@pytest.fixture(scope="module")
def full_hd_output(sources, tmp_path_factory):
    progress = []
    source = sources["full_hd"]
    output = transcode(
        source,
        tmp_path_factory.mktemp("out"),
        probe_result=probe(source, **LIMITS),
        on_progress=progress.append,
    )
    return output, progress


def top_level_boxes(path: Path) -> list[str]:
    boxes = []
    with path.open("rb") as file:
        while header := file.read(8):
            size, kind = struct.unpack(">I4s", header)
            header_size = 8
            if size == 1:
                size = struct.unpack(">Q", file.read(8))[0]
                header_size = 16
            boxes.append(kind.decode("latin-1"))
            if size == 0:
                break
            file.seek(size - header_size, 1)
    return boxes


def test_probe_reports_what_a_good_video_contains(sources):
    result = probe(sources["small"], **LIMITS)

    assert result == ProbeResult(
        duration=pytest.approx(4.0, abs=0.1),
        width=640,
        height=360,
        has_audio=True,
        video_codec="h264",
        frame_rate=25.0,
    )


def test_probe_accepts_a_string_path(sources):
    assert probe(str(sources["small"]), **LIMITS).height == 360


def test_empty_file_is_rejected(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")

    with pytest.raises(MediaError, match="empty"):
        probe(empty, **LIMITS)


def test_a_pdf_renamed_to_mp4_is_not_a_video(tmp_path):
    fake = tmp_path / "slides.mp4"
    fake.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" * 50)

    with pytest.raises(MediaError, match="not a video"):
        probe(fake, **LIMITS)


def test_sound_without_picture_is_rejected(tmp_path):
    audio_only = tmp_path / "interview.m4a"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error"]
        + ["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", str(audio_only)],
        check=True,
    )

    with pytest.raises(MediaError, match="only sound"):
        probe(audio_only, **LIMITS)


@pytest.mark.parametrize("kept", [0.5, 0.85])
def test_an_interrupted_upload_is_caught_even_with_the_index_up_front(sources, tmp_path, kept):
    boxes = top_level_boxes(sources["small"])
    assert boxes.index("moov") < boxes.index("mdat")  # the index survives the cut
    data = sources["small"].read_bytes()
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(data[: int(len(data) * kept)])

    with pytest.raises(MediaError, match="stops before its end"):
        probe(truncated, **LIMITS)


def test_a_webm_whose_sound_outlasts_the_picture_is_not_mistaken_for_truncated(tmp_path):
    webm = tmp_path / "talk.webm"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error"]
        + ["-f", "lavfi", "-i", "testsrc2=size=320x180:duration=2"]
        + ["-f", "lavfi", "-i", "sine=duration=2.6", "-c:v", "libvpx-vp9"]
        + ["-deadline", "realtime", "-c:a", "libopus", str(webm)],
        check=True,
    )

    result = probe(webm, **LIMITS)

    assert (result.video_codec, result.height) == ("vp9", 180)
    assert result.duration == pytest.approx(2.6, abs=0.1)


def test_an_upload_missing_its_index_is_not_readable(sources, tmp_path):
    data = sources["small"].read_bytes()
    tail = tmp_path / "tail.mp4"
    tail.write_bytes(data[len(data) // 2 :])

    with pytest.raises(MediaError):
        probe(tail, **LIMITS)


def test_a_video_longer_than_allowed_says_how_long_it_is(sources):
    with pytest.raises(MediaError, match=r"0:04 long; the longest allowed is 0:03"):
        probe(sources["small"], max_duration=3.0, max_bytes=LIMITS["max_bytes"])


def test_a_file_larger_than_allowed_is_rejected_with_both_sizes(sources):
    with pytest.raises(MediaError, match=r"more than the limit of 1\.0\sKB"):
        probe(sources["small"], max_duration=60.0, max_bytes=1024)


def test_ladder_of_a_360p_source_is_only_360p():
    assert rendition_ladder(640, 360) == [Rendition("360p", 360, 640, "800k", "96k")]


def test_ladder_of_a_1080p_source_has_three_rungs():
    ladder = rendition_ladder(1920, 1080)

    assert [(r.name, r.width, r.height) for r in ladder] == [
        ("360p", 640, 360),
        ("720p", 1280, 720),
        ("1080p", 1920, 1080),
    ]
    assert [r.video_bitrate for r in ladder] == ["800k", "2500k", "4500k"]


def test_ladder_never_upscales_a_900p_source():
    assert [r.height for r in rendition_ladder(1600, 900)] == [360, 720]


def test_ladder_keeps_a_tiny_source_at_its_own_even_size():
    assert rendition_ladder(321, 241) == [Rendition("360p", 240, 320, "800k", "96k")]


def test_ladder_widths_are_even_and_keep_the_aspect_ratio():
    ladder = rendition_ladder(1440, 1080)  # 4:3

    assert [(r.width, r.height) for r in ladder] == [(480, 360), (960, 720), (1440, 1080)]
    assert all(r.width % 2 == 0 for r in rendition_ladder(1000, 750))


def test_transcoding_full_hd_gives_three_faststart_mp4s_with_sound(full_hd_output):
    output, _progress = full_hd_output

    assert list(output.renditions) == ["360p", "720p", "1080p"]
    for name, path in output.renditions.items():
        assert path.name == f"{name}.mp4"
        result = probe(path, **LIMITS)
        assert result.height == int(name.removesuffix("p"))
        assert result.has_audio
        assert result.video_codec == "h264"
        boxes = top_level_boxes(path)
        assert boxes.index("moov") < boxes.index("mdat")
        with av.open(str(path)) as container:
            assert container.streams.video[0].codec_context.pix_fmt == "yuv420p"
    assert output.duration == pytest.approx(2.0, abs=0.1)


def test_hls_master_lists_three_variants_whose_files_exist(full_hd_output):
    output, _progress = full_hd_output
    master = output.hls_master

    assert master.name == "master.m3u8"
    lines = master.read_text().splitlines()
    variants = [line for line in lines if line and not line.startswith("#")]
    assert len([line for line in lines if line.startswith("#EXT-X-STREAM-INF")]) == 3
    assert "RESOLUTION=1920x1080" in master.read_text()
    for uri in variants:
        assert "://" not in uri and not uri.startswith("/")
        playlist = master.parent / uri
        text = playlist.read_text()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and "#EXT-X-ENDLIST" in text
        init = text.split('#EXT-X-MAP:URI="')[1].split('"')[0]
        segments = [line for line in text.splitlines() if line and not line.startswith("#")]
        assert segments
        for name in [init, *segments]:
            assert "/" not in name
            assert (playlist.parent / name).stat().st_size > 0


def test_poster_is_a_jpeg_as_wide_as_the_largest_rendition(full_hd_output):
    output, _progress = full_hd_output

    assert output.poster.name == "poster.jpg"
    assert output.poster.read_bytes()[:2] == b"\xff\xd8"
    with av.open(str(output.poster)) as container:
        assert container.streams.video[0].codec_context.width == 1920


def test_progress_rises_and_ends_at_one(full_hd_output):
    _output, progress = full_hd_output

    assert progress
    assert progress == sorted(progress)
    assert all(0.0 <= fraction <= 1.0 for fraction in progress)
    assert progress[-1] == pytest.approx(1.0)


def test_a_small_source_without_sound_transcodes(tmp_path):
    silent = tmp_path / "silent.mp4"
    source = make_test_source(silent, seconds=2, width=640, height=360, audio=False)
    result = probe(source, **LIMITS)
    assert not result.has_audio

    output = transcode(source, tmp_path / "out", probe_result=result, poster_at=1.0)

    assert list(output.renditions) == ["360p"]
    assert probe(output.renditions["360p"], **LIMITS).height == 360
    assert "RESOLUTION=640x360" in output.hls_master.read_text()
    assert output.poster.read_bytes()[:2] == b"\xff\xd8"


def test_ffmpeg_failure_reports_the_end_of_its_log(sources, tmp_path):
    result = probe(sources["small"], **LIMITS)
    missing = tmp_path / "gone.mp4"

    with pytest.raises(MediaError, match="Converting the video failed") as error:
        transcode(missing, tmp_path / "out", probe_result=result)

    assert "gone.mp4" in str(error.value)
    assert len(str(error.value).splitlines()) <= 16
