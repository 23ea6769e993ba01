"""Quiz questions, typed: the one place that reads (and writes) their stored shape.

A quiz's questions are stored as StreamField data, in the quiz and in each of its revisions:
``{"type": "single_choice" | "multiple_choice" | "true_false", "id": ..., "value": {...}}``
with choices as ListBlock items ``{"type": "item", "id": ..., "value": {"text", "correct",
"feedback"}}``. Everything else (scoring, services, the quiz form, the result page, the preview,
test factories, the demo, benchmarks) works with the frozen ``Question`` and ``Choice`` below.

A true/false statement is a question with two fixed choices, ids ``"true"`` and ``"false"``, so
every question is answered by choosing choice ids. Which choice is right (``is_correct``) and the
feedback are for the server: the quiz form shows only ids and texts.

Pure module: no models, no database.
"""

import json
import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE = "single_choice", "multiple_choice", "true_false"
KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE)
TRUE, FALSE = "true", "false"


def new_id() -> str:
    """A stable id like the ones Wagtail gives blocks and list items."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Choice:
    """One answer a learner can choose."""

    id: str
    text: str
    is_correct: bool = False
    feedback: str = ""

    @classmethod
    def create(cls, text: str, correct: bool = False, feedback: str = "") -> "Choice":
        """A new choice with a fresh id (for factories and content loaders)."""
        return cls(id=new_id(), text=text, is_correct=correct, feedback=feedback)


@dataclass(frozen=True)
class Question:
    """One question of one version of a quiz."""

    id: str
    kind: str
    text: str
    choices: tuple[Choice, ...]
    explanation: str = ""

    @property
    def is_multiple(self) -> bool:
        """The learner may (and must) pick every right choice, not just one."""
        return self.kind == MULTIPLE_CHOICE

    @property
    def choice_ids(self) -> frozenset[str]:
        return frozenset(choice.id for choice in self.choices)

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(choice.id for choice in self.choices if choice.is_correct)

    # --- the stored shape, read and written only here ------------------------------------

    @classmethod
    def from_stored(cls, data: Mapping) -> "Question":
        """A question from its stored StreamField form (``get_prep_value()`` / revision JSON)."""
        kind, value = data["type"], data["value"]
        if kind not in KINDS:
            raise ValueError(f"Unknown question type {kind!r}.")
        if kind == TRUE_FALSE:
            is_true = bool(value.get("is_true"))
            return cls(
                id=data["id"], kind=kind, text=value.get("statement", ""),
                choices=(
                    Choice(TRUE, _("True"), is_true, value.get("feedback_true") or ""),
                    Choice(FALSE, _("False"), not is_true, value.get("feedback_false") or ""),
                ),
            )  # fmt: skip
        choices = tuple(
            Choice(
                id=item["id"],
                text=item["value"].get("text", ""),
                is_correct=bool(item["value"].get("correct")),
                feedback=item["value"].get("feedback") or "",
            )  # fmt: skip
            for item in value.get("choices", [])
        )
        return cls(
            id=data["id"], kind=kind, text=value.get("question", ""), choices=choices,
            explanation=value.get("explanation") or "",
        )  # fmt: skip

    def to_stored(self) -> dict:
        """The stored StreamField form, ready to assign to ``Quiz.questions``."""
        if self.kind == TRUE_FALSE:
            by_id = {choice.id: choice for choice in self.choices}
            value = {
                "statement": self.text,
                "is_true": by_id[TRUE].is_correct,
                "feedback_true": by_id[TRUE].feedback,
                "feedback_false": by_id[FALSE].feedback,
            }
        else:
            value = {
                "question": self.text,
                "choices": [
                    {
                        "type": "item",
                        "id": choice.id,
                        "value": {
                            "text": choice.text,
                            "correct": choice.is_correct,
                            "feedback": choice.feedback,
                        },
                    }  # fmt: skip
                    for choice in self.choices
                ],
                "explanation": self.explanation,
            }
        return {"type": self.kind, "id": self.id, "value": value}

    # --- new questions (factories, content loaders) --------------------------------------

    @classmethod
    def single_choice(cls, text: str, *choices: Choice, explanation: str = "") -> "Question":
        return cls(new_id(), SINGLE_CHOICE, text, tuple(choices), explanation)

    @classmethod
    def multiple_choice(cls, text: str, *choices: Choice, explanation: str = "") -> "Question":
        return cls(new_id(), MULTIPLE_CHOICE, text, tuple(choices), explanation)

    @classmethod
    def true_false(
        cls, statement: str, is_true: bool, *, feedback_true: str = "", feedback_false: str = ""
    ) -> "Question":
        return cls.from_stored({"type": TRUE_FALSE, "id": new_id(), "value": {
            "statement": statement, "is_true": is_true,
            "feedback_true": feedback_true, "feedback_false": feedback_false,
        }})  # fmt: skip


def questions_from_stored(items: Iterable[Mapping]) -> tuple[Question, ...]:
    """Every question of one stored version, in the editor's order."""
    return tuple(Question.from_stored(item) for item in items)


def questions_from_revision(content: Mapping) -> tuple[Question, ...]:
    """Every question of one saved revision, read from its stored content as it is.

    A revision keeps the StreamField as JSON text (or, in older revisions, as a list); reading
    it here skips rebuilding the whole quiz object and its blocks just to serialise them again.
    """
    items = content.get("questions") or []
    if isinstance(items, str):
        items = json.loads(items)
    return questions_from_stored(items)


def questions_to_stored(questions: Iterable[Question]) -> list[dict]:
    return [question.to_stored() for question in questions]


def right_answers(questions: Iterable[Question]) -> dict[str, list[str]]:
    """The answers that score full marks, as a form would send them (for tests and benchmarks)."""
    return {question.id: sorted(question.correct_ids) for question in questions}


def layout(questions: Sequence[Question], *, shuffle: bool) -> list[dict]:
    """The order to show questions and choices in (JSON, as ``QuizAttempt.layout`` keeps it)."""
    rng = random.SystemRandom()
    items = []
    for question in questions:
        choices = [choice.id for choice in question.choices]
        if shuffle and question.kind != TRUE_FALSE:
            rng.shuffle(choices)
        items.append({"id": question.id, "choices": choices})
    if shuffle:
        rng.shuffle(items)
    return items


def in_layout(questions: Sequence[Question], order: Sequence[Mapping]) -> tuple[Question, ...]:
    """``questions`` in the order of a stored layout; without one, as the editor ordered them.

    Choices the layout does not name are dropped (a layout never shows more than one version).
    """
    if not order:
        return tuple(questions)
    by_id = {question.id: question for question in questions}
    shown = []
    for item in order:
        question = by_id.get(item.get("id"))
        if question is None:
            continue
        choices = {choice.id: choice for choice in question.choices}
        ordered = tuple(choices[c] for c in item.get("choices", []) if c in choices)
        if question.kind == TRUE_FALSE or not ordered:
            ordered = question.choices
        shown.append(Question(question.id, question.kind, question.text, ordered,
                              question.explanation))  # fmt: skip
    return tuple(shown)
