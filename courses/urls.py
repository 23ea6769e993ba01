"""Addresses of the courses app that Wagtail's page routing would reach the slow way.

Included in cms/urls.py, in the language patterns, just before Wagtail's own pages.
"""

from django.urls import re_path

from courses import quiz_views

urlpatterns = [
    # A module's quiz submissions (``<module>/quiz/``); the same characters as Wagtail's own
    # page pattern (wagtail.urls), so nothing Wagtail would route is lost.
    re_path(r"^((?:[\w\-]+/)+)quiz/$", quiz_views.module_quiz_route, name="module_quiz_route"),
]
