"""What "the file store is unavailable" looks like, and what visitors get then (a leaf module).

With S3 storage a dead or unreachable object store shows up as one of botocore's connection
errors; with local files as an ``OSError`` (a missing mount, a full or read-only disk). A
missing file is not an outage: ``FileNotFoundError`` is left to the caller (usually a 404).
"""

from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

__all__ = [
    "RETRY_AFTER_SECONDS",
    "STORE_UNAVAILABLE_ERRORS",
    "StoreUnavailable",
    "is_store_unavailable",
    "store_unavailable_response",
]

# What visitors are told to wait before trying again (the Retry-After header).
RETRY_AFTER_SECONDS = 30


class StoreUnavailable(Exception):  # noqa: N818 - a state of the world, like LeaseLost
    """The file store could not be reached; nothing was stored or read. Try again later."""


# What boto3 raises when the object store cannot be reached or stops answering (as opposed to
# refusing a request): callers say "temporarily unavailable" rather than failing.
STORE_UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionClosedError,
)

_UNAVAILABLE = (StoreUnavailable, *STORE_UNAVAILABLE_ERRORS)


def is_store_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the store is down or unreachable (not that a file is missing)."""
    if isinstance(exc, _UNAVAILABLE):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | IsADirectoryError)


def store_unavailable_response(request: HttpRequest) -> HttpResponse:
    """A 503 for visitors: a short "temporarily unavailable" page and a ``Retry-After`` hint.

    The page is the site's own ``503.html``, the one every other path shows when the store is
    down, so visitors see one page whichever file they asked for.
    """
    body = render_to_string("503.html", request=request)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
