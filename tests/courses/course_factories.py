"""A small course built through Wagtail's page API: modules with sections and a quiz each."""

import uuid

from courses.models import CoursePage, ModulePage
from tests.quizzes.factories import published_quiz


def _section(title: str, *content: dict) -> dict:
    return {"type": "section", "id": str(uuid.uuid4()), "value": {"title": title,
            "content": list(content)}}  # fmt: skip


def _text(html: str) -> dict:
    return {"type": "text", "id": str(uuid.uuid4()), "value": html}


def make_course(home, *, modules: int = 2, questions=None) -> CoursePage:
    course = CoursePage(title="Kurs 2026", slug=f"kurs-{uuid.uuid4().hex[:6]}", credit_hours=2)
    home.add_child(instance=course)
    course.save_revision().publish()
    for number in range(1, modules + 1):
        quiz = published_quiz(questions=questions, title=f"Quiz {number}")
        module = ModulePage(
            title=f"Modul {number}", slug=f"modul-{number}",
            body=[
                _section("Innledning", _text("<p>Hvorfor riktig antibiotikabruk?</p>")),
                _section("Quiz", {"type": "quiz", "id": str(uuid.uuid4()),
                                  "value": {"quiz": quiz.pk}}),
            ],
        )  # fmt: skip
        course.add_child(instance=module)
        module.save_revision().publish()
    return course
