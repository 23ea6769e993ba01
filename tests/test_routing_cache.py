"""Page routes kept in memory (cms.routing) never outlive the page or its restrictions."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.models.pages import CoursePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(demo):
    return CoursePage.objects.get()


@pytest.fixture
def learner(client):
    user = get_user_model().objects.create_user(
        username="router", email="router@example.org", password="x"
    )
    client.force_login(user)
    return user


def _page_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in queries if 'FROM "wagtailcore_page"' in q["sql"]]


def test_a_second_visit_does_not_walk_the_page_tree(client, learner, course):
    client.get(course.url)
    assert _page_queries(client, course.url) == []


def test_an_unpublished_page_is_gone_on_the_next_request(client, learner, course):
    assert client.get(course.url).status_code == 200
    course.unpublish()
    assert client.get(course.url).status_code == 404


def test_a_moved_page_answers_at_its_new_address_only(client, learner, course, demo):
    old_url = course.url
    assert client.get(old_url).status_code == 200
    course.slug = "kurs-flyttet"
    course.save_revision().publish()
    course.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert client.get(course.url).status_code == 200


def test_a_restriction_added_after_the_route_was_kept_still_applies(client, course):
    assert client.get(course.url).status_code == 200  # anonymous, route kept
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(course.url)
    assert response.status_code == 302
    assert "login" in response["Location"] or "konto" in response["Location"]
