"""Test data for institutions: learners with profiles, and registered institutions."""

import itertools

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from accounts.models import LearnerProfile
from institutions.numbers import org_number_check_digit
from institutions.services import institution_register

_counter = itertools.count(1)


def valid_org_number(seed: int | None = None) -> str:
    """A fresh valid organisation number (skipping prefixes whose check digit would be 10)."""
    n = 91000000 + (seed if seed is not None else next(_counter) * 7)
    while True:
        prefix = f"{n:08d}"
        check = org_number_check_digit(prefix)
        if check is not None:
            return f"{prefix}{check}"
        n += 1


def learner(name: str = "", *, verified: bool = False, **extra):
    """A learner with a profile; ``verified`` also gives a verified email (needed by the pages)."""
    index = next(_counter)
    user = get_user_model().objects.create_user(
        username=f"learner{index}",
        email=f"learner{index}@example.org",
        password="pw-123456!",
        **extra,
    )
    if verified:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    LearnerProfile.objects.create(user=user, full_name=name or f"Learner {index}")
    return user


def member(inst, name: str = "", *, verified: bool = False):
    """A learner confirmed as an active member of ``inst``."""
    from institutions.services import membership_decide, membership_request

    user = learner(name, verified=verified)
    membership_decide(
        membership=membership_request(user=user, institution=inst),
        by=inst.contact_person,
        accept=True,
    )
    return user


def institution(contact=None, *, name: str = "", municipality: str = "Bergen", **extra):
    contact = contact or learner("Contact person")
    return institution_register(
        user=contact,
        name=name or f"Home {next(_counter)}",
        org_number=extra.pop("org_number", None) or valid_org_number(),
        municipality=municipality,
        kind=extra.pop("kind", "nursing_home"),
        **extra,
    )
