"""Certificates: what issuing one costs (PDF included), and how fast the verification page serves.

Two measurements in one run, with production settings:

1. Issue + render. ``certificates_setup.py`` issues the demo course's certificate to ``--count``
   learners one after the other in one process, as one task worker does: ``certificate_issue``
   (the row, its code and status index, its event) then ``certificate_pdf_store`` (WeasyPrint's
   PDF/A with fonts, logo and QR code, its SHA-256, the stored file, the email after commit).
   Reported: p50/p95/p99 wall time, CPU per certificate, and certificates per second.
2. The verification page ``/v/<code>/`` of one of those certificates from gunicorn, under wrk,
   beside the *same bytes* saved into STATIC_ROOT and served by WhiteNoise, the targets
   alternating (ABBA) over ``--rounds`` rounds; the median round of each is reported, with the
   server's CPU per request (gunicorn's processes, from /proc). One more wrk round over a single
   connection gives the latency of one page view on an idle server.

The ratios put issuing into page views: issue + render p50 over one verification page view's
p50 (wall), and CPU per certificate over the server's CPU per page view, both one at a time.

Setup as in serve_home.py: a temporary VAR_DIR and MEDIA_ROOT (SQLite, local-memory cache),
migrate, load_demo --no-videos, collectstatic; mail goes to Django's in-memory backend. Only the
copy added to STATIC_ROOT is removed afterwards. BENCH_DATABASE_URL / BENCH_REDIS_URL, if set,
become DATABASE_URL / REDIS_URL (that database gets the demo and the learners; nothing is
dropped). Prints a table and a "RESULT {json}" line; exits non-zero on any error.
"""

import argparse
import asyncio
import json
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from support import (
    ROOT,
    Gunicorn,
    Round,
    add_server_load_arguments,
    fetch,
    manage,
    median_round,
    parse_server_load_arguments,
    positive,
    print_table,
    production_env,
    ratio,
    wrk_binary,
    wrk_round,
)

SETUP = Path(__file__).resolve().with_name("certificates_setup.py")
STATIC_NAME = "verify-copy.html"
RESULT_PREFIX = "BENCH-RESULT "


def issue_certificates(env: dict[str, str], args: argparse.Namespace, page_out: Path) -> dict:
    """Run the timed issuing in its own Django process; its BENCH-RESULT."""
    cmd = [sys.executable, str(SETUP), "--count", str(args.count), "--export", str(page_out)]
    cmd += ["--warmup", str(args.issue_warmup)]
    print(f"$ {' '.join(cmd[1:])}")
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    lines = [x for x in done.stdout.splitlines() if x.startswith(RESULT_PREFIX)]
    if done.returncode or not lines:
        sys.exit(f"issuing failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix(RESULT_PREFIX))


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
            label = "verify" if target == targets[0] else "static"
            print(
                f"round {number + 1} {label:<8} {result.rps:8.1f} req/s  "
                f"p95 {result.percentile_ms(95):7.2f} ms  server cpu {result.cpu_ms:.3f} ms/req"
            )
    return rounds, warmup_errors


def report(
    issued: dict, single: Round, rounds: dict[str, list[Round]], targets: list[str],
    errors: int, args: argparse.Namespace, size: int,
) -> int:  # fmt: skip
    """Prints both measurements, the ratios and the RESULT line; returns the errors."""
    ver, sta = median_round(rounds[targets[0]]), median_round(rounds[targets[1]])
    errors += single.errors + sum(r.errors for rs in rounds.values() for r in rs)
    i = issued
    print(f"\nIssue + render, one process, {i['count']} certificates (after {i['warmup']} "
          f"untimed; the very first took {i['first_total_ms']} ms)")  # fmt: skip
    print(f"  p50 {i['total_p50_ms']} ms  p95 {i['total_p95_ms']} ms  p99 {i['total_p99_ms']} ms"
          f"  ({i['certificates_per_second']} certificates a second)")  # fmt: skip
    print(f"  of which issue p50 {i['issue_p50_ms']} ms, PDF render + store p50 "
          f"{i['render_p50_ms']} ms; CPU p50 {i['cpu_p50_ms']} ms a certificate; "
          f"PDF {i['pdf_bytes_median']} bytes")  # fmt: skip
    print(f"\nOne verification page view, idle server (wrk, 1 connection, {args.single:.0f} s): "
          f"p50 {single.percentile_ms(50):.2f} ms, server cpu {single.cpu_ms:.3f} ms")  # fmt: skip
    print(f"\nMedian round of {args.rounds} (wrk, {args.concurrency} connections), body {size} B")
    print(f"(baseline: the same bytes served by WhiteNoise at {targets[1]})\n")
    print_table([("verify GET /v/<code>/", ver), ("static copy", sta)], baseline=sta)
    wall = ratio(issued["total_p50_ms"], single.percentile_ms(50))
    # Both serial: one certificate after another, one page view after another.
    cpu = ratio(issued["cpu_p50_ms"], single.cpu_ms)
    rps = ratio(ver.rps, sta.rps)
    print(f"\nissue + render / one verification page view: {wall:.0f}x (p50 wall), "
          f"{cpu:.0f}x (CPU)")  # fmt: skip
    print(f"verify/static throughput: {rps:.4f}; server CPU per request: "
          f"{ratio(ver.cpu_ms, sta.cpu_ms):.2f}x")  # fmt: skip
    print(f"errors in all rounds and warm-ups: {errors}")
    result: dict[str, object] = {"issue": issued, "client": "wrk"}
    result |= {"concurrency": args.concurrency, "rounds": args.rounds, "body_bytes": size}
    result |= {"verify_single": single.summary()}
    result |= {"verify": ver.summary(), "static": sta.summary(), "errors": errors}
    result |= {"ratio_issue_to_view_wall": round(wall, 1), "ratio_issue_to_view_cpu": round(cpu, 1)}
    result |= {"ratio_throughput": round(rps, 4)}
    result |= {"ratio_server_cpu_per_request": round(ratio(ver.cpu_ms, sta.cpu_ms), 3)}
    print("RESULT " + json.dumps({"benchmark": "certificates"} | result))
    return errors


def child_env(tmp: Path) -> dict[str, str]:
    return production_env(tmp, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--count", type=positive, default=40, help="certificates issued and timed (40)")
    add("--issue-warmup", type=positive, default=2, help="untimed certificates first (2)")
    add("--single", type=float, default=5.0, help="seconds of the one-connection round (5)")
    add_server_load_arguments(parser)
    return parse_server_load_arguments(parser)


def main() -> int:
    args = parse_args()
    wrk_binary()  # before any setup: say so at once if the load client is missing
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    copy_dir: Path | None = None
    server: Gunicorn | None = None
    try:
        env = child_env(tmp)
        database = "BENCH_DATABASE_URL" if "DATABASE_URL" in env else "SQLite"
        print(f"temporary VAR_DIR and MEDIA_ROOT in {tmp}; database: {database}")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo", "--no-videos")
        manage(env, "collectstatic", "--no-input", "-v0")
        page = tmp / "verify.html"
        issued = issue_certificates(env, args, page)
        # Put the copy in place before gunicorn starts: WhiteNoise indexes STATIC_ROOT at startup.
        copy_dir = Path(tempfile.mkdtemp(prefix="bench-", dir=issued["static_root"]))
        shutil.copyfile(page, copy_dir / STATIC_NAME)
        targets = [issued["verify_path"], f"/static/{copy_dir.name}/{STATIC_NAME}"]

        server = Gunicorn(env, tmp / "gunicorn.log", workers=args.workers, threads=args.threads)
        server.wait_until_up(targets[1])
        expected = page.read_bytes()
        for path in targets:
            status, body = asyncio.run(fetch(server.port, path))
            print(f"check {path}: HTTP {status}, {len(body)} bytes")
            # The page holds a fresh CSRF token for its upload form: same size, other bytes.
            if status != 200 or len(body) != len(expected):
                print("error: both targets must answer 200 with bodies of the same size")
                return 1
        rounds, warmups = measure(server, targets, args)
        single = wrk_round(server, targets[0], seconds=args.single, concurrency=1, threads=1)
        if not server.running():
            print(f"error: gunicorn exited:\n{server.log.read_text()[-3000:]}")
            warmups += 1
        return 1 if report(issued, single, rounds, targets, warmups, args, len(expected)) else 0
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
