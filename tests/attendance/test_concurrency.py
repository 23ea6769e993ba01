"""Group sessions under simultaneous requests: real threads, each with its own database
connection, released together. The unique constraints and row locks decide, nothing is faked.
Meant for PostgreSQL (DATABASE_URL), as CI runs it; it runs on SQLite too, serialised."""

import threading

import pytest
from django.db import connection

from attendance import errors, services
from attendance.errors import AttendanceRefused
from attendance.models import Claim, SessionEventKind
from certificates.models import Certificate
from tests.attendance.factories import activity_make, session_make, user_make

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 12


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
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread never returned"
    return results


@pytest.fixture(autouse=True)
def _queued_tasks(settings):
    # Certificates' PDFs and the credit task wait in the queue; the services are called here.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def session():
    return session_make(activity_make(hours="1"), user_make("fasilitator"), started_minutes_ago=40)


def _codes(results) -> list:
    return sorted(
        result.code if isinstance(result, AttendanceRefused) else type(result).__name__
        for result in results
    )


def test_one_person_claiming_at_once_from_many_tabs_gets_one_claim(session):
    user = user_make("kari")
    results = _at_once(PARALLEL, lambda index: services.session_claim(session=session, user=user))
    claims = [result for result in results if isinstance(result, Claim)]
    assert len(claims) == 1, _codes(results)
    assert _codes(results).count(errors.ALREADY_CLAIMED) == PARALLEL - 1
    assert Claim.objects.filter(session=session, user=user).count() == 1
    assert session.events.filter(kind=SessionEventKind.CLAIMED).count() == 1


def test_many_people_claiming_at_once_all_get_in(session):
    users = [user_make(f"deltaker{index}") for index in range(PARALLEL)]
    results = _at_once(
        PARALLEL, lambda index: services.session_claim(session=session, user=users[index])
    )
    assert [result for result in results if not isinstance(result, Claim)] == []
    assert session.claims.count() == PARALLEL + 1  # and the facilitator's


def test_wrong_codewords_at_once_are_all_counted_and_capped(settings, session):
    claim = services.session_claim(session=session, user=user_make("gjetter"))
    services.codeword_open(
        session=session, by=session.facilitator, video=session.activity.items.first().video,
        chapter_index=0,
    )  # fmt: skip
    tries = settings.ATTENDANCE_CODEWORD_TRIES
    count = tries + 5
    results = _at_once(
        count, lambda index: services.codeword_confirm(claim=claim, word=f"GJETT{index}")
    )
    codes = _codes(results)
    assert codes.count(errors.CODEWORD_WRONG) == tries, codes
    assert codes.count(errors.TOO_MANY_TRIES) == count - tries, codes
    claim.refresh_from_db()
    assert claim.wrong_words == tries


def test_ending_at_once_ends_once(session):
    results = _at_once(
        PARALLEL, lambda index: services.group_session_end(session=session, by=session.facilitator)
    )
    assert len({result.ended_at for result in results}) == 1, results
    assert session.events.filter(kind=SessionEventKind.ENDED).count() == 1


def test_crediting_at_once_issues_one_certificate_per_claim(session):
    people = [user_make(f"deltaker{index}") for index in range(4)]
    video = session.activity.items.first().video
    claims = [services.session_claim(session=session, user=user) for user in people]
    for index in range(session.required_codewords):
        codeword = services.codeword_open(
            session=session, by=session.facilitator, video=video, chapter_index=index
        )
        for claim in claims:
            services.codeword_confirm(claim=claim, word=codeword.word)
    services.group_session_end(session=session, by=session.facilitator)
    services.session_attest(session=session, by=session.facilitator)

    # The task delivered many times at once (a retried worker, a second sweep).
    results = _at_once(PARALLEL, lambda index: services.session_credit(session=session))
    assert [result for result in results if not isinstance(result, list)] == []
    assert sum(len(result) for result in results) == len(people) + 1
    assert Certificate.objects.count() == len(people) + 1
    assert set(Certificate.objects.values_list("activity_kind", flat=True)) == {"group"}
    assert session.events.filter(kind=SessionEventKind.CERTIFICATE_ISSUED).count() == (
        len(people) + 1
    )
    assert not session.claims.filter(certificate=None).exists()
