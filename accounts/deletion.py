"""Questions the account deletion page asks on behalf of other apps, and what each answer does.

Accounts sits below the apps that hold a learner's records (certificates now), so it must not
import them. Each such app adds its question through the Wagtail hook
``register_account_deletion_choice``: a function ``() -> AccountDeletionChoice`` registered in
the app's ``wagtail_hooks.py``. The deletion form shows the question when ``applies(user)``;
``learner_delete`` calls ``apply(user, answer)`` inside its transaction for every registered
choice (with ``default`` when the question was not shown), so an app can also remove its own
personal data there.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail import hooks

ACCOUNT_DELETION_CHOICE_HOOK = "register_account_deletion_choice"


@dataclass(frozen=True)
class AccountDeletionChoice:
    """One question on the deletion page, as radio buttons, and what to do with the answer."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]
    default: str
    apply: Callable[[object, str], None]
    applies: Callable[[object], bool] = lambda user: True
    help_text: str = ""


def account_deletion_choices() -> list[AccountDeletionChoice]:
    """Every app's question, in the order the apps registered them."""
    return [hook() for hook in hooks.get_hooks(ACCOUNT_DELETION_CHOICE_HOOK)]
