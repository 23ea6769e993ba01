"""Wagtail wiring for courses: the learner's courses as a section of Min side, and the course
completions listing for programme admins."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.my_page import MY_PAGE_SECTION_HOOK, MyPageSection
from courses import admin_views
from courses.models import CourseCompletion
from courses.selectors import learner_courses


@hooks.register(MY_PAGE_SECTION_HOOK)
def my_courses_section(request) -> MyPageSection:
    """Courses in progress and completed, first on Min side."""
    return MyPageSection(
        template="courses/includes/my_courses.html",
        context={"courses": learner_courses(user=request.user)},
        order=10,
        stylesheets=("courses/course.css",),
    )


register_permission_policy(
    CourseCompletion, admin_views.CompletionPermissionPolicy(CourseCompletion), exact_class=True
)


@hooks.register("register_admin_viewset")
def register_completion_viewset():
    """Course completions for programme admins, read-only, exported per year."""
    return admin_views.CompletionViewSet()
