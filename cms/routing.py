"""Wagtail's page serving with the route of each page address kept in memory.

Wagtail finds the page for an address level by level (the site's root page in the active
language, then one child query per slug, then the specific page) on every request. For GET and
HEAD the result is kept in ``cms.layoutcache`` per site, language and path under the content
version, which every publish, unpublish, move and delete raises; each request gets its own copy
of the page. Wagtail's ``serve`` view then runs as always with that route (it reads it from the
attribute it caches routes in), so every ``before_serve_page`` hook (view restrictions,
passwords, groups) still decides who may see the page.
"""

import copy

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from cms import layoutcache

# Where Wagtail keeps a request's route (``Page.route_for_request``).
_ROUTE_ATTRIBUTE = "_wagtail_route_for_request"


def serve(request: HttpRequest, path: str) -> HttpResponse:
    if request.method in ("GET", "HEAD") and not hasattr(request, _ROUTE_ATTRIBUTE):
        route = _cached_route(request, path)
        if route is not None:
            setattr(request, _ROUTE_ATTRIBUTE, route)
    return wagtail_views.serve(request, path)


def _cached_route(request: HttpRequest, path: str):
    site = Site.find_for_request(request)
    if site is None:
        return None
    key = (site.pk, translation.get_language(), path)
    found = layoutcache.cached("page-route", key, lambda: _route(request, path))
    if found is None:
        return None
    page, args, kwargs = found
    return type(found)(copy.copy(page), args, dict(kwargs))


def _route(request: HttpRequest, path: str):
    """Wagtail's own route for ``path``, if it is a live page's (nothing else is kept)."""
    route = Page.route_for_request(request, path)
    if route is None or not route.page.live:
        return None
    return route
