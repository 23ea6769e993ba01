"""Quiz submission inside a module: scored on the server, then the module (and course) checked.

Learners' answers are stored as an attempt (the first submission of a form creates it);
visitors who are not logged in get their score for practice and nothing is stored. A submission
that does not fit the quiz gets a 400 with a clear message and changes nothing; one to a quiz
that was unpublished or deleted gets a 409 saying so, and changes nothing either.
"""

import copy

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from courses.models.pages import CoursePage, ModulePage
from courses.selectors import course_overview
from courses.services import module_evaluate
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from quizzes.models import Quiz
from quizzes.scoring import SubmissionError

_FORM_FIELDS = ("csrfmiddlewaretoken", "attempt", "quiz", "version")


def _module_at(request: HttpRequest, page_path: str) -> ModulePage | None:
    """The module whose URL is ``page_path`` on this request's site and language.

    The same page Wagtail's routing finds (its site root for the active language, then the
    slugs below it), read by its stored ``url_path`` in one query instead of walking the tree
    level by level, and kept in memory under the content version (``cms.layoutcache``): a
    publish, unpublish, move or delete changes the version. Each request gets its own copy.
    ``None`` when that cannot be decided this way; Wagtail's routing then has the last word.
    """
    from cms import layoutcache

    site = Site.find_for_request(request)
    if site is None:
        return None
    try:
        language = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None
    key = (site.pk, language, page_path)
    module = layoutcache.cached("quiz-module", key, lambda: _module_query(request, *key))
    return copy.copy(module) if module is not None else None


def _module_query(request: HttpRequest, site_id: int, language: str, page_path: str):
    roots = getattr(request, "_wagtail_cached_site_root_paths", None)
    if roots is None:
        roots = Site.get_site_root_paths()
    paths = [
        root.root_path + page_path
        for root in roots
        if root.site_id == site_id and root.language_code == language
    ]
    if not paths:
        return None
    slug = page_path.rstrip("/").rsplit("/", 1)[-1]
    found = ModulePage.objects.filter(url_path__in=paths, slug=slug).order_by()[:1]
    return next(iter(found), None)


def module_quiz_route(request: HttpRequest, page_path: str) -> HttpResponse:
    """``<module>/quiz/``: the module found in one query, then served by Wagtail's own serve
    view, so its ``before_serve_page`` hooks (view restrictions: private, password, groups)
    apply to quiz submissions as to the module's pages. Any other page whose URL ends in
    ``quiz/`` is routed by Wagtail as usual."""
    module = _module_at(request, page_path)
    if module is not None:
        try:
            request._wagtail_route_for_request = module.route(request, ["quiz"])
        except Http404:
            request._wagtail_route_for_request = None
    return wagtail_serve(request, page_path + "quiz/")


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


def _module_quiz_id(module: ModulePage, value: str) -> int:
    """The id of the quiz the form was for, if it is one of this module's quiz blocks."""
    ids = module.quiz_ids()
    if value.isascii() and value.isdigit() and int(value) in ids:
        return int(value)
    raise SubmissionError(_("This quiz is not part of this module."))


def _refused(request, module: ModulePage, message: str, *, status: int = 400) -> HttpResponse:
    return TemplateResponse(
        request, "courses/quiz_refused.html", {"page": module, "message": message},
        status=status,
    )  # fmt: skip


def module_quiz_submit(request: HttpRequest, module: ModulePage) -> HttpResponse:
    """Score a submission: a learner's is recorded (once) and the module evaluated; a
    visitor's is scored for practice only. The quiz, its attempt and the attempt's revision
    are read in one query; the questions come from that revision's stored content."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    version = request.POST.get("version", "")
    try:
        quiz_id = _module_quiz_id(module, request.POST.get("quiz", ""))
        answers = _answers(request)
        if not request.user.is_authenticated:
            quiz = Quiz.objects.filter(pk=quiz_id).first()
            if quiz is None:
                raise quiz_services.QuizUnavailable(_("The quiz is not available now."))
            score = quiz_services.quiz_practice_score(quiz=quiz, answers=answers,
                                                      version=version)  # fmt: skip
            return TemplateResponse(
                request, "courses/quiz_result.html",
                {"page": module, "quiz": quiz, "score": score, "practice": True},
            )  # fmt: skip
        attempt = quiz_services.quiz_attempt_submit(
            quiz=quiz_id, user=request.user, token=request.POST.get("attempt", ""),
            answers=answers, version=version,
        )  # fmt: skip
    except quiz_services.QuizUnavailable:
        return _refused(request, module, _("The quiz is not available now."), status=409)
    except (SubmissionError, quiz_services.AttemptsExhausted) as error:
        return _refused(request, module, str(error))
    module_evaluate(user=request.user, module=module)
    # This request's own path is the module's quiz address: the result page is below it.
    return redirect(f"{request.path}{attempt.token}/")


def module_quiz_result(request: HttpRequest, module: ModulePage, token) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404("Log in to see your results.")
    attempt = quiz_selectors.submitted_attempt(token=token, user=request.user)
    if attempt is None:
        raise Http404("No such result.")
    course = CoursePage.objects.get(path=module.path[: -module.steplen])
    return TemplateResponse(
        request, "courses/quiz_result.html",
        {
            "page": module, "quiz": attempt.quiz, "attempt": attempt,
            "score": quiz_selectors.attempt_results(attempt), "practice": False,
            "attempts_left": quiz_selectors.quiz_attempts_left(quiz=attempt.quiz,
                                                               user=request.user),
            "overview": course_overview(course=course, user=request.user, request=request),
        },
    )  # fmt: skip
