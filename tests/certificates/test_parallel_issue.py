"""Twenty completions of the same learner and course at the same moment issue one certificate.

Real parallel work, no locks faked: twenty HTTP requests against the live server (each in its
own server thread and database connection) submit the last module's quiz for one learner at
once; and twenty threads with their own connections run the issuing task for the same
completion at once (a task delivered twice, a retried worker). The unique constraints decide.
Meant for PostgreSQL (DATABASE_URL), as CI runs it; it runs on SQLite too.
"""

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import Certificate, CertificateEvent
from certificates.tasks import issue_certificate
from cms.demo.course import COURSE_SLUG
from cms.demo.loader import load_demo
from courses.models import CourseCompletion, CoursePage, ModuleStatus
from courses.services import module_evaluate, module_section_opened
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from tests.quizzes.factories import right_answers

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 20
PASSWORD = "Kanylering-og-urinstix-2026"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Tab:
    """One browser tab without a browser: its own cookies, no redirects followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def sign_in(self, email: str) -> "Tab":
        """Sign in through the real login form."""
        status, html = self.request("/konto/login/")
        assert status == 200
        token = BeautifulSoup(html, "html.parser").find("input", {"name": "csrfmiddlewaretoken"})
        status, _html = self.request(
            "/konto/login/",
            {"csrfmiddlewaretoken": token["value"], "login": email, "password": PASSWORD},
        )
        assert status == 302, "signing in through the form failed"
        return self

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        url = self.base_url + path
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _at_once(count: int, work) -> list:
    """Run ``work(index)`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a thread never returned"
    return results


def _learner_before_the_last_quiz(modules):
    """A learner who opened every section and passed every module but the last one's quiz."""
    email = "parallell@example.no"
    user = get_user_model().objects.create_user(
        username="parallell", email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    learner_profile_update(user=user, full_name="Per Parallell", profession=None, workplace="")
    for module in modules:
        for section_id in module.section_ids():
            module_section_opened(user=user, module=module, section_id=section_id)
    for module in modules[:-1]:
        quiz = module.quizzes()[0]
        form = quiz_selectors.quiz_form(quiz=quiz, user=user)
        quiz_services.quiz_attempt_submit(
            quiz=quiz, user=user, token=form.attempt_token, version=form.version,
            answers=right_answers(quiz),
        )  # fmt: skip
        module_evaluate(user=user, module=module)
    assert not CourseCompletion.objects.filter(user=user).exists()
    return user


_FORM_FIELDS = ("csrfmiddlewaretoken", "quiz", "attempt", "version")


def _quiz_post(tab: Tab, module) -> dict:
    status, html = tab.request(f"{module.url}{len(module.sections)}/")
    assert status == 200
    form = BeautifulSoup(html, "html.parser").select_one("form.quiz__form")
    assert form is not None, "the quiz form is missing"
    fields = [form.find("input", {"name": name}) for name in _FORM_FIELDS]
    data = {field["name"]: field["value"] for field in fields if field is not None}
    for question_id, values in right_answers(module.quizzes()[0]).items():
        data[f"q-{question_id}"] = values
    return data


def test_twenty_parallel_completions_of_one_learner_and_course_issue_one_certificate(
    live_server,
):
    load_demo(videos=False)
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    modules = list(course.modules())
    last = modules[-1]
    user = _learner_before_the_last_quiz(modules)
    tabs = [Tab(live_server.url).sign_in(user.email) for _ in range(PARALLEL)]
    # Twenty tabs send the last quiz's form at once (one form, opened in twenty tabs: each tab
    # keeps its own CSRF token), so every request goes on to evaluate the module and course.
    forms = [_quiz_post(tab, last) for tab in tabs]
    for form in forms[1:]:
        form.update({key: forms[0][key] for key in ("attempt", "version") if key in forms[0]})

    def submit(index: int):
        return tabs[index].request(f"{last.url}quiz/", forms[index])

    results = _at_once(PARALLEL, submit)

    for result in results:
        assert not isinstance(result, Exception), repr(result)
        status, body = result
        assert status == 302, f"{status}\n{body[:2000]}"
    assert last.progress.get(user=user).status == ModuleStatus.PASSED
    assert CourseCompletion.objects.filter(user=user, course=course).count() == 1

    certificate = Certificate.objects.get(holder=user)
    assert certificate.activity_key == f"course:{course.pk}"
    assert certificate.holder_name == "Per Parallell"
    assert certificate.hours_individual == course.credit_hours
    assert certificate.pdf_sha256
    events = CertificateEvent.objects.filter(certificate__holder=user)
    assert sorted(events.values_list("kind", flat=True)) == ["emailed", "issued", "pdf_stored"]
    # One email to the learner (the demo's own learner got theirs when the demo was loaded).
    assert [message.to for message in mail.outbox].count(["parallell@example.no"]) == 1


def _activity(key: str = "course:99") -> CompletedActivity:
    return CompletedActivity(
        key=key, kind="course", title="Riktig antibiotikabruk i sykehjem", edition_year=2026,
        hours_individual=Decimal("2.0"), hours_together=Decimal("0"),
        completed_on=date(2026, 11, 30), content_revision="5", url="",
    )  # fmt: skip


def test_twenty_parallel_issuing_tasks_for_one_completion_issue_one_certificate():
    user = get_user_model().objects.create_user("samme", email="samme@example.no")
    learner_profile_update(user=user, full_name="Sara Samme", profession=None, workplace="")
    args = _activity().to_task_args()

    results = _at_once(PARALLEL, lambda _index: issue_certificate.call(user.pk, args))

    assert [result for result in results if isinstance(result, Exception)] == []
    certificate = Certificate.objects.get()
    assert certificate.holder == user
    assert CertificateEvent.objects.filter(kind="issued").count() == 1
    # Only the winner made the PDF and sent the email.
    assert CertificateEvent.objects.filter(kind="pdf_stored").count() == 1
    assert len(mail.outbox) == 1


def test_twenty_learners_issued_at_once_get_twenty_codes_and_status_indexes(settings):
    # Only the issuing is timed here: the PDFs wait in the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    users = [
        get_user_model().objects.create_user(f"laerer{number}", email=f"l{number}@example.no")
        for number in range(PARALLEL)
    ]

    results = _at_once(
        PARALLEL, lambda index: services.certificate_issue(user=users[index], activity=_activity())
    )

    assert [result for result in results if isinstance(result, Exception)] == []
    certificates = Certificate.objects.all()
    assert certificates.count() == PARALLEL
    assert len({certificate.code for certificate in certificates}) == PARALLEL
    assert sorted(certificate.status_index for certificate in certificates) == list(range(PARALLEL))
