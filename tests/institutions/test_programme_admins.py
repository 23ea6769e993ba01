"""The "Programme admins" group (made by a migration) opens every listing programme staff need,
and nothing of the editors' pages."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

LISTINGS = [
    "/admin/certificates/",
    "/admin/course-completions/",
    "/admin/group-sessions/",
    "/admin/group-sessions/contested/",
    "/admin/institutions/",
    "/admin/institutions/diplomas/",
    "/admin/snippets/institutions/diplomacriteria/",
    "/admin/snippets/certificates/yeartarget/",
]


def test_a_programme_admin_opens_every_programme_listing_and_no_page_editing(client):
    user = get_user_model().objects.create_user("programadmin", "p@example.no", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="Programme admins"))
    client.force_login(user)

    for address in LISTINGS:
        assert client.get(address).status_code == 200, address
    menu = client.get("/admin/").content.decode()  # the sidebar's items, with their addresses
    for address in LISTINGS[:6]:
        assert address in menu, address
    # Editing pages is the editors' business.
    response = client.get("/admin/pages/")
    assert response.status_code in (302, 403) or "Sorry" in response.content.decode()
