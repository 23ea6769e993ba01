"""Programme admins see institutions with their enrolment periods and contact persons, inspect
enrolments, members and events, and edit (each change recorded); others are refused."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from institutions.models import InstitutionEventKind
from institutions.selectors import institution_for_contact
from institutions.services import enrolment_leave
from tests.institutions.factories import institution, learner, member

pytestmark = pytest.mark.django_db

LISTING = "/admin/institutions/"


def _staff(username: str, *codenames: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.no", "x")
    user.is_staff = True
    user.save()
    group = Group.objects.create(name=f"group {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


def _refused(response) -> bool:
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def _text(response) -> str:
    return response.content.decode()


def test_the_listing_shows_enrolment_period_and_contact_person(client):
    inst = institution(learner("Kari Kontakt"), name="Fjellheim sykehjem", municipality="Voss")
    left = institution(name="Havly", municipality="Tromsø")
    enrolment_leave(institution=left, by=left.contact_person, reason="Merged")
    client.force_login(_staff("viewer", "view_institution"))
    response = client.get(LISTING)
    assert response.status_code == 200
    text = _text(response)
    enrolment = inst.current_enrolment()
    assert "Fjellheim sykehjem" in text and "Kari Kontakt" in text
    assert f"{enrolment.starts_on:%d.%m.%Y} – {enrolment.ends_on:%d.%m.%Y}" in text
    assert inst.org_number_formatted in text
    # Search and filters.
    response = client.get(LISTING, {"q": "fjellheim"})
    assert "Fjellheim sykehjem" in _text(response) and "Havly" not in _text(response)
    response = client.get(LISTING, {"municipality": "Tromsø"})
    assert "Havly" in _text(response) and "Fjellheim sykehjem" not in _text(response)
    response = client.get(LISTING, {"kind": "home_care"})
    assert "Havly" not in _text(response) and "Fjellheim sykehjem" not in _text(response)


def test_inspect_shows_enrolments_members_and_events(client):
    inst = institution(name="Fjellheim sykehjem")
    member(inst, "Ola Medlem")
    client.force_login(_staff("viewer", "view_institution"))
    response = client.get(f"{LISTING}inspect/{inst.pk}/")
    assert response.status_code == 200
    text = _text(response)
    assert "Ola Medlem" in text
    assert inst.current_enrolment().ends_on.strftime("%d.%m.%Y") in text
    assert str(InstitutionEventKind.MEMBER_CONFIRMED.label) in text or "member_confirmed" in text


def test_a_viewer_may_see_a_contact_page_but_not_edit(client):
    inst = institution()
    viewer = _staff("viewer", "view_institution")
    assert institution_for_contact(viewer, inst.pk) == inst
    client.force_login(viewer)
    assert _refused(client.get(f"{LISTING}edit/{inst.pk}/"))


def test_an_admin_edits_and_each_change_is_an_event(client):
    inst = institution(name="Fjellheim")
    new = member(inst, "Ola Nordmann")
    admin = _staff("admin", "view_institution", "change_institution")
    client.force_login(admin)
    url = f"{LISTING}edit/{inst.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Fjellheim sykehjem",
            "org_number": inst.org_number,
            "municipality": inst.municipality,
            "kind": inst.kind,
            "pharmacy": "Apotek 1",
            "beds": "30",
            "contact_person": new.pk,
        },
    )
    assert response.status_code == 302, _text(response)
    inst.refresh_from_db()
    assert inst.name == "Fjellheim sykehjem" and inst.contact_person == new
    kinds = set(inst.events.filter(by=admin).values_list("kind", flat=True))
    assert kinds == {
        InstitutionEventKind.DETAILS_CHANGED,
        InstitutionEventKind.PHARMACY_CHANGED,
        InstitutionEventKind.BEDS_CHANGED,
        InstitutionEventKind.CONTACT_CHANGED,
    }


def test_the_admin_form_refuses_a_bad_org_number_and_a_non_member_contact(client):
    inst = institution()
    client.force_login(_staff("admin", "view_institution", "change_institution"))
    url = f"{LISTING}edit/{inst.pk}/"
    data = {
        "name": inst.name,
        "org_number": "974760674",
        "municipality": inst.municipality,
        "kind": inst.kind,
        "contact_person": learner().pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "check digit" in _text(response) or "ontrollsiffer" in _text(response)
    inst.refresh_from_db()
    assert inst.org_number != "974760674"


def test_no_add_or_delete_and_others_refused(client):
    inst = institution()
    superuser = get_user_model().objects.create_superuser("root", "root@example.no", "x")
    client.force_login(superuser)
    assert client.get(f"{LISTING}add/").status_code == 404
    assert client.get(f"{LISTING}delete/{inst.pk}/").status_code == 404
    client.force_login(_staff("editor", "add_page", "change_page"))
    assert _refused(client.get(LISTING))
    assert _refused(client.get(f"{LISTING}inspect/{inst.pk}/"))


def test_the_admin_types_the_org_number_with_spaces(client):
    inst = institution()
    client.force_login(_staff("admin", "view_institution", "change_institution"))
    response = client.post(
        f"{LISTING}edit/{inst.pk}/",
        {
            "name": inst.name,
            "org_number": "974 760 673",
            "municipality": inst.municipality,
            "kind": inst.kind,
        },
    )
    assert response.status_code == 302
    inst.refresh_from_db()
    assert inst.org_number == "974760673"


def test_the_listing_does_not_query_per_row(client, django_assert_max_num_queries):
    for _ in range(3):
        institution()
    client.force_login(_staff("viewer", "view_institution"))
    client.get(LISTING)
    with django_assert_max_num_queries(40) as few:
        client.get(LISTING)
    for _ in range(6):
        institution()
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        client.get(LISTING)
