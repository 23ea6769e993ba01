"""A group session: 200 attendees claim it at once, confirm its codeword at once, and each gets
the certificate; with production settings on PostgreSQL, beside a static file in the same run.

One round is one facilitator's session of a credit-bearing video activity (made fresh each
round: one ready video of 30 minutes without chapters, worth 0.5 hours, so one codeword is
required; the session started 40 minutes earlier through ``attendance.services``):

1. Claims. Every attendee (``--attendees``, default 200: learners with a verified address, a
   session cookie instead of a login, a CSRF cookie + token) POSTs "I am here" to
   ``gruppe/<code>/`` at the same moment: all connections are opened first, then every request
   is written at once (one connection each, up to ``--concurrency``). Each must answer 302 to
   the claim page, and the database must then hold exactly one phone claim per attendee, plus
   the facilitator's own claim made at the start. Reported: claims/s (attendees over the time
   from the first request written to the last answer read), p50/p95/p99 of each request, and
   the server's CPU per claim.
2. Codeword confirmations. The facilitator's screen reaches the pause (``codeword_open`` in the
   Django child process) and every attendee POSTs the word to ``gruppe/<code>/ord/`` at once:
   302 to the claim page each, and exactly one confirmation per attendee in the database.
3. Certificates. The facilitator ends the session and attests the list (services, in the child
   process); every claim is confirmed (1 of 1 codewords) and attested. ``session_attest``
   queues the ``credit_session`` task; its body ``session_credit`` is run and timed in the
   child process, as one task worker runs it: exactly one certificate per attendee with the
   0.5 hours "together", plus the facilitator's own (so attendees + 1 in all), each with its
   PDF task queued (the PDFs themselves are made by ``render_certificate`` later, measured by
   benchmarks/certificates.py). A second ``session_credit`` must issue none.

The baseline is a static file served by WhiteNoise from the same gunicorn, from wrk at the same
concurrency; group rounds and static rounds alternate (ABBA) after one warm-up of each, and the
median round of each measure is reported, with ratios to the static file and the server CPU per
request (gunicorn's processes, from /proc), which does not depend on the load client.

Setup as in quiz_submit.py: a temporary VAR_DIR and MEDIA_ROOT; a database bench_group_<random>
created (and dropped at the end, also after errors) with psycopg on the PostgreSQL server of
--database-url (default BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/); migrate,
load_demo --no-videos and collectstatic. The Django child is benchmarks/group_session_setup.py;
it also counts the database queries of one claim and one confirmation (Django test client, same
settings). Mail goes to Django's in-memory backend; tasks to the database queue (no worker
runs). BENCH_REDIS_URL, if set, becomes REDIS_URL. Prints a table and a "RESULT {json}" line;
exits non-zero on any error, wrong answer, wrong count in the database or if the server fails.
"""

import argparse
import json
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import (
    Gunicorn,
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
GROUP_SETUP = Path(__file__).resolve().with_name("group_session_setup.py")
LABELS = {
    "claim": "claims (POST)",
    "confirm": "confirmations (POST)",
    "static": "static file",
}


# --- Rounds ---------------------------------------------------------------------------------


@dataclass
class GroupRound:
    """One session: its claims, its confirmations, its certificates, and what was wrong."""

    claims: Round
    confirms: Round
    credit: dict[str, Any]
    problems: list[str] = field(default_factory=list)


class Bench:
    """Builds each phase's requests and hands them to a load-generator process."""

    def __init__(self, site: Site, setup: dict, server: Gunicorn, args) -> None:
        self.site, self.server, self.args = site, server, args
        self.port = server.port
        self.attendees = browser_sessions(setup)
        self.sessions = 0

    def post_item(self, attendee: dict, path: str, fields: list, referer: str, back: str) -> dict:
        raw = post_request(
            self.port, path, attendee, fields, referer=referer, agent="group-session-bench"
        )
        return {"raw": raw, "status": 302, "location": back}

    def run(self, target: str, items: list[dict]) -> Round:
        """All these requests at once from the load generator's process (each sent once)."""
        result = loadgen_round(
            self.server, self.site.tmp, target, items, concurrency=self.args.concurrency,
            timeout=self.args.timeout,
        )  # fmt: skip
        for sample in result.samples:
            print(f"  error ({target}): {sample}")
        return result

    def group_round(self, attendees: int | None = None) -> GroupRound:
        """One session from start to certificates, checked in the database after each phase;
        with the first ``attendees`` only if given (the warm-up)."""
        self.sessions += 1
        everyone = self.attendees
        self.attendees = everyone[:attendees] if attendees else everyone
        try:
            return self._group_round()
        finally:
            self.attendees = everyone

    def _group_round(self) -> GroupRound:
        n = len(self.attendees)
        spec = self.site.call("session_new", label=f"round-{self.sessions}")
        claim_path, codeword_path = spec["claim_path"], spec["codeword_path"]
        items = [self.post_item(a, claim_path, [], claim_path, claim_path) for a in self.attendees]
        claims = self.run("claim", items)
        problems = []
        found = self.site.call("claims_check", session=spec["session"])
        wanted = {
            "attendee_claims": n, "attendee_claims_by_learners": n, "distinct_users": n,
            "facilitator_claims": 1, "all_claims": n + 1, "claimed_events": n,
        }  # fmt: skip
        if found != wanted:
            problems.append(f"claims in the database {found}, expected {wanted}")

        word = self.site.call("codeword_open", session=spec["session"])["word"]
        items = [
            self.post_item(a, codeword_path, [("word", word)], claim_path, claim_path)
            for a in self.attendees
        ]
        confirms = self.run("confirm", items)
        found = self.site.call("confirmations_check", session=spec["session"])
        wanted = {"confirmations": n, "distinct_claims": n, "confirmed_events": n, "wrong_words": 0}
        if found != wanted:
            problems.append(f"confirmations in the database {found}, expected {wanted}")

        credit = self.site.call("finish", session=spec["session"])
        wanted = {
            "claims": n + 1, "attested_claims": n + 1, "credited": n + 1, "credited_again": 0,
            "certificates": n + 1, "attendee_certificates": n,
            "attendee_certificates_together": n, "attendee_claims_with_certificate": n,
            "facilitator_certificates": 1,
        }  # fmt: skip
        statuses = credit["statuses_before_attest"]
        if statuses != {"confirmed": n + 1}:
            problems.append(f"claims by status before attestation {statuses}")
        if credit["render_tasks_queued"] is not None:
            wanted["render_tasks_queued"] = n + 1
        wrong = {k: credit[k] for k in wanted if credit[k] != wanted[k]}
        if wrong:
            problems.append(f"certificates: {wrong}, expected { ({k: wanted[k] for k in wrong}) }")
        for problem in problems:
            print(f"  error: {problem}")
        return GroupRound(claims, confirms, credit, problems)


def static_round(bench: Bench, seconds: float) -> Round:
    # A GET: wrk, as for every GET load (it costs the shared CPUs least).
    concurrency = min(bench.args.concurrency, len(bench.attendees))
    return wrk_round(bench.server, STATIC_TARGET, seconds=seconds, concurrency=concurrency)


def show_group(name: str, r: GroupRound) -> None:
    c, w, k = r.claims, r.confirms, r.credit
    print(
        f"{name}: claims {c.ok}/{c.requests} {c.rps:7.1f}/s p50 {c.percentile_ms(50):7.1f} ms "
        f"p95 {c.percentile_ms(95):7.1f} ms cpu {c.cpu_ms:6.2f} ms | confirmations "
        f"{w.ok}/{w.requests} {w.rps:7.1f}/s p95 {w.percentile_ms(95):7.1f} ms | certificates "
        f"{k['credited']} in {k['credit_seconds']:.2f} s | errors {c.errors + w.errors} "
        f"problems {len(r.problems)}"
    )


def measure(bench: Bench, args) -> tuple[list[GroupRound], list[Round], int]:
    """One warm-up session and static round, then the measured rounds in ABBA order."""
    warm = bench.group_round(min(args.warmup_attendees, len(bench.attendees)))
    show_group(f"warm-up session ({len(warm.claims.latencies)} attendees)", warm)
    warm_static = static_round(bench, args.warmup)
    print(
        f"warm-up {LABELS['static']}: {warm_static.requests} requests, {warm_static.errors} errors"
    )
    warmup_errors = warm.claims.errors + warm.confirms.errors + len(warm.problems)
    warmup_errors += warm_static.errors
    groups: list[GroupRound] = []
    statics: list[Round] = []
    for number in range(args.rounds):
        order = ("group", "static") if number % 2 == 0 else ("static", "group")
        for target in order:
            if target == "group":
                groups.append(bench.group_round())
                show_group(f"round {number + 1} session", groups[-1])
            else:
                statics.append(static_round(bench, args.static_seconds))
                s = statics[-1]
                print(
                    f"round {number + 1} {LABELS['static']}: {s.rps:8.1f} req/s  p95 "
                    f"{s.percentile_ms(95):7.2f} ms  cpu {s.cpu_ms:7.3f} ms/req  errors {s.errors}"
                )
    return groups, statics, warmup_errors


# --- The report -----------------------------------------------------------------------------


def credit_summary(groups: list[GroupRound]) -> dict[str, Any]:
    """The median round's issuing (by time), with its rates."""
    credit = sorted((g.credit for g in groups), key=lambda c: c["credit_seconds"])
    median = credit[len(credit) // 2]
    issued = median["credited"]
    seconds = median["credit_seconds"]
    return median | {
        "certificates_per_second": round(ratio(issued, seconds), 1),
        "ms_per_certificate": round(ratio(seconds * 1000, issued), 2),
        "cpu_ms_per_certificate": round(ratio(median["credit_cpu_seconds"] * 1000, issued), 2),
        "credit_seconds_all_rounds": [c["credit_seconds"] for c in credit],
    }


def report(groups, statics, extra_errors: int, queries: dict, setup: dict, args) -> int:
    """Prints the median rounds, the ratios, the certificates and the RESULT line; the errors."""
    claims = median_round([g.claims for g in groups])
    confirms = median_round([g.confirms for g in groups])
    static = median_round(statics)
    n = len(setup["sessions"])
    connections = min(args.concurrency, n)
    errors = extra_errors + sum(s.errors for s in statics)
    errors += sum(g.claims.errors + g.confirms.errors + len(g.problems) for g in groups)
    credit = credit_summary(groups)
    print(
        f"\nMedian round of {args.rounds}: {n} attendees at once over {connections} connections, "
        f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL "
        f"({setup['session_engine']} sessions)"
    )
    print(f"(baseline: {STATIC_TARGET} served by WhiteNoise from the same gunicorn, wrk)\n")
    rows = [(LABELS["claim"], claims), (LABELS["confirm"], confirms), (LABELS["static"], static)]
    print_table(rows, baseline=static)
    claim_rps, confirm_rps = ratio(claims.rps, static.rps), ratio(confirms.rps, static.rps)
    claim_p95 = ratio(claims.percentile_ms(95), static.percentile_ms(95))
    confirm_p95 = ratio(confirms.percentile_ms(95), static.percentile_ms(95))
    claim_cpu, confirm_cpu = (
        ratio(claims.cpu_ms, static.cpu_ms),
        ratio(confirms.cpu_ms, static.cpu_ms),
    )
    print(
        f"\nclaims/static throughput:        {claim_rps:.4f}  (static: {ratio(1, claim_rps):.1f}x)"
    )
    print(
        f"confirmations/static throughput: {confirm_rps:.4f}  "
        f"(static: {ratio(1, confirm_rps):.1f}x)"
    )
    print(f"claims/static p95 latency: {claim_p95:.2f}; confirmations/static: {confirm_p95:.2f}")
    print(f"server CPU per request, claims/static: {claim_cpu:.2f}, confirmations/static: "
          f"{confirm_cpu:.2f}")  # fmt: skip
    print(
        f"all {n} claims answered in {claims.elapsed:.2f} s, all {n} confirmations in "
        f"{confirms.elapsed:.2f} s (median rounds)"
    )
    print(
        f"\nCertificates (median round of {args.rounds} by time): session_credit issued "
        f"{credit['credited']} = {credit['attendee_certificates']} attendees' + "
        f"{credit['facilitator_certificates']} the facilitator's own, each "
        f"{credit['hours_credit']} h together, in {credit['credit_seconds']:.2f} s "
        f"({credit['certificates_per_second']} a second, {credit['ms_per_certificate']} ms and "
        f"{credit['cpu_ms_per_certificate']} ms CPU of the worker process each; PostgreSQL's CPU "
        "not counted)"
    )
    queued = credit["tasks_queued_by_credit"]
    print(
        f"  tasks queued while issuing (for a worker): {queued or 'not counted'}; "
        f"session_attest took {credit['attest_seconds']:.3f} s; a second session_credit issued "
        f"{credit['credited_again']}"
    )
    print(
        f"database queries: {len(queries['claim'])} a claim, {len(queries['codeword'])} a "
        "confirmation (incl. session/user)"
    )
    print(f"errors in all rounds, warm-ups and checks: {errors}")
    result: dict[str, object] = {"attendees": n, "connections": connections}
    result |= {"rounds": args.rounds, "workers": args.workers, "threads": args.threads}
    result |= {"database": "postgresql", "sessions": setup["session_engine"]}
    result |= {"claim": claims.summary(), "confirm": confirms.summary(), "static": static.summary()}
    result |= {"claims_seconds": round(claims.elapsed, 3)}
    result |= {"confirms_seconds": round(confirms.elapsed, 3)}
    result |= {"credit": credit, "errors": errors}
    result |= {"queries_claim": len(queries["claim"]), "queries_confirm": len(queries["codeword"])}
    result |= {
        "ratio_claim_throughput": round(claim_rps, 4),
        "ratio_claim_p95": round(claim_p95, 3),
    }
    result |= {"ratio_confirm_throughput": round(confirm_rps, 4)}
    result |= {"ratio_confirm_p95": round(confirm_p95, 3)}
    result |= {"ratio_claim_server_cpu_per_request": round(claim_cpu, 3)}
    result |= {"ratio_confirm_server_cpu_per_request": round(confirm_cpu, 3)}
    print("RESULT " + json.dumps({"benchmark": "group_session"} | result))
    return errors


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_database_argument(parser)
    add = parser.add_argument
    add("--attendees", type=positive, default=200, help="attendees claiming each session (200)")
    add("--concurrency", type=positive, default=200,
        help="open connections, one an attendee up to this many (200)")  # fmt: skip
    add(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds an answer may take: all are sent at once, so the last waits for all (60)",
    )
    add("--warmup-attendees", type=positive, default=20,
        help="attendees of the warm-up session (20)")  # fmt: skip
    add("--rounds", type=positive, default=3, help="sessions and static rounds, alternating (3)")
    add("--static-seconds", type=float, default=5.0, help="seconds of static GETs a round (5)")
    add("--warmup", type=float, default=2.0, help="seconds of static warm-up (2)")
    add("--workers", type=positive, default=2, help="gunicorn workers (2)")
    add("--threads", type=positive, default=4, help="threads a gunicorn worker (4)")
    add("--show-queries", action="store_true", help="print the SQL of one claim and confirmation")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    wrk_binary()  # before any setup: say so at once if the load client is missing
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    with bench_site(
        database_url=args.database_url, database_prefix="bench_group",
        tmp_prefix="bench-group-session-", setup_script=GROUP_SETUP,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ) as site:  # fmt: skip
        setup = site.call("setup", learners=args.attendees, password=secrets.token_urlsafe(16))
        print(
            f"{args.attendees} attendees with sessions ({setup['session_engine']}) and a "
            f"facilitator; tasks: {setup['tasks_backend']}"
        )
        queries = site.call("queries")
        print(
            f"queries: {len(queries['claim'])} a claim, {len(queries['codeword'])} a confirmation"
        )
        if args.show_queries:
            print_queries(queries, ("claim", "codeword"))

        server = site.start_server(workers=args.workers, threads=args.threads)
        bench = Bench(site, setup, server, args)
        size = len(server.wait_until_up(STATIC_TARGET))
        print(f"check {STATIC_TARGET}: HTTP 200, {size} bytes")

        groups, statics, warmup_errors = measure(bench, args)
        server_errors = server.exit_errors()
        errors = report(groups, statics, warmup_errors + server_errors, queries, setup, args)
        print(f"benchmark time {time.monotonic() - started:.0f} s")
        return 1 if errors else 0


if __name__ == "__main__":
    run_main(main, "gunicorn stopped, database dropped, files removed")
