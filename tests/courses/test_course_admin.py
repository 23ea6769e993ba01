"""Editors: course pages in the tree, preview, and learner counts on the course's edit screen."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import HomePage
from courses import services
from courses.models import CoursePage, ModulePage, ModuleProgress
from tests.courses.course_factories import make_course

pytestmark = pytest.mark.django_db


class TestCourseTree(WagtailPageTestCase):
    def test_where_course_pages_go(self):
        self.assertCanCreateAt(HomePage, CoursePage)
        self.assertCanCreateAt(CoursePage, ModulePage)
        self.assertCanNotCreateAt(Page, ModulePage)
        self.assertCanNotCreateAt(HomePage, ModulePage)


def test_course_and_module_pages_can_be_previewed(admin_client, demo):
    course = make_course(demo.home)
    module = ModulePage.objects.child_of(course).first()
    for page in (course, module):
        response = admin_client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]))
        assert response.status_code == 200


def test_quiz_preview_shows_the_questions(rf, admin_user, demo):
    course = make_course(demo.home)
    quiz = ModulePage.objects.child_of(course).first().specific.quizzes()[0]
    request = rf.get("/")
    request.user = admin_user
    response = quiz.make_preview_request(request)
    assert response.status_code == 200
    assert "Pivmecillinam" in response.content.decode()


def test_course_edit_screen_counts_learners(admin_client, demo):
    course = make_course(demo.home)
    first = ModulePage.objects.child_of(course).first()
    for name in ("a", "b", "c"):
        user = get_user_model().objects.create_user(name)
        ModuleProgress.objects.create(user=user, module=first)
    finished = get_user_model().objects.get(username="c")
    for module in ModulePage.objects.child_of(course):
        ModuleProgress.objects.update_or_create(
            user=finished, module=module, defaults={"status": "passed"}
        )
    services.course_completion_record(user=finished, course=course)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert "Deltakere underveis: 2" in html
    assert "Deltakere som har fullført: 1" in html
