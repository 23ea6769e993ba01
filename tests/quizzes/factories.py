"""A published quiz built from typed questions (``quizzes.questions``), stored as the admin does."""

from quizzes.models import Quiz
from quizzes.questions import Choice, Question, questions_to_stored
from quizzes.questions import right_answers as _right_answers
from quizzes.selectors import live_questions


def choice(text: str, correct: bool = False, feedback: str = "") -> Choice:
    return Choice.create(text, correct, feedback)


def single(question: str, *choices: Choice, explanation: str = "") -> Question:
    return Question.single_choice(question, *choices, explanation=explanation)


def multiple(question: str, *choices: Choice) -> Question:
    return Question.multiple_choice(question, *choices)


def true_false(statement: str, is_true: bool) -> Question:
    return Question.true_false(statement, is_true, feedback_true="Riktig er sant.",
                               feedback_false="Riktig er usant.")  # fmt: skip


def published_quiz(questions: list[Question] | None = None, **fields) -> Quiz:
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
    quiz = Quiz(title=fields.pop("title", "Quiz om urinveisinfeksjon"),
                questions=questions_to_stored(questions), live=False, **fields)  # fmt: skip
    quiz.save()
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    return quiz


def right_answers(quiz: Quiz) -> dict[str, list[str]]:
    """The correct answers to the live version, keyed by question id."""
    return _right_answers(live_questions(quiz))
