"""Wagtail wiring for the annual diploma (imported by ``institutions/wagtail_hooks.py``): each
year's criteria as a snippet, a read-only listing of the diplomas issued with "Revoke" (with a
reason), and the diploma's answer at the certificates' verification address ``/v/<code>/``.

A diploma is never added, edited or deleted in the admin: it is issued by
``institutions.diplomas.diploma_evaluate`` when an institution meets the year's criteria.
Seeing the listing takes ``institutions.view_institutiondiploma`` (or ``change``); revoking
takes ``institutions.change_institutiondiploma``.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates.codes import code_normalise
from certificates.verify_views import VERIFIABLE_CODE_HOOK
from institutions.diploma_views import diploma_verification
from institutions.diplomas import diploma_revoke
from institutions.models import DiplomaCriteria, InstitutionDiploma

CHANGE_PERMISSION = "institutions.change_institutiondiploma"


# --- The criteria, a snippet ----------------------------------------------------------------


class DiplomaCriteriaViewSet(SnippetViewSet):
    model = DiplomaCriteria
    icon = "pick"
    menu_label = gettext_lazy("Diploma criteria")
    add_to_admin_menu = False
    list_display = ["year", "min_group_sessions", "min_total_hours", "min_share_group_minimum"]
    ordering = ["-year"]
    panels = [
        FieldPanel(
            "year",
            help_text=gettext_lazy(
                "The programme year: certificates count in the calendar year of the activity. "
                "A year without criteria gives no diploma."
            ),
        ),
        FieldPanel(
            "min_group_sessions",
            help_text=gettext_lazy(
                "How many attested group sessions with at least one of the institution's "
                "members attending must be held in the year."
            ),
        ),
        FieldPanel(
            "min_total_hours",
            help_text=gettext_lazy(
                "Verified hours of credit (valid certificates), summed across all the "
                "institution's active members, that must be reached in the year. 0: no minimum."
            ),
        ),
        FieldPanel(
            "min_share_group_minimum",
            help_text=gettext_lazy(
                "Percent (0–100) of the active members whose hours done together reached the "
                "year's group minimum (the yearly targets). 0: no minimum. All three criteria "
                "must hold."
            ),
        ),
    ]


register_snippet(DiplomaCriteriaViewSet)


# --- The diplomas issued, read-only ---------------------------------------------------------


class DiplomaPermissionPolicy(ModelPermissionPolicy):
    """Diplomas are frozen at issue: the admin may view them, never add, edit or delete."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, "view") or super().user_has_permission(
            user, "change"
        )


register_permission_policy(
    InstitutionDiploma, DiplomaPermissionPolicy(InstitutionDiploma), exact_class=True
)


def may_revoke(user) -> bool:
    return user.is_active and user.has_perm(CHANGE_PERMISSION)


def status_label(diploma: InstitutionDiploma) -> str:
    return _("Revoked") if diploma.is_revoked else _("Valid")


class DiplomaFilterSet(WagtailFilterSet):
    year = django_filters.AllValuesFilter(
        field_name="year", label=gettext_lazy("Year"), empty_label=gettext_lazy("All")
    )

    class Meta:
        model = InstitutionDiploma
        fields = []


class DiplomaIndexView(IndexView):
    @cached_property
    def columns(self):
        columns = super().columns
        # The title column (the code, linking to the read-only view) under its own name.
        columns[0].label = gettext_lazy("Verification code")
        return columns

    def search_queryset(self, queryset):
        # A code is found however it is typed (grouped, lower case, O for 0).
        code = code_normalise(self.search_query) if self.is_searching else None
        if code is not None:
            return queryset.filter(code=code)
        if self.is_searching:
            return queryset.filter(institution_name__icontains=self.search_query)
        return queryset

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if may_revoke(self.request.user) and not instance.is_revoked:
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse("institution_diplomas_admin:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons


class DiplomaInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        diploma = self.object
        context["may_revoke"] = may_revoke(self.request.user) and not diploma.is_revoked
        context["status_label"] = status_label(diploma)
        context["revoke_url"] = reverse("institution_diplomas_admin:revoke", args=[diploma.pk])
        context["verify_url"] = reverse("certificates:verify", args=[diploma.code_formatted])
        return context


class DiplomaViewSet(ModelViewSet):
    """The admin's listing of annual diplomas: read-only, with a revoke action."""

    model = InstitutionDiploma
    icon = "tasks"
    menu_label = gettext_lazy("Annual diplomas")
    menu_order = 296
    add_to_admin_menu = True
    name = "institution_diplomas"
    url_prefix = "institutions/diplomas"
    index_view_class = DiplomaIndexView
    inspect_view_class = DiplomaInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = DiplomaFilterSet
    search_fields = ["institution_name", "code"]
    list_display = [
        "code_formatted",
        "institution_name",
        "year",
        Column("status", label=gettext_lazy("Status"), accessor=status_label),
        "issued_at",
    ]
    list_export = [
        "code_formatted",
        "institution_name",
        "year",
        "issued_at",
        "facts",
        "revoked_at",
        "revoked_reason",
        "pdf_sha256",
    ]
    ordering = ["-year", "institution_name"]
    inspect_view_fields = [
        "code",
        "institution",
        "institution_name",
        "year",
        "issued_at",
        "facts",
        "pdf_sha256",
        "revoked_at",
        "revoked_reason",
    ]
    inspect_template_name = "institutions/diploma/admin_inspect.html"

    def get_urlpatterns(self):
        # No add, edit, copy or delete: a diploma is frozen at issue and never deleted.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_diploma_viewset():
    return DiplomaViewSet()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Shown on the public verification page."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a diploma with a reason (``diploma_revoke``); the row stays."""
    if not may_revoke(request.user):
        raise PermissionDenied
    diploma = get_object_or_404(InstitutionDiploma, pk=pk)
    back = redirect(reverse("institution_diplomas:inspect", args=[diploma.pk]))
    if diploma.is_revoked:
        messages.warning(request, _("This diploma is already revoked."))
        return back
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        diploma_revoke(diploma=diploma, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("Diploma %(code)s revoked.") % {"code": diploma.code_formatted})
        return back
    return TemplateResponse(
        request,
        "institutions/diploma/admin_revoke.html",
        {"diploma": diploma, "form": form},
        status=400 if form.errors else 200,
    )


@hooks.register("register_admin_urls")
def register_diploma_actions():
    return [
        path(
            "institutions/diploma-actions/",
            include(
                ([path("<int:pk>/revoke/", revoke, name="revoke")], "institution_diplomas_admin")
            ),
        )
    ]


# --- Verification at /v/<code>/ -------------------------------------------------------------

hooks.register(VERIFIABLE_CODE_HOOK, diploma_verification)
