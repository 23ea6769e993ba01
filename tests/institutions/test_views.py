"""The learner's institution pages: Min side, searching and asking to join, registering with the
organisation number checked, the contact person's self-service, membership decisions; another
institution's pages are a 404."""

import pytest
from django.urls import reverse

from institutions.models import (
    Institution,
    InstitutionEventKind,
    Membership,
    MembershipStatus,
)
from institutions.selectors import membership_of
from institutions.services import membership_request
from tests.institutions.factories import institution, learner, member

pytestmark = pytest.mark.django_db

MY = reverse("institutions:my_institution")
REGISTER = reverse("institutions:register")


def _text(response) -> str:
    return response.content.decode()


def _signed_in(client, name=""):
    user = learner(name, verified=True)
    client.force_login(user)
    return user


def _contact(client, **extra):
    contact = learner("Kari Kontakt", verified=True)
    inst = institution(contact, **extra)
    client.force_login(contact)
    return inst


def test_min_side_shows_the_institution_section(client):
    inst = institution()
    user = member(inst, verified=True)
    client.force_login(user)
    response = client.get(reverse("accounts:my_page"))
    assert response.status_code == 200
    assert "My institution" in _text(response) or "Min institusjon" in _text(response)
    assert inst.name in _text(response)


def test_pages_need_a_signed_in_learner(client):
    response = client.get(MY)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_search_and_ask_to_join(client):
    inst = institution(name="Fjellheim sykehjem", municipality="Voss")
    user = _signed_in(client)
    response = client.get(MY, {"q": "voss"})
    assert response.status_code == 200
    assert "Fjellheim sykehjem" in _text(response)
    response = client.post(
        reverse("institutions:membership_request"), {"institution": inst.pk}, follow=True
    )
    assert response.status_code == 200
    membership = membership_of(user)
    assert membership.institution == inst and membership.status == MembershipStatus.REQUESTED
    assert "Fjellheim sykehjem" in _text(response)


def test_a_too_short_search_says_so(client):
    _signed_in(client)
    response = client.get(MY, {"q": "a"})
    assert response.status_code == 400
    assert 'class="error-summary"' in _text(response)


@pytest.mark.parametrize("value", ["", "abc", "999999999"])
def test_asking_to_join_with_bad_input_is_a_message_not_a_500(client, value):
    user = _signed_in(client)
    response = client.post(reverse("institutions:membership_request"), {"institution": value})
    assert response.status_code == 302
    assert Membership.objects.filter(user=user).count() == 0


def test_registering_makes_the_learner_contact_person(client):
    user = _signed_in(client, "Kari Nordmann")
    response = client.post(
        REGISTER,
        {
            "name": "Solgløtt sykehjem",
            "org_number": "974 760 673",
            "municipality": "Bergen",
            "kind": "nursing_home",
            "pharmacy": "",
            "beds": "40",
        },
    )
    assert response.status_code == 302
    inst = Institution.objects.get(org_number="974760673")
    assert inst.contact_person == user and inst.beds == 40
    assert inst.current_enrolment() is not None
    assert membership_of(user).status == MembershipStatus.ACTIVE


def test_registering_with_a_bad_check_digit_is_refused_with_a_clear_message(client):
    _signed_in(client)
    response = client.post(
        REGISTER,
        {"name": "Feil", "org_number": "974760674", "municipality": "Bergen", "kind": "other"},
    )
    assert response.status_code == 400
    text = _text(response)
    assert 'class="error-summary"' in text
    assert 'href="#id_org_number"' in text
    assert 'aria-invalid="true"' in text
    assert "check digit" in text or "ontrollsiffer" in text
    assert not Institution.objects.exists()


def test_registering_a_taken_number_points_to_joining(client):
    institution(org_number="983887457")
    _signed_in(client)
    response = client.post(
        REGISTER,
        {"name": "Igjen", "org_number": "983887457", "municipality": "Oslo", "kind": "other"},
    )
    assert response.status_code == 400
    assert Institution.objects.count() == 1


def test_self_service_changes_are_recorded_as_events(client):
    inst = _contact(client, pharmacy="Apotek 1")
    url = reverse("institutions:edit", args=[inst.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "action": "details",
            "details-pharmacy": "Vitusapotek",
            "details-beds": "55",
            "details-list_publicly": "on",
        },
    )
    assert response.status_code == 302
    inst.refresh_from_db()
    assert (inst.pharmacy, inst.beds, inst.list_publicly) == ("Vitusapotek", 55, True)
    kinds = set(inst.events.values_list("kind", flat=True))
    assert {
        InstitutionEventKind.PHARMACY_CHANGED,
        InstitutionEventKind.BEDS_CHANGED,
        InstitutionEventKind.DETAILS_CHANGED,
    } <= kinds
    assert "Vitusapotek" in _text(client.get(url))


def test_bad_beds_are_an_error_on_the_page(client):
    inst = _contact(client)
    response = client.post(
        reverse("institutions:edit", args=[inst.pk]),
        {"action": "details", "details-beds": "-3", "details-pharmacy": ""},
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in _text(response)
    inst.refresh_from_db()
    assert inst.beds is None


def test_an_unknown_action_is_a_message(client):
    inst = _contact(client)
    response = client.post(reverse("institutions:edit", args=[inst.pk]), {"action": "drop"})
    assert response.status_code == 302


def test_a_new_contact_person_among_the_active_members(client):
    inst = _contact(client)
    new = member(inst, "Ola Nordmann")
    stranger = learner()
    url = reverse("institutions:edit", args=[inst.pk])
    response = client.post(url, {"action": "contact", "contact-new_contact": stranger.pk})
    assert response.status_code == 400
    response = client.post(url, {"action": "contact", "contact-new_contact": new.pk})
    assert response.status_code == 302
    assert response["Location"] == MY  # the old contact person no longer manages it
    inst.refresh_from_db()
    assert inst.contact_person == new
    assert inst.events.filter(kind=InstitutionEventKind.CONTACT_CHANGED).exists()
    assert client.get(url).status_code == 404


def test_leaving_the_programme_needs_a_reason_and_a_confirmation(client):
    inst = _contact(client)
    url = reverse("institutions:edit", args=[inst.pk])
    response = client.post(url, {"action": "leave", "leave-reason": "Lagt ned"})
    assert response.status_code == 400
    assert inst.current_enrolment() is not None
    response = client.post(
        url, {"action": "leave", "leave-reason": "Lagt ned", "leave-confirm": "on"}
    )
    assert response.status_code == 302
    assert inst.current_enrolment() is None
    assert inst.events.filter(kind=InstitutionEventKind.LEFT, note="Lagt ned").exists()


def test_the_contact_person_confirms_and_declines(client):
    inst = _contact(client)
    asking, other = learner(), learner()
    first = membership_request(user=asking, institution=inst)
    second = membership_request(user=other, institution=inst)
    decide = "institutions:membership_decide"
    response = client.post(reverse(decide, args=[first.pk]), {"accept": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:contact_page", args=[inst.pk])
    response = client.post(reverse(decide, args=[second.pk]), {"accept": "0", "next": "/x/"})
    assert response["Location"] == "/x/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (MembershipStatus.ACTIVE, MembershipStatus.DECLINED)
    # Bad input is a message, not a 500; an outside "next" is not followed.
    response = client.post(
        reverse(decide, args=[first.pk]), {"accept": "maybe", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil")
    # Ending it from the contact page.
    response = client.post(reverse("institutions:membership_end", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == MembershipStatus.ENDED


def test_a_member_leaves_from_min_side(client):
    inst = institution()
    user = member(inst, verified=True)
    client.force_login(user)
    response = client.post(
        reverse("institutions:membership_end", args=[membership_of(user).pk]), follow=True
    )
    assert response.status_code == 200
    assert membership_of(user) is None


def test_a_contact_person_of_a_gets_404_on_b_s_pages(client):
    a = _contact(client)
    b = institution()
    b_member = member(b)
    request = membership_request(user=learner(), institution=b)
    assert client.get(reverse("institutions:edit", args=[a.pk])).status_code == 200
    assert client.get(reverse("institutions:edit", args=[b.pk])).status_code == 404
    assert (
        client.post(reverse("institutions:edit", args=[b.pk]), {"action": "leave"}).status_code
        == 404
    )
    response = client.post(
        reverse("institutions:membership_decide", args=[request.pk]), {"accept": "1"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("institutions:membership_end", args=[membership_of(b_member).pk])
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == MembershipStatus.REQUESTED
    assert membership_of(b_member).status == MembershipStatus.ACTIVE
    assert (
        client.post(
            reverse("institutions:membership_decide", args=[999999]), {"accept": "1"}
        ).status_code
        == 404
    )


def test_a_plain_member_gets_404_on_the_self_service_page(client):
    inst = institution()
    client.force_login(member(inst, verified=True))
    assert client.get(reverse("institutions:edit", args=[inst.pk])).status_code == 404


def test_decisions_need_post(client):
    inst = _contact(client)
    request = membership_request(user=learner(), institution=inst)
    response = client.get(reverse("institutions:membership_decide", args=[request.pk]))
    assert response.status_code == 405


def test_an_institution_that_left_enrols_again(client):
    from institutions.services import enrolment_leave

    inst = _contact(client)
    url = reverse("institutions:edit", args=[inst.pk])
    assert client.post(url, {"action": "enrol"}).status_code == 302
    assert inst.enrolments.count() == 1  # refused while enrolled
    enrolment_leave(institution=inst, by=inst.contact_person, reason="Pause")
    assert "Enrol again" in _text(client.get(url)) or "Meld på igjen" in _text(client.get(url))
    assert client.post(url, {"action": "enrol"}).status_code == 302
    assert inst.current_enrolment() is not None
    assert inst.events.filter(kind=InstitutionEventKind.ENROLLED).count() == 2


def test_deleting_the_account_ends_the_membership_and_the_contact_role(client):
    from accounts.services import learner_delete

    inst = institution()
    user = member(inst)
    contact = inst.contact_person
    learner_delete(user=user)
    learner_delete(user=contact)
    assert membership_of(user) is None
    inst.refresh_from_db()
    assert inst.contact_person is None
    assert inst.events.filter(kind=InstitutionEventKind.CONTACT_CHANGED).exists()
