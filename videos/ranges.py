"""Serve a stored file with HTTP Range and conditional request support (RFC 9110).

Django's FileResponse and Wagtail's document view always answer with the whole file and a 200,
even to ``Range: bytes=0-99``. Browsers then cannot seek in a video, and Safari refuses to play
it at all. ``ranged_file_response`` answers Range, If-Range and the other preconditions itself
and streams only the requested slice, in bounded chunks. ``stored_file_response`` does the same
for a file in a local Django storage; it is the one file response of the project, used for
video files (``videos.views``) and document downloads (``cms.downloads``), and
``content_disposition`` the one place a download's file name header is built.

Multiple ranges (``bytes=0-1,5-6``) are answered with the full representation and a 200, which
RFC 9110 allows (a server may ignore Range); video players only ever ask for one range.
"""

import hashlib
import re
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag

__all__ = ["content_disposition", "ranged_file_response", "stored_file_response"]

_RANGE_SPEC = re.compile(r"^(\d*)-(\d*)$")


class _Unsatisfiable(Exception):
    """The Range header is valid but selects no byte of the representation."""


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Return the inclusive (start, end) of a single range, or None to ignore the header."""
    unit, sep, specs = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    parts = [part.strip() for part in specs.split(",") if part.strip()]
    if len(parts) != 1:
        return None  # Invalid, or several ranges: served whole (see module docstring).
    match = _RANGE_SPEC.match(parts[0])
    if match is None or match.group(0) == "-":
        return None
    try:
        first = int(match.group(1)) if match.group(1) else None
        last = int(match.group(2)) if match.group(2) else None
    except ValueError:  # More digits than int() accepts: nonsense, not a range.
        return None
    if first is None:
        if last == 0 or size == 0:
            raise _Unsatisfiable
        return max(size - last, 0), size - 1
    if last is not None and last < first:
        return None
    if first >= size:
        raise _Unsatisfiable
    return first, size - 1 if last is None else min(last, size - 1)


def _strong_match(a: str, b: str) -> bool:
    return not a.startswith("W/") and not b.startswith("W/") and a == b


def _weak_match(a: str, b: str) -> bool:
    return a.removeprefix("W/") == b.removeprefix("W/")


def content_disposition(filename: str, *, attachment: bool = False, fallback: str = "") -> str:
    """``Content-Disposition`` naming ``filename`` in ASCII and in UTF-8 (RFC 6266, RFC 5987).

    Old clients read the plain ``filename`` (printable ASCII, quotes and backslashes dropped,
    ``fallback`` if nothing is left); everyone else reads ``filename*``, percent-encoded UTF-8,
    so "sjekkliste-før-oppstart.pdf" keeps its ø.
    """
    disposition = "attachment" if attachment else "inline"
    ascii_name = "".join(c for c in filename if " " <= c <= "~" and c not in '"\\')
    ascii_name = ascii_name.strip() or fallback or "download"
    quoted = urllib.parse.quote(filename, safe="")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


class _RangeReader:
    """Yields ``length`` bytes from ``start`` in chunks; Django's response close() calls close()."""

    def __init__(self, file: BinaryIO, start: int, length: int, chunk_size: int) -> None:
        self.file = file
        self.start = start
        self.length = length
        self.chunk_size = chunk_size

    def __iter__(self) -> Iterator[bytes]:
        try:
            self.file.seek(self.start)
            remaining = self.length
            while remaining > 0:
                chunk = self.file.read(min(self.chunk_size, remaining))
                if not chunk:
                    break  # File shrank since `size` was taken; headers are already sent.
                remaining -= len(chunk)
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self.file.close()


def ranged_file_response(
    request: HttpRequest,
    *,
    open_file: Callable[[], BinaryIO],
    size: int,
    content_type: str,
    etag: str,
    last_modified: datetime | None = None,
    max_age: int = 3600,
    private: bool = False,
    chunk_size: int = 64 * 1024,
    filename: str | None = None,
    attachment: bool = False,
    cache_control: str | None = None,
    csp: str | None = None,
) -> HttpResponseBase:
    """Answer a GET or HEAD for a file, honouring preconditions, Range and If-Range.

    ``open_file`` is called only when a body is sent (not for HEAD, 304, 412 or 416), before
    the response is returned, so a missing file raises here and not halfway through streaming.
    ``etag`` must be a strong validator; it is quoted if it is not already. Returns 200, 206,
    304, 412 or 416; a Range that is malformed or asks for several ranges gets the full 200.
    The caller is responsible for rejecting other methods with 405.

    ``filename`` adds a ``Content-Disposition`` (inline, or ``attachment``); ``cache_control``
    replaces the default ``public``/``private`` with ``max_age``; ``csp`` is sent as the
    ``Content-Security-Policy`` of the file.
    """
    etag = quote_etag(etag)
    if etag.startswith("W/"):
        raise ValueError("Range requests need a strong ETag, not a weak one.")
    modified: int | None = None
    if last_modified is not None:
        if last_modified.tzinfo is None:
            last_modified = last_modified.replace(tzinfo=UTC)
        modified = int(last_modified.timestamp())  # HTTP dates have whole seconds.

    validators = {"ETag": etag}
    if modified is not None:
        validators["Last-Modified"] = http_date(modified)
    if cache_control is None:
        cache_control = f"{'private' if private else 'public'}, max-age={max_age}"
    headers = request.headers

    # Preconditions in the order of RFC 9110 section 13.2.2.
    if "If-Match" in headers:
        tags = parse_etags(headers["If-Match"])
        if tags != ["*"] and not any(_strong_match(tag, etag) for tag in tags):
            return HttpResponse(status=412, headers=validators)
    elif modified is not None and "If-Unmodified-Since" in headers:
        since = parse_http_date_safe(headers["If-Unmodified-Since"])
        if since is not None and modified > since:
            return HttpResponse(status=412, headers=validators)
    if "If-None-Match" in headers:
        tags = parse_etags(headers["If-None-Match"])
        if tags == ["*"] or any(_weak_match(tag, etag) for tag in tags):
            return _not_modified(validators, cache_control, size)
    elif modified is not None and "If-Modified-Since" in headers:
        since = parse_http_date_safe(headers["If-Modified-Since"])
        if since is not None and modified <= since:
            return _not_modified(validators, cache_control, size)

    byte_range = None
    if "Range" in headers and _if_range_holds(headers.get("If-Range"), etag, modified):
        try:
            byte_range = _parse_range(headers["Range"], size)
        except _Unsatisfiable:
            return HttpResponse(
                status=416, headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"}
            )

    start, end = byte_range if byte_range else (0, size - 1)
    length = end - start + 1
    response_headers = {
        "Accept-Ranges": "bytes",
        **validators,
        "Cache-Control": cache_control,
        "X-Content-Type-Options": "nosniff",
        "Content-Type": content_type,
        "Content-Length": str(length),
    }
    if byte_range:
        response_headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    if filename:
        response_headers["Content-Disposition"] = content_disposition(
            filename, attachment=attachment
        )
    if csp:
        response_headers["Content-Security-Policy"] = csp
    status = 206 if byte_range else 200

    if request.method == "HEAD":
        # HttpResponse keeps an explicit Content-Length; the body stays empty.
        return HttpResponse(status=status, headers=response_headers)
    reader = _RangeReader(open_file(), start, length, chunk_size)
    return StreamingHttpResponse(reader, status=status, headers=response_headers)


def _if_range_holds(value: str | None, etag: str, modified: int | None) -> bool:
    """True when there is no If-Range or it still matches, so Range may be honoured."""
    if value is None:
        return True
    value = value.strip()
    if value.startswith(('"', "W/")):
        return _strong_match(value, etag)
    date = parse_http_date_safe(value)
    return date is not None and modified is not None and date == modified


def _not_modified(validators: dict[str, str], cache_control: str, size: int) -> HttpResponse:
    # RFC 9110 allows Content-Length on a 304 only as the full length; set it so that
    # CommonMiddleware does not add a wrong "0".
    response = HttpResponse(
        status=304,
        headers={**validators, "Cache-Control": cache_control, "Content-Length": str(size)},
    )
    del response["Content-Type"]
    return response


def stored_file_response(
    request: HttpRequest,
    storage,
    name: str,
    *,
    content_type: str,
    etag: str = "",
    **options,
) -> HttpResponseBase:
    """Answer a GET or HEAD for the file ``name`` in a local ``storage`` (``FileSystemStorage``).

    Size and modification time come from the storage; a missing file is a 404 here, before any
    header is sent. ``etag`` should identify the bytes for good (a content hash, or a key that
    is never reused); without one, a tag is made from the name, size and modification time.
    Every other option is ``ranged_file_response``'s.
    """
    try:
        size = storage.size(name)
        modified = storage.get_modified_time(name)
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    if not etag:
        stamp = f"{name}:{size}:{modified.timestamp()}"
        etag = hashlib.sha1(stamp.encode(), usedforsecurity=False).hexdigest()
    try:
        return ranged_file_response(
            request,
            open_file=lambda: storage.open(name, "rb"),
            size=size,
            content_type=content_type,
            etag=etag,
            last_modified=modified,
            **options,
        )
    except FileNotFoundError as exc:  # Deleted between the size and the open.
        raise Http404("The file is missing.") from exc


def presigned_file_redirect(
    storage, name: str, *, content_type: str, filename: str, attachment: bool = True,
    csp: str | None = None, private: bool = False,
) -> HttpResponse:  # fmt: skip
    """A never-cached 302 to a presigned object-store URL for ``name``, 404 if it is missing.

    The object store answers the ranges itself; the URL tells it the type and the same
    ``Content-Disposition`` the local response sends. ``private`` adds ``private`` to the
    never-cache headers, for files that open one person's record.
    """
    if not storage.exists(name):
        raise Http404("The stored file is missing.")
    url = storage.url(
        name,
        parameters={
            "ResponseContentDisposition": content_disposition(filename, attachment=attachment),
            "ResponseContentType": content_type,
        },
    )
    response = HttpResponseRedirect(url)
    # The URL inside expires within minutes: no cache may keep the redirect longer.
    add_never_cache_headers(response)
    if private:
        response["Cache-Control"] = "private, " + response["Cache-Control"]
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    if csp:
        response["Content-Security-Policy"] = csp
    return response
