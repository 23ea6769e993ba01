"""Serve the programme page (GET /) with production settings and compare it with a static copy.

Measures requests/s and p50/p95/p99 latency of GET / from gunicorn with cms.settings.production
(a Wagtail page rendered from the database on every request) and of the *same bytes* saved into
STATIC_ROOT and served by WhiteNoise from the same gunicorn in the same run. Absolute numbers on
small, noisy 2-core machines, where the load generator shares the CPUs with the server, mean
little; the dynamic/static ratio largely cancels the machine out and shows what rendering costs
compared with just sending the bytes. The targets alternate (ABBA) over several rounds so noise
hits both, and the median round of each is reported.

Setup: a temporary VAR_DIR and MEDIA_ROOT (SQLite, local-memory cache), migrate, load_demo and
collectstatic. STATIC_ROOT is fixed by the settings (./static_collected, git-ignored); only the
copy added there is removed afterwards. BENCH_DATABASE_URL / BENCH_REDIS_URL, if set, become
DATABASE_URL / REDIS_URL: that database is migrated and gets the demo content; nothing is dropped.
The load comes from wrk over keep-alive connections to 127.0.0.1 only; the server's CPU per
request (gunicorn's processes, from /proc) is printed beside req/s, as is its ratio to the static
copy's. Prints a table and a "RESULT {json}" line; exits non-zero on any error or if the server
does not start.
"""

import argparse
import asyncio
import json
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from support import (
    Gunicorn,
    Round,
    add_server_load_arguments,
    fetch,
    manage,
    median_round,
    parse_server_load_arguments,
    print_table,
    production_env,
    ratio,
    wrk_binary,
    wrk_round,
)

STATIC_NAME = "home-copy.html"
# Runs inside ``manage.py shell``: saves the page body and reports where STATIC_ROOT is.
EXPORT_HOME = """
import os, pathlib
from django.conf import settings
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("/")
assert response.status_code == 200, response.status_code
pathlib.Path(os.environ["BENCH_HOME_OUT"]).write_bytes(response.content)
print("STATIC_ROOT=" + str(settings.STATIC_ROOT))
"""


def measure(
    server: Gunicorn, targets: list[str], args: argparse.Namespace
) -> tuple[dict[str, list[Round]], int]:
    """Warms up each target, then runs the rounds in ABBA order; returns them and warm-up errors."""
    warmup_errors = 0
    for target in targets:
        warm = wrk_round(server, target, seconds=args.warmup, concurrency=args.concurrency)
        warmup_errors += warm.errors
        print(f"warm-up GET {target}: {warm.requests} requests, {warm.errors} errors")
    rounds: dict[str, list[Round]] = {t: [] for t in targets}
    for number in range(args.rounds):
        for target in targets if number % 2 == 0 else targets[::-1]:
            result = wrk_round(server, target, seconds=args.duration, concurrency=args.concurrency)
            rounds[target].append(result)
            label = "dynamic" if target == "/" else "static"
            print(
                f"round {number + 1} {label:<8} {result.rps:8.1f} req/s  "
                f"p95 {result.percentile_ms(95):7.2f} ms  server cpu {result.cpu_ms:.3f} ms/req"
            )
    return rounds, warmup_errors


def report(
    rounds: dict[str, list[Round]], static: str, warmups: int, args: argparse.Namespace, size: int
) -> int:
    """Prints the median round of each target, the ratios and the RESULT line; returns errors."""
    dyn, sta = median_round(rounds["/"]), median_round(rounds[static])
    errors = warmups + sum(r.errors for rs in rounds.values() for r in rs)
    print(f"\nMedian round of {args.rounds} (wrk, {args.concurrency} connections), body {size} B")
    print(f"(baseline: the same bytes served by WhiteNoise at {static})\n")
    print_table([("dynamic GET /", dyn), ("static copy", sta)], baseline=sta)
    rps, p95 = ratio(dyn.rps, sta.rps), ratio(dyn.percentile_ms(95), sta.percentile_ms(95))
    cpu = ratio(dyn.cpu_ms, sta.cpu_ms)
    print(f"\ndynamic/static throughput:  {rps:.4f}  (static: {ratio(1, rps):.1f}x the req/s)")
    print(f"dynamic/static p95 latency: {p95:.2f}")
    print(f"dynamic/static server CPU per request: {cpu:.2f}")
    print(f"errors in all rounds and warm-ups: {errors}")
    result: dict[str, object] = {"client": "wrk", "concurrency": args.concurrency}
    result |= {"rounds": args.rounds, "body_bytes": size}
    result |= {"dynamic": dyn.summary(), "static": sta.summary(), "errors": errors}
    result |= {"ratio_throughput": round(rps, 4), "ratio_p95": round(p95, 3)}
    result |= {"ratio_server_cpu_per_request": round(cpu, 3)}
    print("RESULT " + json.dumps({"benchmark": "serve_home"} | result))
    return errors


def child_env(tmp: Path, home_out: Path) -> dict[str, str]:
    return production_env(tmp, BENCH_HOME_OUT=str(home_out))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="A round ends after --requests requests or --duration seconds, whichever is first.",
    )
    add_server_load_arguments(parser)
    return parse_server_load_arguments(parser)


def main() -> int:
    args = parse_args()
    wrk_binary()  # before any setup: say so at once if the load client is missing
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-home-"))
    copy_dir: Path | None = None
    server: Gunicorn | None = None
    try:
        home = tmp / "home.html"
        env = child_env(tmp, home)
        database = "BENCH_DATABASE_URL" if "DATABASE_URL" in env else "SQLite"
        print(f"temporary VAR_DIR and MEDIA_ROOT in {tmp}; database: {database}")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--no-input", "-v0")
        out = manage(env, "shell", "-c", EXPORT_HOME, shown="manage.py shell -c <export home>")
        static_root = Path(out.rsplit("STATIC_ROOT=", 1)[1].strip())
        # Put the copy in place before gunicorn starts: WhiteNoise indexes STATIC_ROOT at startup.
        copy_dir = Path(tempfile.mkdtemp(prefix="bench-", dir=static_root))
        shutil.copyfile(home, copy_dir / STATIC_NAME)
        static_target = f"/static/{copy_dir.name}/{STATIC_NAME}"

        server = Gunicorn(env, tmp / "gunicorn.log", workers=args.workers, threads=args.threads)
        server.wait_until_up("/")

        expected = home.read_bytes()
        for path in ("/", static_target):
            status, body = asyncio.run(fetch(server.port, path))
            same = "identical" if body == expected else "DIFFERENT"
            print(f"check {path}: HTTP {status}, {len(body)} bytes, {same} to the saved page")
            if status != 200 or len(body) != len(expected):
                print("error: both targets must answer 200 with bodies of the same size")
                return 1
        rounds, warmups = measure(server, ["/", static_target], args)
        return 1 if report(rounds, static_target, warmups, args, len(expected)) else 0
    finally:
        if server is not None:
            server.stop()
        if copy_dir is not None:
            shutil.rmtree(copy_dir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; gunicorn stopped and temporary files removed", file=sys.stderr)
        sys.exit(130)
