"""The quiz section of a module: rendering only reads; a missing quiz is said, never a 500."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import ModulePage, ModuleProgress, ModuleStatus
from quizzes.models import QuizAttempt
from tests.courses.course_factories import make_course
from tests.quizzes.factories import right_answers

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@pytest.fixture
def module(demo):
    course = make_course(demo.home, modules=1)
    return ModulePage.objects.child_of(course).get().specific


@pytest.fixture
def learner(client):
    user = get_user_model().objects.create_user("quizleser", email="q@example.org")
    client.force_login(user)
    return user


def _form_data(html: str, answers: dict) -> dict:
    form = BeautifulSoup(html, "html.parser").select_one("form.quiz__form")
    assert form is not None, "the quiz form is missing"
    data = {
        field["name"]: field["value"]
        for field in form.find_all("input", {"type": "hidden"})
        if field.get("name") != "csrfmiddlewaretoken"
    }
    data.update({f"q-{question_id}": values for question_id, values in answers.items()})
    return data


def _writes(queries) -> list[str]:
    return [query["sql"] for query in queries if WRITE.match(query["sql"])]


def test_rendering_the_quiz_section_writes_no_attempt(client, learner, module):
    client.get(module.url)  # section 1: the learner's progress row exists from here on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(module.url + "2/")
    assert response.status_code == 200
    assert "quiz__form" in response.content.decode()
    assert not QuizAttempt.objects.exists()
    # Opening a section updates the learner's progress row (the page view's one write, for
    # "continue where you left off"); nothing is inserted, and rendering writes nothing else.
    writes = _writes(queries)
    assert [sql for sql in writes if sql.lstrip().upper().startswith("INSERT")] == []
    assert [sql for sql in writes if "courses_moduleprogress" not in sql] == []


def test_the_quiz_tag_itself_writes_nothing(rf, learner, module):
    from django.template import Context, Template

    quiz = module.quizzes()[0]
    request = rf.get(module.url + "2/")
    request.user = learner
    template = Template("{% load course_tags %}{% quiz_form quiz %}")
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"request": request, "page": module, "quiz": quiz}))
    assert "quiz__form" in html
    assert _writes(queries) == []


def test_first_submission_creates_and_scores_the_attempt(client, learner, module):
    client.get(module.url)
    quiz = module.quizzes()[0]
    html = client.get(module.url + "2/").content.decode()
    response = client.post(module.url + "quiz/", _form_data(html, right_answers(quiz)))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.passed and attempt.submitted_at is not None
    assert response["Location"].endswith(f"quiz/{attempt.token}/")
    assert ModuleProgress.objects.get(user=learner, module=module).status == ModuleStatus.PASSED


def test_two_tabs_opened_before_submitting_record_one_result(client, learner, module):
    quiz = module.quizzes()[0]
    first_tab = client.get(module.url + "2/").content.decode()
    second_tab = client.get(module.url + "2/").content.decode()
    one = client.post(module.url + "quiz/", _form_data(first_tab, right_answers(quiz)))
    two = client.post(module.url + "quiz/", _form_data(second_tab, right_answers(quiz)))
    assert one["Location"] == two["Location"]
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_scored_against_the_version_shown_even_if_republished(client, learner, module):
    from quizzes.questions import questions_to_stored
    from tests.quizzes.factories import choice, single

    quiz = module.quizzes()[0]
    html = client.get(module.url + "2/").content.decode()
    answers = right_answers(quiz)
    shown_revision = quiz.live_revision_id
    quiz.questions = questions_to_stored([single("Nytt?", choice("Ja", True), choice("Nei"))])
    quiz.save_revision().publish()
    response = client.post(module.url + "quiz/", _form_data(html, answers))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.revision_id == shown_revision and attempt.passed


@pytest.mark.parametrize("tamper", ["version", "foreign_revision"])
def test_a_forged_version_is_refused_and_stores_nothing(client, learner, module, tamper, demo):
    quiz = module.quizzes()[0]
    html = client.get(module.url + "2/").content.decode()
    data = _form_data(html, right_answers(quiz))
    if tamper == "version":
        data["version"] = data["version"][:-3] + "abc"
    else:
        other = make_course(demo.home, modules=1)
        other_module = ModulePage.objects.child_of(other).get().specific
        other_html = client.get(other_module.url + "2/").content.decode()
        data["version"] = _form_data(other_html, {})["version"]
    response = client.post(module.url + "quiz/", data)
    assert response.status_code == 400
    assert not QuizAttempt.objects.exists()


def test_the_version_of_another_learner_is_refused(client, learner, module):
    quiz = module.quizzes()[0]
    html = client.get(module.url + "2/").content.decode()
    data = _form_data(html, right_answers(quiz))
    other = get_user_model().objects.create_user("annen", email="a@example.org")
    client.force_login(other)
    response = client.post(module.url + "quiz/", data)
    assert response.status_code == 400
    assert not QuizAttempt.objects.exists()


# --- A quiz unpublished or deleted while its module is live ----------------------------------


def _take_quiz_away(quiz, how: str) -> None:
    if how == "unpublished":
        quiz.unpublish()
    else:
        quiz.delete()


@pytest.mark.parametrize("how", ["unpublished", "deleted"])
def test_section_renders_without_the_missing_quiz(client, learner, module, how):
    quiz = module.quizzes()[0]
    _take_quiz_away(quiz, how)
    response = client.get(module.url + "2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "quiz__form" not in html
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "Quizen er ikke tilgjengelig nå" in text
    assert "Modulen kan ikke bestås før quizen er tilbake" in text


@pytest.mark.parametrize("how", ["unpublished", "deleted"])
def test_visitor_section_renders_without_the_missing_quiz(client, module, how):
    _take_quiz_away(module.quizzes()[0], how)
    response = client.get(module.url + "2/")
    assert response.status_code == 200
    assert "Quizen er ikke tilgjengelig nå" in response.content.decode()


@pytest.mark.parametrize("who", ["learner", "visitor"])
@pytest.mark.parametrize("how", ["unpublished", "deleted"])
def test_submitting_a_missing_quiz_gets_a_clear_message(client, module, how, who):
    if who == "learner":
        client.force_login(get_user_model().objects.create_user("sen", email="sen@example.org"))
    quiz = module.quizzes()[0]
    html = client.get(module.url + "2/").content.decode()
    data = _form_data(html, right_answers(quiz))
    _take_quiz_away(quiz, how)
    response = client.post(module.url + "quiz/", data)
    assert response.status_code == 409
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())
    assert "Quizen er ikke tilgjengelig nå" in text
    assert "Ingenting ble lagret" in text
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize("how", ["unpublished", "deleted"])
def test_module_with_a_missing_quiz_cannot_be_passed(client, learner, module, how):
    _take_quiz_away(module.quizzes()[0], how)
    client.get(module.url)
    client.get(module.url + "2/")
    progress = ModuleProgress.objects.get(user=learner, module=module)
    assert progress.status == ModuleStatus.IN_PROGRESS


def test_a_quiz_passed_before_it_was_unpublished_still_counts(client, learner, module):
    quiz = module.quizzes()[0]
    client.get(module.url)
    html = client.get(module.url + "2/").content.decode()
    ModuleProgress.objects.filter(user=learner).update(sections_opened=[])
    client.post(module.url + "quiz/", _form_data(html, right_answers(quiz)))
    quiz.unpublish()
    client.get(module.url)
    client.get(module.url + "2/")
    assert ModuleProgress.objects.get(user=learner, module=module).status == ModuleStatus.PASSED


@pytest.mark.parametrize("how", ["unpublished", "deleted"])
def test_editor_is_warned_on_the_module_edit_screen(admin_client, module, how):
    quiz = module.quizzes()[0]
    title = quiz.title
    _take_quiz_away(quiz, how)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))
    assert response.status_code == 200
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())
    if how == "unpublished":
        assert f"Quizen «{title}» er ikke publisert" in text
    else:
        assert "En quiz i denne modulen er slettet" in text
    assert "Modulen kan ikke bestås" in text


def test_no_warning_when_every_quiz_is_live(admin_client, module):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))
    assert "Modulen kan ikke bestås" not in response.content.decode()


def _quiz_admin_url(view: str, quiz) -> str:
    return reverse(f"wagtailsnippets_quizzes_quiz:{view}", args=[quiz.pk])


@pytest.mark.parametrize("view", ["unpublish", "delete"])
def test_unpublish_and_delete_confirmations_list_the_modules_using_the_quiz(
    admin_client, module, view
):
    quiz = module.quizzes()[0]
    confirmation = admin_client.get(_quiz_admin_url(view, quiz))
    assert confirmation.status_code == 200
    soup = BeautifulSoup(confirmation.content, "html.parser")
    usage_link = soup.find("a", href=re.compile(re.escape(_quiz_admin_url("usage", quiz))))
    assert usage_link is not None, "the confirmation does not link to where the quiz is used"
    usage = admin_client.get(_quiz_admin_url("usage", quiz)).content.decode()
    assert module.title in usage


def test_a_quiz_learners_have_answered_cannot_be_deleted(client, admin_client, learner, module):
    quiz = module.quizzes()[0]
    html = client.get(module.url + "2/").content.decode()
    client.post(module.url + "quiz/", _form_data(html, right_answers(quiz)))
    response = admin_client.post(_quiz_admin_url("delete", quiz), follow=True)
    assert response.status_code == 200
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())
    assert "kan ikke slettes" in text
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1
    quiz.refresh_from_db()
