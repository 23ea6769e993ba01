"""Local development: DEBUG on, a local secret, console email, static files from the apps."""

import secrets

from .base import *  # noqa: F403
from .env import env_list, env_str

DEBUG = True
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])


def _local_secret_key() -> str:
    # A per-checkout key kept in var/, so sessions survive restarts without a secret in git.
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _local_secret_key()


def _local_open_badges_key() -> str:
    # Like the secret key: a per-checkout Ed25519 seed, so issued badges keep verifying.
    path = VAR_DIR / "dev-open-badges-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


OPEN_BADGES_SIGNING_KEY = env_str("OPEN_BADGES_SIGNING_KEY") or _local_open_badges_key()

# No collectstatic needed while developing: WhiteNoise finds files in the apps.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
