"""Wagtail wiring for courses: the learner's courses as a section of Min side."""

from wagtail import hooks

from accounts.my_page import MY_PAGE_SECTION_HOOK, MyPageSection
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
