"""Settings for the test suite: fast hashing, background tasks run at once, local media per test.

DATABASE_URL and REDIS_URL still come from the environment, so CI runs the suite on PostgreSQL
and Redis; tests that need S3 start their own SeaweedFS (tests/conftest.py).
"""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
OPEN_BADGES_SIGNING_KEY = "dGVzdC1vbmx5LW9wZW4tYmFkZ2VzLWtleS0wMTIzNDU"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WAGTAILADMIN_BASE_URL = "http://testserver"
if REDIS_URL:
    # Parallel test runs on one Redis must not read each other's keys.
    CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "kompetanse-test")

# Keep test output readable: task and page-log chatter only at WARNING and above.
LOGGING["root"]["level"] = "WARNING"

# SQLite tests use a file, so a worker started in a subprocess sees the same test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _worker = env_str("PYTEST_XDIST_WORKER", "main")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_worker}.sqlite3")}
