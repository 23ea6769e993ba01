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
    help = "Create the demo learner account if it is missing, and print its login."

    @transaction.atomic
    def handle(self, *args, **options):
        url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/konto/login/"
        User = get_user_model()
        user = User.objects.filter(email__iexact=DEMO_EMAIL).first()
        if user is not None:
            # Whoever uses the demo account owns it now: never reset its password or profile.
            if user.check_password(DEMO_PASSWORD):
                self.stdout.write(f"Demo learner login: {url}  {DEMO_EMAIL} / {DEMO_PASSWORD}")
            else:
                self.stdout.write(
                    f"Demo learner {DEMO_EMAIL} exists with a changed password; left as it is."
                )
            return
        user = User.objects.create_user(
            username=DEMO_EMAIL, email=DEMO_EMAIL, password=DEMO_PASSWORD
        )
        EmailAddress.objects.create(user=user, email=DEMO_EMAIL, verified=True, primary=True)
        ensure_professions()
        nurse = Profession.objects.order_by("sort_order", "pk").first()
        learner_profile_update(
            user=user, full_name=DEMO_NAME, profession=nurse, workplace="Solsiden sykehjem"
        )
        self.stdout.write(f"Demo learner login: {url}  {DEMO_EMAIL} / {DEMO_PASSWORD}")
