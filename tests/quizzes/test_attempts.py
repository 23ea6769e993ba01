"""Quiz attempts: scoring on the server, exactly one result, tampering refused, old results kept.

A learner's form comes from ``selectors.quiz_form`` (which writes nothing); its first submission
creates and scores the attempt in ``services.quiz_attempt_submit``.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from quizzes import selectors, services
from quizzes.models import QuizAttempt
from quizzes.questions import questions_to_stored
from quizzes.scoring import SubmissionError
from tests.quizzes.factories import choice, published_quiz, right_answers, single

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return get_user_model().objects.create_user("sykepleier", email="s@example.org")


def _submit(form, user, answers):
    return services.quiz_attempt_submit(quiz=form.quiz, user=user, token=form.attempt_token,
                                        version=form.version, answers=answers)  # fmt: skip


def _take(quiz, user, answers):
    return _submit(selectors.quiz_form(quiz=quiz, user=user), user, answers)


def test_right_answers_pass_with_full_score(learner):
    quiz = published_quiz()
    done = _take(quiz, learner, right_answers(quiz))
    assert (done.passed, done.score, done.correct_count, done.question_count) == (True, 100, 3, 3)


def test_one_wrong_answer_fails_below_the_pass_mark_with_feedback(learner):
    quiz = published_quiz(pass_mark=80)
    answers = right_answers(quiz)
    first = selectors.live_questions(quiz)[0]
    wrong = next(c for c in first.choices if not c.is_correct)
    answers[first.id] = [wrong.id]
    done = _take(quiz, learner, answers)
    assert done.passed is False
    assert float(done.score) == pytest.approx(66.67)
    result = selectors.attempt_results(done).results[0]
    assert result.correct is False
    assert result.feedback == ("Bredspektret; spar det til spesielle tilfeller.",)


def test_true_false_feedback_follows_the_answer(learner):
    quiz = published_quiz()
    statement = selectors.live_questions(quiz)[2]
    answers = right_answers(quiz) | {statement.id: ["true"]}
    result = selectors.attempt_results(_take(quiz, learner, answers)).results[2]
    assert (result.correct, result.feedback) == (False, ("Riktig er sant.",))


def test_multiple_choice_needs_all_right_choices_and_nothing_else(learner):
    quiz = published_quiz()
    second = selectors.live_questions(quiz)[1]
    answers = right_answers(quiz)
    answers[second.id] = answers[second.id][:1]  # only one of the two
    assert _take(quiz, learner, answers).correct_count == 2


def test_submitting_twice_records_one_result(learner):
    quiz = published_quiz()
    form = selectors.quiz_form(quiz=quiz, user=learner)
    first = _submit(form, learner, right_answers(quiz))
    wrong = {qid: ["x"] for qid in right_answers(quiz)}
    again = _submit(form, learner, wrong)
    assert again.pk == first.pk and again.score == first.score
    assert QuizAttempt.objects.count() == 1


def test_two_tabs_name_one_attempt_and_record_one_result(learner):
    quiz = published_quiz()
    one = selectors.quiz_form(quiz=quiz, user=learner)
    two = selectors.quiz_form(quiz=quiz, user=learner)
    assert one.attempt_token == two.attempt_token
    assert _submit(one, learner, right_answers(quiz)).pk == (
        _submit(two, learner, right_answers(quiz)).pk
    )
    assert QuizAttempt.objects.count() == 1
    # After a result, the next form is a new attempt.
    assert selectors.quiz_form(quiz=quiz, user=learner).attempt_token != one.attempt_token


@pytest.mark.parametrize("tamper", ["other_question", "other_quiz", "missing", "extra", "two"])
def test_tampered_answers_are_refused_and_change_nothing(learner, tamper):
    quiz = published_quiz()
    other = published_quiz(title="Annen quiz")
    answers = right_answers(quiz)
    ids = list(answers)
    if tamper == "other_question":
        answers[ids[0]] = answers[ids[1]][:1]
    elif tamper == "other_quiz":
        answers[ids[0]] = next(iter(right_answers(other).values()))
    elif tamper == "missing":
        del answers[ids[2]]
    elif tamper == "extra":
        answers["not-a-question"] = ["true"]
    elif tamper == "two":
        answers[ids[0]] = [c.id for c in selectors.live_questions(quiz)[0].choices]
    with pytest.raises(SubmissionError):
        _take(quiz, learner, answers)
    assert not QuizAttempt.objects.exists()


def test_someone_elses_form_cannot_be_submitted(learner):
    quiz = published_quiz()
    form = selectors.quiz_form(quiz=quiz, user=learner)
    intruder = get_user_model().objects.create_user("inntrenger")
    with pytest.raises(SubmissionError):
        _submit(form, intruder, right_answers(quiz))
    assert not QuizAttempt.objects.exists()


def test_editing_the_quiz_later_keeps_old_results(learner):
    quiz = published_quiz()
    done = _take(quiz, learner, right_answers(quiz))
    quiz.questions = questions_to_stored([single("Helt nytt spørsmål?", choice("Ja", True),
                                                 choice("Nei"))])  # fmt: skip
    quiz.save_revision().publish()
    assert selectors.attempt_results(done).percent == 100
    assert len(selectors.attempt_results(done).results) == 3


def test_attempt_limit(learner):
    quiz = published_quiz(max_attempts=1)
    before_edit = selectors.quiz_form(quiz=quiz, user=learner)
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    after_edit = selectors.quiz_form(quiz=quiz, user=learner)
    assert before_edit.attempt_token != after_edit.attempt_token  # two versions, two attempts
    _submit(before_edit, learner, right_answers(quiz))
    assert selectors.quiz_form(quiz=quiz, user=learner).exhausted
    with pytest.raises(services.AttemptsExhausted):
        _submit(after_edit, learner, right_answers(quiz))
    assert QuizAttempt.objects.count() == 1


def test_practice_scoring_stores_nothing():
    from django.contrib.auth.models import AnonymousUser

    quiz = published_quiz()
    form = selectors.quiz_form(quiz=quiz, user=AnonymousUser())
    assert form.attempt_token == ""
    score = services.quiz_practice_score(quiz=quiz, answers=right_answers(quiz),
                                         version=form.version)  # fmt: skip
    assert score.passed
    assert not QuizAttempt.objects.exists()


def test_shuffled_layout_shows_every_question_and_choice_once(learner):
    quiz = published_quiz(shuffle=True)
    form = selectors.quiz_form(quiz=quiz, user=learner)
    questions = selectors.live_questions(quiz)
    assert sorted(q.id for q in form.questions) == sorted(q.id for q in questions)
    for shown in form.questions:
        original = next(q for q in questions if q.id == shown.id)
        assert sorted(c.id for c in shown.choices) == sorted(c.id for c in original.choices)
    attempt = _submit(form, learner, right_answers(quiz))
    assert [item["id"] for item in attempt.layout] == [q.id for q in form.questions]


def test_an_attempt_started_before_submissions_created_them_is_still_accepted(learner):
    from quizzes.questions import layout

    quiz = published_quiz()
    started = QuizAttempt.objects.create(
        quiz=quiz, user=learner, revision_id=quiz.live_revision_id,
        layout=layout(selectors.live_questions(quiz), shuffle=False),
    )  # fmt: skip
    form = selectors.quiz_form(quiz=quiz, user=learner)
    assert form.attempt_token == str(started.token)
    assert _submit(form, learner, right_answers(quiz)).pk == started.pk
    started.refresh_from_db()
    assert started.passed


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_of_one_form_record_one_result():
    from cms.demo.loader import LoadReport, ensure_tree_roots

    ensure_tree_roots(LoadReport())
    learner = get_user_model().objects.create_user("parallell")
    quiz = published_quiz()
    # Four tabs opened before any submission, all submitted at the same moment.
    forms = [selectors.quiz_form(quiz=quiz, user=learner) for _ in range(4)]
    answers = right_answers(quiz)
    barrier = threading.Barrier(len(forms))
    results, errors = [], []

    def submit(form):
        try:
            barrier.wait(timeout=10)
            results.append(_submit(form, learner, answers))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len({r.pk for r in results}) == 1
    assert QuizAttempt.objects.count() == 1
