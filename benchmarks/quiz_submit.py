"""Submit module quizzes as logged-in learners, with production settings on PostgreSQL.

Measures requests/s and p50/p95/p99 latency of quiz submissions (POST <module>/quiz/ with the
right answers, a session cookie and a CSRF cookie + token) from gunicorn with
cms.settings.production, against a fresh PostgreSQL database. Every measured submission is the
first one of an attempt started just before the round with ``quiz_attempt_start``, so it really
scores and closes the attempt, and must answer 302 to that attempt's result page. A second series
sends the same submissions again (REPLAYED: the attempt is already closed) and must answer 302 to
the same result page ("replayed (idempotent)"). The baseline is a static file served by WhiteNoise
from the same gunicorn at the same concurrency; the submissions/static ratio largely cancels the
machine out on small, noisy hosts where the load generator shares the CPUs with the server. The
targets alternate (ABBA) over several rounds and the median round of each is reported.

Setup: a temporary VAR_DIR and MEDIA_ROOT; a database bench_quiz_<random> created (and dropped at
the end, also after errors) with psycopg on the PostgreSQL server of --database-url (default
BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/; the database named in the URL, by
default "postgres", is only used to create and drop it); migrate, load_demo --no-videos and
collectstatic (STATIC_ROOT is fixed by the settings and shared). A Django child process
(benchmarks/quiz_setup.py) creates the learners (verified email addresses, one copied Argon2
hash, a session each instead of a login), starts one attempt per learner per module quiz before
every submission round, checks afterwards that each attempt was scored as passed, and counts the
database queries of one submission with CaptureQueriesContext (Django test client, same
settings). BENCH_REDIS_URL, if set, becomes REDIS_URL (sessions then use cached_db).

The POSTs come from a separate pure-Python asyncio process over keep-alive connections to
127.0.0.1 only (each submission is a different request, which wrk cannot send without a script
per attempt); the static baseline's GETs come from wrk. Server CPU per request (gunicorn's
processes, from /proc) is printed beside req/s for every target: unlike req/s it does not depend
on which client sent the load. Prints a table and a "RESULT {json}" line; exits non-zero on any
error or if the server fails.
"""

import argparse
import asyncio
import json
import os
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import IO, Any

from support import (
    NET_ERRORS,
    REQUEST_TIMEOUT,
    ROOT,
    Connection,
    Gunicorn,
    Round,
    manage,
    median_round,
    positive,
    print_table,
    production_env,
    ratio,
    wrk_binary,
    wrk_round,
)

STATIC_TARGET = "/static/cms/css/site.css"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REPLY = "BENCH-REPLY "
TARGETS = ("submit", "replay", "static")
LABELS = {"submit": "submissions", "replay": "replayed (idempotent)", "static": "static file"}

# The Django side: a long-lived process (benchmarks/quiz_setup.py) that answers one JSON
# command a line on stdin with one "BENCH-REPLY {json}" line on stdout.
QUIZ_SETUP = Path(__file__).resolve().with_name("quiz_setup.py")


# --- Load generator (runs in its own process: ``quiz_submit.py --loadgen JOB.json``) ----------


async def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Sends the job's requests over ``concurrency`` connections; each item once, or repeated."""
    items, repeat = job["items"], job["repeat"]
    limit = job["max_requests"] if repeat else len(items)
    raws = [it["raw"].encode("latin-1") for it in items]
    out: dict[str, Any] = {"requests": 0, "errors": 0, "latencies": [], "samples": [], "ok": []}
    connections = [Connection(job["port"]) for _ in range(job["concurrency"])]
    await asyncio.gather(*(c.open() for c in connections))
    start = time.perf_counter()
    deadline = start + job["duration"]

    def failed(text: str) -> None:
        out["errors"] += 1
        if len(out["samples"]) < 5:
            out["samples"].append(text)

    async def worker(conn: Connection) -> None:
        while out["requests"] < limit and time.perf_counter() < deadline:
            index = 0 if repeat else out["requests"]
            out["requests"] += 1
            item = items[index]
            sent = time.perf_counter()
            try:
                async with asyncio.timeout(job["timeout"]):
                    status, headers, body = await conn.request(raws[index])
            except NET_ERRORS as exc:
                failed(f"{type(exc).__name__}: {exc}")
                conn.close()
                continue
            elapsed = time.perf_counter() - sent
            location = headers.get("location")
            if status != item["status"]:
                failed(f"HTTP {status} (expected {item['status']}): {body[:300]!r}")
            elif item.get("location") is not None and location != item["location"]:
                failed(f"Location {location!r}, expected {item['location']!r}")
            elif item.get("size") is not None and len(body) != item["size"]:
                failed(f"{len(body)} bytes, expected {item['size']}")
            else:
                out["latencies"].append(elapsed)
                if not repeat:
                    out["ok"].append(index)

    try:
        await asyncio.gather(*(worker(c) for c in connections))
    finally:
        out["elapsed"] = time.perf_counter() - start
        for conn in connections:
            conn.close()
    return out


def loadgen_main(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text())
    print(json.dumps(asyncio.run(run_job(job))))
    return 0


# --- Rounds and the report ------------------------------------------------------------------


class DjangoChild:
    """The long-lived Django process that prepares learners and attempts between rounds."""

    def __init__(self, env: dict[str, str], log: IO[bytes]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(QUIZ_SETUP)], cwd=ROOT, env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True,
        )  # fmt: skip

    def call(self, command: str, **arguments: Any) -> dict[str, Any]:
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:
            raise RuntimeError("the Django setup process has no pipes")
        stdin.write(json.dumps({"command": command, **arguments}) + "\n")
        stdin.flush()
        for line in stdout:
            if line.startswith(REPLY):
                reply = json.loads(line[len(REPLY) :])
                if "error" in reply:
                    sys.exit(f"setup command {command!r} failed:\n{reply['error']}")
                return reply
        sys.exit(f"the Django setup process exited (code {self.process.wait()}) during {command}")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                if self.process.stdin is not None:
                    self.process.stdin.close()
                self.process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


class Bench:
    """Builds the requests of each round and hands them to a load-generator process."""

    def __init__(self, child: DjangoChild, setup: dict, server: Gunicorn, tmp: Path, args) -> None:
        self.child, self.server, self.tmp, self.args = child, server, tmp, args
        self.port = server.port
        self.quizzes = setup["quizzes"]
        alphabet = string.ascii_letters + string.digits  # Django's CSRF_ALLOWED_CHARS
        self.learners = []
        for session in setup["sessions"]:
            csrf = "".join(secrets.choice(alphabet) for _ in range(32))  # an unmasked secret
            cookie = f"{setup['session_cookie']}={session}; {setup['csrf_cookie']}={csrf}"
            self.learners.append({"cookie": cookie, "csrf": csrf})
        self.submitted: list[dict] = []  # the last round's successful first submissions
        self.static_size = 0
        self.check_errors = 0

    def post_item(self, learner: dict, quiz: dict, token: str) -> dict:
        fields = [("csrfmiddlewaretoken", learner["csrf"]), ("quiz", quiz["quiz"])]
        fields += [("attempt", token)]
        fields += [(f"q-{qid}", v) for qid, values in quiz["answers"].items() for v in values]
        body = urllib.parse.urlencode(fields)
        origin = f"http://127.0.0.1:{self.port}"
        raw = (
            f"POST {quiz['path']}quiz/ HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"User-Agent: quiz-submit-bench\r\nCookie: {learner['cookie']}\r\n"
            f"Origin: {origin}\r\nReferer: {origin}{quiz['path']}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}"
        )
        location = f"{quiz['result_prefix']}{token}/"
        return {"raw": raw, "status": 302, "location": location, "token": token}

    def run(self, items: list[dict], repeat: bool, max_requests: int, duration: float) -> dict:
        """Runs the load-generator process on these requests; its results and the server's CPU."""
        job = {
            "port": self.port, "concurrency": self.args.concurrency, "timeout": REQUEST_TIMEOUT,
            "items": items, "repeat": repeat, "max_requests": max_requests, "duration": duration,
        }  # fmt: skip
        job_path = self.tmp / "job.json"
        job_path.write_text(json.dumps(job))
        cmd = [sys.executable, str(Path(__file__).resolve()), "--loadgen", str(job_path)]
        before = self.server.cpu_seconds()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        cpu = self.server.cpu_seconds() - before
        if done.returncode:
            sys.exit(f"the load generator failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
        return json.loads(done.stdout) | {"server_cpu": cpu}

    def round(self, target: str, static_seconds: float) -> Round:
        result = Round(target)
        if target == "submit":
            tokens = self.child.call("attempts")["tokens"]
            # Quiz by quiz, learner by learner: concurrent requests come from different learners.
            items = [
                self.post_item(learner, quiz, row[number])
                for number, quiz in enumerate(self.quizzes)
                for learner, row in zip(self.learners, tokens, strict=True)
            ]
            out = self.run(items, False, len(items), self.args.duration)
            sent = [items[index] for index in out["ok"]]
            check = self.child.call("check", tokens=[it["token"] for it in sent])
            if check["submitted"] != len(sent) or check["passed"] != len(sent):
                self.check_errors += 1
                print(f"error: of {len(sent)} answered submissions {check} in the database")
            self.submitted = sent  # replayed next: the same requests again
        elif target == "replay":
            items = list(self.submitted)
            out = self.run(items, False, len(items), self.args.duration)
        else:
            # A GET: wrk, as for every GET load (it costs the shared CPUs least).
            return wrk_round(
                self.server, STATIC_TARGET, seconds=static_seconds,
                concurrency=self.args.concurrency,
            )  # fmt: skip
        result.requests, result.errors = out["requests"], out["errors"]
        result.elapsed, result.latencies = out["elapsed"], out["latencies"]
        result.server_cpu = out["server_cpu"]
        for sample in out["samples"]:
            print(f"  error ({target}): {sample}")
        return result


def measure(bench: Bench, args: argparse.Namespace) -> tuple[dict[str, list[Round]], int]:
    """One warm-up round of each target, then the measured rounds in ABBA order."""
    warmup_errors = 0
    for target in TARGETS:
        warm = bench.round(target, args.warmup)
        warmup_errors += warm.errors
        print(f"warm-up {LABELS[target]}: {warm.requests} requests, {warm.errors} errors")
    rounds: dict[str, list[Round]] = {t: [] for t in TARGETS}
    for number in range(args.rounds):
        for target in TARGETS if number % 2 == 0 else TARGETS[::-1]:
            result = bench.round(target, args.static_seconds)
            rounds[target].append(result)
            p95 = result.percentile_ms(95)
            print(
                f"round {number + 1} {LABELS[target]:<22} {result.requests:6} requests "
                f"{result.rps:8.1f} req/s  p95 {p95:7.2f} ms  cpu {result.cpu_ms:7.3f} ms/req  "
                f"errors {result.errors}"
            )
    return rounds, warmup_errors


def report(
    rounds: dict[str, list[Round]], extra_errors: int, queries: dict, setup: dict, args
) -> int:
    """Prints the median round of each target, the ratios and the RESULT line; returns errors."""
    median = {t: median_round(rs) for t, rs in rounds.items()}
    sub, rep, sta = median["submit"], median["replay"], median["static"]
    errors = extra_errors + sum(r.errors for rs in rounds.values() for r in rs)
    quizzes = len(setup["quizzes"])
    print(
        f"\nMedian round of {args.rounds}, concurrency {args.concurrency}, gunicorn "
        f"{args.workers} workers x {args.threads} threads, PostgreSQL, {args.learners} learners "
        f"x {quizzes} module quizzes = {args.learners * quizzes} first submissions a round"
    )
    print(f"(baseline: {STATIC_TARGET} served by WhiteNoise from the same gunicorn, wrk)\n")
    print_table([(LABELS[t], r) for t, r in median.items()], baseline=sta)
    rps, p95 = ratio(sub.rps, sta.rps), ratio(sub.percentile_ms(95), sta.percentile_ms(95))
    replay_rps = ratio(rep.rps, sta.rps)
    cpu, replay_cpu = ratio(sub.cpu_ms, sta.cpu_ms), ratio(rep.cpu_ms, sta.cpu_ms)
    print(f"\nsubmissions/static throughput: {rps:.4f}  (static: {ratio(1, rps):.1f}x the req/s)")
    print(f"submissions/static p95 latency: {p95:.2f}")
    print(f"replayed/static throughput:    {replay_rps:.4f}")
    print(
        f"server CPU per request, submissions/static: {cpu:.2f}, replayed/static: {replay_cpu:.2f}"
    )
    fresh, replay = len(queries["fresh"]), len(queries["replay"])
    print(f"database queries a submission: {fresh} first, {replay} replayed (incl. session/user)")
    print(f"errors in all rounds, warm-ups and checks: {errors}")
    result: dict[str, object] = {"concurrency": args.concurrency, "rounds": args.rounds}
    result |= {"workers": args.workers, "threads": args.threads, "learners": args.learners}
    result |= {"quizzes": quizzes, "database": "postgresql"}
    result |= {"submit": sub.summary(), "replay": rep.summary(), "static": sta.summary()}
    result |= {"queries_submit": fresh, "queries_replay": replay, "errors": errors}
    result |= {"ratio_throughput": round(rps, 4), "ratio_p95": round(p95, 3)}
    result |= {"ratio_replay_throughput": round(replay_rps, 4)}
    result |= {"ratio_server_cpu_per_request": round(cpu, 3)}
    result |= {"ratio_replay_server_cpu_per_request": round(replay_cpu, 3)}
    print("RESULT " + json.dumps({"benchmark": "quiz_submit"} | result))
    return errors


# --- Database, server and processes --------------------------------------------------------


def database_urls(base: str) -> tuple[str, str, str]:
    """(maintenance URL for psycopg, URL of a fresh database for Django, its name)."""
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("postgres", "postgresql") or not parts.hostname:
        sys.exit(f"--database-url must be a postgres:// URL with a host, got {base!r}")
    name = f"bench_quiz_{secrets.token_hex(4)}"
    maintenance = parts._replace(scheme="postgresql", path=parts.path.strip("/") or "postgres")
    fresh = parts._replace(path=f"/{name}")
    return urllib.parse.urlunsplit(maintenance), urllib.parse.urlunsplit(fresh), name


def database_create(maintenance: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(maintenance: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as conn:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))
        print(f"dropped database {name}")
    except psycopg.Error as exc:
        print(f"warning: could not drop database {name}: {exc}", file=sys.stderr)


def child_env(tmp: Path, database_url: str) -> dict[str, str]:
    return production_env(tmp, DATABASE_URL=database_url)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="A round ends when its requests are sent or after --duration seconds.",
    )
    add = parser.add_argument
    add("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL server (and maintenance database) to create the fresh database on "
             "(BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)")  # fmt: skip
    add("--learners", type=positive, default=40, help="learners, one attempt a quiz (40)")
    add("--concurrency", type=positive, default=16, help="open connections (16)")
    add("--rounds", type=positive, default=3, help="rounds a target, alternating (3)")
    add("--static-seconds", type=float, default=5.0, help="seconds of static GETs a round (5)")
    add("--duration", type=float, default=30.0, help="max seconds a round (30)")
    add("--warmup", type=float, default=1.0, help="seconds of static warm-up (1)")
    add("--workers", type=positive, default=2, help="gunicorn workers (2)")
    add("--threads", type=positive, default=4, help="threads a gunicorn worker (4)")
    add("--show-queries", action="store_true", help="print the SQL of one submission")
    add("--loadgen", metavar="JOB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 0 < args.duration <= 600:
        parser.error("--duration must be between 0 and 600 seconds")
    return args


def main() -> int:
    args = parse_args()
    if args.loadgen:
        return loadgen_main(args.loadgen)
    wrk_binary()  # before any setup: say so at once if the load client is missing
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="bench-quiz-submit-"))
    maintenance, database_url, db_name = database_urls(args.database_url)
    server: Gunicorn | None = None
    child: DjangoChild | None = None
    child_log: IO[bytes] | None = None
    created = False
    try:
        env = child_env(tmp, database_url)
        host = urllib.parse.urlsplit(maintenance).hostname
        print(f"temporary VAR_DIR and MEDIA_ROOT in {tmp}; database {db_name} on {host}")
        database_create(maintenance, db_name)
        created = True
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo", "--no-videos")
        manage(env, "collectstatic", "--no-input", "-v0")

        child_log = (tmp / "setup.log").open("wb")
        child = DjangoChild(env, child_log)
        password = secrets.token_urlsafe(16)
        setup = child.call("setup", learners=args.learners, password=password)
        print(f"{args.learners} learners with sessions ({setup['session_engine']}); quizzes:")
        for quiz in setup["quizzes"]:
            questions = len(quiz["answers"])
            print(f"  quiz {quiz['quiz']} at {quiz['path']}quiz/ ({questions} questions)")
        queries = child.call("queries")
        print(f"queries: {len(queries['fresh'])} a submission, {len(queries['replay'])} a replay")
        if args.show_queries:
            for kind in ("fresh", "replay"):
                for number, query in enumerate(queries[kind], 1):
                    print(f"  {kind} {number:2}: {query[:150]}")

        server = Gunicorn(env, tmp / "gunicorn.log", workers=args.workers, threads=args.threads)
        bench = Bench(child, setup, server, tmp, args)
        bench.static_size = len(server.wait_until_up(STATIC_TARGET))
        print(f"check {STATIC_TARGET}: HTTP 200, {bench.static_size} bytes")

        rounds, warmup_errors = measure(bench, args)
        server_errors = 0
        if not server.running():
            code, log = server.process.returncode, server.log.read_text()[-3000:]
            print(f"error: gunicorn exited with {code}:\n{log}")
            server_errors = 1
        errors = warmup_errors + bench.check_errors + server_errors
        return 1 if report(rounds, errors, queries, setup, args) else 0
    finally:
        if server is not None:
            server.stop()
        if child is not None:
            child.stop()
        if child_log is not None:
            child_log.close()
        if created:
            database_drop(maintenance, db_name)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; gunicorn stopped, database dropped, files removed", file=sys.stderr)
        sys.exit(130)
