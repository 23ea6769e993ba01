"""``manage.py ensure_demo_learner``: a learner account with known credentials, for trying the site.

Only for demonstrations: the credentials are printed by ``make run`` and written in the README.
"""

import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Profession
from accounts.services import ensure_professions, learner_profile_update

DEMO_EMAIL = "laerer@example.org"
DEMO_PASSWORD = "Sykehjem-demo-2026"  # noqa: S105 - a published demo login, not a secret
DEMO_NAME = "Kari Nordmann"


class Command(BaseCommand):
    help = "Create (or reset) the demo learner account and print its login."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        user = User.objects.filter(email__iexact=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(username=DEMO_EMAIL, email=DEMO_EMAIL)
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        ensure_professions()
        nurse = Profession.objects.order_by("sort_order", "pk").first()
        learner_profile_update(
            user=user, full_name=DEMO_NAME, profession=nurse, workplace="Solsiden sykehjem"
        )
        url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/konto/login/"
        self.stdout.write(f"Demo learner login: {url}  {DEMO_EMAIL} / {DEMO_PASSWORD}")
