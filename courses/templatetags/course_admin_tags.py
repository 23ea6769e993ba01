"""Figures for editors on the course page's edit screen."""

from django import template

from courses.selectors import course_learner_counts

register = template.Library()


@register.simple_tag
def course_counts(course) -> dict[str, int]:
    return course_learner_counts(course)
