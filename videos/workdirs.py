"""Temporary folders of transcode jobs on this machine, and clearing up after dead ones.

A pure leaf module (no models, no database). Every job works in a folder named
``kompetanse-transcode-<video id>-<random>`` under the temporary directory and holds an
``flock`` on a file in it for as long as it runs. The lock belongs to the open file, so the
kernel releases it however the process ends (SIGKILL, the OOM killer, a crash); a sweep that can
take it knows the job is dead, even if its pid has since been reused.
"""

import fcntl
import logging
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

__all__ = ["PREFIX", "DeadWorkdirs", "workdir_create", "workdirs_clean"]

logger = logging.getLogger(__name__)

PREFIX = "kompetanse-transcode-"
_OWNER_LOCK = ".owner"


@dataclass
class DeadWorkdirs:
    """What ``workdirs_clean`` removed, and the processes it had to kill first."""

    removed: list[str] = field(default_factory=list)
    processes_killed: list[int] = field(default_factory=list)


def workdir_create(video_id: int) -> tuple[Path, BinaryIO]:
    """A fresh folder for one job, and the open file whose lock says the job is alive.

    Keep the file open for the job's lifetime and close it after removing the folder.
    """
    workdir = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{video_id}-"))
    lock = open(workdir / _OWNER_LOCK, "wb")  # noqa: SIM115 - held for the job's lifetime
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return workdir, lock


def workdirs_clean(*, older_than: float) -> DeadWorkdirs:
    """Remove the folders of dead jobs under the temporary directory, killing what still uses them.

    A folder is dead when its owner lock can be taken, or, when it has no lock file (a job
    between creating the folder and taking the lock, or a stray), when it is older than
    ``older_than`` seconds. A live job's folder, in this process or another, is left alone.
    """
    result = DeadWorkdirs()
    oldest = time.time() - older_than
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            with open(folder / _OWNER_LOCK, "rb") as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # A live job holds it.
                _remove(folder, result)
        except FileNotFoundError:
            try:
                if folder.stat().st_mtime < oldest:
                    _remove(folder, result)
            except FileNotFoundError:
                continue
    return result


def _remove(folder: Path, result: DeadWorkdirs) -> None:
    result.processes_killed += _kill_processes_using(folder)
    shutil.rmtree(folder, ignore_errors=True)
    result.removed.append(str(folder))
    logger.warning("Removed the temporary folder of a dead transcode: %s", folder)


def _kill_processes_using(folder: Path) -> list[int]:
    """SIGKILL every process whose command line names a file in ``folder`` (an orphan ffmpeg).

    ffmpeg dies with its worker (``videos.media._die_with_parent``); this catches one that did
    not, for example a worker killed in the instant between starting ffmpeg and arming that.
    Linux only (``/proc``); elsewhere nothing is killed.
    """
    needle = os.fsencode(folder) + b"/"
    killed: list[int] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return killed
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # Gone meanwhile, or not ours to read.
        if any(argument.startswith(needle) for argument in arguments):
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                continue
            killed.append(int(entry.name))
    return killed
