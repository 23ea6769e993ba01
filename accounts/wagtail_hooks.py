"""Admin wiring for accounts: the list of professions learners choose from."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.models import Profession


class ProfessionViewSet(SnippetViewSet):
    model = Profession
    icon = "user"
    menu_label = _("Professions")
    add_to_admin_menu = False
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]
    search_fields = ["name"]


register_snippet(ProfessionViewSet)
