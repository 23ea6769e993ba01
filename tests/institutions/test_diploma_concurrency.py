"""An institution gets its diploma once, however many evaluations run at the same moment.

Real parallel work, no locks faked: threads with their own database connections, released
together by a barrier. Once the evaluation itself (a task delivered twice, the nightly command
beside a worker); once the real trigger, several members' certificates issued at the same
moment, each asking after commit for the institution's diploma. The unique constraint
``institutions_diploma_once_a_year`` decides. Meant for PostgreSQL (DATABASE_URL), as CI runs it;
it runs on SQLite too (where writes are serialised anyway).
"""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from certificates import services as certificate_services
from certificates.activities import CompletedActivity
from certificates.models import YearTarget
from institutions import diplomas
from institutions.models import DiplomaCriteria, InstitutionDiploma, InstitutionEvent
from institutions.services import membership_decide, membership_request
from tests.institutions import factories

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 8
YEAR = date.today().year


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


def _activity(key: str, hours: str) -> CompletedActivity:
    return CompletedActivity(
        key=key, kind="course", title="Smittevern", edition_year=YEAR,
        hours_individual=Decimal(hours), hours_together=Decimal(0),
        completed_on=date(YEAR, 3, 14), content_revision="1", url="",
    )  # fmt: skip


def _home(members: int):
    institution = factories.institution(name="Solstua sykehjem")
    people = []
    for number in range(members):
        user = factories.learner(f"Medlem {number}")
        membership = membership_request(user=user, institution=institution)
        membership_decide(membership=membership, by=institution.contact_person, accept=True)
        people.append(user)
    return institution, people


def test_parallel_evaluations_issue_one_diploma(settings):
    # Only the issuing is raced here: the PDF waits in the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    institution, people = _home(1)
    certificate_services.certificate_issue(user=people[0], activity=_activity("course:1", "4"))
    DiplomaCriteria.objects.create(
        year=YEAR, min_group_sessions=0, min_total_hours=Decimal(4), min_share_group_minimum=0
    )

    results = _at_once(
        PARALLEL, lambda _index: diplomas.diploma_evaluate(institution=institution, year=YEAR)
    )

    assert [result for result in results if isinstance(result, Exception)] == []
    diploma = InstitutionDiploma.objects.get()
    assert {result.pk for result in results} == {diploma.pk}
    assert InstitutionEvent.objects.filter(kind="diploma_issued").count() == 1


def test_certificates_issued_at_once_to_several_members_give_one_diploma():
    # Each certificate alone tips the threshold: every member's task races for the diploma.
    YearTarget.objects.create(year=YEAR, together_min=Decimal(0))
    institution, people = _home(PARALLEL - 1)
    DiplomaCriteria.objects.create(
        year=YEAR, min_group_sessions=0, min_total_hours=Decimal(1), min_share_group_minimum=0
    )
    everyone = [institution.contact_person, *people]

    results = _at_once(
        PARALLEL,
        lambda index: certificate_services.certificate_issue(
            user=everyone[index], activity=_activity(f"course:{index}", "2")
        ),
    )

    assert [result for result in results if isinstance(result, Exception)] == []
    diploma = InstitutionDiploma.objects.get()
    assert diploma.institution == institution
    assert InstitutionEvent.objects.filter(kind="diploma_issued").count() == 1
    # Only the winner asked for the PDF; it was made once.
    assert diploma.pdf_sha256
