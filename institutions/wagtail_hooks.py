"""Wagtail wiring of institutions: the admin's institution listing, Min side's "My institution"
section, and the colleagues a facilitator may add to a group session (the members of their
institution). The certificates listing's institution filter and the diploma's admin register
themselves in the modules imported here."""

from wagtail import hooks

from accounts.deletion import ACCOUNT_DELETION_CHOICE_HOOK, AccountDeletionChoice
from accounts.my_page import MY_PAGE_SECTION_HOOK
from attendance.colleagues import COLLEAGUE_SOURCE_HOOK
from institutions import (
    certificate_filters,  # noqa: F401
    diploma_hooks,  # noqa: F401
    selectors,
    services,
)
from institutions.admin_views import InstitutionViewSet
from institutions.sections import my_institution_section


@hooks.register("register_admin_viewset")
def register_institution_viewset():
    return InstitutionViewSet()


hooks.register(MY_PAGE_SECTION_HOOK, my_institution_section)


@hooks.register(COLLEAGUE_SOURCE_HOOK)
def institution_colleagues(session, facilitator):
    """Active members of every institution the facilitator is an active member or contact
    person of."""
    return selectors.colleagues_of(facilitator)


@hooks.register(ACCOUNT_DELETION_CHOICE_HOOK)
def institutions_account_deletion() -> AccountDeletionChoice:
    """No question to ask (``applies`` is never true): a deleted account's memberships end and
    its contact person role is given up, in the deletion's transaction."""
    return AccountDeletionChoice(
        name="institutions",
        label="",
        choices=(("end", "end"),),
        default="end",
        apply=lambda user, answer: services.memberships_close_for_deleted_account(user=user),
        applies=lambda user: False,
    )
