"""Checks behind /healthz: can we reach the database, the file storage and the task queue?"""

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.utils import timezone

from cms.storage import storage_probe


@dataclass
class CheckResult:
    """The outcome of one check, as reported in the JSON."""

    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)
    milliseconds: float = 0.0

    def as_dict(self, *, details: bool) -> dict[str, Any]:
        # Hosts, ports, bucket names and error texts help an attacker map the inside: only
        # staff (or a site that opts in with HEALTHZ_DETAILS) see them.
        if not details:
            return {"ok": self.ok}
        return {"ok": self.ok, "ms": round(self.milliseconds, 1), **self.detail}


def _timed(check) -> CheckResult:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", with the reason
        result = CheckResult(ok=False, detail={"error": f"{type(exc).__name__}: {exc}"[:300]})
    result.milliseconds = (time.perf_counter() - started) * 1000
    return result


def check_database() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return CheckResult(ok=True, detail={"vendor": connection.vendor})


def check_storage() -> CheckResult:
    # One HEAD request on S3: it also proves that our credentials are accepted.
    storage = storages["default"]
    storage_probe(storage)
    detail = {"backend": type(storage).__name__}
    if isinstance(storage, FileSystemStorage):
        location = Path(storage.location)
        if location.exists() and not os.access(location, os.W_OK):
            return CheckResult(ok=False, detail={**detail, "error": "media folder not writable"})
    return CheckResult(ok=True, detail=detail)


def check_tasks() -> CheckResult:
    backend_path = settings.TASKS["default"]["BACKEND"]
    if backend_path != "django_tasks_db.DatabaseBackend":
        return CheckResult(ok=True, detail={"backend": backend_path.rsplit(".", 1)[-1]})

    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    count = waiting.count()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    wait_seconds = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    # A queue whose oldest task has waited too long has no worker taking from it.
    ok = wait_seconds <= settings.HEALTHZ_TASK_MAX_WAIT
    detail = {"backend": "database", "waiting": count, "oldest_wait_s": round(wait_seconds)}
    if not ok:
        detail["error"] = (
            "tasks are waiting longer than HEALTHZ_TASK_MAX_WAIT: is a worker running?"
        )
    return CheckResult(ok=ok, detail=detail)


CHECKS = {"database": check_database, "storage": check_storage, "tasks": check_tasks}
# Checks that read the database: with the database down they fail at once instead of waiting
# for another connect timeout each.
NEEDS_DATABASE = {"tasks"}


def run_checks() -> dict[str, CheckResult]:
    """Run every check; one failing does not stop the others."""
    results: dict[str, CheckResult] = {}
    for name, check in CHECKS.items():
        if name in NEEDS_DATABASE and not results["database"].ok:
            results[name] = CheckResult(ok=False, detail={"error": "the database is unavailable"})
        else:
            results[name] = _timed(check)
    return results
