"""Site-wide middleware: a strict Content-Security-Policy for every public page (Django 5.2 has
none built in), and a 503 page when the object store is unavailable."""

import logging

from django.conf import settings

from videos.storeerrors import STORE_UNAVAILABLE_ERRORS, store_unavailable_response

logger = logging.getLogger(__name__)

# The Wagtail and Django admins still use inline scripts and styles; they get their own,
# looser policy so the public site can forbid 'unsafe-inline' entirely.
_ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def _public_policy() -> str:
    media = " ".join(["'self'", *settings.CSP_MEDIA_ORIGINS])
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": f"{media} data:",
        "media-src": f"{media} blob:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _admin_policy() -> str:
    media = " ".join(["'self'", *settings.CSP_MEDIA_ORIGINS])
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; "
        f"img-src {media} data: blob:; media-src {media} blob:; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
    )


class ContentSecurityPolicyMiddleware:
    """Adds the policy to responses that do not set their own (document downloads do)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.public_policy = _public_policy()
        self.admin_policy = _admin_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(_ADMIN_PREFIXES)
            response["Content-Security-Policy"] = self.admin_policy if admin else self.public_policy
        return response


class StorageUnavailableMiddleware:
    """A view or template that finds the object store down answers 503 "try again later".

    Without this, a page that needs the store (a poster rendition made on first view, say)
    fails with a generic 500. The page is rendered without the database and is never cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, STORE_UNAVAILABLE_ERRORS):
            return None
        logger.warning("object store unavailable for %s: %s", request.path, exception)
        return store_unavailable_response(request)
