"""A strict Content-Security-Policy for every public page (Django 5.2 has none built in)."""

from django.conf import settings

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
