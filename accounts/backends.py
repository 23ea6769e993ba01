"""The one way a password becomes a session, whichever page asks for it.

``settings.AUTHENTICATION_BACKENDS`` names only this backend, so every sign-in form (allauth's
``/konto/login/``, Wagtail's ``/admin/login/`` and its front-end ``/_util/login/``, and any
later one) passes through the same rules:

- throttling: failed attempts count against allauth's ``login_failed`` limits (per address and
  per account) whichever form they came from; allauth's own flow counts them itself;
- verification: a learner signs in only with a confirmed email address (allauth's flow sends
  the confirmation instead; other forms just refuse);
- staff: a username signs in only an account with access to the Wagtail admin. Such accounts
  are made by an administrator (``ensure_admin``, the admin's user screens), who vouches for
  them, so they need no confirmed address (``ensure_admin``'s superuser has none).
"""

from allauth.account.adapter import get_adapter
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError

# Set on the request while allauth's own login flow authenticates (see AccountAdapter).
IN_ALLAUTH_FLOW = "_accounts_in_allauth_flow"
# Set on the request when a sign-in was refused for too many failed attempts.
THROTTLED = "accounts_login_throttled"


def has_admin_access(user) -> bool:
    """Whether ``user`` may use the Wagtail admin (and so sign in there)."""
    return user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


class AuthenticationBackend(AllauthBackend):
    """allauth's email backend, plus staff usernames, with the rules above on every path."""

    def authenticate(self, request, **credentials):
        if request is not None and getattr(request, IN_ALLAUTH_FLOW, False):
            # allauth throttles and checks verification in its own flow.
            return super().authenticate(request, **credentials)
        if not credentials.get("password"):
            return None
        adapter = get_adapter(request)
        if request is not None:
            try:
                adapter.pre_authenticate(request, **credentials)
            except ValidationError:
                setattr(request, THROTTLED, True)
                # Stops Django from asking any other backend: the attempt is refused.
                raise PermissionDenied from None
        user = super().authenticate(request, **credentials) or self._staff_by_username(
            request, **credentials
        )
        if user is not None and not (has_admin_access(user) or has_verified_email(user)):
            user = None
        if user is not None and request is not None:
            # A success does not count as a failed attempt (allauth's own flow does the same).
            adapter._rollback_login_failed_rl_usage()
        return user

    def _staff_by_username(self, request, **credentials):
        """Staff sign in to the admin with their username (learners have none of their own)."""
        username = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)
        if not username:
            return None
        user = ModelBackend().authenticate(
            request, username=username, password=credentials["password"]
        )
        return user if user is not None and has_admin_access(user) else None
