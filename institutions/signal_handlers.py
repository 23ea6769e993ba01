"""Signal handlers for institutions: they only defer work until the transaction has committed.

Three things can make an institution meet a year's diploma criteria, and each asks, after
commit, for the diplomas to be evaluated (a rolled-back write asks for nothing):

- a new certificate: the holder's institutions, for the programme year of its activity date
  (``evaluate_diplomas``, only for a member of an institution in a year with criteria);
- a membership saved as active: the member's institution, for this year (the member brings
  their certificates along);
- a year's criteria saved by a programme admin: every enrolled institution, for that year
  (``evaluate_diplomas_year``), so nobody waits for the next certificate.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from certificates.models import Certificate
from institutions.models import DiplomaCriteria, Membership, MembershipStatus


def certificate_saved(instance: Certificate, created: bool, raw: bool = False, **kwargs) -> None:
    """Queue the diploma evaluation for a newly issued certificate's holder and year."""
    if not created or raw:
        return
    from institutions.tasks import evaluate_diplomas

    user_id, year = instance.holder_id, instance.activity_date.year

    def enqueue() -> None:
        # Most certificates go to learners outside any institution, or fall in a year without
        # criteria: two indexed reads spare them a task (an INSERT and a commit in the queue).
        # A membership turning active or criteria saved later ask for the evaluation themselves.
        member = Membership.objects.filter(user_id=user_id, status=MembershipStatus.ACTIVE)
        if member.exists() and DiplomaCriteria.objects.filter(year=year).exists():
            evaluate_diplomas.enqueue(user_id, year)

    transaction.on_commit(enqueue)


def membership_saved(instance: Membership, raw: bool = False, **kwargs) -> None:
    """Queue the evaluation of this year's diploma when a membership is (still) active."""
    if raw or instance.status != MembershipStatus.ACTIVE:
        return
    from institutions.tasks import evaluate_diplomas

    user_id, year = instance.user_id, timezone.localdate().year
    transaction.on_commit(lambda: evaluate_diplomas.enqueue(user_id, year))


def criteria_saved(instance: DiplomaCriteria, raw: bool = False, **kwargs) -> None:
    """Queue the evaluation of every enrolled institution for the year of saved criteria."""
    if raw:
        return
    from institutions.tasks import evaluate_diplomas_year

    year = instance.year
    transaction.on_commit(lambda: evaluate_diplomas_year.enqueue(year))


def register_signal_handlers() -> None:
    post_save.connect(
        certificate_saved, sender=Certificate, dispatch_uid="institutions_certificate_saved"
    )
    post_save.connect(
        membership_saved, sender=Membership, dispatch_uid="institutions_membership_saved"
    )
    post_save.connect(
        criteria_saved, sender=DiplomaCriteria, dispatch_uid="institutions_criteria_saved"
    )
