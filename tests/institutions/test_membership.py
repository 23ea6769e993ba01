"""Membership: asking to join, the contact person's decision, ending it; one open membership per
learner, also when requests arrive at the same moment (real threads; meant for PostgreSQL)."""

import threading

import pytest
from django.db import connection

from institutions.errors import InstitutionRefused
from institutions.models import InstitutionEventKind, Membership, MembershipStatus
from institutions.selectors import active_members, colleagues_of, membership_of
from institutions.services import membership_decide, membership_end, membership_request
from tests.institutions.factories import institution, learner, member


@pytest.mark.django_db
class TestMembership:
    def test_request_then_confirm_makes_an_active_member(self):
        inst = institution()
        user = learner("Siri Sykepleier")
        membership = membership_request(user=user, institution=inst)
        assert membership.status == MembershipStatus.REQUESTED
        assert user not in active_members(inst)
        membership_decide(membership=membership, by=inst.contact_person, accept=True)
        membership.refresh_from_db()
        assert membership.status == MembershipStatus.ACTIVE
        assert membership.decided_by == inst.contact_person
        assert user in active_members(inst)
        kinds = list(inst.events.values_list("kind", flat=True))
        assert kinds[-2:] == [
            InstitutionEventKind.MEMBER_REQUESTED,
            InstitutionEventKind.MEMBER_CONFIRMED,
        ]

    def test_decline_closes_the_request_and_the_learner_may_ask_elsewhere(self):
        a, b = institution(), institution()
        user = learner()
        membership = membership_request(user=user, institution=a)
        membership_decide(membership=membership, by=a.contact_person, accept=False)
        membership.refresh_from_db()
        assert membership.status == MembershipStatus.DECLINED
        assert membership_of(user) is None
        assert membership_request(user=user, institution=b).institution == b

    def test_a_decision_is_not_changed_afterwards(self):
        inst = institution()
        membership = membership_request(user=learner(), institution=inst)
        membership_decide(membership=membership, by=inst.contact_person, accept=False)
        # The same decision again is fine; the other one is refused.
        membership_decide(membership=membership, by=inst.contact_person, accept=False)
        with pytest.raises(InstitutionRefused):
            membership_decide(membership=membership, by=inst.contact_person, accept=True)

    def test_only_the_contact_person_decides(self):
        inst = institution()
        other = institution()
        colleague = member(inst)
        membership = membership_request(user=learner(), institution=inst)
        for outsider in (colleague, other.contact_person, membership.user):
            with pytest.raises(InstitutionRefused):
                membership_decide(membership=membership, by=outsider, accept=True)

    def test_asking_twice_for_the_same_institution_keeps_one_request(self):
        inst = institution()
        user = learner()
        first = membership_request(user=user, institution=inst)
        assert membership_request(user=user, institution=inst) == first
        assert Membership.objects.filter(user=user).count() == 1

    def test_asking_another_institution_replaces_the_open_request(self):
        a, b = institution(), institution()
        user = learner()
        first = membership_request(user=user, institution=a)
        second = membership_request(user=user, institution=b)
        first.refresh_from_db()
        assert first.status == MembershipStatus.ENDED
        assert membership_of(user) == second

    def test_an_active_member_must_leave_before_asking_elsewhere(self):
        a, b = institution(), institution()
        user = member(a)
        with pytest.raises(InstitutionRefused) as caught:
            membership_request(user=user, institution=b)
        assert caught.value.code == "member_elsewhere"
        assert a.name in str(caught.value.message)
        membership_end(membership=membership_of(user), by=user)
        assert membership_request(user=user, institution=b).status == MembershipStatus.REQUESTED

    def test_the_contact_person_ends_a_membership(self):
        inst = institution()
        user = member(inst)
        membership = membership_of(user)
        membership_end(membership=membership, by=inst.contact_person)
        membership.refresh_from_db()
        assert membership.status == MembershipStatus.ENDED
        assert membership.ended_by == inst.contact_person
        assert user not in active_members(inst)
        assert inst.events.filter(kind=InstitutionEventKind.MEMBER_ENDED).exists()

    def test_another_member_cannot_end_a_membership(self):
        inst = institution()
        a, b = member(inst), member(inst)
        with pytest.raises(InstitutionRefused):
            membership_end(membership=membership_of(a), by=b)

    def test_the_contact_person_hands_over_before_leaving(self):
        inst = institution()
        with pytest.raises(InstitutionRefused) as caught:
            membership_end(membership=membership_of(inst.contact_person), by=inst.contact_person)
        assert caught.value.code == "contact_person_leaving"

    def test_the_database_refuses_a_second_open_membership(self):
        from django.db import IntegrityError, transaction

        a, b = institution(), institution()
        user = learner()
        Membership.objects.create(institution=a, user=user, status=MembershipStatus.ACTIVE)
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(institution=b, user=user, status=MembershipStatus.REQUESTED)

    def test_colleagues_are_the_active_members_of_the_facilitator_s_institutions(self):
        inst, other = institution(), institution()
        facilitator, colleague = member(inst), member(inst)
        membership_request(user=learner(), institution=inst)  # not confirmed
        member(other)
        assert set(colleagues_of(facilitator)) == {colleague, inst.contact_person}
        assert set(colleagues_of(inst.contact_person)) == {facilitator, colleague}
        assert colleagues_of(learner()) == []


def _at_once(count: int, work) -> list:
    """Run ``work(index)`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never returned"
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_leave_one_open_membership():
    """Eight requests by one learner at once, to four institutions: exactly one stays open,
    none fails with anything but a clear refusal, and every other request is closed."""
    institutions = [institution() for _ in range(4)]
    user = learner()

    def work(index):
        return membership_request(user=user, institution=institutions[index % 4])

    results = _at_once(8, work)
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, InstitutionRefused)
    ]
    assert unexpected == []
    open_memberships = Membership.objects.filter(
        user=user, status__in=[MembershipStatus.REQUESTED, MembershipStatus.ACTIVE]
    )
    assert open_memberships.count() == 1
    assert membership_of(user) == open_memberships.get()


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_confirm_once():
    inst = institution()
    membership = membership_request(user=learner(), institution=inst)
    results = _at_once(
        6,
        lambda index: membership_decide(membership=membership, by=inst.contact_person, accept=True),
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert inst.events.filter(kind=InstitutionEventKind.MEMBER_CONFIRMED).count() == 1


@pytest.mark.django_db
def test_the_colleague_hook_gives_attendance_the_institution_s_members():
    from wagtail import hooks

    from attendance.colleagues import COLLEAGUE_SOURCE_HOOK

    inst = institution()
    facilitator, colleague = member(inst), member(inst)
    found = set()
    for hook in hooks.get_hooks(COLLEAGUE_SOURCE_HOOK):
        found |= set(hook(None, facilitator))
    assert {colleague, inst.contact_person} <= found
    assert facilitator not in found
