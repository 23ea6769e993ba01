"""Production: everything from the environment, HTTPS only, hashed and compressed static files.

Required: SECRET_KEY, ALLOWED_HOSTS, OPEN_BADGES_SIGNING_KEY. Behind a TLS-terminating proxy set
SECURE_PROXY_SSL_HEADER_ENABLED=true so Django trusts X-Forwarded-Proto.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

DEBUG = False

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the site answers to")
# The Open Badges signing key: a 32-byte Ed25519 seed, base64url (43 characters), or "z...".
OPEN_BADGES_SIGNING_KEY = env_str("OPEN_BADGES_SIGNING_KEY")
if not (len(OPEN_BADGES_SIGNING_KEY) == 43 or OPEN_BADGES_SIGNING_KEY.startswith("z")):
    raise ImproperlyConfigured(
        "OPEN_BADGES_SIGNING_KEY must be set to an Ed25519 seed (32 bytes, base64url)"
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")
