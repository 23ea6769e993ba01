"""Submit module quizzes as logged-in learners, with production settings on PostgreSQL.

Measures requests/s and p50/p95/p99 latency of quiz submissions (POST <module>/quiz/ with the
right answers, a session cookie and a CSRF cookie + token) from gunicorn with
cms.settings.production, against a fresh PostgreSQL database. Every measured submission is the
first one of an attempt started just before the round with ``quiz_attempt_start``, so it really
scores and closes the attempt, and must answer 302 to that attempt's result page. A second series
sends the same submissions again (REPLAYED: the attempt is already closed) and must answer 302 to
the same result page ("replayed (idempotent)"). The anchor is the hand-written floor
(benchmarks/quiz_floor.py: session, user, the attempt locked with its questions, scoring, one
UPDATE), served by the same gunicorn in the same run through the benchmark-only settings
benchmarks/quiz_floor_settings.py and checked in the database like the submissions; the goal is a
submission at most 2x the floor's server + PostgreSQL CPU (aim 1.5x). PostgreSQL's CPU is read
from /proc for the backends of the benchmark's database (benchmarks/postgres_cpu.py; connections
are kept for the whole run). The other baseline is a static file served by WhiteNoise
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
import json
import secrets
import signal
import statistics
import sys
import urllib.parse
from pathlib import Path

from postgres_cpu import BackendCpu
from support import (
    REQUEST_TIMEOUT,
    Gunicorn,
    LoadRound,
    Round,
    Site,
    add_database_argument,
    bench_site,
    browser_sessions,
    loadgen_round,
    median_round,
    positive,
    post_request,
    print_queries,
    print_table,
    ratio,
    run_main,
    wrk_binary,
    wrk_round,
)

STATIC_TARGET = "/static/cms/css/site.css"
TARGETS = ("submit", "floor", "replay", "static")
LABELS = {
    "submit": "submissions", "floor": "hand-written floor", "replay": "replayed (idempotent)",
    "static": "static file",
}  # fmt: skip
# The server's settings: the site's production settings with the floor's URLconf added.
FLOOR_SETTINGS = "benchmarks.quiz_floor_settings"
FLOOR_PREFIX = "/bench-floor"

# The Django side: a long-lived process (benchmarks/quiz_setup.py) that answers one JSON
# command a line on stdin with one "BENCH-REPLY {json}" line on stdout.
QUIZ_SETUP = Path(__file__).resolve().with_name("quiz_setup.py")


# --- Rounds and the report ------------------------------------------------------------------


class Bench:
    """Builds the requests of each round and hands them to a load-generator process."""

    def __init__(
        self, site: Site, setup: dict, server: Gunicorn, database: BackendCpu, args
    ) -> None:
        self.site, self.server, self.database, self.args = site, server, database, args
        self.port = server.port
        self.quizzes = setup["quizzes"]
        self.learners = browser_sessions(setup)
        self.submitted: list[dict] = []  # the last round's successful first submissions
        self.static_size = 0
        self.check_errors = 0
        self.backends_ended = 0
        self.db_cpu: dict[int, float] = {}  # PostgreSQL CPU seconds of each round (by id)

    def post_item(self, learner: dict, quiz: dict, token: str, *, prefix: str = "") -> dict:
        fields = [("quiz", quiz["quiz"]), ("attempt", token)]
        fields += [(f"q-{qid}", v) for qid, values in quiz["answers"].items() for v in values]
        path, referer = f"{prefix}{quiz['path']}quiz/", quiz["path"]
        raw = post_request(
            self.port, path, learner, fields, referer=referer, agent="quiz-submit-bench"
        )
        location = f"{quiz['result_prefix']}{token}/"
        return {"raw": raw, "status": 302, "location": location, "token": token}

    def run(self, target: str, items: list[dict]) -> LoadRound:
        """Each of these requests once (over at most --duration seconds), from the load
        generator's process."""
        return loadgen_round(
            self.server, self.site.tmp, target, items, concurrency=self.args.concurrency,
            timeout=REQUEST_TIMEOUT, duration=self.args.duration,
        )  # fmt: skip

    def round(self, target: str, static_seconds: float) -> Round:
        """One round of ``target``, with PostgreSQL's CPU meanwhile kept in ``db_cpu``."""
        before = self.database.snapshot()
        result = self._round(target, static_seconds)
        spent, ended = BackendCpu.between(before, self.database.snapshot())
        self.db_cpu[id(result)] = spent
        self.backends_ended += ended
        return result

    def db_ms(self, result: Round) -> float:
        """PostgreSQL CPU milliseconds per answered request of that round."""
        return self.db_cpu[id(result)] * 1000 / result.ok if result.ok else float("nan")

    def _round(self, target: str, static_seconds: float) -> Round:
        if target in ("submit", "floor"):
            tokens = self.site.call("attempts")["tokens"]
            prefix = FLOOR_PREFIX if target == "floor" else ""
            # Quiz by quiz, learner by learner: concurrent requests come from different learners.
            items = [
                self.post_item(learner, quiz, row[number], prefix=prefix)
                for number, quiz in enumerate(self.quizzes)
                for learner, row in zip(self.learners, tokens, strict=True)
            ]
            result = self.run(target, items)
            sent = [items[index] for index in result.answered_items]
            check = self.site.call("check", tokens=[it["token"] for it in sent])
            if check["submitted"] != len(sent) or check["passed"] != len(sent):
                self.check_errors += 1
                print(f"error: of {len(sent)} answered submissions {check} in the database")
            if target == "submit":
                self.submitted = sent  # replayed next: the same requests again
        elif target == "replay":
            result = self.run(target, list(self.submitted))
        else:
            # A GET: wrk, as for every GET load (it costs the shared CPUs least).
            return wrk_round(
                self.server, STATIC_TARGET, seconds=static_seconds,
                concurrency=self.args.concurrency,
            )  # fmt: skip
        for sample in result.samples:
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
                f"db {bench.db_ms(result):6.3f} ms/req  errors {result.errors}"
            )
    return rounds, warmup_errors


def cpu_figures(bench: Bench, rounds: list[Round]) -> dict[str, float]:
    """Median over the rounds of server, PostgreSQL and total CPU ms per answered request."""
    server = statistics.median(r.cpu_ms for r in rounds)
    database = statistics.median(bench.db_ms(r) for r in rounds)
    total = statistics.median(r.cpu_ms + bench.db_ms(r) for r in rounds)
    return {"server": server, "database": database, "total": total}


def report(
    bench: Bench, rounds: dict[str, list[Round]], extra_errors: int, queries: dict, setup: dict,
    args,
) -> int:  # fmt: skip
    """Prints the median round of each target, the ratios and the RESULT line; returns errors."""
    median = {t: median_round(rs) for t, rs in rounds.items()}
    sub, rep, sta = median["submit"], median["replay"], median["static"]
    cpu_of = {t: cpu_figures(bench, rs) for t, rs in rounds.items()}
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
    print("\nCPU ms per answered request (median of the rounds): server + PostgreSQL = total")
    for target in TARGETS:
        f = cpu_of[target]
        figures = f"{f['server']:7.3f} + {f['database']:6.3f} = {f['total']:7.3f}"
        print(f"  {LABELS[target]:<22} {figures}")
    floor = cpu_of["floor"]["total"]
    to_floor = ratio(cpu_of["submit"]["total"], floor)
    replay_to_floor = ratio(cpu_of["replay"]["total"], floor)
    print(
        f"submissions/hand-written floor, server + PostgreSQL CPU: {to_floor:.2f}x "
        f"(goal <= 2x, aim 1.5x); replayed/floor: {replay_to_floor:.2f}x"
    )
    if bench.backends_ended:
        print(f"warning: {bench.backends_ended} PostgreSQL backends ended during rounds "
              "(their CPU in those rounds is missing)")  # fmt: skip
    fresh, replay = len(queries["fresh"]), len(queries["replay"])
    print(f"database queries a submission: {fresh} first, {replay} replayed (incl. session/user)")
    print(f"errors in all rounds, warm-ups and checks: {errors}")
    result: dict[str, object] = {"concurrency": args.concurrency, "rounds": args.rounds}
    result |= {"workers": args.workers, "threads": args.threads, "learners": args.learners}
    result |= {"quizzes": quizzes, "database": "postgresql"}
    result |= {"submit": sub.summary(), "replay": rep.summary(), "static": sta.summary()}
    result |= {"floor": median["floor"].summary()}
    result |= {"cpu_ms_per_request": {t: {k: round(v, 3) for k, v in f.items()}
                                      for t, f in cpu_of.items()}}  # fmt: skip
    result |= {"ratio_submit_to_floor_cpu": round(to_floor, 3)}
    result |= {"ratio_replay_to_floor_cpu": round(replay_to_floor, 3)}
    result |= {"queries_submit": fresh, "queries_replay": replay, "errors": errors}
    result |= {"ratio_throughput": round(rps, 4), "ratio_p95": round(p95, 3)}
    result |= {"ratio_replay_throughput": round(replay_rps, 4)}
    result |= {"ratio_server_cpu_per_request": round(cpu, 3)}
    result |= {"ratio_replay_server_cpu_per_request": round(replay_cpu, 3)}
    print("RESULT " + json.dumps({"benchmark": "quiz_submit"} | result))
    return errors


def maintenance_url(base: str) -> str:
    """The URL psycopg connects to for watching the benchmark's database from outside it."""
    parts = urllib.parse.urlsplit(base)
    path = parts.path.strip("/") or "postgres"
    return urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path=f"/{path}"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="A round ends when its requests are sent or after --duration seconds.",
    )
    add_database_argument(parser)
    add = parser.add_argument
    add("--learners", type=positive, default=40, help="learners, one attempt a quiz (40)")
    add("--concurrency", type=positive, default=16, help="open connections (16)")
    add("--rounds", type=positive, default=3, help="rounds a target, alternating (3)")
    add("--static-seconds", type=float, default=5.0, help="seconds of static GETs a round (5)")
    add("--duration", type=float, default=30.0, help="max seconds a round (30)")
    add("--warmup", type=float, default=1.0, help="seconds of static warm-up (1)")
    add("--workers", type=positive, default=2, help="gunicorn workers (2)")
    add("--threads", type=positive, default=4, help="threads a gunicorn worker (4)")
    add("--show-queries", action="store_true", help="print the SQL of one submission")
    args = parser.parse_args()
    if not 0 < args.duration <= 600:
        parser.error("--duration must be between 0 and 600 seconds")
    return args


def main() -> int:
    args = parse_args()
    wrk_binary()  # before any setup: say so at once if the load client is missing
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # Connections kept for the whole run, so no backend takes its CPU with it mid-round.
    with bench_site(
        database_url=args.database_url, database_prefix="bench_quiz",
        tmp_prefix="bench-quiz-submit-", setup_script=QUIZ_SETUP,
        DJANGO_SETTINGS_MODULE=FLOOR_SETTINGS, DATABASE_CONN_MAX_AGE="3600",
    ) as site:  # fmt: skip
        password = secrets.token_urlsafe(16)
        setup = site.call("setup", learners=args.learners, password=password)
        print(f"{args.learners} learners with sessions ({setup['session_engine']}); quizzes:")
        for quiz in setup["quizzes"]:
            questions = len(quiz["answers"])
            print(f"  quiz {quiz['quiz']} at {quiz['path']}quiz/ ({questions} questions)")
        queries = site.call("queries")
        print(f"queries: {len(queries['fresh'])} a submission, {len(queries['replay'])} a replay")
        if args.show_queries:
            print_queries(queries, ("fresh", "replay"))

        server = site.start_server(workers=args.workers, threads=args.threads)
        database_name = urllib.parse.urlsplit(site.env["DATABASE_URL"]).path.strip("/")
        database = BackendCpu(maintenance_url(args.database_url), database_name)
        bench = Bench(site, setup, server, database, args)
        bench.static_size = len(server.wait_until_up(STATIC_TARGET))
        print(f"check {STATIC_TARGET}: HTTP 200, {bench.static_size} bytes")

        try:
            rounds, warmup_errors = measure(bench, args)
        finally:
            database.close()
        errors = warmup_errors + bench.check_errors + server.exit_errors()
        return 1 if report(bench, rounds, errors, queries, setup, args) else 0


if __name__ == "__main__":
    run_main(main, "gunicorn stopped, database dropped, files removed")
