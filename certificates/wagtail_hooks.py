"""Wagtail wiring for certificates: the yearly targets as a snippet, and the learner's
certificates and yearly ledger as a section of Min side."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.my_page import MY_PAGE_SECTION_HOOK, MyPageSection
from certificates.models import YearTarget
from certificates.selectors import learner_ledger


class YearTargetViewSet(SnippetViewSet):
    model = YearTarget
    icon = "date"
    menu_label = _("Yearly targets")
    add_to_admin_menu = False
    list_display = ["year", "target_min", "target_max", "together_min"]
    ordering = ["-year"]


register_snippet(YearTargetViewSet)


@hooks.register(MY_PAGE_SECTION_HOOK)
def my_certificates_section(request) -> MyPageSection:
    """Certificates by year with the hours against the year's target, after the courses."""
    return MyPageSection(
        template="certificates/ledger/my_certificates.html",
        context={"ledger": learner_ledger(request.user)},
        order=20,
        stylesheets=("certificates/ledger.css",),
    )
