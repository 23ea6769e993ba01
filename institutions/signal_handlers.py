"""Signal handlers for institutions: they only defer work until the transaction has committed.

A new certificate can tip its holder's institution over the year's diploma criteria, so each
one asks, after commit, for the diplomas of the holder's institutions to be evaluated (the
``evaluate_diplomas`` task, for the programme year of the certificate's activity date). The task
finds the institutions where the holder is an active member; a learner without one costs one
query. A rolled-back issue asks for nothing.
"""

from django.db import transaction
from django.db.models.signals import post_save

from certificates.models import Certificate


def certificate_saved(instance: Certificate, created: bool, raw: bool = False, **kwargs) -> None:
    """Queue the diploma evaluation for a newly issued certificate's holder and year."""
    if not created or raw:
        return
    from institutions.tasks import evaluate_diplomas

    user_id, year = instance.holder_id, instance.activity_date.year
    transaction.on_commit(lambda: evaluate_diplomas.enqueue(user_id, year))


def register_signal_handlers() -> None:
    post_save.connect(
        certificate_saved, sender=Certificate, dispatch_uid="institutions_certificate_saved"
    )
