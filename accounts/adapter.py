"""How django-allauth fits this site: our messages, mail subjects, redirects and user display.

``settings.ACCOUNT_ADAPTER`` points here. The error messages a learner can meet are our own
strings, so they are translated in every language of the site (allauth has no Nynorsk).
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.httpkit import get_client_ip
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

logger = logging.getLogger("accounts")

# What the operator must set when the client's address is unknown (README, configuration).
CLIENT_ADDRESS_HELP = (
    "Set TRUSTED_PROXY_COUNT to the number of proxies in front of the site (each must append "
    "the client's address to X-Forwarded-For), or TRUSTED_CLIENT_IP_HEADER to the header your "
    "proxy sets to the client's address (for example X-Real-IP)."
)


class ClientAddressUnknown(Exception):
    """The visitor's address cannot be known, so sign-in cannot be throttled: refuse clearly.

    Not a ``PermissionDenied``: Django's ``authenticate()`` would swallow that as a wrong
    password. ``accounts.middleware.ClientAddressMiddleware`` answers it with a 503 page.
    """


def programme_name(request=None) -> str:
    """The programme's name, as the project tells it (``settings.ACCOUNTS_PROGRAMME_NAME``, a
    dotted path to ``(request) -> str``); the site name when the project sets none."""
    reader = getattr(settings, "ACCOUNTS_PROGRAMME_NAME", "")
    return (import_string(reader)(request) if reader else "") or settings.WAGTAIL_SITE_NAME


def user_display(user) -> str:
    """How a learner is named in messages: the profile's full name, else the email address."""
    from accounts.models import LearnerProfile

    try:
        name = user.learner_profile.full_name
    except LearnerProfile.DoesNotExist:
        name = ""
    return name or user.email or user.get_username()


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account has been closed."),
        "duplicate_email": _("This email address is already on your account."),
        "email_password_mismatch": _(
            "The email address or the password is not correct. Check both and try again."
        ),
        "email_taken": _("Another account already uses this email address."),
        "enter_current_password": _("Enter your current password."),
        "incorrect_password": _("The password is not correct."),
        "invalid_or_expired_key": _("The link is invalid or has expired."),
        "invalid_login": _("The email address or the password is not correct."),
        "invalid_password_reset": _(
            "The link to reset the password is invalid or has been used already."
        ),
        "too_many_login_attempts": _(
            "Too many failed attempts to sign in with this email address. Wait a few "
            "minutes and try again, or reset your password."
        ),
        "unknown_email": _("No account uses this email address."),
        "unverified_primary_email": _("Your email address must be confirmed first."),
        "same_as_current": _("The new email address is the same as the current one."),
        "rate_limited": _("Too many requests. Wait a little and try again."),
    }

    def authenticate(self, request, **credentials):
        # allauth's flow throttles and checks verification itself; tell our backend so it
        # does not count the attempt twice (see accounts/backends.py).
        from accounts.backends import IN_ALLAUTH_FLOW

        setattr(request, IN_ALLAUTH_FLOW, True)
        try:
            return super().authenticate(request, **credentials)
        finally:
            setattr(request, IN_ALLAUTH_FLOW, False)

    def get_client_ip(self, request) -> str:
        # allauth answers a missing address with a bare 403 and a short X-Forwarded-For with a
        # 500; both mean the proxy settings do not match how requests arrive.
        try:
            ip = get_client_ip(request)
        except ImproperlyConfigured as error:
            logger.error("X-Forwarded-For has too few addresses. %s", CLIENT_ADDRESS_HELP)
            raise ClientAddressUnknown(str(error)) from error
        if not ip:
            logger.error(
                "The client's address is unknown (REMOTE_ADDR is empty, as behind a proxy on "
                "a Unix socket), so sign-in cannot be rate limited. %s",
                CLIENT_ADDRESS_HELP,
            )
            raise ClientAddressUnknown("REMOTE_ADDR is empty")
        return ip

    def format_email_subject(self, subject: str) -> str:
        from allauth.core import context as allauth_context

        return f"[{programme_name(allauth_context.request)}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from allauth.core import context as allauth_context

        request = allauth_context.request
        context = {
            "programme_name": programme_name(request),
            "site_url": request.build_absolute_uri(reverse("wagtail_serve", args=[""]))
            if request is not None
            else settings.WAGTAILADMIN_BASE_URL,
            **context,
        }
        super().send_mail(template_prefix, email, context)

    def get_logout_redirect_url(self, request) -> str:
        # The front page in the language the visitor is using.
        return reverse("wagtail_serve", args=[""])


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length rule, with its message in our catalogue: Django 5.2 ships no
    Bokmål or Nynorsk translation of the message it shows when a password is too short."""

    def get_error_message(self) -> str:
        return ngettext(
            "The password is too short: it must have at least %(min_length)d character.",
            "The password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
