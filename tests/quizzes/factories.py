"""A published quiz built the way the admin stores one (stable ids on questions and choices)."""

import uuid

from quizzes.models import Quiz


def _id() -> str:
    return str(uuid.uuid4())


def choice(text: str, correct: bool = False, feedback: str = "") -> dict:
    return {"type": "item", "id": _id(), "value": {"text": text, "correct": correct,
                                                   "feedback": feedback}}  # fmt: skip


def single(question: str, *choices: dict, explanation: str = "") -> dict:
    value = {"question": question, "choices": list(choices), "explanation": explanation}
    return {"type": "single_choice", "id": _id(), "value": value}


def multiple(question: str, *choices: dict) -> dict:
    value = {"question": question, "choices": list(choices), "explanation": ""}
    return {"type": "multiple_choice", "id": _id(), "value": value}


def true_false(statement: str, is_true: bool) -> dict:
    value = {"statement": statement, "is_true": is_true, "feedback_true": "Riktig er sant.",
             "feedback_false": "Riktig er usant."}  # fmt: skip
    return {"type": "true_false", "id": _id(), "value": value}


def published_quiz(questions: list[dict] | None = None, **fields) -> Quiz:
    questions = questions or [
        single(
            "Hva er førstevalget ved nedre urinveisinfeksjon hos kvinner?",
            choice("Pivmecillinam", True, "Riktig: smalspektret og godt egnet."),
            choice("Ciprofloksacin", False, "Bredspektret; spar det til spesielle tilfeller."),
        ),
        multiple(
            "Hvilke tegn peker mot urinveisinfeksjon?",
            choice("Svie ved vannlating", True),
            choice("Ny hyppig vannlating", True),
            choice("Illeluktende urin alene", False, "Lukt alene er ikke et tegn på infeksjon."),
        ),
        true_false("Asymptomatisk bakteriuri skal behandles med antibiotika.", False),
    ]
    quiz = Quiz(title=fields.pop("title", "Quiz om urinveisinfeksjon"), questions=questions,
                live=False, **fields)  # fmt: skip
    quiz.save()
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    return quiz


def right_answers(quiz: Quiz) -> dict[str, list[str]]:
    """The correct answers to the live version, keyed by question id."""
    from quizzes.services import live_questions

    answers = {}
    for question in live_questions(quiz):
        value = question["value"]
        if question["type"] == "true_false":
            answers[question["id"]] = ["true" if value["is_true"] else "false"]
        else:
            answers[question["id"]] = [c["id"] for c in value["choices"] if c["value"]["correct"]]
    return answers
