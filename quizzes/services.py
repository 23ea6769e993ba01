"""Writes for quizzes: starting and submitting attempts, and scoring practice for visitors."""

import random
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import scoring
from quizzes.models import Quiz, QuizAttempt


class AttemptsExhausted(Exception):  # noqa: N818 - a state the learner is told about
    """The learner has used every attempt the quiz allows."""


def revision_questions(revision) -> list[dict]:
    """The questions (stored form, with stable ids) of one saved version of a quiz."""
    quiz = revision.as_object()
    return list(quiz.questions.get_prep_value())


def live_questions(quiz: Quiz) -> list[dict]:
    return revision_questions(quiz.live_revision)


def _layout(questions: list[dict], shuffle: bool) -> list[dict]:
    rng = random.SystemRandom()
    layout = []
    for question in questions:
        choices = [item["id"] for item in question["value"].get("choices", [])]
        if shuffle:
            rng.shuffle(choices)
        layout.append({"id": question["id"], "choices": choices})
    if shuffle:
        rng.shuffle(layout)
    return layout


def quiz_attempts_left(*, quiz: Quiz, user) -> int | None:
    """Attempts the learner may still submit; ``None`` when unlimited."""
    if quiz.max_attempts is None:
        return None
    used = QuizAttempt.objects.filter(quiz=quiz, user=user, submitted_at__isnull=False).count()
    return max(quiz.max_attempts - used, 0)


@transaction.atomic
def quiz_attempt_start(*, quiz: Quiz, user) -> QuizAttempt:
    """The learner's open attempt at the live version of ``quiz``, created if there is none.

    Two tabs therefore show the same attempt, and submitting from both records one result.
    """
    if not quiz.live or quiz.live_revision_id is None:
        raise Quiz.DoesNotExist("This quiz is not published.")
    # Serialise starts per learner so two tabs cannot both create an open attempt.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    open_attempt = QuizAttempt.objects.filter(
        quiz=quiz, user=user, submitted_at__isnull=True, revision_id=quiz.live_revision_id
    ).first()
    if open_attempt is not None:
        return open_attempt
    if quiz_attempts_left(quiz=quiz, user=user) == 0:
        raise AttemptsExhausted(_("You have used all your attempts at this quiz."))
    questions = live_questions(quiz)
    return QuizAttempt.objects.create(
        quiz=quiz, user=user, revision_id=quiz.live_revision_id,
        layout=_layout(questions, quiz.shuffle), question_count=len(questions),
    )  # fmt: skip


def quiz_attempt_submit(*, token, user, answers: dict, quiz: Quiz | None = None) -> QuizAttempt:
    """Score and close an attempt, exactly once.

    A second submission of the same attempt (double click, two tabs, a replayed request)
    returns the recorded result unchanged. Answers that do not fit the attempt's version raise
    ``scoring.SubmissionError`` and change nothing.
    """
    try:
        token = uuid.UUID(str(token))
    except ValueError as exc:
        raise scoring.SubmissionError(_("This attempt does not exist or is not yours.")) from exc
    attempts = QuizAttempt.objects.filter(token=token, user=user)
    if quiz is not None:
        attempts = attempts.filter(quiz=quiz)
    with transaction.atomic():
        attempt = attempts.select_for_update().select_related("quiz", "revision").first()
        if attempt is None:
            raise scoring.SubmissionError(_("This attempt does not exist or is not yours."))
        if attempt.is_submitted:
            return attempt
        questions = revision_questions(attempt.revision)
        result = scoring.score(questions, answers, pass_mark=attempt.quiz.pass_mark)
        attempt.answers = {r.question_id: list(r.chosen) for r in result.results}
        attempt.correct_count = result.correct_count
        attempt.question_count = result.question_count
        attempt.score = result.percent
        attempt.passed = result.passed
        attempt.submitted_at = timezone.now()
        attempt.save()
    return attempt


def quiz_practice_score(*, quiz: Quiz, answers: dict) -> scoring.Score:
    """Score a visitor's answers against the live version without storing anything."""
    return scoring.score(live_questions(quiz), answers, pass_mark=quiz.pass_mark)


def attempt_results(attempt: QuizAttempt) -> scoring.Score:
    """The per-question results of a submitted attempt, for its feedback page."""
    return scoring.score(
        revision_questions(attempt.revision), attempt.answers, pass_mark=attempt.quiz.pass_mark
    )
