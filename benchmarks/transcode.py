"""Time the real video transcode job against one bare ffmpeg command making the same files.

Measured: the wall time of ``videos.services.video_transcode`` for a fresh upload (claim the
lease, probe with PyAV, the encode pass, the ``-c copy`` HLS remux, the poster pass, storing every
output through Django's default storage and the publishing transaction, with progress and lease
renewals written to the database as in production), and the wall time of a single ffmpeg command
(the same imageio-ffmpeg binary) that decodes the source once and makes the same outputs with the
same encoder settings: three faststart MP4s, an HLS fMP4 ladder with its master playlist (both from
one encode per rendition through the ``tee`` muxer) and a poster JPEG at 10 % from a fourth
``split`` branch. That command is close to the least work ffmpeg can do for these files, so the
ratio pipeline/bare is what the Python job costs on top: extra passes, probing, copying, database.

Why a same-run baseline: absolute encoding speed depends on the CPU, on what else runs on it (a
2-core machine shared with other jobs) and on the ffmpeg build, so seconds on their own mean
little. Both targets run in the same process tree on the same source, alternating which goes first
(ABBA) over the rounds, and the median round of each is reported; the ratio largely cancels the
machine out. CPU seconds (user + system, children included) are shown too: they are less affected
by other load than wall time.

Setup, not timed: a 1920x1080 30 fps ``testsrc2`` clip with a ``sine`` tone (``--seconds`` long,
x264 ultrafast), a temporary VAR_DIR, MEDIA_ROOT and TMPDIR with a migrated SQLite database, and
for each pipeline round a child Python process (benchmarks/transcode_job.py) with
cms.settings.production that runs ``django.setup()`` and ``video_create(..., enqueue=False)``
(both reported, not part of the time) before it times ``video_transcode``. The child wraps the
job's helpers with timers so the table shows where the pipeline's time goes. All outputs of
both targets are checked with PyAV and Pillow (sizes, heights, faststart, keyframes every 4 s,
HLS variants, poster frame), their sizes are printed side by side, and a "RESULT {json}" line
ends the output. Exits non-zero if a job, a command or a check fails; temporary files are always
removed.
"""

import argparse
import json
import os
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import Popen

import av
import imageio_ffmpeg
from PIL import Image, ImageChops, ImageStat
from support import production_env

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT, FPS = 1920, 1080, 30
AIM = 1.15  # pipeline/bare wall time the transcode job should stay within
# Copied from videos/media.py (ladder for a 1920x1080 source, encoder settings); keep in step.
# name, width, height, x264 profile, video maxrate, audio bitrate
LADDER = (
    ("360p", 640, 360, "main", "800k", "96k"),
    ("720p", 1280, 720, "high", "2500k", "128k"),
    ("1080p", 1920, 1080, "high", "4500k", "128k"),
)
SEGMENT_SECONDS = 4
THREADS = "2"
PHASES = (
    ("claim", "claim lease (DB)"),
    ("probe", "probe (PyAV)"),
    ("encode", "encode pass (ffmpeg)"),
    ("remux", "HLS remux (ffmpeg -c copy)"),
    ("poster", "poster (ffmpeg)"),
    ("transcode_rest", "rest of transcode() (PyAV duration)"),
    ("store", "store outputs (default_storage)"),
    ("publish", "publish (DB transaction)"),
    ("job_rest", "rest of video_transcode (tmp dirs)"),
)
# Runs with DJANGO_SETTINGS_MODULE set: times video_transcode and its phases.
TRANSCODE_JOB = Path(__file__).resolve().with_name("transcode_job.py")


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str
    wall: float
    cpu: float


@dataclass
class Run:
    """One timed run of a target and what it produced."""

    wall: float
    cpu: float
    out_dir: Path
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds
    phases_cpu: dict[str, float] = field(default_factory=dict)
    renewals: int = 0
    setup_s: float = 0.0
    create_s: float = 0.0


@dataclass
class FileInfo:
    size: int
    width: int = 0
    height: int = 0
    detail: str = ""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def start(cmd: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Popen:
    # Its own process group, so ffmpeg started by a child is stopped with it (see ``finish``).
    return subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def finish(process: Popen) -> tuple[str, str]:
    """Wait for ``process``; if we are interrupted meanwhile, kill its process group."""
    try:
        return process.communicate()
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def run(cmd: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Done:
    """Run ``cmd`` and time it: wall seconds, and CPU seconds of it and its children."""
    cpu, began = children_cpu(), time.perf_counter()
    process = start(cmd, cwd=cwd, env=env)
    out, err = finish(process)
    return Done(process.returncode, out, err, time.perf_counter() - began, children_cpu() - cpu)


def tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def make_source(path: Path, seconds: float) -> None:
    lavfi = f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}:duration={seconds}"
    cmd = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-y", "-f", "lavfi", "-i", lavfi]
    cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-threads", THREADS]
    cmd += ["-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", "-shortest", str(path)]
    done = run(cmd)
    if done.returncode:
        sys.exit(f"making the test source failed:\n{tail(done.stderr)}")


def poster_time(duration: float) -> float:
    """Where videos.media takes the poster by default: 10 % in, half a second before the end."""
    return min(max(duration * 0.1, 0.0), max(duration - 0.5, 0.0))


def bare_command(source: Path, duration: float) -> list[str]:
    """One ffmpeg command for all outputs, relative to its working directory (the output dir)."""
    branches = len(LADDER) + 1
    graph = f"[0:v:0]split={branches}" + "".join(f"[s{i}]" for i in range(branches)) + ";"
    graph += "".join(
        f"[s{i}]scale={width}:{height},setsar=1,format=yuv420p[v{i}];"
        for i, (_name, width, height, *_rest) in enumerate(LADDER)
    )
    # One frame at the poster time (trim ends its branch after it), scaled as videos.media does.
    graph += f"[s{len(LADDER)}]trim=start={poster_time(duration):.3f}:duration=0.01,"
    graph += f"scale={LADDER[-1][1]}:-2[poster]"
    cmd = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-y", "-nostats", "-i", str(source)]
    cmd += ["-filter_complex", graph, "-filter_complex_threads", THREADS]
    for i in range(len(LADDER)):
        cmd += ["-map", f"[v{i}]", "-map", "0:a:0"]
    cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-threads", THREADS]
    cmd += ["-pix_fmt", "yuv420p", "-force_key_frames", f"expr:gte(t,n_forced*{SEGMENT_SECONDS})"]
    for i, (_name, _w, _h, profile, maxrate, _audio) in enumerate(LADDER):
        bufsize = f"{2 * int(maxrate.removesuffix('k'))}k"
        cmd += [f"-profile:v:{i}", profile, f"-maxrate:v:{i}", maxrate, f"-bufsize:v:{i}", bufsize]
    cmd += ["-c:a", "aac", "-ac", "2"]
    for i, (*_rest, audio) in enumerate(LADDER):
        cmd += [f"-b:a:{i}", audio]
    # Global headers (SPS/PPS in the MP4 sample description, as a plain MP4 output would get):
    # the tee muxer does not ask the encoders for them itself.
    cmd += ["-flags", "+global_header", "-map_metadata", "-1", "-f", "tee"]
    slaves = [
        f"[select=\\'v:{i},a:{i}\\':f=mp4:movflags=+faststart]{name}.mp4"
        for i, (name, *_rest) in enumerate(LADDER)
    ]
    stream_map = " ".join(f"v:{i},a:{i},name:{name}" for i, (name, *_rest) in enumerate(LADDER))
    hls = [
        "f=hls", f"hls_time={SEGMENT_SECONDS}", "hls_playlist_type=vod", "hls_segment_type=fmp4",
        "hls_flags=independent_segments", "hls_fmp4_init_filename=init.mp4",
        "hls_segment_filename=hls/%v/segment_%05d.m4s", "master_pl_name=master.m3u8",
        f"var_stream_map=\\'{stream_map}\\'",
    ]  # fmt: skip
    slaves.append(f"[{':'.join(hls)}]hls/%v/index.m3u8")
    cmd.append("|".join(slaves))
    cmd += ["-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1", "poster.jpg"]
    return cmd


def run_bare(cmd: list[str], out_dir: Path) -> Run:
    out_dir.mkdir(parents=True)
    done = run(cmd, cwd=out_dir)
    if done.returncode:
        raise RuntimeError(f"bare ffmpeg failed:\n{tail(done.stderr)}")
    return Run(done.wall, done.cpu, out_dir)


def run_pipeline(env: dict[str, str]) -> Run:
    done = run([sys.executable, str(TRANSCODE_JOB)], env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH_CHILD ")]
    if done.returncode or not lines:
        raise RuntimeError(f"pipeline child failed:\n{tail(done.stdout)}\n{tail(done.stderr)}")
    child = json.loads(lines[-1].removeprefix("BENCH_CHILD "))
    if child["status"] != "ready" or len(child["renditions"]) != len(LADDER):
        raise RuntimeError(
            f"pipeline ended {child['status']!r} with {len(child['renditions'])} renditions: "
            f"{child['failure_reason']}"
        )
    wall, cpu = (
        phase_split(child["phases"], 0, child["wall_s"]),
        phase_split(child["phases"], 1, child["cpu_s"]),
    )
    return Run(
        child["wall_s"], child["cpu_s"], Path(child["out_dir"]), wall, cpu,
        renewals=child["phases"].get("renew", [0, 0, 0])[2],
        setup_s=child["setup_s"], create_s=child["create_s"],
    )  # fmt: skip


def phase_split(raw: dict[str, list[float]], column: int, total: float) -> dict[str, float]:
    """The PHASES (plus "renew") from the child's timers; the rests are what no timer covered."""
    seconds = {key: value[column] for key, value in raw.items()}
    phases = {key: seconds.get(key, 0.0) for key, _label in PHASES}
    phases["transcode_rest"] = seconds.get("transcode", 0.0) - sum(
        seconds.get(key, 0.0) for key in ("encode", "remux", "poster")
    )
    phases["job_rest"] = total - sum(
        seconds.get(key, 0.0) for key in ("claim", "probe", "transcode", "store", "publish")
    )
    phases["renew"] = seconds.get("renew", 0.0)
    return phases


def atoms(path: Path) -> list[str]:
    """Top-level MP4 box types in file order."""
    found, size = [], path.stat().st_size
    with path.open("rb") as handle:
        offset = 0
        while offset + 8 <= size:
            handle.seek(offset)
            header = handle.read(16)
            length, kind = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            if length == 1:
                length = int.from_bytes(header[8:16], "big")
            elif length == 0:
                length = size - offset
            if length < 8:
                break
            found.append(kind)
            offset += length
    return found


def inspect_mp4(path: Path, duration: float) -> tuple[FileInfo, list[str]]:
    problems, boxes = [], atoms(path)
    if "moov" not in boxes or "mdat" not in boxes or boxes.index("moov") > boxes.index("mdat"):
        problems.append(f"{path.name}: not faststart (boxes {boxes})")
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        width, height = video.codec_context.width, video.codec_context.height
        profile = video.codec_context.profile or "?"
        channels = [a.codec_context.layout.nb_channels for a in container.streams.audio]
        keys = [
            float(p.pts * p.time_base)
            for p in container.demux(video)
            if p.is_keyframe and p.pts is not None
        ]
    if channels != [2]:
        problems.append(f"{path.name}: expected one stereo audio stream, found {channels}")
    wanted = {round(t, 3) for t in range(0, int(duration - 0.5) + 1, SEGMENT_SECONDS)}
    missing = wanted - {round(t, 3) for t in keys}
    if missing:
        problems.append(f"{path.name}: no keyframe at {sorted(missing)} s")
    detail = f"{profile}, {len(set(keys))} keyframes"
    return FileInfo(path.stat().st_size, width, height, detail), problems


def inspect_outputs(out_dir: Path, duration: float) -> tuple[dict[str, FileInfo], list[str]]:
    """Size, picture size and checks for every output in ``out_dir`` (either target's layout)."""
    infos: dict[str, FileInfo] = {}
    problems: list[str] = []
    for name, width, height, *_rest in LADDER:
        path = out_dir / f"{name}.mp4"
        if not path.is_file():
            problems.append(f"{name}.mp4 missing")
            continue
        info, found = inspect_mp4(path, duration)
        infos[f"{name}.mp4"], problems = info, problems + found
        if (info.width, info.height) != (width, height):
            problems.append(f"{name}.mp4 is {info.width}x{info.height}, expected {width}x{height}")
    master = out_dir / "hls" / "master.m3u8"
    if not master.is_file():
        return infos, [*problems, "hls/master.m3u8 missing"]
    text = master.read_text()
    infos["hls/master.m3u8"] = FileInfo(
        master.stat().st_size, detail="CODECS listed" if "CODECS=" in text else "no CODECS"
    )
    uris = [line for line in text.splitlines() if line and not line.startswith("#")]
    if len(uris) != len(LADDER):
        problems.append(f"master playlist lists {len(uris)} variants, expected {len(LADDER)}")
    for uri, (name, width, height, *_rest) in zip(uris, LADDER, strict=False):
        index = master.parent / uri
        files = [p for p in index.parent.iterdir() if p.is_file()]
        segments = index.read_text().count("#EXTINF")
        with av.open(str(index)) as container:
            context = container.streams.video[0].codec_context
            size_found = (context.width, context.height)
        infos[f"hls/{name}/"] = FileInfo(
            sum(p.stat().st_size for p in files), *size_found, f"{segments} segments"
        )
        if size_found != (width, height):
            problems.append(f"HLS {uri} is {size_found}, expected {width}x{height}")
    poster = out_dir / "poster.jpg"
    if poster.is_file():
        with Image.open(poster) as image:
            infos["poster.jpg"] = FileInfo(poster.stat().st_size, *image.size, image.format or "")
        if infos["poster.jpg"].width != LADDER[-1][1]:
            problems.append(f"poster is {infos['poster.jpg'].width} wide")
    else:
        problems.append("poster.jpg missing")
    return infos, problems


def poster_difference(a: Path, b: Path) -> float:
    """Mean absolute pixel difference (0-255) between the two posters."""
    with Image.open(a) as first, Image.open(b) as second:
        if first.size != second.size:
            return float("inf")
        diff = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
        return statistics.fmean(ImageStat.Stat(diff).mean)


def file_list(out_dir: Path) -> set[str]:
    return {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()}


def child_env(tmp: Path, source: Path) -> dict[str, str]:
    (tmp / "tmp").mkdir()
    # TMPDIR: the job's work directory lands in our temporary dir.
    return production_env(tmp, TMPDIR=str(tmp / "tmp"), BENCH_SOURCE=str(source))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(
    runs: dict[str, list[Run]], duration: float, checks: dict[str, dict[str, FileInfo]],
    problems: list[str], extra: dict[str, object], args: argparse.Namespace,
) -> None:  # fmt: skip
    wall = {t: median([r.wall for r in rs]) for t, rs in runs.items()}
    cpu = {t: median([r.cpu for r in rs]) for t, rs in runs.items()}
    ratio = wall["pipeline"] / wall["bare"] if wall["bare"] else float("nan")
    print(f"\nMedian of {args.rounds} rounds; source {duration:.1f} s {WIDTH}x{HEIGHT} {FPS} fps")
    row = "{:<14} {:>9} {:>11} {:>8}  {}"
    header = row.format("target", "median s", "x realtime", "CPU s", "rounds (s)")
    print(header, "-" * len(header), sep="\n")
    for target, label in (("pipeline", "pipeline"), ("bare", "bare ffmpeg")):
        each = " ".join(f"{r.wall:.2f}" for r in runs[target])
        speed = duration / wall[target] if wall[target] else float("nan")
        print(row.format(label, f"{wall[target]:.2f}", f"{speed:.2f}x", f"{cpu[target]:.1f}", each))
    verdict = "within" if ratio <= AIM else "NOT within"
    print(f"\npipeline/bare wall time: {ratio:.3f}  ({verdict} the aim of {AIM}x)")
    print(f"pipeline/bare CPU time:  {cpu['pipeline'] / cpu['bare']:.3f}")

    pipeline = runs["pipeline"]
    phases = {key: median([r.phases[key] for r in pipeline]) for key, _label in PHASES}
    phases_cpu = {key: median([r.phases_cpu[key] for r in pipeline]) for key, _label in PHASES}
    print(f"\nPipeline phases (median of rounds; the job took {wall['pipeline']:.2f} s)")
    row = "  {:<38} {:>8} {:>7} {:>8}"
    print(row.format("phase", "wall s", "share", "CPU s"))
    for key, label in PHASES:
        share = phases[key] / wall["pipeline"] if wall["pipeline"] else 0.0
        print(row.format(label, f"{phases[key]:.3f}", f"{share:.1%}", f"{phases_cpu[key]:.2f}"))
    print(
        row.format("bare ffmpeg, for comparison", f"{wall['bare']:.3f}", "", f"{cpu['bare']:.2f}")
    )
    renew = median([r.phases["renew"] for r in pipeline])
    calls = median([float(r.renewals) for r in pipeline])
    print(f"  (progress/lease renewals: {calls:.0f} DB writes, {renew:.3f} s, during the encode)")
    setup, create = median([r.setup_s for r in pipeline]), median([r.create_s for r in pipeline])
    print(f"  not timed: django.setup() {setup:.2f} s, video_create() {create:.2f} s")

    print("\nOutputs of the last round (bytes; bare/pipeline)")
    row = "{:<16} {:>11} {:>11} {:>8}  {:<11} {}"
    header = row.format("file", "pipeline", "bare", "ratio", "size", "pipeline | bare")
    print(header, "-" * len(header), sep="\n")
    names = list(dict.fromkeys([*checks["pipeline"], *checks["bare"]]))
    for name in names:
        p, b = checks["pipeline"].get(name), checks["bare"].get(name)
        ratio_text = f"{b.size / p.size:.3f}" if p and b and p.size else "-"
        dims = next((f"{i.width}x{i.height}" for i in (p, b) if i and i.height), "")
        if p and b and (p.width, p.height) != (b.width, b.height):
            dims = f"{p.width}x{p.height}|{b.width}x{b.height}"
        detail = f"{p.detail if p else '-'} | {b.detail if b else '-'}"
        sizes = (p.size if p else "-", b.size if b else "-")
        print(row.format(name, *sizes, ratio_text, dims, detail))
    totals = {t: sum(i.size for i in checks[t].values()) for t in ("pipeline", "bare")}
    print(row.format("total", totals["pipeline"], totals["bare"], "", "", ""))
    for line in extra.get("notes", []):  # type: ignore[union-attr]
        print(line)
    for line in problems:
        print(f"error: {line}")

    def summary(target: str) -> dict[str, object]:
        return {
            "median_s": round(wall[target], 3),
            "speed_x": round(duration / wall[target], 3),
            "cpu_s": round(cpu[target], 2),
            "rounds_s": [round(r.wall, 3) for r in runs[target]],
            "sizes": {name: info.size for name, info in checks[target].items()},
        }

    result: dict[str, object] = {"benchmark": "transcode", "source_seconds": round(duration, 3)}
    result |= {"resolution": f"{WIDTH}x{HEIGHT}", "fps": FPS, "rounds": args.rounds}
    result |= {"pipeline": summary("pipeline"), "bare": summary("bare")}
    result |= {"ratio": round(ratio, 4), "aim": AIM, "within_aim": ratio <= AIM}
    result |= {"ratio_cpu": round(cpu["pipeline"] / cpu["bare"], 4)}
    result |= {"phases_s": {key: round(value, 3) for key, value in phases.items()}}
    result |= {"phases_cpu_s": {key: round(value, 3) for key, value in phases_cpu.items()}}
    result |= {k: v for k, v in extra.items() if k != "notes"} | {"errors": len(problems)}
    print("RESULT " + json.dumps(result))


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=positive, default=2, help="rounds a target (2)")
    parser.add_argument("--seconds", type=float, default=60.0, help="source length in s (60)")
    args = parser.parse_args()
    if not 2 <= args.seconds <= 3600:
        parser.error("--seconds must be between 2 and 3600")
    return args


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="bench-transcode-"))
    migrate: Popen | None = None
    try:
        # Also loads the ffmpeg binary into the page cache before anything is timed.
        version = run([ffmpeg_exe(), "-version"]).stdout.split(" Copyright", 1)[0]
        print(f"temporary VAR_DIR, MEDIA_ROOT and TMPDIR in {tmp}; {version}")
        load_before = os.getloadavg()
        print("load average before: " + " ".join(f"{x:.2f}" for x in load_before))
        source = tmp / f"source-{HEIGHT}p{FPS}-{args.seconds:g}s.mp4"
        env = child_env(tmp, source)
        # Migrating (one core, Python) overlaps making the source; neither is timed.
        began = time.perf_counter()
        migrate = start([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env=env)
        make_source(source, args.seconds)
        with av.open(str(source)) as container:
            duration = container.duration / av.time_base
        out, err = finish(migrate)
        if migrate.returncode:
            sys.exit(f"migrate failed:\n{tail(out)}\n{tail(err)}")
        took = time.perf_counter() - began
        size = source.stat().st_size
        print(f"source: {size} bytes, {duration:.2f} s; it and the database took {took:.1f} s")
        cmd = bare_command(source, duration)
        print("bare ffmpeg command (run in the output directory):\n$ " + shlex.join(cmd))

        runs: dict[str, list[Run]] = {"pipeline": [], "bare": []}
        checks: dict[str, dict[str, FileInfo]] = {}
        problems: list[str] = []
        for number in range(args.rounds):
            order = ("pipeline", "bare") if number % 2 == 0 else ("bare", "pipeline")
            for target in order:
                try:
                    if target == "pipeline":
                        result = run_pipeline(env)
                    else:
                        result = run_bare(cmd, tmp / f"bare-{number + 1}")
                except RuntimeError as exc:
                    print(f"error: {exc}")
                    return 1
                runs[target].append(result)
                checks[target], found = inspect_outputs(result.out_dir, duration)
                problems += [f"{target} round {number + 1}: {problem}" for problem in found]
                speed = duration / result.wall
                print(
                    f"round {number + 1} {target:<8} {result.wall:7.2f} s  {speed:5.2f}x realtime"
                    f"  CPU {result.cpu:6.1f} s  checks: {'ok' if not found else 'FAILED'}"
                )
        last = {t: runs[t][-1].out_dir for t in runs}
        same = file_list(last["pipeline"]) == file_list(last["bare"])
        posters = [last[t] / "poster.jpg" for t in ("pipeline", "bare")]
        diff = poster_difference(*posters) if all(p.is_file() for p in posters) else float("nan")
        notes = [
            f"same file names in both: {'yes' if same else 'NO'}; "
            f"poster mean pixel difference: {diff:.2f}/255"
        ]
        if not same:
            only = file_list(last["pipeline"]) ^ file_list(last["bare"])
            notes.append(f"files in only one of them: {sorted(only)}")
        extra = {"notes": notes, "same_files": same, "poster_diff": round(diff, 3)}
        extra |= {"ffmpeg": version.removeprefix("ffmpeg version ").split()[0]}
        load_after = os.getloadavg()
        notes.append("load average after: " + " ".join(f"{x:.2f}" for x in load_after))
        extra |= {"loadavg_before": [round(x, 2) for x in load_before]}
        extra |= {"loadavg_after": [round(x, 2) for x in load_after]}
        report(runs, duration, checks, problems, extra, args)
        return 1 if problems else 0
    finally:
        if migrate is not None and migrate.poll() is None:
            os.killpg(migrate.pid, signal.SIGKILL)
            migrate.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; child processes stopped and temporary files removed", file=sys.stderr)
        sys.exit(130)
