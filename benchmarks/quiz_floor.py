"""The hand-written floor of a quiz submission, for benchmarks/quiz_submit.py (a URLconf).

``POST /bench-floor<module path>quiz/`` does what any submission must do and nothing else:
the session and the user (Django's middleware, as for every request), the learner's open
attempt locked with its revision's questions and the pass mark (one SELECT ... FOR UPDATE),
the answers scored by the project's own pure scoring, the result written by one UPDATE, and
a redirect to the same result address the site's submission answers with. No page routing,
no view restrictions, no module or course evaluation: the cost those add is what the
benchmark measures against this.

Served by the same gunicorn as the site, in the same run, through the benchmark-only settings
benchmarks/quiz_floor_settings.py (everything else is the site's own URLconf). Part of the
benchmarks, not of the project: nothing in the project imports it.
"""

import json

from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import re_path
from django.utils import timezone
from django.views.decorators.http import require_POST

from cms import urls as site_urls
from quizzes.questions import questions_from_stored
from quizzes.scoring import SubmissionError, score

PREFIX = "/bench-floor"

_LOCK = """
SELECT a.id, a.submitted_at, r.content ->> 'questions', q.pass_mark
FROM quizzes_quizattempt a
JOIN wagtailcore_revision r ON r.id = a.revision_id
JOIN quizzes_quiz q ON q.id = a.quiz_id
WHERE a.token = %s AND a.user_id = %s
FOR UPDATE OF a
"""
_CLOSE = """
UPDATE quizzes_quizattempt
SET answers = %s, correct_count = %s, question_count = %s, score = %s, passed = %s,
    submitted_at = %s
WHERE id = %s
"""


@require_POST
def quiz_floor(request, module_path: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    token = request.POST.get("attempt", "")
    answers = {k[2:]: request.POST.getlist(k) for k in request.POST if k.startswith("q-")}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK, [token, request.user.pk])
        row = cursor.fetchone()
        if row is None:
            return HttpResponseBadRequest("no such attempt")
        attempt_id, submitted_at, questions, pass_mark = row
        if submitted_at is None:
            try:
                result = score(questions_from_stored(json.loads(questions)), answers,
                               pass_mark=pass_mark)  # fmt: skip
            except SubmissionError as error:
                return HttpResponseBadRequest(str(error))
            chosen = {r.question_id: list(r.chosen) for r in result.results}
            cursor.execute(_CLOSE, [
                json.dumps(chosen), result.correct_count, result.question_count,
                result.percent, result.passed, timezone.now(), attempt_id,
            ])  # fmt: skip
    return HttpResponseRedirect(f"{module_path}quiz/{token}/")


handler404 = site_urls.handler404
handler500 = site_urls.handler500

urlpatterns = [
    re_path(r"^bench-floor(/(?:[\w\-]+/)+)quiz/$", quiz_floor),
    *site_urls.urlpatterns,
]
