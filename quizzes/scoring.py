"""Checking and scoring answers against one version of a quiz's questions (pure functions).

Questions come in the stored (raw) StreamField form of the revision the attempt answered, so a
score never depends on later edits. Answers map a question id to the chosen choice ids (or to
``["true"]``/``["false"]`` for a true/false question). Anything that does not fit that version
exactly is refused with ``SubmissionError``: a choice from another question, a missing or extra
question, two answers to a single-choice question.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

TRUE, FALSE = "true", "false"


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


def question_ids(questions: list[dict]) -> list[str]:
    return [question["id"] for question in questions]


def _choices(question: dict) -> list[dict]:
    return [{"id": item["id"], **item["value"]} for item in question["value"]["choices"]]


def allowed_answers(question: dict) -> set[str]:
    if question["type"] == "true_false":
        return {TRUE, FALSE}
    return {choice["id"] for choice in _choices(question)}


def clean_answers(questions: list[dict], answers: dict) -> dict[str, list[str]]:
    """Check that ``answers`` answers every question of this version with allowed values only."""
    if not isinstance(answers, dict):
        raise SubmissionError(_("The answers could not be read."))
    by_id = {question["id"]: question for question in questions}
    extra = set(answers) - set(by_id)
    if extra:
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
        if len(set(chosen)) != len(chosen) or not set(chosen) <= allowed_answers(question):
            raise SubmissionError(_("An answer does not belong to its question."))
        if question["type"] != "multiple_choice" and len(chosen) != 1:
            raise SubmissionError(_("Choose exactly one answer to each single-choice question."))
        cleaned[question_id] = sorted(chosen)
    return cleaned


def _result(question: dict, chosen: list[str]) -> QuestionResult:
    value = question["value"]
    if question["type"] == "true_false":
        answer_true = chosen == [TRUE]
        return QuestionResult(
            question_id=question["id"], kind="true_false", text=value["statement"],
            chosen=tuple(chosen), correct=answer_true == bool(value["is_true"]),
            feedback=tuple(
                text for text in [value["feedback_true" if answer_true else "feedback_false"]]
                if text
            ),
        )  # fmt: skip
    choices = _choices(question)
    right = {choice["id"] for choice in choices if choice["correct"]}
    return QuestionResult(
        question_id=question["id"], kind=question["type"], text=value["question"],
        chosen=tuple(chosen), correct=set(chosen) == right,
        feedback=tuple(c["feedback"] for c in choices if c["id"] in chosen and c["feedback"]),
        explanation=value.get("explanation", ""),
    )  # fmt: skip


def score(questions: list[dict], answers: dict, *, pass_mark: int) -> Score:
    """Score cleaned answers: a question counts when exactly the right choices were picked."""
    cleaned = clean_answers(questions, answers)
    results = tuple(_result(question, cleaned[question["id"]]) for question in questions)
    correct = sum(result.correct for result in results)
    total = len(results)
    percent = (Decimal(100 * correct) / Decimal(total)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return Score(results, correct, total, percent, passed=percent >= pass_mark)
