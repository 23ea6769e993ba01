"""Writes for quizzes: submitting attempts (the first submission creates the attempt), and
scoring practice for visitors. Reads are in ``quizzes.selectors``."""

import uuid

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import scoring, selectors, tickets
from quizzes.models import Quiz, QuizAttempt


class AttemptsExhausted(Exception):  # noqa: N818 - a state the learner is told about
    """The learner has used every attempt the quiz allows."""


class QuizUnavailable(Exception):  # noqa: N818 - a state the learner is told about
    """The quiz was unpublished or deleted: it cannot be answered now."""


def _token(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise scoring.SubmissionError(_("This attempt does not exist or is not yours.")) from exc


# What closing an attempt changes: the UPDATE writes these columns and nothing else.
_CLOSED_FIELDS = ("answers", "correct_count", "question_count", "score", "passed", "submitted_at")


def _close(attempt: QuizAttempt, result: scoring.Score) -> None:
    attempt.answers = {r.question_id: list(r.chosen) for r in result.results}
    attempt.correct_count = result.correct_count
    attempt.question_count = result.question_count
    attempt.score = result.percent
    attempt.passed = result.passed
    attempt.submitted_at = timezone.now()


# What submitting reads: the attempt's own columns, the quiz's availability and rules, and the
# revision's stored content (its questions). Anything else is read only if something asks.
_ATTEMPT_FIELDS = (
    "token", "quiz_id", "revision_id", "user_id", "layout", "submitted_at", "answers",
    "correct_count", "question_count", "score", "passed",
    "quiz__title", "quiz__live", "quiz__live_revision_id", "quiz__pass_mark",
    "quiz__max_attempts", "revision__content",
)  # fmt: skip


def _attempt_for_update(*, token: uuid.UUID, user, quiz_id: int) -> QuizAttempt | None:
    """The learner's attempt with ``token``, locked, with its quiz and revision in one query.

    Only the attempt's row is locked (``of``): locking the joined quiz and revision rows too
    would make every learner answering the same quiz wait for each other.
    """
    found = (
        QuizAttempt.objects.filter(token=token, user=user, quiz_id=quiz_id)
        .select_for_update(of=("self",))
        .select_related("quiz", "revision")
        .only(*_ATTEMPT_FIELDS)
        .order_by()[:1]
    )
    return next(iter(found), None)


def quiz_attempt_submit(
    *, quiz: Quiz | int, user, token, answers: dict, version: str = ""
) -> QuizAttempt:
    """Score and record one attempt at ``quiz`` (the quiz or its id), exactly once.

    ``token`` and ``version`` come from the form (``selectors.quiz_form``). The first submission
    of a form creates the attempt and scores it, in one transaction, against the revision named
    by the signed ``version`` (the one the learner saw). A second submission of the same form
    (double click, two tabs, a replayed request) returns the recorded result unchanged. An
    attempt started before submissions created attempts is scored against its own revision.

    The attempt's row is locked while it is scored, so two submissions of one attempt record
    one result; the learner's row is locked only where an attempt limit must be counted.

    Refused, changing nothing: answers or a ticket that do not fit (``scoring.SubmissionError``),
    no attempts left (``AttemptsExhausted``), a quiz that is not published or no longer exists
    (``QuizUnavailable``).
    """
    token = _token(token)
    quiz_id = quiz if isinstance(quiz, int) else quiz.pk
    with transaction.atomic():
        attempt = _attempt_for_update(token=token, user=user, quiz_id=quiz_id)
        if attempt is not None and attempt.is_submitted:
            return attempt
        if attempt is not None:
            if not selectors.quiz_is_available(attempt.quiz):
                raise QuizUnavailable(_("The quiz is not available now."))
            questions = selectors.revision_questions(attempt.revision)
            _close(attempt, scoring.score(questions, answers, pass_mark=attempt.quiz.pass_mark))
            attempt.save(update_fields=_CLOSED_FIELDS)
            return attempt
        if isinstance(quiz, int):
            quiz = Quiz.objects.defer("questions", "intro").filter(pk=quiz).first()
        if not selectors.quiz_is_available(quiz):
            raise QuizUnavailable(_("The quiz is not available now."))
        return _create_and_score(quiz=quiz, user=user, token=token, answers=answers,
                                 version=version)  # fmt: skip


def _create_and_score(*, quiz: Quiz, user, token: uuid.UUID, answers: dict, version: str):
    ticket = tickets.ticket_read(version, quiz_id=quiz.pk, user_id=user.pk)
    revision = selectors.quiz_revision(quiz=quiz, revision_id=ticket.revision_id)
    if ticket.token != token or revision is None:
        raise scoring.SubmissionError(_("This attempt does not exist or is not yours."))
    if quiz.max_attempts is not None:
        # Serialise this learner's submissions, so the limit holds across tabs; the same form
        # may have been recorded by another tab while we waited.
        get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk").first()
        recorded = _attempt_for_update(token=token, user=user, quiz_id=quiz.pk)
        if recorded is not None:
            return recorded
        if selectors.quiz_attempts_left(quiz=quiz, user=user) == 0:
            raise AttemptsExhausted(_("You have used all your attempts at this quiz."))
    result = scoring.score(selectors.revision_questions(revision), answers,
                           pass_mark=quiz.pass_mark)  # fmt: skip
    attempt = QuizAttempt(quiz=quiz, user=user, revision=revision, token=token,
                          layout=ticket.layout)  # fmt: skip
    _close(attempt, result)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # The same form submitted at the same moment elsewhere: its row is the result.
        return QuizAttempt.objects.get(token=token, user=user)
    return attempt


def quiz_practice_score(*, quiz: Quiz, answers: dict, version: str = "") -> scoring.Score:
    """Score a visitor's answers without storing anything: against the version the form showed
    (signed ``version``), or the live one."""
    if not selectors.quiz_is_available(quiz):
        raise QuizUnavailable(_("The quiz is not available now."))
    if not version:
        return scoring.score(selectors.live_questions(quiz), answers, pass_mark=quiz.pass_mark)
    ticket = tickets.ticket_read(version, quiz_id=quiz.pk, user_id=None)
    revision = selectors.quiz_revision(quiz=quiz, revision_id=ticket.revision_id)
    if revision is None:
        raise scoring.SubmissionError(_("This attempt does not exist or is not yours."))
    return scoring.score(selectors.revision_questions(revision), answers,
                         pass_mark=quiz.pass_mark)  # fmt: skip
