"""The anonymous page cache: a public page is rendered once and then replayed from memory.

It sits right after WhiteNoise, so a hit costs about as much as a static file: no session,
no user, no URL routing, no template. Each process keeps its own bodies (an LRU bounded by
``PAGE_CACHE_MAX_ENTRIES`` and ``PAGE_CACHE_MAX_BYTES``); every entry carries the shared
content version (``cms.contentversion``) read before its page was rendered, and is replayed only
while that is still the current version. A content change raises the version, so every
process stops serving the old page within ``PAGE_CACHE_VERSION_INTERVAL`` seconds. Entries
are rendered afresh after ``PAGE_CACHE_MAX_AGE`` seconds anyway, in case a change could not
raise the version (its store was down at that moment).

Only requests that cannot be personal are looked up: GET or HEAD, no query string, no session
or messages cookie, no credentials, and not under the account, learner, group-session and admin
areas. Only responses that prove they are public are stored: a 200 HTML page rendered for an
anonymous user that set no cookie, used no CSRF token, wrote nothing to the session, and said
neither ``private`` nor ``no-store``. Browsers get an ETag and ``Cache-Control: no-cache``, so
they revalidate (a 304 costs nothing here) instead of keeping a page after a publish.

This module must not import page models at module level (``cms.contentversion`` is the only
project import): the middleware is loaded before the URLconf and before every page model.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import parse_etags
from django.utils.functional import empty
from django.utils.translation import get_language_from_path

from cms import contentversion

HEADER = "X-Page-Cache"

# After the language prefix (i18n_patterns; Bokmål has none). Pages under these are about the
# person asking, change without a content change (a revoked certificate, a group session's
# state) or belong to staff: never looked up, never stored.
PRIVATE_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/healthz",
    "/i18n/",
    "/konto/",
    "/min-side/",
    "/gruppe/",
    "/institusjon/",
    "/kursbevis/",
    "/v/",
    "/badges/",
    "/documents/",
    "/_util/",  # Wagtail's sign-in and password forms for restricted pages
)
# The messages framework's cookie (django.contrib.messages.storage.cookie.CookieStorage).
MESSAGES_COOKIE = "messages"
# Vary headers the key covers: the language comes from the path, and Content-Language is
# checked against it before storing. Vary: Cookie is covered because only requests without a
# session or messages cookie are looked up (see _public_session below).
COVERED_VARY = frozenset({"accept-language", "cookie"})
# Headers that describe one delivery, not the page.
NOT_REPLAYED = frozenset({HEADER.lower(), "etag", "cache-control", "set-cookie", "date"})


@dataclass(frozen=True, slots=True)
class Entry:
    version: int
    stored_at: float  # time.monotonic()
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str


class PageStore:
    """Bodies and headers by key, least recently used first out; safe across threads."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple, version: int) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            max_age = getattr(settings, "PAGE_CACHE_MAX_AGE", 300)
            if entry.version != version or time.monotonic() - entry.stored_at > max_age:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        max_entries = getattr(settings, "PAGE_CACHE_MAX_ENTRIES", 1000)
        max_bytes = getattr(settings, "PAGE_CACHE_MAX_BYTES", 64 * 1024 * 1024)
        size = len(entry.body)
        if size > max_bytes or max_entries < 1:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > max_entries or self._bytes > max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.body)


pages = PageStore()
contentversion.on_forget(pages.clear)


def _key(request: HttpRequest) -> tuple | None:
    """(scheme, host, path, language) when the request may get a shared page, else None."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    path = request.path_info
    language = get_language_from_path(path)
    unprefixed = path[len(language) + 1 :] if language else path
    if unprefixed.startswith(PRIVATE_PREFIXES):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # Django answers 400 further in
    return (request.scheme, host, request.path, language or settings.LANGUAGE_CODE)


def _public_session(request: HttpRequest) -> bool:
    # Looking at the user in the page header reads the session, but with no session cookie
    # there is nothing to read: only a session the page wrote to makes it personal.
    session = getattr(request, "session", None)
    return session is None or (not session.modified and session.session_key is None)


def _anonymous(request: HttpRequest) -> bool:
    user = request.__dict__.get("user")
    if user is None:
        return True
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty:
        return True  # the page never asked who is there; do not read the session now
    return not wrapped.is_authenticated


def _storable(request: HttpRequest, response: HttpResponseBase, language: str) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html") or response.cookies:
        return False
    if response.get("Content-Language", language) != language:
        return False
    cache_control = {
        part.strip().split("=", 1)[0].lower()
        for part in response.get("Cache-Control", "").split(",")
    }
    if cache_control & {"private", "no-store"}:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    if not vary <= COVERED_VARY:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "_queued_messages", None):
        return False
    return _public_session(request) and _anonymous(request)


def _entry(version: int, response: HttpResponse) -> Entry:
    body = response.content
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in NOT_REPLAYED
    )
    etag = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    return Entry(version=version, stored_at=time.monotonic(), body=body, headers=headers, etag=etag)


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    # If-None-Match compares weakly: W/"x" matches "x".
    return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)


def _replay(request: HttpRequest, entry: Entry, state: str) -> HttpResponseBase:
    if _matches(request, entry.etag):
        response: HttpResponseBase = HttpResponseNotModified()
        for name, value in entry.headers:
            if name.lower() in ("vary", "content-language", "content-security-policy"):
                response[name] = value
    else:
        response = HttpResponse(entry.body)
        for name, value in entry.headers:
            response[name] = value
    response["ETag"] = entry.etag
    response["Cache-Control"] = "no-cache"
    response[HEADER] = state
    return response


def _raise_if_database_down(started: float) -> None:
    """The version lives in the page's own database and could not even connect just now.

    The page cannot render without that database, and trying again would make the visitor wait
    for a second connect timeout: fail the request now (Django answers with the 500 page).
    """
    if getattr(settings, "PAGE_CACHE_VERSION_STORE", "database") != "database":
        return
    error = contentversion.read_error(since=started)
    if isinstance(error, DatabaseError) and connections["default"].connection is None:
        raise error


class PageCacheMiddleware:
    """Replays stored anonymous pages; stores the ones that prove they are public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.PAGE_CACHE_ENABLED:
            return self.get_response(request)
        key = _key(request)
        if key is None:
            return self.get_response(request)
        started = time.monotonic()
        version = contentversion.current()
        if version is None:
            _raise_if_database_down(started)
            return self.get_response(request)
        entry = pages.get(key, version)
        if entry is not None:
            return _replay(request, entry, "hit")
        response = self.get_response(request)
        if _storable(request, response, key[3]):
            entry = _entry(version, response)
            pages.put(key, entry)
            if _matches(request, entry.etag):
                return _replay(request, entry, "miss")
            response["ETag"] = entry.etag
            response["Cache-Control"] = "no-cache"
        response[HEADER] = "miss"
        return response
