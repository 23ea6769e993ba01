"""The typed questions: one reading of the stored shape, and back (no database)."""

from quizzes.questions import (
    FALSE,
    TRUE,
    Choice,
    Question,
    in_layout,
    layout,
    questions_from_stored,
    questions_to_stored,
    right_answers,
)

STORED = [
    {"type": "single_choice", "id": "q1", "value": {
        "question": "Førstevalg?", "explanation": "Fordi.",
        "choices": [
            {"type": "item", "id": "c1", "value": {"text": "A", "correct": True, "feedback": "Ja"}},
            {"type": "item", "id": "c2", "value": {"text": "B", "correct": False, "feedback": ""}},
        ]}},
    {"type": "true_false", "id": "q2", "value": {
        "statement": "Sant?", "is_true": False, "feedback_true": "Nei", "feedback_false": "Ja"}},
]  # fmt: skip


def test_stored_shape_reads_into_typed_questions_and_back():
    single, statement = questions_from_stored(STORED)
    assert (single.kind, single.text, single.explanation) == (
        "single_choice",
        "Førstevalg?",
        "Fordi.",
    )
    assert single.choices[0] == Choice("c1", "A", True, "Ja")
    assert not single.is_multiple and single.correct_ids == {"c1"}
    assert [c.id for c in statement.choices] == [TRUE, FALSE]
    assert statement.correct_ids == {FALSE}
    assert [c.feedback for c in statement.choices] == ["Nei", "Ja"]
    assert questions_to_stored([single, statement]) == STORED


def test_right_answers_are_the_correct_choice_ids():
    assert right_answers(questions_from_stored(STORED)) == {"q1": ["c1"], "q2": [FALSE]}


def test_new_questions_get_fresh_ids_and_store_like_the_admin():
    question = Question.multiple_choice("Tegn?", Choice.create("Svie", True), Choice.create("Lukt"))
    stored = question.to_stored()
    assert stored["type"] == "multiple_choice" and stored["id"]
    assert [item["type"] for item in stored["value"]["choices"]] == ["item", "item"]
    assert Question.from_stored(stored) == question


def test_a_shuffled_layout_shows_everything_once_and_in_layout_follows_it():
    questions = questions_from_stored(STORED)
    order = layout(questions, shuffle=True)
    shown = in_layout(questions, order)
    assert sorted(q.id for q in shown) == ["q1", "q2"]
    assert [q.id for q in shown] == [item["id"] for item in order]
    # An old layout (true/false without choices, an unknown question) still shows every choice.
    old = in_layout(questions, [{"id": "q2", "choices": []}, {"id": "gone", "choices": []}])
    assert [q.id for q in old] == ["q2"] and len(old[0].choices) == 2
