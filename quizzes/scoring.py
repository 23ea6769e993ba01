"""Checking and scoring answers against one version of a quiz's questions (pure functions).

Questions are the typed ``quizzes.questions.Question`` of the revision the attempt answered, so a
score never depends on later edits. Answers map a question id to the chosen choice ids (for a
true/false statement ``["true"]`` or ``["false"]``). Anything that does not fit that version
exactly is refused with ``SubmissionError``: a choice from another question, a missing or extra
question, two answers to a single-choice question.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from quizzes.questions import Question


class SubmissionError(ValueError):
    """The submitted answers do not fit the quiz; ``str()`` says how, for the learner."""


@dataclass(frozen=True)
class QuestionResult:
    """How one question was answered, with the feedback to show."""

    question_id: str
    kind: str
    text: str
    chosen: tuple[str, ...]
    correct: bool
    feedback: tuple[str, ...] = field(default_factory=tuple)
    explanation: str = ""


@dataclass(frozen=True)
class Score:
    """The outcome of a whole attempt."""

    results: tuple[QuestionResult, ...]
    correct_count: int
    question_count: int
    percent: Decimal
    passed: bool


def clean_answers(questions: Sequence[Question], answers: dict) -> dict[str, list[str]]:
    """Check that ``answers`` answers every question of this version with allowed values only."""
    if not isinstance(answers, dict):
        raise SubmissionError(_("The answers could not be read."))
    by_id = {question.id: question for question in questions}
    if set(answers) - set(by_id):
        raise SubmissionError(_("The answers include a question that is not in this quiz."))
    cleaned = {}
    for question_id, question in by_id.items():
        chosen = answers.get(question_id)
        if not chosen:
            raise SubmissionError(_("Answer every question before you submit."))
        if isinstance(chosen, str):
            chosen = [chosen]
        if not isinstance(chosen, list) or not all(isinstance(item, str) for item in chosen):
            raise SubmissionError(_("The answers could not be read."))
        if len(set(chosen)) != len(chosen) or not set(chosen) <= question.choice_ids:
            raise SubmissionError(_("An answer does not belong to its question."))
        if not question.is_multiple and len(chosen) != 1:
            raise SubmissionError(_("Choose exactly one answer to each single-choice question."))
        cleaned[question_id] = sorted(chosen)
    return cleaned


def _result(question: Question, chosen: list[str]) -> QuestionResult:
    return QuestionResult(
        question_id=question.id, kind=question.kind, text=question.text, chosen=tuple(chosen),
        correct=set(chosen) == question.correct_ids,
        feedback=tuple(c.feedback for c in question.choices if c.id in chosen and c.feedback),
        explanation=question.explanation,
    )  # fmt: skip


def score(questions: Sequence[Question], answers: dict, *, pass_mark: int) -> Score:
    """Score cleaned answers: a question counts when exactly the right choices were picked."""
    cleaned = clean_answers(questions, answers)
    results = tuple(_result(question, cleaned[question.id]) for question in questions)
    correct = sum(result.correct for result in results)
    total = len(results)
    percent = (Decimal(100 * correct) / Decimal(total)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return Score(results, correct, total, percent, passed=percent >= pass_mark)
