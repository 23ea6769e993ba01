"""The lean quiz submission: ``<module>/quiz/`` found in one query, its queries pinned, Wagtail's
view restrictions kept, tampering refused, and one result for parallel submissions.

Query counts are measured on a second submission after a first one has warmed every cache a
real learner's first request would (site root paths, content types), so they do not depend on
which test ran before.
"""

import re
import threading
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from cms.models import HomePage
from courses.models import CoursePage, ModulePage, ModuleProgress, ModuleStatus
from quizzes import services
from quizzes.models import QuizAttempt
from quizzes.selectors import live_questions
from tests.courses.course_factories import make_course
from tests.quizzes.factories import right_answers

pytestmark = pytest.mark.django_db

# Reads every request makes before any view runs, whoever serves it: the session, the Site
# (cached by the cms layout in time), the learner. Not the quiz's cost, so not pinned here.
_REQUEST_TABLES = ("django_session", "wagtailcore_site", "wagtailcore_locale")


@pytest.fixture
def home():
    root = Page.get_first_root_node()
    home = HomePage(title="Programmet", slug=f"program-{uuid.uuid4().hex[:6]}")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return HomePage.objects.get(pk=home.pk)


@pytest.fixture
def module(home):
    course = make_course(home, modules=1)
    return ModulePage.objects.child_of(course).get().specific


@pytest.fixture
def learner(client):
    user = get_user_model().objects.create_user("lean", email="lean@example.org")
    client.force_login(user)
    return user


def _open_attempt(quiz, user) -> QuizAttempt:
    """An attempt started before submissions created attempts (still accepted), as the
    benchmark submits them."""
    return QuizAttempt.objects.create(quiz=quiz, user=user, revision_id=quiz.live_revision_id)


def _data(quiz, token, answers=None) -> dict:
    answers = right_answers(quiz) if answers is None else answers
    return {"quiz": str(quiz.pk), "attempt": str(token)} | {
        f"q-{question}": values for question, values in answers.items()
    }


def _wrong(quiz) -> dict[str, list[str]]:
    """Answers that fail: the first single-choice question answered by a wrong choice."""
    questions = live_questions(quiz)
    answers = right_answers(quiz)
    question = next(q for q in questions if not q.is_multiple)
    answers[question.id] = [next(c.id for c in question.choices if not c.is_correct)]
    return answers


def _shape(queries) -> list[str]:
    """Each query as ``VERB table`` (BEGIN/COMMIT as they are), without the request's own."""
    shapes = []
    for query in queries:
        sql = query["sql"]
        verb = sql.split(None, 1)[0].upper()
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', sql)
        shape = f"{verb} {table.group(1)}" if table else verb
        if not any(name in shape for name in _REQUEST_TABLES):
            shapes.append(shape)
    return shapes


def test_a_submission_reads_the_module_once_and_writes_one_update(client, learner, module):
    quiz = module.quizzes()[0]
    warm = _open_attempt(quiz, learner)
    assert client.post(module.url + "quiz/", _data(quiz, warm.token)).status_code == 302
    attempt = _open_attempt(quiz, learner)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(module.url + "quiz/", _data(quiz, attempt.token))
    assert response.status_code == 302
    assert response["Location"] == f"{module.url}quiz/{attempt.token}/"
    # The module itself was found by its url_path on the first submission and kept in memory
    # under the content version: no query for it now.
    assert _shape(queries) == [
        "SELECT wagtailcore_pageviewrestriction",  # its and its ancestors' restrictions
        "SELECT auth_user",  # request.user
        "SAVEPOINT",  # the transaction (a savepoint inside the test's own)
        "SELECT quizzes_quizattempt",  # the attempt, locked, with its quiz and revision
        "UPDATE quizzes_quizattempt",
        "RELEASE",
        "SELECT courses_moduleprogress",  # the module evaluated: not all sections opened
    ]
    update = next(q["sql"] for q in queries if q["sql"].startswith("UPDATE"))
    # Only what closing an attempt changes.
    assert '"token"' not in update and '"layout"' not in update and '"quiz_id"' not in update
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100 and attempt.submitted_at is not None


def test_a_replayed_submission_changes_nothing_and_costs_less(client, learner, module):
    quiz = module.quizzes()[0]
    attempt = _open_attempt(quiz, learner)
    first = client.post(module.url + "quiz/", _data(quiz, attempt.token))
    attempt.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        again = client.post(module.url + "quiz/", _data(quiz, attempt.token, {}))
    assert again["Location"] == first["Location"]
    assert "UPDATE quizzes_quizattempt" not in _shape(queries)
    assert len(_shape(queries)) == 6
    recorded = QuizAttempt.objects.get(pk=attempt.pk)
    assert (recorded.answers, recorded.submitted_at) == (attempt.answers, attempt.submitted_at)


def test_the_form_s_first_submission_creates_the_attempt_in_pinned_queries(client, learner, module):
    quiz = module.quizzes()[0]
    client.get(module.url)  # every section opened: this submission can pass the module

    def form_data(answers):
        html = client.get(module.url + "2/").content.decode()
        token = re.search(r'name="attempt" value="([^"]+)"', html).group(1)
        version = re.search(r'name="version" value="([^"]+)"', html).group(1)
        return _data(quiz, token, answers) | {"version": version}

    # Warm-up: a first, failed try, so that the measured one is the one that passes.
    assert client.post(module.url + "quiz/", form_data(_wrong(quiz))).status_code == 302
    data = form_data(right_answers(quiz))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(module.url + "quiz/", data)
    assert response.status_code == 302
    assert _shape(queries) == [
        "SELECT wagtailcore_pageviewrestriction",
        "SELECT auth_user",
        "SAVEPOINT",
        "SELECT quizzes_quizattempt",  # none yet with this form's token
        "SELECT quizzes_quiz",
        "SELECT wagtailcore_revision",  # the version the form showed, and that it is this quiz's
        "SAVEPOINT",
        "INSERT quizzes_quizattempt",
        "RELEASE",
        "RELEASE",
        "SELECT courses_moduleprogress",
        "SELECT quizzes_quizattempt",  # every section is open now: the quizzes passed
        "UPDATE courses_moduleprogress",  # the module passes
        "SELECT courses_coursepage",  # its course
        # The course's live modules and how many of them are passed, in one query.
        "SELECT courses_moduleprogress",
        "SELECT courses_coursecompletion",  # the course completed: recorded once
        "SAVEPOINT",
        "INSERT courses_coursecompletion",
        "RELEASE",
    ]
    assert ModuleProgress.objects.get(user=learner).status == ModuleStatus.PASSED


# --- Wagtail's view restrictions apply to quiz submissions -----------------------------------


def _restrict(page, kind: str, *, groups=(), **fields) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **fields)
    restriction.groups.set(groups)
    return restriction


def test_a_private_course_refuses_visitors_submissions(client, module):
    course = CoursePage.objects.get(pk=module.get_parent().pk)
    _restrict(course, PageViewRestriction.LOGIN)
    quiz = module.quizzes()[0]
    response = client.post(module.url + "quiz/", _data(quiz, uuid.uuid4()))
    assert response.status_code == 302
    assert "login" in response["Location"] or "konto" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_a_password_protected_module_asks_for_the_password_first(client, learner, module):
    _restrict(module, PageViewRestriction.PASSWORD, password="hemmelig")  # noqa: S106
    quiz = module.quizzes()[0]
    attempt = _open_attempt(quiz, learner)
    response = client.post(module.url + "quiz/", _data(quiz, attempt.token))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_group_restriction_lets_members_submit_and_refuses_others(client, learner, module):
    group = Group.objects.create(name="Sykehjem Nord")
    course = CoursePage.objects.get(pk=module.get_parent().pk)
    _restrict(course, PageViewRestriction.GROUPS, groups=[group])
    quiz = module.quizzes()[0]
    attempt = _open_attempt(quiz, learner)
    refused = client.post(module.url + "quiz/", _data(quiz, attempt.token))
    assert refused.status_code == 302 and str(attempt.token) not in refused["Location"]
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    learner.groups.add(group)
    accepted = client.post(module.url + "quiz/", _data(quiz, attempt.token))
    assert accepted["Location"] == f"{module.url}quiz/{attempt.token}/"


def test_a_restriction_on_the_page_an_alias_copies_applies_to_the_alias(client, home, module):
    course = CoursePage.objects.get(pk=module.get_parent().pk)
    alias = course.create_alias(recursive=True, update_slug=f"{course.slug}-kopi")
    _restrict(course, PageViewRestriction.LOGIN)
    alias_module = ModulePage.objects.child_of(alias).get()
    quiz = module.quizzes()[0]
    response = client.post(alias_module.url + "quiz/", _data(quiz, uuid.uuid4()))
    assert response.status_code == 302
    assert not QuizAttempt.objects.exists()


def test_an_unpublished_module_is_not_found(client, learner, module):
    quiz = module.quizzes()[0]
    attempt = _open_attempt(quiz, learner)
    address = f"{module.url}quiz/"
    module.unpublish()
    assert client.post(address, _data(quiz, attempt.token)).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_the_module_is_read_by_its_url_path_on_the_first_submission(client, learner, module):
    quiz = module.quizzes()[0]
    attempt = _open_attempt(quiz, learner)
    with CaptureQueriesContext(connection) as queries:
        client.post(module.url + "quiz/", _data(quiz, attempt.token))
    modules = [q["sql"] for q in queries if 'FROM "courses_modulepage"' in q["sql"]]
    assert len(modules) == 1 and '"url_path" IN' in modules[0]
    # Not Wagtail's walk down the tree: a child of each page by its slug.
    walk = [q["sql"] for q in queries if 'FROM "wagtailcore_page" WHERE' in q["sql"]]
    assert not [sql for sql in walk if '"slug" =' in sql]


def test_a_module_unpublished_after_a_submission_takes_no_more(client, learner, module):
    # The first submission keeps the module in memory; unpublishing it must end that at once.
    quiz = module.quizzes()[0]
    first, second = _open_attempt(quiz, learner), _open_attempt(quiz, learner)
    address = f"{module.url}quiz/"
    assert client.post(address, _data(quiz, first.token)).status_code == 302
    module.unpublish()
    assert client.post(address, _data(quiz, second.token)).status_code == 404
    second.refresh_from_db()
    assert second.submitted_at is None


def test_a_page_named_quiz_is_still_routed_by_wagtail(client, home):
    course = make_course(home, modules=1)
    module = ModulePage.objects.child_of(course).get()
    module.slug = "quiz"
    module.save_revision().publish()
    response = client.get(f"{course.url}quiz/")
    assert response.status_code == 200
    assert "Hvorfor riktig antibiotikabruk?" in response.content.decode()


# --- Tampering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tamper", ["foreign_choice", "extra_field", "other_quiz", "not_a_number", "others_attempt"]
)
def test_tampered_submissions_are_refused_and_change_nothing(client, learner, home, module, tamper):
    quiz = module.quizzes()[0]
    attempt = _open_attempt(quiz, learner)
    data = _data(quiz, attempt.token)
    if tamper == "foreign_choice":
        first, second = list(right_answers(quiz))[:2]
        data[f"q-{first}"] = data[f"q-{second}"]
    elif tamper == "extra_field":
        data["score"] = "100"
    elif tamper == "other_quiz":
        other = make_course(home, modules=1)
        data["quiz"] = str(ModulePage.objects.child_of(other).get().specific.quizzes()[0].pk)
    elif tamper == "not_a_number":
        data["quiz"] = "1 OR 1=1"
    else:
        someone = get_user_model().objects.create_user("annen", email="annen@example.org")
        data["attempt"] = str(_open_attempt(quiz, someone).token)
    response = client.post(module.url + "quiz/", data)
    assert response.status_code == 400
    assert not QuizAttempt.objects.filter(submitted_at__isnull=False).exists()


# --- Exactly once, also at the same moment (PostgreSQL: row locks) ---------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_of_one_open_attempt_record_one_result(home):
    course = make_course(home, modules=1)
    quiz = ModulePage.objects.child_of(course).get().specific.quizzes()[0]
    learner = get_user_model().objects.create_user("samtidig")
    attempt = _open_attempt(quiz, learner)
    right, wrong = right_answers(quiz), _wrong(quiz)
    # Half the tabs send right answers, half a wrong one: whichever comes first is the result.
    barrier = threading.Barrier(6)
    results, errors = [], []

    def submit(answers):
        try:
            barrier.wait(timeout=10)
            done = services.quiz_attempt_submit(
                quiz=quiz.pk, user=learner, token=attempt.token, answers=answers
            )
            results.append((done.submitted_at, done.answers, done.score))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(right if n % 2 else wrong,))
               for n in range(6)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 6 and all(result == results[0] for result in results)
    recorded = QuizAttempt.objects.get(pk=attempt.pk)
    assert (recorded.submitted_at, recorded.answers, recorded.score) == results[0]
    assert QuizAttempt.objects.count() == 1
