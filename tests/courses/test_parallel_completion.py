"""The last two modules passed at the same moment, in two tabs, give exactly one completion.

Real parallel HTTP requests against the live server (each request in its own server thread and
database connection): two clients signed in through the real login form submit the quizzes of
modules 3 and 4 at once. Run on SQLite locally and on PostgreSQL in CI (DATABASE_URL).
"""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from accounts.services import learner_profile_update
from cms.demo.course import COURSE_SLUG
from cms.demo.loader import load_demo
from courses.models import CourseCompletion, CoursePage, ModuleProgress, ModuleStatus
from courses.services import module_evaluate, module_section_opened
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt
from tests.quizzes.factories import right_answers

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Kanylering-og-urinstix-2026"
ROUNDS = 5


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the redirect itself is what the tests look at


class Tab:
    """One browser tab without a browser: its own cookies, no redirects followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        url = self.base_url + path
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def sign_in(self, email: str) -> None:
        status, _headers, html = self.request("/konto/login/")
        assert status == 200
        token = BeautifulSoup(html, "html.parser").find("input", {"name": "csrfmiddlewaretoken"})
        status, headers, _html = self.request(
            "/konto/login/",
            {"csrfmiddlewaretoken": token["value"], "login": email, "password": PASSWORD},
        )
        assert status == 302, "signing in through the form failed"
        assert headers["Location"] == "/min-side/"


def _learner(number: int, modules: list) -> object:
    """A learner who opened every section and passed every quiz but the last two modules'."""
    email = f"samtidig{number}@example.no"
    user = get_user_model().objects.create_user(
        username=f"samtidig{number}", email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    learner_profile_update(user=user, full_name=f"Samtidig {number}", profession=None,
                           workplace="")  # fmt: skip
    for module in modules:
        for section_id in module.section_ids():
            module_section_opened(user=user, module=module, section_id=section_id)
    for module in modules[:-2]:
        quiz = module.quizzes()[0]
        form = quiz_selectors.quiz_form(quiz=quiz, user=user)
        quiz_services.quiz_attempt_submit(
            quiz=quiz,
            user=user,
            token=form.attempt_token,
            version=form.version,
            answers=right_answers(quiz),
        )
        module_evaluate(user=user, module=module)
    statuses = [ModuleProgress.objects.get(user=user, module=module).status for module in modules]
    assert statuses == [ModuleStatus.PASSED] * (len(modules) - 2) + [ModuleStatus.IN_PROGRESS] * 2
    assert not CourseCompletion.objects.filter(user=user).exists()
    return user


def _quiz_post(tab: Tab, module) -> dict:
    """Open the module's quiz section (its last) and fill in the right answers."""
    status, _headers, html = tab.request(f"{module.url}{len(module.sections)}/")
    assert status == 200
    soup = BeautifulSoup(html, "html.parser")
    form = soup.select_one("form.quiz__form")
    assert form is not None, "the quiz form is missing"
    data = {
        "csrfmiddlewaretoken": form.find("input", {"name": "csrfmiddlewaretoken"})["value"],
        "quiz": form.find("input", {"name": "quiz"})["value"],
        "attempt": form.find("input", {"name": "attempt"})["value"],
        "version": form.find("input", {"name": "version"})["value"],
    }
    quiz = module.quizzes()[0]
    for question_id, values in right_answers(quiz).items():
        data[f"q-{question_id}"] = values
    return data


def _submit_at_once(jobs: list[tuple[Tab, object, dict]]) -> list:
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def submit(index: int, tab: Tab, module, data: dict) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = tab.request(f"{module.url}quiz/", data)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[index] = exc

    threads = [
        threading.Thread(target=submit, args=(index, *job)) for index, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "a submission never returned"
    return results


def test_last_two_quizzes_submitted_at_once_in_two_tabs_record_one_completion(live_server):
    load_demo(videos=False)
    demo_completions = CourseCompletion.objects.count()  # the demo's members have some
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    modules = list(course.modules())
    assert len(modules) == 4
    last_two = modules[-2:]

    for number in range(1, ROUNDS + 1):
        user = _learner(number, modules)
        tabs = [Tab(live_server.url), Tab(live_server.url)]
        for tab in tabs:
            tab.sign_in(user.email)
        jobs = [
            (tab, module, _quiz_post(tab, module))
            for tab, module in zip(tabs, last_two, strict=True)
        ]

        results = _submit_at_once(jobs)

        for (_tab, module, data), result in zip(jobs, results, strict=True):
            assert not isinstance(result, Exception), f"round {number}: {result!r}"
            status, headers, body = result
            assert status == 302, f"round {number}, {module.slug}: {status}\n{body[:2000]}"
            assert headers["Location"] == f"{module.url}quiz/{data['attempt']}/"
        assert CourseCompletion.objects.filter(user=user, course=course).count() == 1, (
            f"round {number}"
        )
        assert CourseCompletion.objects.filter(user=user).count() == 1
        assert QuizAttempt.objects.filter(user=user, passed=True).count() == 4
        assert set(ModuleProgress.objects.filter(user=user).values_list("status", flat=True)) == {
            ModuleStatus.PASSED
        }

        # Both tabs then show the result, and the course as completed.
        for tab, (_tab, _module, _data), (_status, headers, _body) in zip(
            tabs, jobs, results, strict=True
        ):
            status, _headers, html = tab.request(headers["Location"])
            assert status == 200
            text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
            assert "Du har bestått." in text
            assert re.search(r"Fullført \d", text), text[-800:]

    assert CourseCompletion.objects.count() == demo_completions + ROUNDS
