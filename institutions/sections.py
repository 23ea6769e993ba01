"""Min side's "My institution" section: the learner's membership and the institutions they are
contact person of, with the way to find, join or register one."""

from accounts.my_page import MyPageSection
from institutions import selectors


def my_institution_section(request) -> MyPageSection | None:
    if not request.user.is_authenticated:
        return None
    return MyPageSection(
        template="institutions/sections/my_institution.html",
        context={
            "membership": selectors.membership_of(request.user),
            "contact_for": selectors.institutions_of_contact(request.user),
            "next": request.get_full_path(),
        },
        order=30,
    )
