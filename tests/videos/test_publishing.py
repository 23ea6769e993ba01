"""The publishing rule: a page goes live with a video only if the video is ready and captioned."""

from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail import blocks
from wagtail.test.utils.form_data import querydict_from_html, rich_text
from wagtail.users.models import UserProfile

from cms.models import HomePage
from tests.videos.factories import CAPTIONS_NB, ready_video
from videos import services
from videos.media import make_test_source

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publishing")
    return make_test_source(folder / "s.mp4", seconds=4, width=640, height=360)


@pytest.fixture
def editor(admin_client, admin_user):
    """The admin client of a superuser who reads the admin in English."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def block_form_data(block, value, prefix: str) -> dict[str, str]:
    """``value`` of ``block`` as the page editor's form posts it (what Wagtail's JS builds)."""
    if isinstance(block, blocks.StreamBlock | blocks.ListBlock):
        children = list(value) if isinstance(block, blocks.StreamBlock) else value.bound_blocks
        data = {f"{prefix}-count": str(len(children))}
        for index, child in enumerate(children):
            item = f"{prefix}-{index}"
            data |= {f"{item}-deleted": "", f"{item}-order": str(index), f"{item}-id": child.id}
            if isinstance(block, blocks.StreamBlock):
                data[f"{item}-type"] = child.block_type
            data |= block_form_data(child.block, child.value, f"{item}-value")
        return data
    if isinstance(block, blocks.StructBlock):
        data = {}
        for name, child_block in block.child_blocks.items():
            data |= block_form_data(child_block, value.get(name), f"{prefix}-{name}")
        return data
    if isinstance(block, blocks.ChooserBlock):
        return {prefix: str(value.pk) if value else ""}
    if isinstance(block, blocks.RichTextBlock):
        return {prefix: rich_text(value.source if value else "", features=block.features)}
    form_value = block.value_for_form(value)
    return {prefix: "" if form_value is None else str(form_value)}


def publish(client, page: HomePage, video) -> object:
    """Open the page in the editor, choose ``video`` in the featured video block, and publish."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = client.get(url).content.decode()
    data = {
        key: values[-1]
        for key, values in querydict_from_html(html, form_id="page-edit-form").lists()
        if "__prefix__" not in key
    }
    draft = page.get_latest_revision_as_object()
    activities = draft.activities
    featured = next(child for child in activities if child.block_type == "featured_video")
    featured.value["video"] = video
    data |= block_form_data(activities.stream_block, activities, "activities")
    data["action-publish"] = "action-publish"
    return client.post(url, data, follow=True)


def featured_video(page: HomePage):
    featured = next(child for child in page.activities if child.block_type == "featured_video")
    return featured.value.get("video")


def live_featured_video(page: HomePage):
    return featured_video(HomePage.objects.get(pk=page.pk))


def draft_featured_video(page: HomePage):
    return featured_video(HomePage.objects.get(pk=page.pk).get_latest_revision_as_object())


def block_types(page: HomePage) -> list[str]:
    return [child.block_type for child in HomePage.objects.get(pk=page.pk).activities]


def test_video_without_bokmal_captions_blocks_publishing_until_captioned(
    editor, client, demo, tmp_path, clip
):
    home = demo.home
    live_revision = home.live_revision_id
    types = block_types(home)
    video = ready_video(tmp_path, source=clip, title="Intervju uten teksting", captions=None)

    response = publish(editor, home, video)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[home.pk])
    page = response.content.decode()
    assert "The page was saved as a draft but not published" in page
    assert "The video “Intervju uten teksting” has no captions in Norwegian Bokmål." in page
    home.refresh_from_db()
    assert home.live_revision_id == live_revision
    assert live_featured_video(home) is None
    assert home.has_unpublished_changes  # the editor's work is kept as a draft
    assert draft_featured_video(home) == video
    assert f'data-video-id="{video.pk}"' not in client.get(home.url).content.decode()

    services.video_captions_set(
        video=video, language="nb", data=CAPTIONS_NB.encode(), filename="nb.vtt"
    )
    response = publish(editor, home, video)

    assert response.status_code == 200
    assert "has no captions" not in response.content.decode()
    home.refresh_from_db()
    assert home.live_revision_id != live_revision
    assert live_featured_video(home) == video
    assert block_types(home) == types  # the rest of the page went live unchanged
    assert not home.has_unpublished_changes
    assert f'data-video-id="{video.pk}"' in client.get(home.url).content.decode()


def test_video_that_is_not_ready_blocks_publishing(editor, demo, clip):
    home = demo.home
    live_revision = home.live_revision_id
    video = services.video_create(
        title="Intervju under arbeid", source=ContentFile(clip.read_bytes(), name="s.mp4"),
        enqueue=False,
    )  # fmt: skip
    services.video_captions_set(
        video=video, language="nb", data=CAPTIONS_NB.encode(), filename="nb.vtt"
    )

    response = publish(editor, home, video)

    page = response.content.decode()
    assert "The page was saved as a draft but not published" in page
    assert "The video “Intervju under arbeid” is not ready yet (Uploaded)." in page
    assert "has no captions" not in page
    home.refresh_from_db()
    assert home.live_revision_id == live_revision
    assert live_featured_video(home) is None


def test_bulk_publish_cannot_bypass_the_rule(editor, demo, tmp_path, clip):
    home = demo.home
    video = ready_video(tmp_path, source=clip, title="Intervju uten teksting", captions=None)
    publish(editor, home, video)  # refused, but the draft with the video is saved
    assert draft_featured_video(home) == video

    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    editor.post(f"{url}?id={home.pk}", {"include_descendants": ""}, follow=True)

    assert live_featured_video(home) is None


@pytest.mark.parametrize(
    "next_url",
    ["//evil.example/", "https://evil.example/phish", "///evil.example", "\\\\evil.example"],
)
def test_refused_bulk_publish_never_redirects_off_site(editor, demo, tmp_path, clip, next_url):
    home = demo.home
    video = ready_video(tmp_path, source=clip, title="Intervju uten teksting", captions=None)
    publish(editor, home, video)

    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = urlencode({"id": home.pk, "next": next_url})
    response = editor.post(f"{url}?{query}", {"include_descendants": ""})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"] == reverse("wagtailadmin_explore_root")
    assert live_featured_video(home) is None


def test_refused_bulk_publish_returns_to_a_local_next(editor, demo, tmp_path, clip):
    home = demo.home
    video = ready_video(tmp_path, source=clip, title="Intervju uten teksting", captions=None)
    publish(editor, home, video)
    back = reverse("wagtailadmin_explore", args=[home.pk])

    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = urlencode({"id": home.pk, "next": back})
    response = editor.post(f"{url}?{query}", {"include_descendants": ""})

    assert response.status_code == 302
    assert response["Location"] == back
