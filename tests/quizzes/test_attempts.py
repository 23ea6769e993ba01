"""Quiz attempts: scoring on the server, exactly one result, tampering refused, old results kept."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from quizzes import services
from quizzes.models import QuizAttempt
from quizzes.scoring import SubmissionError
from tests.quizzes.factories import choice, published_quiz, right_answers, single

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return get_user_model().objects.create_user("sykepleier", email="s@example.org")


def test_right_answers_pass_with_full_score(learner):
    quiz = published_quiz()
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    done = services.quiz_attempt_submit(token=attempt.token, user=learner,
                                        answers=right_answers(quiz))  # fmt: skip
    assert (done.passed, done.score, done.correct_count, done.question_count) == (True, 100, 3, 3)


def test_one_wrong_answer_fails_below_the_pass_mark_with_feedback(learner):
    quiz = published_quiz(pass_mark=80)
    answers = right_answers(quiz)
    questions = services.live_questions(quiz)
    wrong = next(c for c in questions[0]["value"]["choices"] if not c["value"]["correct"])
    answers[questions[0]["id"]] = [wrong["id"]]
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    done = services.quiz_attempt_submit(token=attempt.token, user=learner, answers=answers)
    assert done.passed is False
    assert float(done.score) == pytest.approx(66.67)
    first = services.attempt_results(done).results[0]
    assert first.correct is False
    assert first.feedback == ("Bredspektret; spar det til spesielle tilfeller.",)


def test_multiple_choice_needs_all_right_choices_and_nothing_else(learner):
    quiz = published_quiz()
    questions = services.live_questions(quiz)
    answers = right_answers(quiz)
    answers[questions[1]["id"]] = answers[questions[1]["id"]][:1]  # only one of the two
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    done = services.quiz_attempt_submit(token=attempt.token, user=learner, answers=answers)
    assert done.correct_count == 2


def test_submitting_twice_records_one_result(learner):
    quiz = published_quiz()
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    first = services.quiz_attempt_submit(token=attempt.token, user=learner,
                                         answers=right_answers(quiz))  # fmt: skip
    wrong = {qid: ["false"] if ids == ["false"] else ids[:0] + ["x"] for qid, ids in
             right_answers(quiz).items()}  # fmt: skip
    again = services.quiz_attempt_submit(token=attempt.token, user=learner, answers=wrong)
    assert again.pk == first.pk and again.score == first.score
    assert QuizAttempt.objects.filter(submitted_at__isnull=False).count() == 1


def test_two_tabs_share_one_open_attempt(learner):
    quiz = published_quiz()
    assert services.quiz_attempt_start(quiz=quiz, user=learner).pk == (
        services.quiz_attempt_start(quiz=quiz, user=learner).pk
    )


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
        question = services.live_questions(quiz)[0]
        answers[ids[0]] = [c["id"] for c in question["value"]["choices"]]
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    with pytest.raises(SubmissionError):
        services.quiz_attempt_submit(token=attempt.token, user=learner, answers=answers)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None


def test_someone_elses_attempt_cannot_be_submitted(learner):
    quiz = published_quiz()
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    intruder = get_user_model().objects.create_user("inntrenger")
    with pytest.raises(SubmissionError):
        services.quiz_attempt_submit(token=attempt.token, user=intruder,
                                     answers=right_answers(quiz))  # fmt: skip


def test_editing_the_quiz_later_keeps_old_results(learner):
    quiz = published_quiz()
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    done = services.quiz_attempt_submit(token=attempt.token, user=learner,
                                        answers=right_answers(quiz))  # fmt: skip
    quiz.questions = [single("Helt nytt spørsmål?", choice("Ja", True), choice("Nei"))]
    quiz.save_revision().publish()
    assert services.attempt_results(done).percent == 100
    assert len(services.attempt_results(done).results) == 3


def test_attempt_limit(learner):
    quiz = published_quiz(max_attempts=1)
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    services.quiz_attempt_submit(token=attempt.token, user=learner, answers=right_answers(quiz))
    with pytest.raises(services.AttemptsExhausted):
        services.quiz_attempt_start(quiz=quiz, user=learner)


def test_practice_scoring_stores_nothing():
    quiz = published_quiz()
    score = services.quiz_practice_score(quiz=quiz, answers=right_answers(quiz))
    assert score.passed
    assert not QuizAttempt.objects.exists()


def test_shuffled_layout_shows_every_question_and_choice_once(learner):
    quiz = published_quiz(shuffle=True)
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    questions = services.live_questions(quiz)
    assert sorted(item["id"] for item in attempt.layout) == sorted(q["id"] for q in questions)


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_of_one_attempt_record_one_result():
    from cms.demo.loader import LoadReport, ensure_tree_roots

    ensure_tree_roots(LoadReport())
    learner = get_user_model().objects.create_user("parallell")
    quiz = published_quiz()
    attempt = services.quiz_attempt_start(quiz=quiz, user=learner)
    answers = right_answers(quiz)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(services.quiz_attempt_submit(token=attempt.token, user=learner,
                                                        answers=answers))  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len({r.submitted_at for r in results}) == 1
    assert QuizAttempt.objects.filter(submitted_at__isnull=False).count() == 1
