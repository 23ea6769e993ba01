"""PostgreSQL's side of a request: CPU time of the server processes serving one database.

Each client connection to PostgreSQL is a backend process on this machine; its user + system
CPU is in ``/proc/<pid>/stat`` like any process's. ``BackendCpu`` lists the client backends
connected to one database (``pg_stat_activity``, over a connection to another database, so
the measuring adds nothing to what it measures) and sums their CPU between two snapshots. A
backend that connects during a round counts from its start; one that disconnects during a
round takes its CPU with it, so the benchmarks keep their connections for the whole run
(``DATABASE_CONN_MAX_AGE``) and print how many backends ended.

Only for a PostgreSQL server on this machine (127.0.0.1), run by a user who may read its
processes' ``/proc`` entries (root here). Part of the benchmarks, not of the project.
"""

import os
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


@dataclass
class Snapshot:
    """CPU seconds so far of each client backend of the database, by process id."""

    cpu: dict[int, float]


class BackendCpu:
    """Snapshots of the CPU of every client backend connected to ``database``."""

    def __init__(self, maintenance_url: str, database: str) -> None:
        import psycopg

        self.database = database
        self.conn = psycopg.connect(maintenance_url, autocommit=True, connect_timeout=10)

    def snapshot(self) -> Snapshot:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = %s",
            (self.database, "client backend"),
        ).fetchall()
        cpu = {}
        for (pid,) in rows:
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                cpu[pid] = seconds
        return Snapshot(cpu)

    @staticmethod
    def between(before: Snapshot, after: Snapshot) -> tuple[float, int]:
        """(CPU seconds the backends spent between the snapshots, backends that ended)."""
        spent = sum(s - before.cpu.get(pid, 0.0) for pid, s in after.cpu.items())
        ended = len(set(before.cpu) - set(after.cpu))
        return spent, ended

    def close(self) -> None:
        self.conn.close()
