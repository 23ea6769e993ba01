from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course and module pages, learner progress, completions and certificates."""

    name = "courses"
    verbose_name = _("Courses")
