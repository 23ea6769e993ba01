"""Course completions in the Wagtail admin, for programme admins: a read-only listing, searched
by learner or course, filtered by year, exported per year as CSV or XLSX (Wagtail's own
spreadsheet export). Completions are evidence: the listing has no add, edit or delete view, and
its permission policy grants viewing only (``courses.view_coursecompletion``)."""

import django_filters
from django.db.models import Value
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from courses.models import CourseCompletion


class CompletionPermissionPolicy(ModelPermissionPolicy):
    """Completions are recorded by the courses, never by hand: viewing only."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")


def _years():
    years = (
        CourseCompletion.objects.annotate(year=ExtractYear("completed_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return [(year, str(year)) for year in years]


class CompletionFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"),
        choices=_years,
        field_name="completed_at__year",
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = CourseCompletion
        fields = []


def course_title(completion: CourseCompletion) -> str:
    return completion.course.title


class CompletionIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("user", "user__learner_profile", "course")
            # For the spreadsheet export, which reads attributes of each row.
            .annotate(
                learner=Coalesce(
                    NullIf("user__learner_profile__full_name", Value("")), "user__username"
                ),
                year=ExtractYear("completed_at"),
            )
        )


class CompletionViewSet(ModelViewSet):
    model = CourseCompletion
    icon = "tick"
    menu_label = gettext_lazy("Course completions")
    menu_order = 291  # beside "Certificates"
    add_to_admin_menu = True
    name = "course_completions"
    url_prefix = "course-completions"
    index_view_class = CompletionIndexView
    filterset_class = CompletionFilterSet
    search_fields = ["user__email", "user__learner_profile__full_name", "course__title"]
    ordering = ["-completed_at"]
    list_display = [
        Column("learner", label=gettext_lazy("Learner"), accessor="learner"),
        Column("course", label=gettext_lazy("Course"), accessor=course_title),
        Column("credit_hours", label=gettext_lazy("Hours of credit")),
        Column("completed_at", label=gettext_lazy("Completed")),
    ]
    list_export = ["learner", "user.email", "course.title", "year", "credit_hours", "completed_at"]
    export_headings = {
        "learner": gettext_lazy("Learner"),
        "user.email": gettext_lazy("Email"),
        "course.title": gettext_lazy("Course"),
        "year": gettext_lazy("Year"),
        "credit_hours": gettext_lazy("Hours of credit"),
        "completed_at": gettext_lazy("Completed"),
    }
    export_filename = "course-completions"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
