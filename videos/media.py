"""Check uploaded videos and turn them into what viewers' players receive.

``probe`` reads an upload with PyAV and rejects anything an editor must fix (empty, not a video,
sound only, damaged or cut short, too long, too large, absurd picture size) with a ``MediaError``
saying what is wrong. ``rendition_ladder`` picks the 360p/720p/1080p renditions without upscaling,
and ``transcode`` runs the ffmpeg binary shipped by imageio-ffmpeg: one pass decodes the source once
and encodes every rendition to a faststart MP4, a second pass remuxes those MP4s (``-c copy``, no
re-encode) into an HLS fMP4 ladder, and a third grabs a poster frame. Pure functions: no models, no
database, so a background task can call them on a local file.
"""

import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
import imageio_ffmpeg
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MIN_DIMENSION = 16
MAX_DIMENSION = 8192
# Keyframe every 4 s in every rendition, so remuxed HLS segments line up across the ladder.
SEGMENT_SECONDS = 4
# x264 and the filter graph share two cores; more threads only add contention.
THREADS = "2"
_STDERR_TAIL_LINES = 15
_PROGRESS_INTERVAL = 0.3
# Share of the progress bar for the encoding pass; remux and poster take the rest.
_ENCODE_SHARE = 0.95


class MediaError(ValueError):
    """An uploaded video cannot be used, or converting it failed; ``str()`` is for the editor."""


@dataclass(frozen=True)
class ProbeResult:
    """What ``probe`` found out about a usable video file."""

    duration: float
    width: int
    height: int
    has_audio: bool
    video_codec: str
    frame_rate: float


@dataclass(frozen=True)
class Rendition:
    """One rung of the ladder: output size and bitrate caps (ffmpeg notation, e.g. ``"800k"``)."""

    name: str
    height: int
    width: int
    video_bitrate: str
    audio_bitrate: str


@dataclass(frozen=True)
class TranscodeOutput:
    """Files written by ``transcode``: MP4 per rendition name, HLS master playlist, poster JPEG.

    ``ladder`` is the rungs the MP4s were encoded at: the one place their sizes come from.
    """

    renditions: dict[str, Path]
    hls_master: Path
    poster: Path
    duration: float
    ladder: tuple[Rendition, ...]


_LADDER = (
    ("360p", 360, "800k", "96k"),
    ("720p", 720, "2500k", "128k"),
    ("1080p", 1080, "4500k", "128k"),
)


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def probe(path: str | Path, *, max_duration: float, max_bytes: int) -> ProbeResult:
    """Read ``path`` with PyAV and return its properties, or raise ``MediaError``.

    Besides the header, the first frame and the last second of video are decoded, so a file whose
    upload stopped half way is caught even when its index (a faststart ``moov``) is complete.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise MediaError(_("The file is empty (0 bytes). Please upload the video again."))
    if size > max_bytes:
        raise MediaError(
            _("The file is %(size)s, more than the limit of %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError) as exc:
        raise MediaError(
            _("This file is not a video that can be read. Upload an MP4, MOV or similar file.")
        ) from exc
    with container:
        return _inspect(container, max_duration)


def _inspect(container: av.container.InputContainer, max_duration: float) -> ProbeResult:
    if not container.streams.video:
        if container.streams.audio:
            raise MediaError(_("This file contains only sound, no picture. Upload a video file."))
        raise MediaError(
            _("This file is not a video that can be read. Upload an MP4, MOV or similar file.")
        )
    stream = container.streams.video[0]
    width, height = stream.codec_context.width, stream.codec_context.height
    if not (MIN_DIMENSION <= width <= MAX_DIMENSION and MIN_DIMENSION <= height <= MAX_DIMENSION):
        raise MediaError(
            _("The picture size %(width)s×%(height)s pixels is not supported.")
            % {"width": width, "height": height}
        )
    duration = container.duration / av.time_base if container.duration else 0.0
    if duration <= 0:
        raise MediaError(
            _("The length of this video cannot be determined; the file is probably damaged.")
        )
    if duration > max_duration:
        raise MediaError(
            _("The video is %(length)s long; the longest allowed is %(limit)s.")
            % {"length": _clock(duration), "limit": _clock(max_duration)}
        )
    _check_decodable(container, stream, duration)
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    return ProbeResult(
        duration=duration,
        width=width,
        height=height,
        has_audio=bool(container.streams.audio),
        video_codec=stream.codec_context.name,
        frame_rate=float(rate) if rate else 0.0,
    )


def _check_decodable(container, stream, duration: float) -> None:
    try:
        first = next(container.decode(stream), None)
    except av.FFmpegError as exc:
        raise MediaError(_damaged_message()) from exc
    if first is None:
        raise MediaError(_damaged_message())
    # Seek to a keyframe before the last second and decode forward to the final frames: a cut-short
    # file has an index promising frames whose bytes are missing, so decoding runs dry before them.
    rate = stream.average_rate or stream.guessed_rate
    if stream.duration:
        end = float(((stream.start_time or 0) + stream.duration) * stream.time_base)
        slack = max(0.25, 3 / float(rate)) if rate else 0.5
    else:
        # Without a video duration (e.g. WebM) only the whole file's is known, and the sound may
        # legitimately run a little longer than the picture.
        end = (container.start_time or 0) / av.time_base + duration
        slack = 1.5
    target = max(0.0, end - slack)
    try:
        container.seek(int(max(0.0, target - 1.0) / stream.time_base), stream=stream, backward=True)
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= target:
                return
    except av.FFmpegError as exc:
        raise MediaError(_truncated_message()) from exc
    raise MediaError(_truncated_message())


def _damaged_message() -> str:
    return _("The video cannot be played: its pictures cannot be decoded. Export it again.")


def _truncated_message() -> str:
    return _(
        "The video stops before its end: the file is incomplete, perhaps because the upload was "
        "interrupted. Upload it again."
    )


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def rendition_ladder(width: int, height: int) -> list[Rendition]:
    """Renditions for a ``width``×``height`` source, smallest first, never upscaled.

    Only rungs no taller than the source are kept; a source shorter than 360p still gets the 360p
    rung, at its own (even) size. Widths keep the aspect ratio and are even, as H.264 needs.
    """
    ladder = []
    for name, rung_height, video_bitrate, audio_bitrate in _LADDER:
        if rung_height > height and ladder:
            break
        out_height = min(rung_height, height - height % 2)
        if out_height == height:
            out_width = width - width % 2
        else:
            out_width = _even(width * out_height / height)
        ladder.append(Rendition(name, out_height, out_width, video_bitrate, audio_bitrate))
    return ladder


# prctl(PR_SET_PDEATHSIG) from the C library already loaded into this process (Linux only).
_PR_SET_PDEATHSIG = 1
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def _die_with_parent(parent: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes ffmpeg get SIGKILL the moment the process that started it dies.

    A worker killed with SIGKILL (by hand, by the OOM killer, by a container stop) cannot kill
    its ffmpeg itself; a process group does not help either, since nobody signals the group. The
    kernel does it with PR_SET_PDEATHSIG. It fires when the *thread* that started ffmpeg ends,
    which is after ``_ffmpeg`` has waited for it. Only a pre-resolved C call runs between fork
    and exec, so the child never needs a lock another thread might hold.
    """
    if _PRCTL is None:
        return None

    def preexec() -> None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # The worker died before the call took effect.
            os._exit(1)

    return preexec


def _kbits(bitrate: str) -> int:
    return int(bitrate.removesuffix("k"))


def _ffmpeg(args: list[str], *, duration: float = 0.0, on_progress=None) -> None:
    """Run ffmpeg; report ``out_time_us`` as a 0..1 fraction of ``duration`` at most ~3 times/s."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-y"]
    if on_progress:
        command += ["-progress", "pipe:1", "-nostats"]
    # stderr goes to a file, not a pipe, so a chatty ffmpeg never blocks while we read progress.
    with tempfile.TemporaryFile() as stderr:
        # The command is a list built from our own arguments, never run through a shell.
        process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
            command + args, stdout=subprocess.PIPE, stderr=stderr, text=True,
            preexec_fn=_die_with_parent(os.getpid()),
        )  # fmt: skip
        last_report = 0.0
        try:
            for line in process.stdout:
                key, _sep, value = line.strip().partition("=")
                if key != "out_time_us" or not value.isdigit() or not duration:
                    continue
                now = time.monotonic()
                if now - last_report >= _PROGRESS_INTERVAL:
                    last_report = now
                    on_progress(min(1.0, int(value) / 1e6 / duration))
        except BaseException:
            # The caller gave up (its lease was lost, or the worker is stopping): no orphan ffmpeg.
            process.kill()
            process.wait()
            raise
        if process.wait():
            stderr.seek(0)
            lines = stderr.read().decode(errors="replace").strip().splitlines()
            detail = "\n".join(lines[-_STDERR_TAIL_LINES:])
            raise MediaError(_("Converting the video failed: %(detail)s") % {"detail": detail})


def transcode(
    source: Path,
    out_dir: Path,
    *,
    probe_result: ProbeResult,
    poster_at: float | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> TranscodeOutput:
    """Encode ``source`` into ``out_dir``: ``<rendition>.mp4``, ``hls/master.m3u8``, ``poster.jpg``.

    The source is decoded once; a split/scale filter graph feeds one H.264/AAC faststart MP4 per
    rendition. The HLS fMP4 ladder is then remuxed from those MP4s without re-encoding, and the
    poster is taken at ``poster_at`` seconds (default: 10% in). ``on_progress`` gets fractions
    rising to 1.0. Raises ``MediaError`` with the end of ffmpeg's log if ffmpeg fails.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ladder = rendition_ladder(probe_result.width, probe_result.height)
    has_audio = probe_result.has_audio
    duration = probe_result.duration
    report = on_progress or (lambda fraction: None)
    highest = 0.0

    def monotonic_report(fraction: float) -> None:
        nonlocal highest
        if fraction > highest:
            highest = fraction
            report(fraction)

    graph = f"[0:v:0]split={len(ladder)}" + "".join(f"[s{i}]" for i in range(len(ladder))) + ";"
    graph += ";".join(
        f"[s{i}]scale={r.width}:{r.height},setsar=1,format=yuv420p[v{i}]"
        for i, r in enumerate(ladder)
    )
    args = ["-i", str(source), "-filter_complex", graph, "-filter_complex_threads", THREADS]
    renditions = {}
    for i, rendition in enumerate(ladder):
        path = out_dir / f"{rendition.name}.mp4"
        renditions[rendition.name] = path
        args += ["-map", f"[v{i}]"]
        args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-threads", THREADS]
        args += ["-profile:v", "main" if rendition.height <= 480 else "high", "-pix_fmt", "yuv420p"]
        args += ["-maxrate", rendition.video_bitrate]
        args += ["-bufsize", f"{2 * _kbits(rendition.video_bitrate)}k"]
        args += ["-force_key_frames", f"expr:gte(t,n_forced*{SEGMENT_SECONDS})"]
        if has_audio:
            args += ["-map", "0:a:0", "-c:a", "aac", "-b:a", rendition.audio_bitrate, "-ac", "2"]
        args += ["-map_metadata", "-1", "-movflags", "+faststart", str(path)]
    _ffmpeg(
        args,
        duration=duration,
        on_progress=lambda fraction: monotonic_report(fraction * _ENCODE_SHARE),
    )

    hls_master = _remux_hls(ladder, renditions, out_dir / "hls", has_audio)
    poster = _poster(source, out_dir / "poster.jpg", duration, poster_at, ladder[-1].width)
    with av.open(str(renditions[ladder[-1].name])) as container:
        out_duration = container.duration / av.time_base if container.duration else duration
    monotonic_report(1.0)
    return TranscodeOutput(renditions, hls_master, poster, out_duration, tuple(ladder))


def _remux_hls(ladder, renditions: dict[str, Path], hls_dir: Path, has_audio: bool) -> Path:
    hls_dir.mkdir(parents=True, exist_ok=True)
    args, stream_map = [], []
    for rendition in ladder:
        args += ["-i", str(renditions[rendition.name])]
    for i, rendition in enumerate(ladder):
        args += ["-map", f"{i}:v:0"] + (["-map", f"{i}:a:0"] if has_audio else [])
        stream_map.append(f"v:{i}" + (f",a:{i}" if has_audio else "") + f",name:{rendition.name}")
    args += ["-c", "copy", "-f", "hls", "-hls_time", str(SEGMENT_SECONDS)]
    args += ["-hls_playlist_type", "vod", "-hls_segment_type", "fmp4"]
    args += ["-hls_flags", "independent_segments", "-hls_fmp4_init_filename", "init.mp4"]
    args += ["-hls_segment_filename", str(hls_dir / "%v" / "segment_%05d.m4s")]
    args += ["-master_pl_name", "master.m3u8", "-var_stream_map", " ".join(stream_map)]
    args += [str(hls_dir / "%v" / "index.m3u8")]
    _ffmpeg(args)
    return hls_dir / "master.m3u8"


def _poster(source: Path, path: Path, duration: float, at: float | None, width: int) -> Path:
    at = duration * 0.1 if at is None else at
    # Seeking onto the very last frame can yield nothing; stay half a second inside the video.
    at = min(max(at, 0.0), max(duration - 0.5, 0.0))
    args = ["-ss", f"{at:.3f}", "-i", str(source), "-map", "0:v:0", "-frames:v", "1"]
    args += ["-vf", f"scale={width}:-2", "-q:v", "3", "-update", "1", str(path)]
    _ffmpeg(args)
    return path


def make_test_source(
    path: Path, *, seconds: float, width: int, height: int, audio: bool = True
) -> Path:
    """Write a ``testsrc2`` clip (with a 440 Hz ``sine`` tone if ``audio``) to ``path``, quickly.

    For tests, demo content and benchmarks; the file is H.264/AAC, faststart MP4 when ``path``
    ends in ``.mp4``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    args = ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=25:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    args += ["-threads", THREADS]
    if audio:
        args += ["-c:a", "aac", "-b:a", "64k"]
    args += ["-movflags", "+faststart", "-shortest", str(path)]
    _ffmpeg(args)
    return path
