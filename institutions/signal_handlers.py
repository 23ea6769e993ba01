"""Signal handlers for institutions: they only defer work until the transaction has committed.

Three things can make an institution meet a year's diploma criteria, and each asks, after
commit, for the diplomas to be evaluated (a rolled-back write asks for nothing):

- a new certificate: the holder's institutions, for the programme year of its activity date
  (``evaluate_diplomas``; a learner without an institution costs the task one query);
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
    transaction.on_commit(lambda: evaluate_diplomas.enqueue(user_id, year))


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
