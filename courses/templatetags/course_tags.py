"""The quiz form inside a module section: reads only (the first submission creates the attempt)."""

from django import template

from quizzes import selectors as quiz_selectors

register = template.Library()


@register.inclusion_tag("courses/includes/quiz_form.html", takes_context=True)
def quiz_form(context, quiz):
    """Questions and choices only: which answers are right never reaches the page.

    ``quiz`` is ``None`` when the quiz was deleted; then, as when it is unpublished, the section
    says that the quiz is not available instead of showing it.
    """
    request = context["request"]
    return {
        "request": request,
        "page": context.get("page"),
        "form": quiz_selectors.quiz_form(quiz=quiz, user=request.user),
    }
