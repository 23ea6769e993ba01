"""The object store is down: visitors get a 503 with a retry hint, editors a form error.

Against a real SeaweedFS of the test's own, which the test stops (the process is gone: the
connection is refused) or freezes with SIGSTOP (it accepts the connection and never answers,
like a store that hangs), so nothing here is a mock.
"""

import signal
import uuid

import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from cms.models import ResourceDocument
from tests.support.seaweed import SeaweedServer
from tests.videos.test_admin import add_video
from videos.media import make_test_source
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_store(settings):
    """A SeaweedFS for this test alone, as the default storage, with short timeouts."""
    server = SeaweedServer().start()
    prefix = f"down-{uuid.uuid4().hex[:8]}"
    options = server.storage_options(prefix)
    options["client_config"] = Config(
        connect_timeout=1, read_timeout=1, retries={"max_attempts": 1}, signature_version="s3v4"
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    server.prefix = prefix
    yield server
    if server.process and server.process.poll() is None:
        server.process.send_signal(signal.SIGCONT)
    server.stop()


def assert_unavailable(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    assert b"<h1>" in response.content


def test_document_download_says_try_again_later(client, own_store):
    document = ResourceDocument(
        title="Sjekkliste", category="checklist",
        file=ContentFile(b"%PDF-1.4\n" + b"0" * 500, name="sjekkliste.pdf"),
    )  # fmt: skip
    document._set_document_file_metadata()
    document.save()
    own_store.stop()

    assert_unavailable(client.get(document.url))


@pytest.fixture
def live_video(db):
    """A ready video whose files live (or lived) in the store; the rows alone are enough here."""
    prefix = "videos/1/0123456789abcdef"
    return Video.objects.create(
        title="Intervju", source="videos/source/x/intervju.mp4", status=VideoStatus.READY,
        media_prefix=prefix, hls_master=f"{prefix}/hls/master.m3u8", poster=f"{prefix}/poster.jpg",
        duration=4, width=640, height=360,
    )  # fmt: skip


def test_hls_playlists_say_try_again_later(client, own_store, live_video):
    own_store.stop()
    for path in ("master.m3u8", "360p/index.m3u8"):
        url = reverse("videos:hls", args=[live_video.pk, path])
        assert_unavailable(client.get(url))


def test_a_store_that_hangs_is_also_a_503(client, own_store, live_video):
    own_store.process.send_signal(signal.SIGSTOP)
    url = reverse("videos:hls", args=[live_video.pk, "master.m3u8"])
    assert_unavailable(client.get(url))


@pytest.fixture
def editor(admin_client, admin_user):
    """The admin client of a superuser who reads the admin in English."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def test_editor_upload_gets_a_form_error_and_nothing_is_stored(editor, own_store, tmp_path):
    root_collection = Collection.get_first_root_node()
    source = make_test_source(tmp_path / "intervju.mp4", seconds=1, width=320, height=240)
    own_store.process.send_signal(signal.SIGSTOP)  # the store hangs

    response = add_video(
        editor, root_collection, ContentFile(source.read_bytes(), name="intervju.mp4")
    )

    own_store.process.send_signal(signal.SIGCONT)
    assert response.status_code == 200  # the form again, with the error
    assert "file store is unavailable" in response.content.decode()
    assert not Video.objects.exists()
    assert own_store.keys(own_store.prefix) == []
