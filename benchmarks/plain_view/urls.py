"""The site's URLs plus ``/bench-plain/``: a view that returns fixed bytes (see settings.py).

The bytes are the programme page that benchmarks/serve_home.py saved (BENCH_PLAIN_BODY), so the
plain view, the rendered page and the static copy send the same amount; without the variable
it answers a short page. Read once at import: the view itself does nothing but answer.
"""

import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cms import urls as site_urls

_path = os.environ.get("BENCH_PLAIN_BODY")
BODY = Path(_path).read_bytes() if _path else b"<!doctype html><title>plain</title><p>plain"


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


handler404 = site_urls.handler404
handler500 = site_urls.handler500
urlpatterns = [path("bench-plain/", plain), *site_urls.urlpatterns]
