"""Reads for quizzes: versions and their questions, a learner's attempts, what the form shows.

Nothing here writes: rendering a quiz for a learner reads their open attempt if there is one
and otherwise hands the form a signed ticket (``quizzes.tickets``) for the first submission.
"""

from dataclasses import dataclass

from quizzes import questions as quiz_questions
from quizzes import scoring, tickets
from quizzes.models import Quiz, QuizAttempt
from quizzes.questions import Question


def quiz_is_available(quiz: Quiz | None) -> bool:
    """Learners can take ``quiz`` now: it exists and has a live version."""
    return quiz is not None and quiz.is_available


def revision_questions(revision) -> tuple[Question, ...]:
    """The questions of one saved version of a quiz (from its stored content: no queries)."""
    return quiz_questions.questions_from_revision(revision.content)


def live_questions(quiz: Quiz) -> tuple[Question, ...]:
    """The questions learners answer now; raises ``Quiz.DoesNotExist`` if there is no live one."""
    if not quiz_is_available(quiz):
        raise Quiz.DoesNotExist("This quiz is not published.")
    return revision_questions(quiz.live_revision)


def quiz_revision(*, quiz: Quiz, revision_id: int):
    """The saved version ``revision_id`` of ``quiz``, or ``None`` if it is not one of its own."""
    return quiz.revisions.filter(pk=revision_id).first()


def quiz_attempts_left(*, quiz: Quiz, user) -> int | None:
    """Attempts the learner may still submit; ``None`` when unlimited."""
    if quiz.max_attempts is None:
        return None
    used = QuizAttempt.objects.filter(quiz=quiz, user=user, submitted_at__isnull=False).count()
    return max(quiz.max_attempts - used, 0)


def quiz_open_attempt(*, quiz: Quiz, user) -> QuizAttempt | None:
    """An attempt at the live version started and not yet submitted (started before the first
    submission created attempts, so such attempts are still shown and accepted)."""
    return QuizAttempt.objects.filter(
        quiz=quiz, user=user, submitted_at__isnull=True, revision_id=quiz.live_revision_id
    ).first()


def quiz_passed(*, quiz: Quiz, user) -> bool:
    """The learner has passed some version of ``quiz`` (a result stays when it is unpublished)."""
    return QuizAttempt.objects.filter(quiz=quiz, user=user, passed=True).exists()


def quiz_has_attempts(quiz: Quiz) -> bool:
    """Some learner has answered (or started) ``quiz``."""
    return QuizAttempt.objects.filter(quiz=quiz).exists()


def learner_attempts(*, quiz: Quiz, user):
    """The learner's attempts at ``quiz``, newest first."""
    return QuizAttempt.objects.filter(quiz=quiz, user=user).order_by("-pk")


def submitted_attempt(*, token, user) -> QuizAttempt | None:
    """The learner's own submitted attempt with ``token``, for its result page."""
    return (
        QuizAttempt.objects.filter(token=token, user=user, submitted_at__isnull=False)
        .select_related("quiz", "revision")
        .first()
    )


def attempt_results(attempt: QuizAttempt) -> scoring.Score:
    """The per-question results of a submitted attempt, for its feedback page."""
    return scoring.score(
        revision_questions(attempt.revision), attempt.answers, pass_mark=attempt.quiz.pass_mark
    )


@dataclass(frozen=True)
class QuizForm:
    """What the quiz form in a module section shows (questions and choices, never the key)."""

    quiz: Quiz | None
    available: bool
    questions: tuple[Question, ...] = ()
    attempt_token: str = ""
    version: str = ""
    attempts_left: int | None = None
    exhausted: bool = False
    # For a quiz that is not available: the learner passed it before, so the result counts.
    passed_before: bool = False


def quiz_form(*, quiz: Quiz | None, user) -> QuizForm:
    """The form for ``quiz`` as ``user`` sees it now (a visitor: practice); reads only."""
    if not quiz_is_available(quiz):
        passed = quiz is not None and user.is_authenticated and quiz_passed(quiz=quiz, user=user)
        return QuizForm(quiz=quiz, available=False, passed_before=passed)
    if not user.is_authenticated:
        revision = quiz.live_revision
        questions = revision_questions(revision)
        ticket = tickets.Ticket(
            quiz.pk,
            revision.pk,
            None,
            layout=quiz_questions.layout(questions, shuffle=quiz.shuffle),
        )
        return QuizForm(quiz=quiz, available=True,
                        questions=quiz_questions.in_layout(questions, ticket.layout),
                        version=tickets.ticket_sign(ticket))  # fmt: skip
    attempts_left = quiz_attempts_left(quiz=quiz, user=user)
    open_attempt = quiz_open_attempt(quiz=quiz, user=user)
    if open_attempt is not None:
        questions = quiz_questions.in_layout(revision_questions(open_attempt.revision),
                                             open_attempt.layout)  # fmt: skip
        return QuizForm(
            quiz=quiz,
            available=True,
            questions=questions,
            attempt_token=str(open_attempt.token),
            attempts_left=attempts_left,
        )
    if attempts_left == 0:
        return QuizForm(quiz=quiz, available=True, attempts_left=0, exhausted=True)
    revision = quiz.live_revision
    questions = revision_questions(revision)
    latest = learner_attempts(quiz=quiz, user=user).values_list("pk", flat=True).first()
    ticket = tickets.Ticket(
        quiz.pk,
        revision.pk,
        user.pk,
        after=latest or 0,
        layout=quiz_questions.layout(questions, shuffle=quiz.shuffle),
    )
    return QuizForm(
        quiz=quiz, available=True, questions=quiz_questions.in_layout(questions, ticket.layout),
        attempt_token=str(ticket.token), version=tickets.ticket_sign(ticket),
        attempts_left=attempts_left,
    )  # fmt: skip
