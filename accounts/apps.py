from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Identity: sign-up and sign-in (every path), the learner's profile, Min side, deletion."""

    name = "accounts"
    verbose_name = _("Accounts")
