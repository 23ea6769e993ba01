"""Collection and ownership permissions hold in every video view, as for Wagtail's documents.

Two collections, two editors in two groups that may only add (and choose) videos in their own
collection. Neither may see, edit, delete, inspect, choose or caption the other's video; an
editor whose group may *edit* a collection may change others' videos there.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission

from tests.videos.test_admin import form_data
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db

CAPTIONS = b"WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHei\n"


def _group(name: str, collection: Collection, *codenames: str) -> Group:
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        GroupCollectionPermission.objects.create(
            group=group, collection=collection,
            permission=Permission.objects.get(codename=codename, content_type__app_label="videos"),
        )  # fmt: skip
    return group


def _editor(username: str, group: Group):
    user = get_user_model().objects.create_user(username, password="hemmelig-passord-1")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return SimpleNamespace(user=user, client=client)


def _video(title: str, collection: Collection, owner) -> Video:
    # No transcode needed: permissions look at the collection and the owner only.
    return Video.objects.create(
        title=title, source=f"videos/source/{owner.username}/v.mp4", status=VideoStatus.READY,
        duration=60, media_prefix=f"videos/{owner.username}/x", collection=collection,
        uploaded_by_user=owner,
    )  # fmt: skip


@pytest.fixture
def world(db):
    root = Collection.get_first_root_node()
    east = root.add_child(name="Øst")
    west = root.add_child(name="Vest")
    east_editor = _editor("ost", _group("Redaksjon øst", east, "add_video", "choose_video"))
    west_editor = _editor("vest", _group("Redaksjon vest", west, "add_video", "choose_video"))
    return SimpleNamespace(
        root=root, east=east, west=west, east_editor=east_editor, west_editor=west_editor,
        east_video=_video("Østens intervju", east, east_editor.user),
        west_video=_video("Vestens intervju", west, west_editor.user),
    )  # fmt: skip


def assert_refused(response):
    """Wagtail's "permission denied": 403 for the chooser's requests, else back to the dashboard."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code in (403, 404), response.status_code


def unchanged(video: Video) -> bool:
    fresh = Video.objects.filter(pk=video.pk).first()
    return (
        fresh is not None
        and (fresh.title, fresh.collection_id) == (video.title, video.collection_id)
        and not fresh.captions.exists()
        and not fresh.chapters.exists()
    )


def test_listing_shows_only_the_editors_own_collection(world):
    page = world.east_editor.client.get(reverse("videos_admin:index")).content.decode()
    assert "Østens intervju" in page
    assert "Vestens intervju" not in page

    results = world.east_editor.client.get(reverse("videos_admin:index_results"), {"q": "intervju"})
    assert results.status_code == 200
    assert "Østens intervju" in results.content.decode()
    assert "Vestens intervju" not in results.content.decode()


def test_listing_filter_offers_only_the_editors_collections(world):
    page = world.east_editor.client.get(reverse("videos_admin:index")).content.decode()
    assert "Øst" in page
    assert "Vest</option>" not in page


def test_edit_form_of_another_collection_is_refused(world):
    url = reverse("videos_admin:edit", args=[world.west_video.pk])
    response = world.east_editor.client.get(url)
    assert_refused(response)
    assert "Vestens intervju" not in response.content.decode()


def test_renaming_another_owners_video_is_refused(world, admin_client):
    url = reverse("videos_admin:edit", args=[world.west_video.pk])
    data = form_data(admin_client, url) | {"title": "Overtatt"}

    assert_refused(world.east_editor.client.post(url, data))

    assert unchanged(world.west_video)


def test_captions_and_chapters_of_another_owners_video_cannot_be_set(world, admin_client):
    url = reverse("videos_admin:edit", args=[world.west_video.pk])
    data = form_data(admin_client, url) | {
        "captions-TOTAL_FORMS": "1", "captions-0-language": "nb",
        "captions-0-upload": ContentFile(CAPTIONS, name="nb.vtt"),
        "chapters-TOTAL_FORMS": "1", "chapters-0-title": "Kapittel", "chapters-0-start": "0:01",
        "chapters-0-ORDER": "1",
    }  # fmt: skip

    assert_refused(world.east_editor.client.post(url, data))

    assert unchanged(world.west_video)


def test_deleting_another_owners_video_is_refused(world):
    url = reverse("videos_admin:delete", args=[world.west_video.pk])

    assert_refused(world.east_editor.client.get(url))
    assert_refused(world.east_editor.client.post(url))

    assert unchanged(world.west_video)


def test_usage_and_history_of_another_owners_video_are_refused(world):
    for name in ("videos_admin:usage", "videos_admin:history", "videos_admin:history_results"):
        response = world.east_editor.client.get(reverse(name, args=[world.west_video.pk]))
        assert_refused(response)
        assert "Vestens intervju" not in response.content.decode()


def test_chooser_lists_and_finds_only_choosable_videos(world):
    client = world.east_editor.client
    listing = client.get(reverse("video_chooser:choose")).json()["html"]
    assert "Østens intervju" in listing
    assert "Vestens intervju" not in listing

    found = client.get(reverse("video_chooser:choose_results"), {"q": "intervju"})
    assert found.status_code == 200
    assert "Østens intervju" in found.content.decode()
    assert "Vestens intervju" not in found.content.decode()


def test_choosing_another_collections_video_is_refused(world):
    client = world.east_editor.client
    own = client.get(reverse("video_chooser:chosen", args=[world.east_video.pk]))
    assert own.status_code == 200

    other = client.get(
        reverse("video_chooser:chosen", args=[world.west_video.pk]),
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert_refused(other)
    assert "Vestens intervju" not in other.content.decode()

    several = client.get(
        reverse("video_chooser:chosen_multiple"), {"id": [world.east_video.pk, world.west_video.pk]}
    )
    assert "Vestens intervju" not in several.content.decode()


def test_the_owner_with_only_add_may_edit_their_own(world, admin_client):
    url = reverse("videos_admin:edit", args=[world.east_video.pk])
    assert world.east_editor.client.get(url).status_code == 200
    data = form_data(world.east_editor.client, url) | {"title": "Nytt navn"}

    response = world.east_editor.client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] != reverse("wagtailadmin_home")
    assert Video.objects.get(pk=world.east_video.pk).title == "Nytt navn"


def test_own_video_cannot_be_moved_into_another_groups_collection(world, admin_client):
    url = reverse("videos_admin:edit", args=[world.east_video.pk])
    data = form_data(admin_client, url) | {"collection": str(world.west.pk)}

    response = world.east_editor.client.post(url, data)

    assert response.status_code == 200  # the form again, with the error
    assert Video.objects.get(pk=world.east_video.pk).collection == world.east


def test_upload_into_another_groups_collection_is_refused(world, admin_client):
    data = form_data(admin_client, reverse("videos_admin:add")) | {
        "title": "Snikopplasting", "kind": "interview", "collection": str(world.west.pk),
        "source": ContentFile(b"\x00" * 100, name="snik.mp4"),
    }  # fmt: skip

    response = world.east_editor.client.post(reverse("videos_admin:add"), data)

    assert response.status_code == 200
    assert not Video.objects.filter(title="Snikopplasting").exists()


def test_an_editor_whose_group_may_edit_the_collection_edits_others_videos(world):
    west_lead = _editor("vestleder", _group("Redaktører vest", world.west, "change_video"))
    url = reverse("videos_admin:edit", args=[world.west_video.pk])
    data = form_data(west_lead.client, url) | {"title": "Rettet tittel"}

    response = west_lead.client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] != reverse("wagtailadmin_home")
    assert Video.objects.get(pk=world.west_video.pk).title == "Rettet tittel"
    listing = west_lead.client.get(reverse("videos_admin:index")).content.decode()
    assert "Rettet tittel" in listing and "Østens intervju" not in listing


def test_copying_a_video_is_not_offered(world, admin_client):
    # A copy would share the original's source file (and delete it with itself).
    with pytest.raises(Exception):  # noqa: B017, PT011 - NoReverseMatch: there is no copy view
        reverse("videos_admin:copy", args=[world.east_video.pk])
    assert admin_client.get(f"/admin/videos/copy/{world.east_video.pk}/").status_code == 404


def test_the_chooser_has_no_upload_of_its_own(world):
    # Uploads go through the video admin, which checks the collection and starts the transcode.
    response = world.east_editor.client.post(
        reverse("video_chooser:create"),
        {"title": "Fra velgeren", "source": ContentFile(b"\x00" * 100, name="v.mp4")},
    )
    assert response.status_code == 404
    assert not Video.objects.filter(title="Fra velgeren").exists()


def test_the_owner_sees_usage_history_and_delete_of_their_own(world):
    for name in ("videos_admin:usage", "videos_admin:history", "videos_admin:delete"):
        response = world.east_editor.client.get(reverse(name, args=[world.east_video.pk]))
        assert response.status_code == 200, name
