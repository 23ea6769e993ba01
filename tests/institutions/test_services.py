"""Registering, enrolment and self-service changes, each recorded as an event."""

import datetime

import pytest

from institutions.errors import InstitutionRefused
from institutions.models import InstitutionEventKind, Membership, MembershipStatus
from institutions.selectors import active_members, institutions_search
from institutions.services import (
    contact_person_change,
    enrolment_leave,
    institution_register,
    institution_update,
    membership_decide,
    membership_request,
)
from tests.institutions.factories import institution, learner, valid_org_number

pytestmark = pytest.mark.django_db


def kinds(inst):
    return list(inst.events.values_list("kind", flat=True))


def test_register_enrols_for_five_years_and_makes_the_user_contact_and_member():
    user = learner("Kari Nordmann")
    inst = institution_register(
        user=user,
        name="Solgløtt sykehjem",
        org_number="974 760 673",
        municipality="Bergen",
        kind="nursing_home",
        starts_on=datetime.date(2026, 1, 15),
    )
    assert inst.org_number == "974760673"
    assert inst.contact_person == user
    enrolment = inst.enrolments.get()
    assert (enrolment.starts_on, enrolment.ends_on) == (
        datetime.date(2026, 1, 15),
        datetime.date(2031, 1, 15),
    )
    assert active_members(inst) == [user]
    assert kinds(inst) == [InstitutionEventKind.ENROLLED]


def test_register_refuses_a_bad_check_digit_and_a_taken_number():
    user = learner()
    with pytest.raises(InstitutionRefused, match="check digit|Kontrollsifferet"):
        institution_register(
            user=user, name="X", org_number="974760674", municipality="Oslo", kind="other"
        )
    institution(org_number="983887457")
    with pytest.raises(InstitutionRefused) as caught:
        institution_register(
            user=user, name="Y", org_number="983 887 457", municipality="Oslo", kind="other"
        )
    assert caught.value.code == "org_number_taken"
    assert not Membership.objects.filter(user=user).exists()


def test_register_refused_while_active_member_elsewhere():
    inst = institution()
    member = learner()
    membership_decide(
        membership=membership_request(user=member, institution=inst),
        by=inst.contact_person,
        accept=True,
    )
    with pytest.raises(InstitutionRefused) as caught:
        institution(member)
    assert caught.value.code == "member_elsewhere"


def test_register_withdraws_an_open_request():
    inst = institution()
    user = learner()
    request = membership_request(user=user, institution=inst)
    institution(user)
    request.refresh_from_db()
    assert request.status == MembershipStatus.ENDED


def test_contact_person_change_needs_an_active_member_and_is_recorded():
    inst = institution()
    stranger = learner()
    with pytest.raises(InstitutionRefused):
        contact_person_change(institution=inst, by=inst.contact_person, new_contact=stranger)
    member = learner("Ola Nordmann")
    membership_decide(
        membership=membership_request(user=member, institution=inst),
        by=inst.contact_person,
        accept=True,
    )
    old = inst.contact_person
    contact_person_change(institution=inst, by=old, new_contact=member)
    inst.refresh_from_db()
    assert inst.contact_person == member
    event = inst.events.get(kind=InstitutionEventKind.CONTACT_CHANGED)
    assert "Ola Nordmann" in event.note and event.by == old
    # The old contact person can no longer change anything.
    with pytest.raises(InstitutionRefused):
        institution_update(institution=inst, by=old, beds=10)


def test_update_records_one_event_per_changed_field_and_none_when_unchanged():
    inst = institution(pharmacy="Apotek 1")
    user = inst.contact_person
    institution_update(
        institution=inst, by=user, pharmacy="Vitusapotek", beds=42, list_publicly=True
    )
    inst.refresh_from_db()
    assert (inst.pharmacy, inst.beds, inst.list_publicly) == ("Vitusapotek", 42, True)
    assert kinds(inst)[1:] == [
        InstitutionEventKind.PHARMACY_CHANGED,
        InstitutionEventKind.BEDS_CHANGED,
        InstitutionEventKind.DETAILS_CHANGED,
    ]
    assert "Apotek 1 → Vitusapotek" in inst.events.get(kind="pharmacy_changed").note
    institution_update(
        institution=inst, by=user, pharmacy="Vitusapotek", beds=42, list_publicly=True
    )
    assert inst.events.count() == 4


def test_update_refuses_negative_beds():
    inst = institution()
    with pytest.raises(InstitutionRefused):
        institution_update(institution=inst, by=inst.contact_person, beds=-1)


def test_leaving_needs_a_reason_and_ends_the_enrolment():
    inst = institution()
    with pytest.raises(InstitutionRefused):
        enrolment_leave(institution=inst, by=inst.contact_person, reason="  ")
    enrolment = enrolment_leave(institution=inst, by=inst.contact_person, reason="Merged")
    assert enrolment.left_reason == "Merged"
    assert not enrolment.active
    assert inst.current_enrolment() is None
    assert inst.events.filter(kind=InstitutionEventKind.LEFT, note="Merged").exists()
    with pytest.raises(InstitutionRefused):
        membership_request(user=learner(), institution=inst)


def test_search_by_name_municipality_and_org_number():
    a = institution(name="Fjellheim sykehjem", municipality="Voss", org_number="974760673")
    b = institution(name="Havly", municipality="Tromsø", org_number=valid_org_number())
    assert list(institutions_search("fjellheim")) == [a]
    assert list(institutions_search("tromsø")) == [b]
    assert list(institutions_search("974 760 673")) == [a]
    assert list(institutions_search("9747")) == [a]
    assert list(institutions_search("")) == []


@pytest.mark.django_db(transaction=True)
def test_two_learners_registering_the_same_number_at_once_get_one_institution():
    from institutions.models import Institution
    from tests.institutions.test_membership import _at_once

    users = [learner() for _ in range(4)]

    def work(index):
        return institution_register(
            user=users[index],
            name=f"Samme {index}",
            org_number="974760673",
            municipality="Bergen",
            kind="nursing_home",
        )

    results = _at_once(4, work)
    made = [r for r in results if isinstance(r, Institution)]
    refused = [r for r in results if isinstance(r, InstitutionRefused)]
    assert len(made) == 1 and len(refused) == 3
    assert {r.code for r in refused} == {"org_number_taken"}
    assert Institution.objects.count() == 1
    assert Membership.objects.count() == 1
