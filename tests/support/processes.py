"""What a test needs to run part of the site in another process: the test database's URL, a port."""

import os
import signal
import socket
import subprocess

from django.db import connection


def database_url() -> str:
    """The URL of the database this test runs on, for a server or worker in a subprocess."""
    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{conf['NAME']}"
    user = conf.get("USER") or ""
    auth = f"{user}:{conf['PASSWORD']}@" if conf.get("PASSWORD") else (f"{user}@" if user else "")
    host = f"{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}"
    return f"postgres://{auth}{host}/{conf['NAME']}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Stop a server started in its own session: SIGTERM, then its whole group after 20 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
