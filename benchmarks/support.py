"""What the server benchmarks share: gunicorn started and stopped in one place, its CPU time
from /proc, wrk for GET load, a keep-alive HTTP client for the rest, timing rounds, manage.py.

Imported by the scripts in this folder (they run as ``python benchmarks/<name>.py``, which puts
this folder on the import path). The project never imports anything from here.

Load for GETs comes from wrk (Debian package ``wrk``; installed with apt-get when missing and
running as root): it costs a third of a Python client's CPU, so the server is what is measured.
Each round also reads the server's CPU time (user + system of the gunicorn master and workers,
from ``/proc/<pid>/stat``), so every benchmark prints server CPU per request beside req/s: on a
small machine where client and server share the cores, that is the steadier figure.

The benchmarks that need a site of their own on PostgreSQL (quiz_submit.py, group_session.py)
share the rest: ``bench_site`` (a fresh database with the demo, temporary VAR_DIR and MEDIA_ROOT,
a ``DjangoChild`` running the benchmark's ``<name>_setup.py``, gunicorn; all stopped, dropped and
removed at the end), and the POST load generator, which runs in its own process (``python
benchmarks/support.py --loadgen JOB.json``) so that its CPU is not the benchmark's.
"""

import argparse
import asyncio
import json
import math
import os
import secrets
import shlex
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from setup_support import REPLY

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 10.0
NET_ERRORS = (OSError, EOFError, TimeoutError, ValueError, IndexError, asyncio.LimitOverrunError)
WRK_REPORT = Path(__file__).resolve().with_name("wrk_report.lua")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"


@dataclass
class Round:
    """One timed round against one target: latencies (or wrk's percentiles), errors, server CPU."""

    target: str
    requests: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    # From wrk, which reports percentiles rather than every latency: {50: ms, 95: ms, 99: ms}.
    percentiles: dict[int, float] | None = None
    answered: int | None = None
    server_cpu: float = 0.0  # seconds of gunicorn CPU (all processes) during the round

    @property
    def ok(self) -> int:
        return self.answered if self.answered is not None else len(self.latencies)

    @property
    def rps(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_ms(self) -> float:
        """Server CPU milliseconds per answered request."""
        return self.server_cpu * 1000 / self.ok if self.ok else float("nan")

    def percentile_ms(self, p: int) -> float:
        if self.percentiles is not None:
            return self.percentiles.get(p, float("nan"))
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    def summary(self) -> dict[str, float | int]:
        counts = {"requests": self.requests, "errors": self.errors, "rps": round(self.rps, 1)}
        counts |= {"server_cpu_ms_per_request": round(self.cpu_ms, 3)}
        return counts | {f"p{p}_ms": round(self.percentile_ms(p), 2) for p in (50, 95, 99)}


def median_round(rounds: list[Round]) -> Round:
    """The round with the median throughput."""
    return sorted(rounds, key=lambda r: r.rps)[len(rounds) // 2]


def print_table(rows: list[tuple[str, Round]], baseline: Round) -> None:
    """The median rounds side by side, with server CPU per request and ratios to the baseline."""
    row = "{:<22} {:>8} {:>6} {:>9} {:>8} {:>8} {:>8} {:>10} {:>8} {:>8}"
    names = ("req/s", "p50 ms", "p95 ms", "p99 ms", "cpu ms/req", "x req/s", "x cpu")
    header = row.format("target", "requests", "errors", *names)
    print(header, "-" * len(header), sep="\n")
    for label, r in rows:
        ms = (f"{r.percentile_ms(p):.2f}" for p in (50, 95, 99))
        print(
            row.format(
                label, r.requests, r.errors, f"{r.rps:.1f}", *ms, f"{r.cpu_ms:.3f}",
                f"{ratio(r.rps, baseline.rps):.3f}", f"{ratio(r.cpu_ms, baseline.cpu_ms):.2f}",
            )
        )  # fmt: skip
    print("(x req/s and x cpu: ratios to the baseline row, measured in the same run)")


# --- gunicorn -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:  # a free port; gunicorn binds it a moment later
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The name in parentheses may hold spaces: the fields after it are fixed.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


class Gunicorn:
    """gunicorn serving cms.wsgi on a free loopback port, with its log in ``log``."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int, threads: int) -> None:
        self.port, self.log = free_port(), log
        options = f"--bind 127.0.0.1:{self.port} --workers {workers} --threads {threads}"
        # No control socket: recent gunicorn would otherwise share ~/.gunicorn/gunicorn.ctl.
        options += " --no-control-socket --log-level warning"
        cmd = [sys.executable, "-m", "gunicorn", "cms.wsgi:application", *options.split()]
        print("$", shlex.join(cmd))
        with log.open("wb") as log_file:
            self.process = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log_file, stderr=log_file, start_new_session=True
            )

    def wait_until_up(self, path: str) -> bytes:
        """Wait until ``path`` answers 200 with a body; return the body."""
        return wait_until_up(self.process, self.port, self.log, path)

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and its workers so far."""
        pid = self.process.pid
        return sum(_cpu_seconds(p) for p in (pid, *_children(pid)))

    def running(self) -> bool:
        return self.process.poll() is None

    def exit_errors(self) -> int:
        """0 while it runs; else prints how it exited, with its log, and returns 1."""
        if self.running():
            return 0
        code, log = self.process.returncode, self.log.read_text()[-3000:]
        print(f"error: gunicorn exited with {code}:\n{log}")
        return 1

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- wrk ------------------------------------------------------------------------------------


def wrk_binary() -> str:
    """wrk's path; installs Debian's package when it is missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        # The package lists first: a fresh container has none, and the install would fail.
        print("$ apt-get update -qq && apt-get install -y wrk")
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=False)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is missing: install it (Debian: apt-get install wrk)")
    return found


def wrk_round(
    server: Gunicorn, path: str, *, seconds: float, concurrency: int, threads: int = 2,
    headers: dict[str, str] | None = None,
) -> Round:  # fmt: skip
    """GET ``path`` for ``seconds`` over ``concurrency`` keep-alive connections with wrk, with
    ``headers`` on every request (a signed-in browser's Cookie, say)."""
    url = f"http://127.0.0.1:{server.port}{path}"
    cmd = [wrk_binary(), f"-t{min(threads, concurrency)}", f"-c{concurrency}"]
    cmd += [f"-d{max(1, round(seconds))}s", f"--timeout={int(REQUEST_TIMEOUT)}s"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    cmd += ["-s", str(WRK_REPORT), url]
    before = server.cpu_seconds()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    cpu = server.cpu_seconds() - before
    lines = [x for x in done.stdout.splitlines() if x.startswith("WRK-RESULT ")]
    if done.returncode or not lines:
        sys.exit(f"wrk failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    out = json.loads(lines[-1].removeprefix("WRK-RESULT "))
    errors = sum(out["errors"].values())
    return Round(
        path, requests=out["requests"], errors=errors, elapsed=out["duration_us"] / 1e6,
        percentiles={p: out[f"p{p}_us"] / 1000 for p in (50, 95, 99)},
        answered=out["requests"] - out["errors"]["status"] - out["errors"]["timeout"],
        server_cpu=cpu,
    )  # fmt: skip


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1; reconnects after an error or close."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        return self.streams

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None

    async def request(self, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        """Send one raw request; the answer's status, headers (lower-case names) and body."""
        reader, writer = self.streams or await self.open()
        writer.write(raw)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)
        }
        if "content-length" not in headers:  # Django and WhiteNoise send it; else an error
            raise ValueError("response without Content-Length")
        body = await reader.readexactly(int(headers["content-length"]))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    async def get(self, path: str) -> tuple[int, bytes]:
        raw = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: benchmark\r\n\r\n"
        status, _headers, body = await self.request(raw.encode("ascii"))
        return status, body


async def fetch(port: int, path: str) -> tuple[int, bytes]:
    """One GET on a fresh connection, bounded by ``REQUEST_TIMEOUT``."""
    conn = Connection(port)
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            return await conn.get(path)
    finally:
        conn.close()


def manage(env: dict[str, str], *command: str, shown: str | None = None) -> str:
    """Run ``manage.py`` in a child process; exit with its output if it fails."""
    cmd = [sys.executable, "manage.py", *command]
    print("$", shown or shlex.join(cmd))
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{shlex.join(cmd)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done.stdout


def wait_until_up(server: subprocess.Popen[bytes], port: int, log: Path, path: str) -> bytes:
    """Wait (up to 60 s) until ``path`` answers 200 with a body; return that body."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            status, body = asyncio.run(fetch(port, path))
            if status == 200 and body:
                return body
        except NET_ERRORS:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not start answering on port {port}:\n{log.read_text()[-3000:]}")


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def positive(text: str) -> int:
    """An argparse type: a whole number above zero."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


# Integrations a benchmarked server must not inherit from the caller's shell.
SCRUBBED = (
    "DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "EMAIL_HOST", "EMAIL_BACKEND",
    "TASKS_BACKEND",
)  # fmt: skip


def production_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a benchmarked Django process: production settings with fresh secrets,
    its own var/ and media under ``tmp``, none of the caller's integrations, plus ``extra``.

    ``BENCH_DATABASE_URL`` and ``BENCH_REDIS_URL`` switch on PostgreSQL and Redis for a run.
    """
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env |= {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "OPEN_BADGES_SIGNING_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(tmp / "var"),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
    }
    if url := os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = url
    if url := os.environ.get("BENCH_REDIS_URL"):
        env |= {"REDIS_URL": url, "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}"}
    return env | extra


def add_server_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every wrk-driven server benchmark takes: load shape and gunicorn size."""
    add = parser.add_argument
    add("--concurrency", type=positive, default=16, help="open connections (16)")
    add("--duration", type=float, default=10.0, help="seconds a round (10)")
    add("--rounds", type=positive, default=3, help="rounds a target, alternating (3)")
    add("--warmup", type=float, default=2.0, help="warm-up seconds a target (2)")
    add("--workers", type=positive, default=2, help="gunicorn workers (2)")
    add("--threads", type=positive, default=4, help="threads a gunicorn worker (4)")


def parse_server_load_arguments(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parse, refusing a round length wrk cannot sensibly run."""
    args = parser.parse_args()
    if not 0 < args.duration <= 600:
        parser.error("--duration must be between 0 and 600 seconds")
    return args


def run_main(main: Callable[[], int], interrupted: str) -> None:
    """``sys.exit(main())``; on Ctrl-C, say ``interrupted`` (what was cleaned up) and exit 130."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print(f"interrupted; {interrupted}", file=sys.stderr)
        sys.exit(130)


# --- POST load generator (its own process: ``python benchmarks/support.py --loadgen JOB``) ---


def browser_sessions(setup: dict[str, Any]) -> list[dict[str, str]]:
    """For each session key of ``setup`` (a setup script's reply): the Cookie header of that
    logged-in browser, with a CSRF cookie of its own, and the token to post with it."""
    alphabet = string.ascii_letters + string.digits  # Django's CSRF_ALLOWED_CHARS
    browsers = []
    for session in setup["sessions"]:
        csrf = "".join(secrets.choice(alphabet) for _ in range(32))  # an unmasked secret
        cookie = f"{setup['session_cookie']}={session}; {setup['csrf_cookie']}={csrf}"
        browsers.append({"cookie": cookie, "csrf": csrf})
    return browsers


def post_request(
    port: int, path: str, browser: dict[str, str], fields: list, *, referer: str, agent: str
) -> str:
    """A raw form POST of ``fields`` (CSRF token first) from ``browser`` (``browser_sessions``),
    as a same-origin form on ``referer`` sends it."""
    body = urllib.parse.urlencode([("csrfmiddlewaretoken", browser["csrf"]), *fields])
    origin = f"http://127.0.0.1:{port}"
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"User-Agent: {agent}\r\nCookie: {browser['cookie']}\r\n"
        f"Origin: {origin}\r\nReferer: {origin}{referer}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n{body}"
    )


async def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Sends each of the job's items once, over up to ``concurrency`` connections: all of them
    are opened first, then every worker starts at the same moment; stops early after
    ``duration`` seconds if that is not None.

    An item is ``{"raw": request, "status": expected, "location": expected or absent, "size":
    expected body length or absent}``; an answer that differs is an error, with a sample kept.
    ``ok`` lists the items answered as expected.
    """
    items = job["items"]
    raws = [item["raw"].encode("latin-1") for item in items]  # ASCII: quoted paths, urlencoded
    out: dict[str, Any] = {"requests": 0, "errors": 0, "latencies": [], "samples": [], "ok": []}
    connections = [Connection(job["port"]) for _ in range(min(job["concurrency"], len(items)))]
    await asyncio.gather(*(c.open() for c in connections))  # every connection first
    go = asyncio.Event()
    next_item = 0
    deadline = math.inf

    def failed(text: str) -> None:
        out["errors"] += 1
        if len(out["samples"]) < 5:
            out["samples"].append(text)

    async def worker(conn: Connection) -> None:
        nonlocal next_item
        await go.wait()
        while next_item < len(items) and time.perf_counter() < deadline:
            index = next_item
            next_item += 1
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
                out["ok"].append(index)

    workers = [asyncio.create_task(worker(c)) for c in connections]
    await asyncio.sleep(0)  # every worker waits at the barrier
    start = time.perf_counter()
    if job.get("duration") is not None:
        deadline = start + job["duration"]
    go.set()
    try:
        await asyncio.gather(*workers)
    finally:
        out["elapsed"] = time.perf_counter() - start
        for conn in connections:
            conn.close()
    return out


def loadgen_main(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text())
    print(json.dumps(asyncio.run(run_job(job))))
    return 0


@dataclass
class LoadRound(Round):
    """A round from the POST load generator: also which items were answered as expected, and
    samples of the errors (for the benchmark to print)."""

    answered_items: list[int] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)


def loadgen_round(
    server: Gunicorn, tmp: Path, target: str, items: list[dict], *, concurrency: int,
    timeout: float, duration: float | None = None,
) -> LoadRound:  # fmt: skip
    """Runs the load-generator process on these items (see ``run_job``); its results and the
    server's CPU meanwhile."""
    job = {
        "port": server.port, "concurrency": concurrency, "timeout": timeout,
        "duration": duration, "items": items,
    }  # fmt: skip
    job_path = tmp / "job.json"
    job_path.write_text(json.dumps(job))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--loadgen", str(job_path)]
    before = server.cpu_seconds()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    cpu = server.cpu_seconds() - before
    if done.returncode:
        sys.exit(f"the load generator failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    out = json.loads(done.stdout)
    return LoadRound(
        target, requests=out["requests"], errors=out["errors"], elapsed=out["elapsed"],
        latencies=out["latencies"], server_cpu=cpu, answered_items=out["ok"],
        samples=out["samples"],
    )  # fmt: skip


# --- A site of its own on PostgreSQL, with a Django child process ---------------------------


class DjangoChild:
    """A long-lived Django process (a benchmark's ``<name>_setup.py``, see setup_support.py)
    that answers one JSON command a line on stdin with one ``BENCH-REPLY {json}`` line."""

    def __init__(self, script: Path, env: dict[str, str], log: IO[bytes]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(script)], cwd=ROOT, env=env, stdin=subprocess.PIPE,
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


def database_urls(base: str, prefix: str) -> tuple[str, str, str]:
    """(maintenance URL for psycopg, URL of a fresh database ``<prefix>_<random>`` for Django,
    its name)."""
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("postgres", "postgresql") or not parts.hostname:
        sys.exit(f"--database-url must be a postgres:// URL with a host, got {base!r}")
    name = f"{prefix}_{secrets.token_hex(4)}"
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


def child_env(tmp: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of the Django child and gunicorn: production settings on that database."""
    return production_env(tmp, DATABASE_URL=database_url, **extra)


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL server (and maintenance database) to create the fresh database on "
        "(BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)",
    )  # fmt: skip


@dataclass
class Site:
    """What ``bench_site`` made: the environment, the temporary folder, the Django child and
    (once ``start_server`` is called) gunicorn."""

    tmp: Path
    env: dict[str, str]
    child: DjangoChild | None = None
    child_log: IO[bytes] | None = None
    server: Gunicorn | None = None

    def call(self, command: str, **arguments: Any) -> dict[str, Any]:
        """One command to the Django child."""
        if self.child is None:
            raise RuntimeError("the Django setup process is not running")
        return self.child.call(command, **arguments)

    def start_server(self, *, workers: int, threads: int) -> Gunicorn:
        self.server = Gunicorn(
            self.env, self.tmp / "gunicorn.log", workers=workers, threads=threads
        )
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self.child is not None:
            self.child.stop()
        if self.child_log is not None:
            self.child_log.close()


@contextmanager
def bench_site(
    *, database_url: str, database_prefix: str, tmp_prefix: str, setup_script: Path, **env: str
) -> Iterator[Site]:
    """A fresh PostgreSQL database ``<database_prefix>_<random>`` on the server of
    ``database_url`` (its database only used to create and drop it), migrated, with the demo
    (no videos) and collectstatic; a temporary VAR_DIR and MEDIA_ROOT; ``setup_script`` running
    as the Django child, its stderr in setup.log; production settings plus ``env``. At the end,
    also after an error: gunicorn and the child stopped, the database dropped, the files gone."""
    maintenance, fresh, name = database_urls(database_url, database_prefix)
    tmp = Path(tempfile.mkdtemp(prefix=tmp_prefix))
    site = Site(tmp, child_env(tmp, fresh, **env))
    created = False
    try:
        host = urllib.parse.urlsplit(maintenance).hostname
        print(f"temporary VAR_DIR and MEDIA_ROOT in {tmp}; database {name} on {host}")
        database_create(maintenance, name)
        created = True
        manage(site.env, "migrate", "--no-input", "-v0")
        manage(site.env, "load_demo", "--no-videos")
        manage(site.env, "collectstatic", "--no-input", "-v0")
        site.child_log = (tmp / "setup.log").open("wb")
        site.child = DjangoChild(setup_script, site.env, site.child_log)
        yield site
    finally:
        site.stop()
        if created:
            database_drop(maintenance, name)
        shutil.rmtree(tmp, ignore_errors=True)


def print_queries(queries: dict[str, list[str]], kinds: tuple[str, ...]) -> None:
    """The SQL a setup script captured, for ``--show-queries``."""
    for kind in kinds:
        for number, query in enumerate(queries[kind], 1):
            print(f"  {kind} {number:2}: {query[:150]}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--loadgen":
        sys.exit("usage: support.py --loadgen JOB.json (run by the benchmarks)")
    sys.exit(loadgen_main(sys.argv[2]))
