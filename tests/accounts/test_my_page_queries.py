"""Min side costs the same number of queries however many courses the learner has started."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import module_section_opened
from tests.accounts.test_accounts import _learner
from tests.courses.course_factories import make_course

pytestmark = pytest.mark.django_db


def _start(course, user):
    module = course.modules().first().specific
    module_section_opened(user=user, module=module, section_id=module.section_ids()[0])


def _min_side_queries(client) -> tuple[int, str]:
    client.get("/min-side/")  # warm Wagtail's site cache, as any earlier page would
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/min-side/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_min_side_queries_do_not_grow_with_started_courses(client, demo):
    user = _learner()
    client.force_login(user)
    courses = [make_course(demo.home, modules=2) for _ in range(5)]
    _start(courses[0], user)
    one, page = _min_side_queries(client)
    assert page.count('class="card"') == 1
    for course in courses[1:]:
        _start(course, user)
    five, page = _min_side_queries(client)
    assert page.count('class="card"') == 5
    assert five == one, f"{one} queries for 1 started course, {five} for 5"
