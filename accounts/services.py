"""Every write that matters for accounts: the learner's profile, deletion, the professions.

``learner_profile_update`` writes the profile that certificates are issued from;
``learner_delete`` removes a learner's personal data and keeps the anonymous statistics;
``ensure_professions`` seeds the editable list of professions for the demo.
"""

import uuid
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.deletion import account_deletion_choices
from accounts.models import LearnerProfile, Profession

# The demo learner, for trying the site: the login is printed by ``make run`` and in the README.
DEMO_LEARNER_EMAIL = "laerer@example.org"
DEMO_LEARNER_PASSWORD = "Sykehjem-demo-2026"  # noqa: S105 - a published demo login, not a secret
DEMO_LEARNER_NAME = "Kari Nordmann"

# The first list of professions (Bokmål, the site's default language); editors own it afterwards.
DEFAULT_PROFESSIONS = [
    ("Sykepleier", 10),
    ("Helsefagarbeider", 20),
    ("Lege", 30),
    ("Annet", 90),
]


def ensure_professions() -> list[str]:
    """Seed the list of professions once; returns what it created (nothing on later runs).

    The list is content that editors manage as a snippet: once any profession exists, it is
    left alone, so a renamed or deleted entry does not come back with the next ``load_demo``.
    """
    if Profession.objects.exists():
        return []
    created = []
    with transaction.atomic():
        for name, sort_order in DEFAULT_PROFESSIONS:
            Profession.objects.create(name=name, sort_order=sort_order)
            created.append(f"profession {name}")
    return created


@transaction.atomic
def demo_learner_ensure() -> tuple[AbstractBaseUser, bool]:
    """The demo learner and whether it was made now; made once, never reset afterwards.

    Whoever uses the demo account owns it: an existing one (a changed password or profile
    included) is returned exactly as it is. ``ensure_demo_learner`` and the demo loader's
    certificates step both come here, so the learner is the same whichever runs first.
    """
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.filter(email__iexact=DEMO_LEARNER_EMAIL).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(
        username=DEMO_LEARNER_EMAIL, email=DEMO_LEARNER_EMAIL, password=DEMO_LEARNER_PASSWORD
    )
    EmailAddress.objects.create(user=user, email=DEMO_LEARNER_EMAIL, verified=True, primary=True)
    ensure_professions()
    nurse = Profession.objects.order_by("sort_order", "pk").first()
    learner_profile_update(
        user=user, full_name=DEMO_LEARNER_NAME, profession=nurse, workplace="Solsiden sykehjem"
    )
    return user, True


@transaction.atomic
def learner_profile_update(
    *,
    user: AbstractBaseUser,
    full_name: str,
    profession: Profession | None,
    workplace: str,
) -> LearnerProfile:
    """Create or update the learner's profile; raises ``ValidationError`` and saves nothing on
    bad input (an empty name, a name too long, ...)."""
    profile = LearnerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = LearnerProfile(user=user)
    profile.full_name = " ".join(full_name.split())
    profile.profession = profession
    profile.workplace = " ".join(workplace.split())
    profile.full_clean()
    profile.save()
    return profile


def _delete_sessions_of(user: AbstractBaseUser) -> int:
    """End every session the user has, on session engines that keep them in the database.

    Pure cache engines cannot be listed; there the sessions die anyway, because the user is
    inactive and the password (part of each session's auth hash) has changed.
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    user_id = str(user.pk)
    ended = 0
    sessions = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for session in sessions.iterator():
        data = store_class().decode(session.session_data)
        if data.get("_auth_user_id") == user_id:
            # Through the store, so cached_db also forgets its cached copy.
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def learner_delete(*, user: AbstractBaseUser, answers: dict[str, str] | None = None) -> None:
    """Delete a learner's account: remove the personal data, keep the anonymous statistics.

    The user row is anonymised rather than deleted: it becomes inactive, its username a random
    ``deleted-<uuid>``, its email and names empty, its password unusable, and it loses every
    group and permission. The learner profile (full name, profession, workplace), the email
    addresses known to django-allauth (with their pending confirmations), Wagtail's user
    profile and every session of the user are deleted; the caller logs the current request
    out. Rows in other models that point at the user (quiz attempts, progress, completions)
    keep pointing at the anonymised row, so statistics keep their numbers but name nobody.
    The person can sign up again with the same email address as a new, unrelated learner.

    Other apps act on their own records through ``accounts.deletion``: each registered
    question gets its answer from ``answers`` (its default when missing), in this transaction.

    Staff accounts are refused: they are managed by an administrator in the Wagtail admin.
    """
    from allauth.account.models import EmailAddress

    if user.is_staff or user.is_superuser:
        raise ValidationError(
            _("Staff accounts cannot be deleted here; ask an administrator."), code="staff"
        )
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    answers = answers or {}
    for choice in account_deletion_choices():
        answer = answers.get(choice.name, choice.default)
        if answer not in dict(choice.choices):
            raise ValidationError(_("Choose one of the answers."), code="invalid_choice")
        choice.apply(user, answer)
    LearnerProfile.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    _delete_wagtail_user_profile(user)
    user.username = f"deleted-{uuid.uuid4()}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    _delete_sessions_of(user)


def _delete_wagtail_user_profile(user: AbstractBaseUser) -> None:
    # Wagtail keeps admin preferences (language, time zone, avatar) per user.
    from wagtail.users.models import UserProfile

    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
