"""Fixtures for real services: a media root per test, SeaweedFS for S3, Chromium for e2e."""

import os
import shutil
import uuid
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from tests.support.seaweed import SeaweedServer

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told that this thread is not actually serving async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have been flushed by transactional tests of an earlier run;
    put back the rows Wagtail's migrations create (root page, root collection, locales)."""
    from cms.demo.loader import LoadReport, ensure_locales, ensure_tree_roots

    with django_db_blocker.unblock():
        ensure_locales(LoadReport())
        ensure_tree_roots(LoadReport())


@pytest.fixture(autouse=True)
def wagtail_tree_roots(request):
    """Transactional tests end with a flush, which also removes the rows Wagtail's migrations
    made; every test that uses the database starts with the root page, root collection and
    locales in place, whichever test ran before it."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(names & {"transactional_db", "live_server"}) or (
        marker is not None
        and (marker.kwargs.get("transaction", False) or bool(marker.args and marker.args[0]))
    )
    if marker is None and not transactional and "db" not in names:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from cms.demo.loader import LoadReport, ensure_locales, ensure_tree_roots

    ensure_locales(LoadReport())
    ensure_tree_roots(LoadReport())


def _clear_cache() -> None:
    # Wagtail caches site root paths; a page tree rolled back by one test must not leak into
    # the next. On Redis only our own prefix is cleared: parallel runs share the server.
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(None, write=True)
        prefix = backend.key_prefix
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
    else:
        backend.clear()


@pytest.fixture(autouse=True)
def page_cache_forgotten():
    """Every test starts with no cached pages and no remembered content version: a page
    cached by one test (or a version read under its rolled-back data) never reaches the next."""
    from cms import contentversion

    contentversion.forget()
    yield
    contentversion.forget()


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path):
    """Every test gets its own, empty media root on the local file system."""
    media_root = tmp_path / "media"
    media_root.mkdir()
    settings.MEDIA_ROOT = str(media_root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media_root), "base_url": "/media/"},
        },
    }
    _clear_cache()
    yield media_root
    _clear_cache()


@pytest.fixture(scope="session")
def seaweed():
    """A real S3 server (SeaweedFS) for the whole session, with its own bucket."""
    server = SeaweedServer().start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(settings, seaweed):
    """Point default storage at SeaweedFS under a key prefix of this test's own."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": seaweed.storage_options(prefix),
        },
    }
    return SimpleNamespace(server=seaweed, prefix=prefix)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Debian's Chromium driven by Playwright (which cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and tab per test (no shared cookies or cache)."""
    context = browser.new_context(locale="nb-NO", bypass_csp=False)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def demo(db):
    """The demo programme, loaded through the same function as ``manage.py load_demo``."""
    from cms.demo.loader import load_demo

    load_demo(videos=False)
    from cms.models import HomePage, ResourceIndexPage

    return SimpleNamespace(
        home=HomePage.objects.get(depth=2), resources=ResourceIndexPage.objects.get()
    )
