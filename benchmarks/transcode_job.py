"""The Django side of benchmarks/transcode.py: one real transcode job, timed phase by phase.

Run by transcode.py as ``python benchmarks/transcode_job.py`` with DJANGO_SETTINGS_MODULE and
BENCH_SOURCE set. It creates a video from the source (not timed), wraps the job's helpers with
timers so the report shows where the time goes, runs ``videos.services.video_transcode`` and
prints one ``BENCH_CHILD {json}`` line. Part of the benchmarks: nothing in the project imports it.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

PREFIX = "BENCH_CHILD "
phases: dict[str, tuple[float, float, int]] = {}


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(module, name: str, key) -> None:
    """Replace ``module.name`` with a wrapper adding its wall and CPU time to ``phases[key]``."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        cpu, start = cpu_seconds(), time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            label = key(args) if callable(key) else key
            if label:
                wall, used, calls = phases.get(label, (0.0, 0.0, 0))
                wall += time.perf_counter() - start
                phases[label] = (wall, used + cpu_seconds() - cpu, calls + 1)

    setattr(module, name, wrapper)


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for Django
    started = time.perf_counter()
    import django

    django.setup()
    setup_s = time.perf_counter() - started

    from django.core.files import File
    from django.core.files.storage import default_storage

    from videos import media, services

    timed(services, "_claim", "claim")
    timed(services, "probe", "probe")
    timed(services, "transcode", "transcode")
    timed(services, "_store_outputs", "store")
    timed(services, "_publish_outputs", "publish")
    timed(services, "_renew", "renew")
    timed(media, "_ffmpeg", lambda args: "encode" if "-filter_complex" in args[0] else None)
    timed(media, "_remux_hls", "remux")
    timed(media, "_poster", "poster")

    source = Path(os.environ["BENCH_SOURCE"])
    started = time.perf_counter()
    with source.open("rb") as handle:
        video = services.video_create(
            title="Transcode benchmark", source=File(handle, name=source.name), enqueue=False
        )
    create_s = time.perf_counter() - started

    cpu_before, started = cpu_seconds(), time.perf_counter()
    services.video_transcode(video_id=video.pk)
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before

    video.refresh_from_db()

    def path(name: str) -> str:
        return default_storage.path(name) if name else ""

    result = {
        "setup_s": setup_s, "create_s": create_s, "wall_s": wall, "cpu_s": cpu,
        "phases": phases, "status": video.status, "failure_reason": video.failure_reason,
        "renditions": {r.name: default_storage.path(r.file) for r in video.renditions.all()},
        "out_dir": path(video.media_prefix), "hls_master": path(video.hls_master),
        "poster": path(video.poster),
    }  # fmt: skip
    print(PREFIX + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
