"""Parts of a page that stay the same between content changes, kept in this process's memory.

The page cache (``cms.pagecache``) replays whole anonymous pages; what it cannot serve
(signed-in learners, first hits, query strings, 404s) is still rendered, and most of that work
repeats: which Site a host is, where each site's root pages are, the menu, the language links,
the programme page's activities, a video's player data. Each is kept here under the shared
content version (``cms.contentversion``), so a publish or a saved video changes the key and
empties the store (``on_forget``). When the version cannot be read (Redis or the database
down) nothing is cached and nothing is read from here: callers build afresh.

Keys name the language wherever the value holds text or links, and nothing per-user is stored.
This module reads no project models at import time (the import rule of contentversion).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.http.request import split_domain_port

from cms import contentversion

T = TypeVar("T")

# Enough for every menu, page and video of a programme site in each language; a flood of
# made-up host names or paths only pushes out the oldest entries.
MAX_ENTRIES = 2000

_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()
_MISSING = object()


@contentversion.on_forget
def clear() -> None:
    """Forget every cached part (the content version moved or cannot be read)."""
    with _lock:
        _entries.clear()


def cached(kind: str, key: tuple, build: Callable[[], T]) -> T:
    """The value cached for ``kind`` and ``key`` under the current content version, or
    ``build()``'s result, stored for next time. Without a readable version: ``build()``.

    The version is part of the key: a value built while another thread saw the version move
    is stored under the old one and never served under the new.
    """
    version = contentversion.current()
    if version is None:
        return build()
    full_key = (version, kind, *key)
    with _lock:
        value = _entries.get(full_key, _MISSING)
        if value is not _MISSING:
            _entries.move_to_end(full_key)
            return value  # type: ignore[return-value]
    value = build()
    with _lock:
        _entries[full_key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def _site_for_host(request):
    from wagtail.models import Site

    return Site._find_for_request(request)


def _site_root_paths():
    from wagtail.models import Site

    return Site.get_site_root_paths()


class CachedSiteMiddleware:
    """Tells Wagtail which Site serves the request, where the site roots are and the site's
    programme settings, from memory.

    Wagtail looks these up on every page (a query for the Site, a cache read for the root
    paths, a query for the settings); they only change with content, so they are kept under
    the content version. With no readable version this does nothing and Wagtail reads them as
    usual. Place it after ``cms.pagecache.PageCacheMiddleware``: a replayed page needs none.
    """

    def __init__(self, get_response):
        from cms.models.site_settings import ProgrammeSettings

        self.get_response = get_response
        self.settings_model = ProgrammeSettings
        self.settings_attr = ProgrammeSettings.get_cache_attr_name()

    def __call__(self, request):
        if contentversion.current() is not None:
            # The raw host, as Wagtail uses it: an unknown host falls back to the default site.
            host = split_domain_port(request._get_raw_host())[0]
            site = cached("site", (host, request.get_port()), lambda: _site_for_host(request))
            request._wagtail_site = site
            request._wagtail_cached_site_root_paths = cached("root-paths", (), _site_root_paths)
            if site is not None:
                programme = cached(
                    "programme-settings", (site.pk,), lambda: self.settings_model.for_site(site)
                )
                setattr(request, self.settings_attr, programme)
        return self.get_response(request)
