"""Quiz submission inside a module: scored on the server, then the module (and course) checked.

Learners' answers are stored as an attempt (the first submission of a form creates it);
visitors who are not logged in get their score for practice and nothing is stored. A submission
that does not fit the quiz gets a 400 with a clear message and changes nothing; one to a quiz
that was unpublished or deleted gets a 409 saying so, and changes nothing either.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from courses.models.pages import ModulePage
from courses.selectors import course_overview
from courses.services import module_evaluate
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from quizzes.models import Quiz
from quizzes.scoring import SubmissionError

_FORM_FIELDS = ("csrfmiddlewaretoken", "attempt", "quiz", "version")


def _answers(request: HttpRequest) -> dict[str, list[str]]:
    """Answers from the form: fields named ``q-<question id>``; nothing else is accepted."""
    answers = {}
    for name in request.POST:
        if name in _FORM_FIELDS:
            continue
        if not name.startswith("q-"):
            raise SubmissionError(_("The form contained a field that is not part of the quiz."))
        answers[name[2:]] = request.POST.getlist(name)
    return answers


def _module_quiz(module: ModulePage, quiz_id: str) -> Quiz:
    for quiz in module.quizzes():
        if str(quiz.pk) == quiz_id:
            return quiz
    if None in module.quiz_choices():
        # A quiz block whose quiz was deleted: that is the quiz the form was for.
        raise quiz_services.QuizUnavailable(_("The quiz is not available now."))
    raise SubmissionError(_("This quiz is not part of this module."))


def _refused(request, module: ModulePage, message: str, *, status: int = 400) -> HttpResponse:
    return TemplateResponse(
        request, "courses/quiz_refused.html", {"page": module, "message": message},
        status=status,
    )  # fmt: skip


def module_quiz_submit(request: HttpRequest, module: ModulePage) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    version = request.POST.get("version", "")
    try:
        quiz = _module_quiz(module, request.POST.get("quiz", ""))
        answers = _answers(request)
        if not request.user.is_authenticated:
            score = quiz_services.quiz_practice_score(quiz=quiz, answers=answers,
                                                      version=version)  # fmt: skip
            return TemplateResponse(
                request, "courses/quiz_result.html",
                {"page": module, "quiz": quiz, "score": score, "practice": True},
            )  # fmt: skip
        attempt = quiz_services.quiz_attempt_submit(
            quiz=quiz, user=request.user, token=request.POST.get("attempt", ""),
            answers=answers, version=version,
        )  # fmt: skip
    except quiz_services.QuizUnavailable:
        return _refused(request, module, _("The quiz is not available now."), status=409)
    except (SubmissionError, quiz_services.AttemptsExhausted) as error:
        return _refused(request, module, str(error))
    module_evaluate(user=request.user, module=module)
    return redirect(module.url + module.reverse_subpage("quiz_result", args=[attempt.token]))


def module_quiz_result(request: HttpRequest, module: ModulePage, token) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404("Log in to see your results.")
    attempt = quiz_selectors.submitted_attempt(token=token, user=request.user)
    if attempt is None:
        raise Http404("No such result.")
    course = module.get_parent().specific
    return TemplateResponse(
        request, "courses/quiz_result.html",
        {
            "page": module, "quiz": attempt.quiz, "attempt": attempt,
            "score": quiz_selectors.attempt_results(attempt), "practice": False,
            "attempts_left": quiz_selectors.quiz_attempts_left(quiz=attempt.quiz,
                                                               user=request.user),
            "overview": course_overview(course=course, user=request.user),
        },
    )  # fmt: skip
