"""What the server benchmarks share: gunicorn started and stopped in one place, its CPU time
from /proc, wrk for GET load, a keep-alive HTTP client for the rest, timing rounds, manage.py.

Imported by the scripts in this folder (they run as ``python benchmarks/<name>.py``, which puts
this folder on the import path). The project never imports anything from here.

Load for GETs comes from wrk (Debian package ``wrk``; installed with apt-get when missing and
running as root): it costs a third of a Python client's CPU, so the server is what is measured.
Each round also reads the server's CPU time (user + system of the gunicorn master and workers,
from ``/proc/<pid>/stat``), so every benchmark prints server CPU per request beside req/s: on a
small machine where client and server share the cores, that is the steadier figure.
"""

import argparse
import asyncio
import json
import os
import secrets
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 10.0
NET_ERRORS = (OSError, EOFError, TimeoutError, ValueError, IndexError, asyncio.LimitOverrunError)
WRK_REPORT = Path(__file__).resolve().with_name("wrk_report.lua")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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
        print("$ apt-get install -y wrk")
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=False)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is missing: install it (Debian: apt-get install wrk)")
    return found


def wrk_round(
    server: Gunicorn, path: str, *, seconds: float, concurrency: int, threads: int = 2
) -> Round:
    """GET ``path`` for ``seconds`` over ``concurrency`` keep-alive connections with wrk."""
    url = f"http://127.0.0.1:{server.port}{path}"
    cmd = [wrk_binary(), f"-t{min(threads, concurrency)}", f"-c{concurrency}"]
    cmd += [f"-d{max(1, round(seconds))}s", f"--timeout={int(REQUEST_TIMEOUT)}s"]
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
