"""``manage.py ensure_demo_learner``: a learner account with known credentials, for trying the site.

Only for demonstrations: the credentials are printed by ``make run`` and written in the README.
The account is made by ``accounts.services.demo_learner_ensure`` (which the demo loader uses
too, to give the learner its demo certificates), once; an existing one is left as it is.
"""

import os

from django.core.management.base import BaseCommand

from accounts.services import DEMO_LEARNER_EMAIL as DEMO_EMAIL
from accounts.services import DEMO_LEARNER_PASSWORD as DEMO_PASSWORD
from accounts.services import demo_learner_ensure


class Command(BaseCommand):
    help = "Create the demo learner account if it is missing, and print its login."

    def handle(self, *args, **options):
        url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/konto/login/"
        user, _created = demo_learner_ensure()
        # Whoever uses the demo account owns it now: never reset its password or profile.
        if user.check_password(DEMO_PASSWORD):
            self.stdout.write(f"Demo learner login: {url}  {DEMO_EMAIL} / {DEMO_PASSWORD}")
        else:
            self.stdout.write(
                f"Demo learner {DEMO_EMAIL} exists with a changed password; left as it is."
            )
