"""What a visitor of the demo site gets, beside a static file, from gunicorn on PostgreSQL.

Five targets from one gunicorn (production settings, WhiteNoise) in the same run, in alternating
rounds (the order reversed every other round, so noise hits all of them), each measured with wrk
over keep-alive connections to 127.0.0.1; the median round of each is reported:

- static file: the programme page's bytes saved into STATIC_ROOT and served by WhiteNoise (the
  baseline every ratio is taken against);
- cached ``GET /``: the programme page as an anonymous visitor asks for it, which the page cache
  answers once it holds the page (the ``X-Page-Cache`` header says hit or miss; without a page
  cache the page is rendered every time, and the report says so);
- uncached ``/?bench=uncached``: the same page, rendered every time (a query string bypasses the
  page cache), as a first visit or a changed page costs;
- course page, signed in: the demo learner's course page with the session cookie (and CSRF
  cookie) that signing in through the login form gave; rendered for the learner every time;
- plain Django view: ``/bench-plain/?bench=uncached`` answers the same bytes from a view that does
  nothing, through all of the site's middleware (benchmarks/plain_view/: a benchmark-only
  settings module and URLconf): what any dynamic answer costs before Wagtail and templates.

The site is the demo as ``make run`` makes it: load_demo with its videos, transcoded by the task
worker (``run_worker --batch``) before the server starts, so the video players are on the page;
ensure_demo_learner for the learner. Server CPU per request (user + system of gunicorn's master
and workers, from /proc) is printed beside req/s: on a small machine where wrk shares the cores
it is the steadier figure. The goals of issue 10 are printed with each figure: cached ``/`` at
>= 0.7x the static file's req/s, uncached ``/`` at <= 8 ms server CPU, the signed-in course page
at <= 10 ms.

Setup: a temporary VAR_DIR and MEDIA_ROOT; a database <--database-prefix>_<random> created (and
dropped at the end, also after errors) on the PostgreSQL server of --database-url (default
BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/); migrate, load_demo,
ensure_demo_learner, the transcoding, collectstatic. STATIC_ROOT is fixed by the settings
(./static_collected, git-ignored); only the copy added there is removed afterwards.
BENCH_REDIS_URL, if set, becomes REDIS_URL (the page cache's content version then lives in
Redis). Prints a table and a "RESULT {json}" line; exits non-zero on any error, a wrong answer
or if the server does not start. A goal not met is reported, not an error.
"""

import argparse
import asyncio
import html
import json
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from support import (
    REQUEST_TIMEOUT,
    Gunicorn,
    Round,
    add_database_argument,
    add_server_load_arguments,
    child_env,
    database_create,
    database_drop,
    database_urls,
    manage,
    median_round,
    parse_server_load_arguments,
    print_table,
    ratio,
    run_main,
    wrk_binary,
    wrk_round,
)

STATIC_NAME = "home-copy.html"
UNCACHED = "?bench=uncached"  # any query string bypasses the page cache
PLAIN_SETTINGS = "benchmarks.plain_view.settings"
# Issue 10's goals.
CACHED_MIN_RATIO = 0.7
UNCACHED_MAX_CPU_MS = 8.0
COURSE_MAX_CPU_MS = 10.0

# Runs inside ``manage.py shell``: saves the programme page as an anonymous visitor gets it and
# reports STATIC_ROOT, the demo learner's course page and whether every demo video is ready.
EXPORT = """
import json, os, pathlib
from django.conf import settings
from django.test import Client
from accounts.services import DEMO_LEARNER_EMAIL, DEMO_LEARNER_PASSWORD
from courses.models import CoursePage
from videos.models import Video
response = Client(HTTP_HOST="127.0.0.1").get("/")
assert response.status_code == 200, response.status_code
pathlib.Path(os.environ["BENCH_PLAIN_BODY"]).write_bytes(response.content)
course = CoursePage.objects.live().public().order_by("-year", "path").first()
assert course is not None, "the demo has no live course page"
videos = list(Video.objects.values_list("title", "status"))
print("BENCH-EXPORT " + json.dumps({
    "static_root": str(settings.STATIC_ROOT),
    "course": course.get_url(),
    "course_title": course.title,
    "learner_email": DEMO_LEARNER_EMAIL,
    "learner_password": DEMO_LEARNER_PASSWORD,
    "videos": videos,
    "ready": [title for title, status in videos if status == "ready"],
}))
"""


@dataclass
class Target:
    key: str
    label: str
    path: str
    headers: dict[str, str]


# --- Setup ----------------------------------------------------------------------------------


def cookies_set(headers: list[tuple[str, str]]) -> dict[str, str]:
    """The cookies a response sets (name -> value), from its Set-Cookie headers."""
    found = {}
    for name, value in headers:
        if name == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            found[key.strip()] = val.strip()
    return found


async def raw_request(port: int, raw: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request on a fresh connection; status, every header (lower-case names) and body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            writer.write(raw.encode("latin-1"))
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = [
                (k.strip().lower(), v.strip())
                for k, _, v in (h.partition(":") for h in head[1:] if h)
            ]
            length = int(dict(headers).get("content-length", "0"))
            return int(head[0].split()[1]), headers, await reader.readexactly(length)
    finally:
        writer.close()


def get(port: int, path: str, headers: dict[str, str] | None = None):
    lines = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    raw = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: benchmark\r\n{lines}\r\n"
    return asyncio.run(raw_request(port, raw))


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    """Signs in through the login form as a browser does (GET the form, POST it with its CSRF
    token); returns the cookies the browser then holds (session and CSRF)."""
    status, headers, body = get(port, "/konto/login/")
    if status != 200:
        sys.exit(f"error: GET /konto/login/ answered {status}")
    jar = cookies_set(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None or not jar:
        sys.exit("error: the login form has no CSRF token or set no CSRF cookie")
    fields = {"csrfmiddlewaretoken": html.unescape(token.group(1).decode())}
    form = urllib.parse.urlencode(fields | {"login": email, "password": password})
    origin = f"http://127.0.0.1:{port}"
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    raw = (
        f"POST /konto/login/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: benchmark\r\n"
        f"Cookie: {cookie}\r\nOrigin: {origin}\r\nReferer: {origin}/konto/login/\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(form)}\r\n\r\n{form}"
    )
    status, headers, body = asyncio.run(raw_request(port, raw))
    jar |= cookies_set(headers)
    if status != 302 or "sessionid" not in jar:
        sys.exit(f"error: signing in answered {status} without a session: {body[:500]!r}")
    return jar


def targets_make(port: int, export: dict, copy_folder: str) -> list[Target]:
    """The five targets; signs the demo learner in for the course page."""
    jar = sign_in(port, export["learner_email"], export["learner_password"])
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    return [
        Target("static", "static file", f"/static/{copy_folder}/{STATIC_NAME}", {}),
        Target("cached", "cached GET /", "/", {}),
        Target("uncached", "uncached /" + UNCACHED, "/" + UNCACHED, {}),
        Target("course", "course page, signed in", export["course"], {"Cookie": cookie}),
        Target("plain", "plain Django view", "/bench-plain/" + UNCACHED, {}),
    ]


def check(port: int, targets: list[Target], home: bytes) -> bool:
    """Each target answers 200 with what it should; prints what each answered."""
    ok = True
    for t in targets:
        status, headers, body = get(port, t.path, t.headers)
        cache = dict(headers).get("x-page-cache", "absent")
        print(f"check {t.label}: HTTP {status}, {len(body)} B, X-Page-Cache {cache}")
        problem = None
        if status != 200:
            problem = "not 200"
        elif t.key in ("static", "plain") and body != home:
            problem = "not the saved programme page"
        elif t.key in ("cached", "uncached") and abs(len(body) - len(home)) > len(home) // 10:
            problem = f"not the programme page (saved: {len(home)} B)"
        elif t.key == "course" and (b"/konto/logout/" not in body or cache == "hit"):
            problem = "not the page of a signed-in learner"
        if problem:
            print(f"error: {t.label} ({t.path}): {problem}: {body[:300]!r}")
            ok = False
    return ok


def page_cache_state(port: int, path: str, tries: int = 4) -> str:
    """What X-Page-Cache says for ``path`` (several tries: each gunicorn worker has its own
    cache, and a connection reaches any of them): "hit" if any try hit, else the last value."""
    seen = []
    for _ in range(tries):
        _status, headers, _body = get(port, path)
        seen.append(dict(headers).get("x-page-cache", "absent"))
    return "hit" if "hit" in seen else seen[-1]


# --- Rounds and the report ------------------------------------------------------------------


def measure(server: Gunicorn, targets: list[Target], args) -> tuple[dict[str, list[Round]], int]:
    """Warms each target up, then runs the rounds, the order reversed every other round."""
    warmup_errors = 0
    for t in targets:
        warm = wrk_round(
            server, t.path, seconds=args.warmup, concurrency=args.concurrency, headers=t.headers
        )
        warmup_errors += warm.errors
        print(f"warm-up {t.label}: {warm.requests} requests, {warm.errors} errors")
    rounds: dict[str, list[Round]] = {t.key: [] for t in targets}
    for number in range(args.rounds):
        for t in targets if number % 2 == 0 else targets[::-1]:
            r = wrk_round(
                server, t.path, seconds=args.duration, concurrency=args.concurrency,
                headers=t.headers,
            )  # fmt: skip
            rounds[t.key].append(r)
            print(
                f"round {number + 1} {t.label:<24} {r.rps:8.1f} req/s  p95 "
                f"{r.percentile_ms(95):7.2f} ms  server cpu {r.cpu_ms:7.3f} ms/req  "
                f"errors {r.errors}"
            )
    return rounds, warmup_errors


def paired_ratio(rounds: dict[str, list[Round]], key: str) -> float:
    """The median over rounds of this target's req/s over the static file's in the same round
    (neighbours in time, so a load spike from other jobs hits both)."""
    pairs = [ratio(r.rps, s.rps) for r, s in zip(rounds[key], rounds["static"], strict=True)]
    return statistics.median(pairs)


def median_cpu(rounds: dict[str, list[Round]], key: str) -> float:
    """The median over rounds of this target's server CPU per request (what the goals judge:
    the round with the median req/s need not be the one with the median CPU)."""
    return statistics.median(r.cpu_ms for r in rounds[key])


def goal(met: bool) -> str:
    return "met" if met else "NOT met"


def report(targets, rounds, warmups: int, args, size: int, cache_state: str) -> int:
    """The median round of each target, the ratios, the goals and the RESULT line; returns the
    number of errors."""
    best = {t.key: median_round(rounds[t.key]) for t in targets}
    static = best["static"]
    errors = warmups + sum(r.errors for rs in rounds.values() for r in rs)
    print(f"\nMedian round of {args.rounds} (wrk, {args.concurrency} connections), "
          f"gunicorn {args.workers} workers x {args.threads} threads, page {size} B\n")  # fmt: skip
    print_table([(t.label, best[t.key]) for t in targets], baseline=static)
    cached = best["cached"]
    uncached_cpu, course_cpu = median_cpu(rounds, "uncached"), median_cpu(rounds, "course")
    cached_ratio = paired_ratio(rounds, "cached")
    print("\nx req/s of each target over the static file's in the same round (median of rounds):")
    for t in targets[1:]:
        print(f"  {t.label:<24} {paired_ratio(rounds, t.key):.3f}")
    print(f"\nX-Page-Cache of GET / after the rounds: {cache_state}")
    if cache_state != "hit":
        print("  (no page cache answered: the cached row is the page rendered every time)")
    # A cached row that no page cache answered cannot meet the first goal, however fast.
    cached_met = cached_ratio >= CACHED_MIN_RATIO and cache_state == "hit"
    print("Goals (issue 10):")
    print(
        f"  cached GET / >= {CACHED_MIN_RATIO}x the static file's req/s: {cached_ratio:.3f}x "
        f"round by round ({ratio(cached.rps, static.rps):.3f}x of the median rounds) "
        f"-> {goal(cached_met)}"
    )
    print(
        f"  uncached / <= {UNCACHED_MAX_CPU_MS:g} ms server CPU: {uncached_cpu:.2f} ms "
        f"(median of rounds) -> {goal(uncached_cpu <= UNCACHED_MAX_CPU_MS)}"
    )
    print(f"  signed-in course page <= {COURSE_MAX_CPU_MS:g} ms server CPU: {course_cpu:.2f} ms "
          f"(median of rounds) -> {goal(course_cpu <= COURSE_MAX_CPU_MS)}")  # fmt: skip
    print(f"errors in all rounds and warm-ups: {errors}")
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs (other jobs inflate CPU)")
    result: dict[str, object] = {"benchmark": "serve_home", "client": "wrk"}
    result |= {"load_average": round(load, 1)}
    result |= {"concurrency": args.concurrency, "rounds": args.rounds, "body_bytes": size}
    result |= {"workers": args.workers, "threads": args.threads, "page_cache": cache_state}
    for t in targets:
        summary = best[t.key].summary()
        summary["ratio_rps"] = round(ratio(best[t.key].rps, static.rps), 4)
        summary["ratio_rps_by_round"] = round(paired_ratio(rounds, t.key), 4)
        summary["ratio_server_cpu"] = round(ratio(best[t.key].cpu_ms, static.cpu_ms), 3)
        summary["server_cpu_ms_median_of_rounds"] = round(median_cpu(rounds, t.key), 3)
        result[t.key] = summary
    result["errors"] = errors
    print("RESULT " + json.dumps(result))
    return errors


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_server_load_arguments(parser)
    add_database_argument(parser)
    parser.add_argument(
        "--database-prefix", default="bench_home", help="name prefix of the fresh database"
    )
    return parse_server_load_arguments(parser)


def main() -> int:
    args = parse_args()
    wrk_binary()  # before any setup: say so at once if the load client is missing
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    maintenance, fresh, name = database_urls(args.database_url, args.database_prefix)
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-home-"))
    home = tmp / "home.html"
    env = child_env(tmp, fresh, BENCH_PLAIN_BODY=str(home))
    copy_dir: Path | None = None
    server: Gunicorn | None = None
    created = False
    try:
        host = urllib.parse.urlsplit(maintenance).hostname
        print(f"temporary VAR_DIR and MEDIA_ROOT in {tmp}; database {name} on {host}")
        print(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        setup_started = time.monotonic()
        database_create(maintenance, name)
        created = True
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo")
        manage(env, "ensure_demo_learner")
        started = time.monotonic()
        manage(env, "run_worker", "--batch")  # transcodes the demo videos
        print(f"  (the task worker took {time.monotonic() - started:.0f} s)")
        manage(env, "collectstatic", "--no-input", "-v0")
        out = manage(env, "shell", "-c", EXPORT, shown="manage.py shell -c <export>")
        export = json.loads(out.rsplit("BENCH-EXPORT ", 1)[1])
        if not export["videos"] or len(export["ready"]) != len(export["videos"]):
            print(f"error: demo videos not all transcoded: {export['videos']}")
            return 1
        print(f"demo videos ready: {', '.join(export['ready'])}")
        print(f"  (setup took {time.monotonic() - setup_started:.0f} s)")
        # Put the copy in place before gunicorn starts: WhiteNoise indexes STATIC_ROOT at startup.
        copy_dir = Path(tempfile.mkdtemp(prefix="bench-", dir=export["static_root"]))
        shutil.copyfile(home, copy_dir / STATIC_NAME)

        server = Gunicorn(
            env | {"DJANGO_SETTINGS_MODULE": PLAIN_SETTINGS}, tmp / "gunicorn.log",
            workers=args.workers, threads=args.threads,
        )  # fmt: skip
        server.wait_until_up("/")
        targets = targets_make(server.port, export, copy_dir.name)
        if not check(server.port, targets, home.read_bytes()):
            return 1
        rounds, warmups = measure(server, targets, args)
        state = page_cache_state(server.port, "/")
        errors = report(targets, rounds, warmups, args, home.stat().st_size, state)
        return 1 if errors or server.exit_errors() else 0
    finally:
        if server is not None:
            server.stop()
        if copy_dir is not None:
            shutil.rmtree(copy_dir, ignore_errors=True)
        if created:
            database_drop(maintenance, name)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    run_main(main, "gunicorn stopped, database dropped and temporary files removed")
