"""The Wagtail admin for videos: upload, captions, chapters, listing, chooser, a new source file."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from wagtail.models import Collection
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from tests.videos.factories import ready_video
from videos import services
from videos.media import make_test_source
from videos.models import Video

pytestmark = pytest.mark.django_db

CAPTIONS_NB = """WEBVTT

NOTE fra tekstebyrået

00:00:00.500 --> 00:00:02.000 align:start foo:bar
<font color="red">Velkommen</font> til <b onclick="steal()">fem på fem</b>

00:00:02.200 --> 00:00:03.800
Når bør vi vente med antibiotika?
"""

# Line 3 has a timing an editor might type by hand; it is not valid WebVTT.
BAD_CAPTIONS = "WEBVTT\n\n00:00:01 -> 00:00:02\nHei\n"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("admin")
    return {
        "first": make_test_source(folder / "intervju.mp4", seconds=4, width=640, height=360),
        "second": make_test_source(folder / "nytt-opptak.mp4", seconds=3, width=640, height=360),
    }


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node()


@pytest.fixture
def editor(admin_client, admin_user, root_collection):
    """The admin client of a superuser who reads the admin in English."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def form_data(client, url: str) -> dict:
    """The fields of the admin form at ``url`` as the browser would send them, unchanged."""
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="w-editor-form")
    return {key: values[-1] for key, values in data.lists() if "__prefix__" not in key}


def upload(path: Path, name: str | None = None) -> ContentFile:
    return ContentFile(path.read_bytes(), name=name or path.name)


def add_video(client, root_collection, source, **extra):
    data = form_data(client, reverse("videos_admin:add"))
    data.update(
        title="Intervju om antibiotika", kind="interview", collection=str(root_collection.pk),
        source=source, **extra,
    )  # fmt: skip
    return client.post(reverse("videos_admin:add"), data)


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


def test_upload_creates_a_video_that_is_transcoded_to_ready(
    editor, root_collection, clips, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_video(
            editor, root_collection, upload(clips["first"]),
            **{"captions-TOTAL_FORMS": "1", "captions-0-language": "nb",
               "captions-0-upload": ContentFile(CAPTIONS_NB.encode(), name="intervju.nb.vtt")},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:3000]
        video = Video.objects.get()
        assert video.status == "uploaded"  # made web-ready only after the upload committed

    video.refresh_from_db()
    assert video.status == "ready", video.failure_reason
    assert video.title == "Intervju om antibiotika"
    assert video.duration == pytest.approx(4, abs=0.2)
    assert list(video.renditions.values_list("name", flat=True)) == ["360p"]
    caption = video.captions.get()
    assert caption.language == "nb"
    assert caption.source_name == "intervju.nb.vtt"
    assert "Velkommen til <b>fem på fem</b>" in caption.webvtt
    for removed in ("<font", "onclick", "foo:bar", "tekstebyrået"):
        assert removed not in caption.webvtt
    # and a visitor gets what the editor uploaded
    served = client.get(reverse("videos:captions", args=[video.pk, "nb"]))
    assert served.status_code == 200 and served.content.decode() == caption.webvtt
    assert client.get(reverse("videos:rendition", args=[video.pk, "360p"])).status_code == 200


def test_malformed_caption_file_reshows_the_form_naming_the_line(
    editor, root_collection, clips, media_storage
):
    response = add_video(
        editor, root_collection, upload(clips["first"]),
        **{"captions-TOTAL_FORMS": "1", "captions-0-language": "nb",
           "captions-0-upload": ContentFile(BAD_CAPTIONS.encode(), name="feil.vtt")},
    )  # fmt: skip

    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 3: the cue timing is not valid" in page
    assert not Video.objects.exists()
    assert stored_files(media_storage) == []


def test_file_that_is_not_a_video_is_rejected_and_nothing_stored(
    editor, root_collection, media_storage
):
    notes = ContentFile("Husk å laste opp videoen".encode(), name="notes.txt")

    response = add_video(editor, root_collection, notes)

    assert response.status_code == 200
    page = response.content.decode()
    assert "“notes.txt” is not a video file we accept" in page
    assert not Video.objects.exists()
    assert stored_files(media_storage) == []


def test_chapters_typed_as_minutes_and_seconds(editor, root_collection, clips):
    response = add_video(
        editor, root_collection, upload(clips["first"]),
        **{"chapters-TOTAL_FORMS": "2",
           "chapters-0-title": "Innledning", "chapters-0-start": "0:00", "chapters-0-ORDER": "1",
           "chapters-1-title": "Når bør vi vente?", "chapters-1-start": "1:05",
           "chapters-1-ORDER": "2"},
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:3000]
    video = Video.objects.get()
    assert list(video.chapters.values_list("title", "start")) == [
        ("Innledning", 0.0),
        ("Når bør vi vente?", 65.0),
    ]
    edit_page = editor.get(reverse("videos_admin:edit", args=[video.pk])).content.decode()
    assert 'value="1:05"' in edit_page


def test_listing_shows_title_duration_and_status(editor, tmp_path, clips):
    ready_video(tmp_path, source=clips["first"], title="Klar video")
    with open(clips["second"], "rb") as handle:
        processing = services.video_create(
            title="Video under arbeid", source=ContentFile(handle.read(), name="a.mp4"),
            enqueue=False,
        )  # fmt: skip
        failed = services.video_create(
            title="Mislykket video", source=ContentFile(b"x" * 100, name="b.mp4"), enqueue=False
        )
    Video.objects.filter(pk=processing.pk).update(status="processing", progress=42)
    Video.objects.filter(pk=failed.pk).update(
        status="failed", failure_reason="This file is not a video that can be read."
    )

    response = editor.get(reverse("videos_admin:index"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Klar video" in page and "Video under arbeid" in page and "Mislykket video" in page
    assert "<td>0:04</td>" in page
    assert "Ready" in page and "Processing" in page and "Failed" in page
    assert '<progress max="100" value="42"' in page
    assert "This file is not a video that can be read." in page


def test_chooser_lists_ready_videos(editor, tmp_path, clips):
    ready_video(tmp_path, source=clips["first"], title="Klar til bruk")

    response = editor.get(reverse("video_chooser:choose"))

    assert response.status_code == 200
    assert "Klar til bruk" in response.json()["html"]


def test_replacing_the_source_makes_new_renditions_and_deletes_the_old(
    editor, tmp_path, clips, django_capture_on_commit_callbacks
):
    video = ready_video(tmp_path, source=clips["first"])
    old_rendition = video.renditions.get(name="360p").file
    old_files = services.video_file_keys(video)
    assert old_rendition in old_files and default_storage.exists(old_rendition)
    edit_url = reverse("videos_admin:edit", args=[video.pk])
    data = form_data(editor, edit_url)
    data["source"] = upload(clips["second"])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(edit_url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        video.refresh_from_db()
        assert video.status == "uploaded"

    video.refresh_from_db()
    assert video.status == "ready", video.failure_reason
    assert video.duration == pytest.approx(3, abs=0.2)
    new_rendition = video.renditions.get(name="360p").file
    assert new_rendition != old_rendition
    assert default_storage.exists(new_rendition)
    assert [key for key in old_files if default_storage.exists(key)] == []
    # captions and chapters made for the video are kept
    assert video.captions.filter(language="nb").exists()
    assert video.chapters.count() == 3


def test_replaced_source_file_is_deleted(
    editor, tmp_path, clips, django_capture_on_commit_callbacks
):
    video = ready_video(tmp_path, source=clips["first"])
    old_source = video.source.name
    edit_url = reverse("videos_admin:edit", args=[video.pk])
    data = form_data(editor, edit_url)
    data["source"] = upload(clips["second"])

    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(edit_url, data).status_code == 302

    video.refresh_from_db()
    assert video.status == "ready"
    assert video.source.name != old_source
    assert not default_storage.exists(old_source)


def test_published_video_keeps_playing_while_a_new_source_waits(
    editor, client, tmp_path, clips, django_capture_on_commit_callbacks
):
    video = ready_video(tmp_path, source=clips["first"])
    rendition_url = reverse("videos:rendition", args=[video.pk, "360p"])
    assert client.get(rendition_url).status_code == 200
    edit_url = reverse("videos_admin:edit", args=[video.pk])
    data = form_data(editor, edit_url)
    data["source"] = upload(clips["second"])

    with django_capture_on_commit_callbacks(execute=False):
        assert editor.post(edit_url, data).status_code == 302

    video.refresh_from_db()
    assert video.status == "uploaded"
    assert client.get(reverse("videos:detail", args=[video.pk])).status_code == 200
    assert client.get(rendition_url).status_code == 200
