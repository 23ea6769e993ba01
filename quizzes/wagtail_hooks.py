"""Quizzes in the Wagtail admin: a snippet with drafts, revisions, preview and scheduling.

The unpublish and delete confirmations link to the quiz's usage (Wagtail's reference index),
which lists the modules that use it; a quiz that learners have answered cannot be deleted.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from quizzes.models import Quiz
from quizzes.selectors import quiz_has_attempts


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "help"
    menu_label = gettext_lazy("Quizzes")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "pass_mark", "max_attempts", "live"]
    search_fields = ["title"]


register_snippet(QuizViewSet)


@hooks.register("before_delete_snippet")
def keep_answered_quizzes(request, instances):
    """Learners' results point at the quiz's versions: deleting it would lose them."""
    answered = [obj for obj in instances if isinstance(obj, Quiz) and quiz_has_attempts(obj)]
    if not answered:
        return None
    for quiz in answered:
        messages.error(
            request,
            _(
                "Learners have answered «%(title)s», so it cannot be deleted: their results "
                "would be lost. Unpublish it instead."
            )
            % {"title": quiz.title},
        )
    return redirect("wagtailsnippets_quizzes_quiz:list")
