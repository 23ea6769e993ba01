"""A database or Redis that accepts connections but never answers must not hang the site.

The "server" here is a real listening socket that never accepts or replies (what a wrong port
with another service, or a wedged proxy, looks like to a client). The site runs in a child
process pointed at it, as it would be in production.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child: one request through the whole middleware stack, and its status and time.
REQUEST = """
import json, sys, time
import django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client(raise_request_exception=False).get(sys.argv[1])
print(json.dumps({"status": response.status_code, "seconds": time.monotonic() - started}))
"""

CACHE = """
import json, time
import django
django.setup()
from django.core.cache import cache
started = time.monotonic()
try:
    cache.set("probe", 1)
    outcome = "stored"
except Exception as exc:
    outcome = type(exc).__name__
print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - started}))
"""


@pytest.fixture
def silent_port():
    """A port where something listens (the kernel completes the handshake) and never speaks."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def _child(code: str, *args: str, env: dict[str, str], tmp_path) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS"))}
    base |= {"DJANGO_SETTINGS_MODULE": "cms.settings.test", "VAR_DIR": str(tmp_path)} | env
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=base,
        capture_output=True, text=True, timeout=40,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_healthz_answers_503_quickly_when_the_database_never_answers(silent_port, tmp_path):
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_port}/kompetanse",
        "DATABASE_CONNECT_TIMEOUT": "3",
    }
    started = time.monotonic()
    result = _child(REQUEST, "/healthz", env=env, tmp_path=tmp_path)
    assert result["status"] == 503
    assert result["seconds"] < 8, result
    assert time.monotonic() - started < 20


def test_a_page_fails_quickly_when_the_database_never_answers(silent_port, tmp_path):
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_port}/kompetanse",
        "DATABASE_CONNECT_TIMEOUT": "3",
    }
    result = _child(REQUEST, "/", env=env, tmp_path=tmp_path)
    assert result["status"] == 500
    assert result["seconds"] < 8, result


def test_cache_fails_quickly_when_redis_never_answers(silent_port, tmp_path):
    env = {"REDIS_URL": f"redis://127.0.0.1:{silent_port}/0", "REDIS_TIMEOUT": "2"}
    result = _child(CACHE, env=env, tmp_path=tmp_path)
    assert result["outcome"] != "stored"
    assert result["seconds"] < 4, result
