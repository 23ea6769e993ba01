"""The object store is down: any page that needs it says "temporarily unavailable" (503 with
Retry-After), and editors uploading documents or images get a form error with nothing stored.

Against a real SeaweedFS of the test's own, stopped (connection refused) or frozen with SIGSTOP
(it accepts connections and never answers, like a store that hangs).
"""

import io
import signal
import uuid

import pytest
from botocore.config import Config
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from cms.models import ResourceDocument
from tests.support.seaweed import SeaweedServer

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

STORE_ERROR = "The file store is temporarily unavailable"


@pytest.fixture
def store(settings):
    """A SeaweedFS for this test alone, as the default storage, with short timeouts."""
    server = SeaweedServer().start()
    server.prefix = f"down-{uuid.uuid4().hex[:8]}"
    options = server.storage_options(server.prefix)
    options["client_config"] = Config(
        connect_timeout=1, read_timeout=1, retries={"max_attempts": 1}, signature_version="s3v4"
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield server
    if server.process and server.process.poll() is None:
        server.process.send_signal(signal.SIGCONT)
    server.stop()


@pytest.fixture
def editor(admin_client, admin_user):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def _image(title: str = "Plakat"):
    image = get_image_model()(
        title=title, file=ContentFile(_png(), name="plakat.png"),
        collection=Collection.get_first_root_node(),
    )  # fmt: skip
    image._set_image_file_metadata()
    image.save()
    return image


def test_page_needing_the_store_is_a_503_with_a_retry_hint(client, demo, store):
    # A poster image whose rendition is made on first view reads the original from the store.
    home = demo.home
    home.activities = [
        ("featured_video", {"title": "Intervju om antibiotika", "poster": _image()}),
        *[(block.block_type, block.value) for block in home.activities],
    ]
    home.save_revision().publish()
    store.stop()

    for path, heading in (("/", "Midlertidig utilgjengelig"), ("/en/", "Temporarily unavailable")):
        response = client.get(path)
        assert response.status_code == 503, path
        assert int(response["Retry-After"]) > 0
        assert "no-store" in response["Cache-Control"]
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.h1.get_text(strip=True) == heading
        assert soup.find("a", class_="skip-link")


def test_document_upload_with_the_store_down_is_a_form_error(editor, store):
    store.stop()
    response = editor.post(
        reverse("wagtaildocs:add"),
        {"title": "Sjekkliste", "file": ContentFile(b"%PDF-1.4\n" + b"0" * 200, name="s.pdf"),
         "collection": 1, "category": "checklist", "revised_on": "2026-01-15"},
    )  # fmt: skip
    assert response.status_code == 200
    assert STORE_ERROR in response.content.decode()
    assert not ResourceDocument.objects.exists()


def test_image_upload_to_a_hanging_store_is_a_form_error(editor, store):
    store.process.send_signal(signal.SIGSTOP)
    response = editor.post(
        reverse("wagtailimages:add"),
        {"title": "Plakat", "file": ContentFile(_png(), name="plakat.png"), "collection": 1},
    )
    store.process.send_signal(signal.SIGCONT)
    assert response.status_code == 200
    assert STORE_ERROR in response.content.decode()
    assert not get_image_model().objects.exists()
    assert store.keys(store.prefix) == []


@pytest.mark.parametrize(
    ("url_name", "name", "data"),
    [("wagtaildocs:add_multiple", "s.pdf", b"%PDF-1.4\n" + b"0" * 200),
     ("wagtailimages:add_multiple", "plakat.png", None)],
)  # fmt: skip
def test_multiple_upload_with_the_store_down_says_so(editor, store, url_name, name, data):
    store.stop()
    response = editor.post(
        reverse(url_name), {"files[]": ContentFile(data or _png(), name=name), "collection": 1}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is False
    assert STORE_ERROR in body["error_message"]
    assert not ResourceDocument.objects.exists()
    assert not get_image_model().objects.exists()
