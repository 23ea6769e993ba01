"""The shared content version: one number that says whether anything a visitor sees changed.

Cached pages (``cms.pagecache``) and cached layout fragments carry the version they were made
under. Content changes (publish, unpublish, moves, deletes, snippets, documents, videos,
captions, site settings) call ``bump()``: at once this process forgets what it read, and after
the transaction commits the shared value goes up, so every other process sees it within
``PAGE_CACHE_VERSION_INTERVAL`` seconds. Learner writes (sessions, attempts, progress) never
bump it.

The value lives in Redis when the site has one (``PAGE_CACHE_VERSION_STORE = "redis"``) and
otherwise in one database row (``cms.ContentVersion``) that every process of ``make run`` reads.
A production site with more than one process needs one of the two shared stores; a per-process
cache would let each process serve its own stale copy.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

REDIS_KEY = "cms:content-version"

# What this process last read: (value or None when the store could not be read, monotonic time).
_read: tuple[int | None, float] | None = None
# The last failed read: (the error, monotonic time), for callers that must tell "the store is
# down right now" from "no version" (cms.pagecache fails fast when the database is down).
_failure: tuple[BaseException, float] | None = None
_lock = threading.Lock()
# Called with no arguments whenever this process learns the version changed or is unknown
# (cms.pagecache empties its bodies, layout caches theirs).
_forget_hooks: list[Callable[[], None]] = []


def on_forget(hook: Callable[[], None]) -> Callable[[], None]:
    """Register ``hook`` to run when this process's cached content must be dropped."""
    if hook not in _forget_hooks:
        _forget_hooks.append(hook)
    return hook


def _row_model():
    # By name from the app registry: this module sits below every app that caches things, and
    # importing cms.models here would tie it back up to the pages and what they import.
    return apps.get_model("cms", "ContentVersion")


def _store() -> str:
    return getattr(settings, "PAGE_CACHE_VERSION_STORE", "database")


def _read_shared() -> int:
    if _store() == "redis":
        return int(cache.get(REDIS_KEY) or 0)
    return _row_model().objects.filter(pk=1).values_list("value", flat=True).first() or 0


def current() -> int | None:
    """The shared version, read at most once per ``PAGE_CACHE_VERSION_INTERVAL`` seconds.

    None when the store cannot be read (database or Redis down): callers then neither serve
    nor store anything cached. A failure is remembered for the interval too, so a request does
    not wait for a dead store twice.
    """
    global _read, _failure
    interval = getattr(settings, "PAGE_CACHE_VERSION_INTERVAL", 1.0)
    now = time.monotonic()
    seen = _read
    if seen is not None and now - seen[1] < interval:
        return seen[0]
    with _lock:
        seen = _read
        if seen is not None and time.monotonic() - seen[1] < interval:
            return seen[0]
        try:
            value: int | None = _read_shared()
        except Exception as exc:  # noqa: BLE001 - any store failure means "unknown"
            logger.warning("The content version could not be read: %s", exc)
            value = None
            _failure = (exc, time.monotonic())
        previous = seen[0] if seen is not None else None
        _read = (value, time.monotonic())
    if value is None or (previous is not None and value != previous):
        # Only the cached content goes: the value just read (or the failure) is kept for the
        # interval, so the next request neither reads again nor waits for a dead store.
        _drop_cached()
    return value


def read_error(*, since: float) -> BaseException | None:
    """Why the store could not be read, if a read at or after ``since`` (monotonic) failed."""
    failure = _failure
    if failure is None or failure[1] < since:
        return None
    return failure[0]


def forget() -> None:
    """Drop this process's copy of the version and everything cached under it."""
    global _read
    _read = None
    _drop_cached()


def _drop_cached() -> None:
    for hook in list(_forget_hooks):
        hook()


def _raise_shared() -> None:
    try:
        if _store() == "redis":
            try:
                cache.incr(REDIS_KEY)
            except ValueError:  # not there yet (or Redis was flushed)
                if not cache.add(REDIS_KEY, 1, timeout=None):
                    cache.incr(REDIS_KEY)
            # No expiry: the value must only ever go up while processes hold pages under it.
            cache.touch(REDIS_KEY, timeout=None)
        else:
            from django.db.models import F

            ContentVersion = _row_model()
            raised = ContentVersion.objects.filter(pk=1).update(value=F("value") + 1)
            if not raised:
                # First change ever: make the row, then raise it like everyone else does, so
                # two processes making it at once still each move the value on.
                ContentVersion.objects.get_or_create(pk=1, defaults={"value": 0})
                ContentVersion.objects.filter(pk=1).update(value=F("value") + 1)
    except Exception as exc:  # noqa: BLE001 - redis-py's errors are not OSErrors
        # Content is already saved and the editor must not get an error for it; other
        # processes' pages age out (PAGE_CACHE_MAX_AGE).
        logger.error("The content version could not be raised: %s", exc)
    forget()


def bump() -> None:
    """Say that content changed: forget now, raise the shared version after commit."""
    forget()
    transaction.on_commit(_raise_shared)
