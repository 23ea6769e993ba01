"""What the server benchmarks share: a keep-alive HTTP client, timing rounds, running manage.py.

Imported by the scripts in this folder (they run as ``python benchmarks/<name>.py``, which puts
this folder on the import path).
"""

import argparse
import asyncio
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 10.0
NET_ERRORS = (OSError, EOFError, TimeoutError, ValueError, IndexError, asyncio.LimitOverrunError)


@dataclass
class Round:
    """One timed round against one target: every latency, and what failed."""

    target: str
    requests: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    def summary(self) -> dict[str, float | int]:
        counts = {"requests": self.requests, "errors": self.errors, "rps": round(self.rps, 1)}
        return counts | {f"p{p}_ms": round(self.percentile_ms(p), 2) for p in (50, 95, 99)}


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
