"""The quiz form inside a module section: an attempt for learners, practice for visitors."""

from django import template

from quizzes import services as quiz_services

register = template.Library()


def _ordered(questions: list[dict], layout: list[dict]) -> list[dict]:
    if not layout:
        return questions
    by_id = {question["id"]: question for question in questions}
    ordered = []
    for item in layout:
        question = by_id.get(item["id"])
        if question is None:
            continue
        choices = {choice["id"]: choice for choice in question["value"].get("choices", [])}
        if choices:
            shown = [choices[c] for c in item["choices"] if c in choices]
            question = {**question, "value": {**question["value"], "choices": shown}}
        ordered.append(question)
    return ordered


@register.inclusion_tag("courses/includes/quiz_form.html", takes_context=True)
def quiz_form(context, quiz):
    """Questions and choices only: which answers are right never reaches the page."""
    request, page = context["request"], context.get("page")
    attempt, exhausted = None, False
    if request.user.is_authenticated:
        try:
            attempt = quiz_services.quiz_attempt_start(quiz=quiz, user=request.user)
        except quiz_services.AttemptsExhausted:
            exhausted = True
    questions = quiz_services.live_questions(quiz) if quiz.live else []
    questions = _ordered(questions, attempt.layout if attempt else [])
    return {
        "request": request,
        "page": page,
        "quiz": quiz,
        "attempt": attempt,
        "exhausted": exhausted,
        "questions": [
            {
                "id": question["id"],
                "type": question["type"],
                "text": question["value"].get("question") or question["value"].get("statement"),
                "choices": [
                    {"id": choice["id"], "text": choice["value"]["text"]}
                    for choice in question["value"].get("choices", [])
                ],
            }
            for question in questions
        ],
        "attempts_left": (
            quiz_services.quiz_attempts_left(quiz=quiz, user=request.user)
            if request.user.is_authenticated
            else None
        ),
    }
