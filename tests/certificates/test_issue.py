"""Issuing certificates: once per learner and activity, frozen at issue, the PDF made once,
the holder told by email; revoking and reissuing keep every old row."""

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import Certificate, CertificateEvent
from courses import services as course_services
from courses.models import CourseCompletion, ModulePage
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from tests.courses.course_factories import make_course
from tests.quizzes.factories import right_answers

pytestmark = pytest.mark.django_db


def _learner(username="kari", full_name="Kari Nordmann"):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.no")
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    return user


def _activity(**changes) -> CompletedActivity:
    values = {
        "key": "course:41",
        "kind": "course",
        "title": "Riktig antibiotikabruk i sykehjem",
        "edition_year": 2026,
        "hours_individual": Decimal("2.0"),
        "hours_together": Decimal("0"),
        "completed_on": date(2026, 11, 30),
        "content_revision": "17",
        "url": "http://testserver/kurs/",
    }
    return CompletedActivity(**{**values, **changes})


def _complete(user, course) -> CourseCompletion | None:
    """Pass every module of ``course`` the way the quiz view does (services, right answers)."""
    for module in ModulePage.objects.child_of(course).order_by("path"):
        for section_id in module.section_ids():
            course_services.module_section_opened(user=user, module=module, section_id=section_id)
        quiz = module.quizzes()[0]
        form = quiz_selectors.quiz_form(quiz=quiz, user=user)
        quiz_services.quiz_attempt_submit(
            quiz=quiz, user=user, token=form.attempt_token, version=form.version,
            answers=right_answers(quiz),
        )  # fmt: skip
        course_services.module_evaluate(user=user, module=module)
    return CourseCompletion.objects.filter(user=user, course=course).first()


def test_an_activity_survives_a_task_s_json_arguments():
    activity = _activity(hours_together=Decimal("1.5"))

    assert CompletedActivity.from_task_args(json.loads(json.dumps(activity.to_task_args()))) == (
        activity
    )


def test_a_certificate_is_issued_once_per_learner_and_activity(django_capture_on_commit_callbacks):
    user = _learner()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.certificate_issue(user=user, activity=_activity())
    second = services.certificate_issue(user=user, activity=_activity(title="Changed later"))

    assert second.pk == first.pk
    assert Certificate.objects.count() == 1
    assert second.activity_title == "Riktig antibiotikabruk i sykehjem"
    assert list(first.events.values_list("kind", flat=True)) == ["issued", "pdf_stored", "emailed"]
    # Another activity, or another learner, is another certificate with its own code and index.
    other = services.certificate_issue(user=user, activity=_activity(key="course:42"))
    someone = services.certificate_issue(user=_learner("ola", "Ola"), activity=_activity())
    assert len({first.code, other.code, someone.code}) == 3
    assert sorted([first.status_index, other.status_index, someone.status_index]) == [0, 1, 2]


def test_the_certificate_is_frozen_at_issue(settings):
    user = _learner(full_name="Kari Nordmann")
    certificate = services.certificate_issue(user=user, activity=_activity())
    learner_profile_update(user=user, full_name="Kari Ny", profession=None, workplace="")
    certificate.refresh_from_db()

    assert certificate.holder_name == "Kari Nordmann"
    assert certificate.activity_title == "Riktig antibiotikabruk i sykehjem"
    assert certificate.edition_year == 2026
    assert (certificate.hours_individual, certificate.hours_together) == (Decimal("2"), 0)
    assert certificate.hours_total == Decimal("2")
    assert certificate.activity_date == date(2026, 11, 30)
    assert certificate.content_revision == "17"
    assert certificate.template_version == settings.CERTIFICATE_TEMPLATE_VERSION
    assert certificate.issuer_name
    assert certificate.issuer_logo == "certificates/logo.svg"
    assert certificate.status == "valid"
    data = services.certificate_pdf_data(certificate)
    assert data["holder_name"] == "Kari Nordmann"
    assert data["code_formatted"] == certificate.code_formatted
    assert data["verification_url"] == f"http://testserver/v/{certificate.code_formatted}/"


def test_the_pdf_is_made_once_and_its_sha256_is_the_stored_bytes():
    certificate = services.certificate_issue(user=_learner(), activity=_activity())
    assert not certificate.pdf_sha256

    stored = services.certificate_pdf_store(certificate=certificate)
    content = stored.pdf.open("rb").read()
    assert content.startswith(b"%PDF-")
    assert stored.pdf_sha256 == hashlib.sha256(content).hexdigest()
    name = stored.pdf.name

    # Asked again (a retried task, a second worker): nothing is rendered or stored again.
    again = services.certificate_pdf_store(certificate=Certificate.objects.get(pk=certificate.pk))
    assert (again.pdf.name, again.pdf_sha256) == (name, stored.pdf_sha256)
    assert again.pdf.open("rb").read() == content
    assert certificate.events.filter(kind="pdf_stored").count() == 1


def test_the_holder_gets_a_short_email_with_the_verification_link_and_no_attachment(
    django_capture_on_commit_callbacks,
):
    user = _learner()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(user=user, activity=_activity())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@example.no"]
    assert "Riktig antibiotikabruk i sykehjem" in message.subject
    assert f"http://testserver/v/{certificate.code_formatted}/" in message.body
    assert "Kari Nordmann" in message.body
    assert message.attachments == []
    assert certificate.events.filter(kind="emailed").count() == 1
    # In the programme's language (Bokmål), whatever language the worker happens to run in.
    assert message.subject.startswith("Kursbeviset ditt for ")
    assert "Kontrollkode: " + certificate.code_formatted in message.body


def test_completing_a_course_issues_its_certificate_once(demo, django_capture_on_commit_callbacks):
    course = make_course(demo.home)
    user = _learner()
    with django_capture_on_commit_callbacks(execute=True):
        completion = _complete(user, course)
    assert completion is not None

    certificate = Certificate.objects.get(holder=user)
    assert certificate.activity_key == f"course:{course.pk}"
    assert certificate.activity_kind == "course"
    assert certificate.activity_title == course.title
    assert certificate.edition_year == course.year
    assert certificate.hours_individual == Decimal("2")
    assert certificate.hours_together == 0
    assert certificate.content_revision == str(completion.course_revision_id)
    assert certificate.pdf_sha256
    assert len(mail.outbox) == 1

    # Evaluating again, or recording the completion again, issues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        for module in ModulePage.objects.child_of(course):
            course_services.module_evaluate(user=user, module=module)
        course_services.course_completion_record(user=user, course=course)
    assert Certificate.objects.filter(holder=user).count() == 1
    assert CertificateEvent.objects.filter(kind="issued", certificate__holder=user).count() == 1
    assert len(mail.outbox) == 1


def test_re_saving_the_course_or_running_migrate_issues_nothing(
    demo, django_capture_on_commit_callbacks
):
    course = make_course(demo.home)
    user = _learner()
    # A learner who completed before certificates existed keeps no certificate by magic.
    _complete(user, course)  # the on-commit issue is never run
    assert CourseCompletion.objects.filter(user=user).exists()
    assert not Certificate.objects.filter(holder=user).exists()

    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Kurs 2026, ny utgave"
        course.credit_hours = 3
        course.save_revision().publish()
        call_command("migrate", verbosity=0)

    assert not Certificate.objects.filter(holder=user).exists()
    assert mail.outbox == []


def test_a_course_without_credit_issues_no_certificate(demo, django_capture_on_commit_callbacks):
    course = make_course(demo.home)
    course.credit_hours = 0
    course.save_revision().publish()
    user = _learner()
    with django_capture_on_commit_callbacks(execute=True):
        assert _complete(user, course) is not None
    assert not Certificate.objects.filter(holder=user).exists()


def test_revoking_keeps_the_row_with_date_reason_and_who():
    admin = get_user_model().objects.create_superuser("admin", "admin@example.no", "x")
    certificate = services.certificate_issue(user=_learner(), activity=_activity())

    with pytest.raises(ValueError):
        services.certificate_revoke(certificate=certificate, reason="  ", by=admin)
    revoked = services.certificate_revoke(
        certificate=certificate, reason="Issued to the wrong person", by=admin
    )
    assert revoked.status == "revoked"
    assert revoked.revoked_reason == "Issued to the wrong person"
    assert revoked.revoked_by == admin
    first_date = revoked.revoked_at
    # Revoking again keeps the first date and reason.
    again = services.certificate_revoke(certificate=revoked, reason="Other", by=admin)
    assert (again.revoked_at, again.revoked_reason) == (first_date, "Issued to the wrong person")
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    assert list(certificate.events.values_list("kind", "note")) == [
        ("issued", ""),
        ("revoked", "Issued to the wrong person"),
    ]
    with pytest.raises(ValueError):
        services.certificate_reissue(certificate=revoked, by=admin)


def test_a_name_fix_reissues_a_new_certificate_that_supersedes_the_old_one():
    admin = get_user_model().objects.create_superuser("admin", "admin@example.no", "x")
    user = _learner(full_name="Kari Nordman")
    old = services.certificate_issue(user=user, activity=_activity())
    learner_profile_update(user=user, full_name="Kari Nordmann", profession=None, workplace="")

    new = services.certificate_reissue(certificate=old, by=admin, note="Name corrected")
    old.refresh_from_db()

    assert new.pk != old.pk and new.code != old.code
    assert new.holder_name == "Kari Nordmann"
    assert old.holder_name == "Kari Nordman"
    assert new.supersedes == old and old.superseded_by == new
    assert (old.status, new.status) == ("superseded", "valid")
    assert (new.activity_key, new.activity_title, new.hours_total, new.activity_date) == (
        old.activity_key, old.activity_title, old.hours_total, old.activity_date,
    )  # fmt: skip
    assert new.status_index != old.status_index
    assert services.certificate_pdf_data(new)["supersedes_code_formatted"] == old.code_formatted
    # Issuing for the activity again gives the certificate in force; reissuing the old one again
    # gives no third certificate.
    assert services.certificate_issue(user=user, activity=_activity()).pk == new.pk
    assert services.certificate_reissue(certificate=old, by=admin).pk == new.pk
    assert Certificate.objects.count() == 2
    assert old.events.filter(kind="reissued", note=new.code).exists()


def test_a_certificate_is_found_by_its_code_however_it_is_typed():
    from certificates.selectors import certificate_by_code

    certificate = services.certificate_issue(user=_learner(), activity=_activity())
    typed = certificate.code_formatted.lower().replace("0", "o").replace("1", "l")
    assert certificate_by_code(typed) == certificate
    assert certificate_by_code(certificate.code) == certificate
    assert certificate_by_code("0000-0000-0000-0000") is None
    assert certificate_by_code("not a code") is None
    assert certificate_by_code(None) is None


def test_a_pdf_whose_render_died_is_asked_for_again_a_few_times(
    settings, django_capture_on_commit_callbacks
):
    certificate = services.certificate_issue(user=_learner(), activity=_activity())
    issued = certificate.issued_at
    # The render task was lost (its worker died): the sweep waits out the grace period first.
    assert services.certificates_render_missing(now=issued + timedelta(minutes=5)) == []

    with django_capture_on_commit_callbacks(execute=True):
        asked = services.certificates_render_missing(now=issued + timedelta(minutes=11))
    assert asked == [certificate.pk]
    certificate.refresh_from_db()
    assert certificate.pdf_sha256
    assert services.certificates_render_missing(now=issued + timedelta(hours=5)) == []


def test_a_pdf_that_never_renders_is_asked_for_at_most_three_times(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    certificate = services.certificate_issue(user=_learner(), activity=_activity())
    issued = certificate.issued_at
    asked = [
        services.certificates_render_missing(now=issued + timedelta(minutes=minutes))
        for minutes in (11, 12, 22, 33, 44, 55)
    ]
    assert asked == [[certificate.pk], [], [certificate.pk], [certificate.pk], [], []]
    assert certificate.events.filter(kind="render_requeued").count() == 3
