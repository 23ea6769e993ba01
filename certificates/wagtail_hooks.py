"""Wagtail wiring for certificates: the admin's listing (revoke, reissue), the yearly targets as
a snippet, the learner's certificates and yearly ledger as a section of Min side, and the account
deletion question."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.deletion import ACCOUNT_DELETION_CHOICE_HOOK, AccountDeletionChoice
from accounts.my_page import MY_PAGE_SECTION_HOOK, MyPageSection
from certificates import admin_views, ledger_services
from certificates.models import Certificate, YearTarget
from certificates.selectors import learner_ledger


class YearTargetViewSet(SnippetViewSet):
    model = YearTarget
    icon = "date"
    menu_label = _("Yearly targets")
    add_to_admin_menu = False
    list_display = ["year", "target_min", "target_max", "together_min"]
    ordering = ["-year"]


register_snippet(YearTargetViewSet)

# Certificates for programme admins: read-only, revoke and reissue only, never deleted.
register_permission_policy(
    Certificate, admin_views.CertificatePermissionPolicy(Certificate), exact_class=True
)


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return admin_views.CertificateViewSet()


@hooks.register("register_admin_urls")
def register_certificate_actions():
    return [
        path(
            "certificates/actions/",
            include((admin_views.urlpatterns, "certificates_admin")),
        )
    ]


@hooks.register(MY_PAGE_SECTION_HOOK)
def my_certificates_section(request) -> MyPageSection:
    """Certificates by year with the hours against the year's target, after the courses."""
    return MyPageSection(
        template="certificates/ledger/my_certificates.html",
        context={"ledger": learner_ledger(request.user)},
        order=20,
        stylesheets=("certificates/ledger.css",),
    )


@hooks.register(ACCOUNT_DELETION_CHOICE_HOOK)
def certificates_deletion_choice() -> AccountDeletionChoice:
    """Asks, on the account deletion page, whether the learner's certificates stay verifiable."""
    return AccountDeletionChoice(
        name="certificates",
        label=_("Shall your certificates stay verifiable?"),
        help_text=_(
            "Employers and others you gave a certificate to check it on our verification page."
        ),
        choices=(
            (
                ledger_services.KEEP_VERIFIABLE,
                _("Keep them: the verification page goes on showing my name."),
            ),
            (
                ledger_services.WITHDRAW,
                _(
                    "Withdraw them: the page says “withdrawn by the holder” and shows no name, "
                    "only the document's fingerprint (SHA-256)."
                ),
            ),
        ),
        default=ledger_services.ACCOUNT_DELETION_DEFAULT,
        applies=lambda user: Certificate.objects.filter(holder=user).exists(),
        apply=lambda user, answer: ledger_services.account_deletion_apply(user=user, answer=answer),
    )
