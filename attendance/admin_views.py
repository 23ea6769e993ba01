"""Group sessions in the Wagtail admin, for programme admins.

A read-only listing of sessions (filter by year, search by activity, facilitator or join code,
export per year as CSV or XLSX), each with its claims and its log; and "Contested claims": the
claims with too few codewords in ended sessions, to approve or reject with a reason.

Sessions are evidence: the viewset has no add, edit, copy or delete view, and its permission
policy grants viewing only, to users with ``attendance.view_groupsession`` (or
``attendance.change_claim``). Deciding contested claims takes ``attendance.change_claim``.
Superusers have both.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from attendance import selectors, services
from attendance.codes import join_code_normalise
from attendance.errors import AttendanceRefused
from attendance.models import Claim, ClaimStatus, GroupSession

VIEW_PERMISSION = "attendance.view_groupsession"
DECIDE_PERMISSION = services.CHANGE_CLAIM_PERMISSION


class GroupSessionPermissionPolicy(ModelPermissionPolicy):
    """Sessions are evidence: the admin may view them, never add, edit or delete."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, "view") or may_decide(user)


def may_decide(user) -> bool:
    """Who may approve or reject contested claims: programme admins with ``change_claim``."""
    return user.is_active and user.has_perm(DECIDE_PERMISSION)


def _years():
    dates = GroupSession.objects.dates("started_at", "year", order="DESC")
    return [(moment.year, str(moment.year)) for moment in dates]


class GroupSessionFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"),
        choices=_years,
        method="filter_year",
        empty_label=gettext_lazy("All"),
    )
    attested = django_filters.BooleanFilter(
        label=gettext_lazy("Attested"), field_name="attested_at", lookup_expr="isnull",
        exclude=True,
    )  # fmt: skip

    class Meta:
        model = GroupSession
        fields = []

    def filter_year(self, queryset, name, value):
        # The programme year: the local calendar year the session started in.
        return queryset.filter(started_at__year=int(value)) if value else queryset


def _claims_summary(session: GroupSession) -> str:
    return f"{session.claims_credited} / {session.claims_active}"


class GroupSessionIndexView(IndexView):
    def get_base_queryset(self):
        live = Q(claims__removed_at=None, claims__rejected_at=None)
        return (
            super()
            .get_base_queryset()
            .select_related("activity")
            .annotate(
                claims_active=Count("claims", filter=live, distinct=True),
                claims_credited=Count(
                    "claims", filter=Q(claims__certificate__isnull=False), distinct=True
                ),
            )
        )

    @cached_property
    def columns(self):
        columns = super().columns
        columns[0].label = gettext_lazy("Join code")
        return columns

    def search_queryset(self, queryset):
        # A join code is found however it is typed; words also search activity and facilitator.
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        matches = Q(activity__title__icontains=query) | Q(facilitator_name__icontains=query)
        code = join_code_normalise(query)
        if code is not None:
            matches |= Q(join_code=code)
        return queryset.filter(matches)


class GroupSessionInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        context["claims"] = selectors.claims_for_facilitator(session)
        context["session_events"] = selectors.session_events(session)
        context["may_decide"] = may_decide(self.request.user)
        context["needs_approval"] = ClaimStatus.NEEDS_APPROVAL
        return context


class GroupSessionViewSet(ModelViewSet):
    """The admin's listing of group sessions: read-only, with claims and log on inspect."""

    model = GroupSession
    icon = "group"
    menu_label = gettext_lazy("Sessions")
    name = "group_sessions"
    url_prefix = "group-sessions"
    index_view_class = GroupSessionIndexView
    inspect_view_class = GroupSessionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = GroupSessionFilterSet
    search_fields = ["activity__title", "facilitator_name", "join_code"]
    list_display = [
        Column("join_code_formatted", label=gettext_lazy("Join code")),
        Column("activity", label=gettext_lazy("Activity")),
        "facilitator_name",
        "started_at",
        Column("duration_minutes", label=gettext_lazy("Minutes")),
        "hours_credit",
        Column("claims", label=gettext_lazy("Credited / claims"), accessor=_claims_summary),
        "attested_at",
    ]
    list_export = [
        "join_code_formatted",
        "activity.title",
        "activity.edition_year",
        "facilitator_name",
        "started_at",
        "ended_at",
        "duration_minutes",
        "running_seconds",
        "required_codewords",
        "hours_credit",
        "attested_at",
        "attested_name",
        "claims_active",
        "claims_credited",
    ]
    export_headings = {
        "join_code_formatted": gettext_lazy("Join code"),
        "activity.title": gettext_lazy("Activity"),
        "activity.edition_year": gettext_lazy("Edition year"),
        "duration_minutes": gettext_lazy("Minutes"),
        "claims_active": gettext_lazy("Claims"),
        "claims_credited": gettext_lazy("Credited"),
    }
    export_filename = "group-sessions"
    ordering = ["-started_at"]
    inspect_view_fields = [
        "join_code",
        "activity",
        "facilitator",
        "facilitator_name",
        "started_at",
        "ended_at",
        "running_seconds",
        "required_codewords",
        "hours_credit",
        "attested_at",
        "attested_name",
        "uuid",
    ]
    inspect_template_name = "attendance/admin/inspect.html"

    def get_urlpatterns(self):
        # No add, edit, copy or delete: a session is evidence and never changed here.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]


class _DecideMenuItem(MenuItem):
    def is_shown(self, request):
        return may_decide(request.user)


class ContestedClaimsViewSet(ViewSet):
    """Contested claims (too few codewords) of ended sessions, approved or rejected here."""

    name = "contested_claims"
    url_prefix = "group-sessions/contested"
    icon = "help"
    menu_label = gettext_lazy("Contested claims")
    menu_item_class = _DecideMenuItem

    def get_urlpatterns(self):
        return urlpatterns


class GroupSessionsMenu(ViewSetGroup):
    """ "Group sessions" in the admin menu: the sessions and the contested claims."""

    menu_label = gettext_lazy("Group sessions")
    menu_icon = "group"
    menu_order = 295
    items = (GroupSessionViewSet, ContestedClaimsViewSet)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Shown to the person on their page."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


def _refuse_unless_decider(request: HttpRequest) -> None:
    if not may_decide(request.user):
        raise PermissionDenied


def _claim(pk: int) -> Claim:
    claim = get_object_or_404(
        Claim.objects.select_related("session__activity", "user", "user__learner_profile"), pk=pk
    )
    selectors.claims_with_confirmed_pauses([claim])
    claim.name = services.holder_name_of(claim.user)
    return claim


def _to_list() -> HttpResponse:
    return redirect(reverse("contested_claims:index"))


@require_http_methods(["GET", "HEAD"])
def contested(request: HttpRequest) -> HttpResponse:
    """Every claim that needs approval in an ended session, newest session first."""
    _refuse_unless_decider(request)
    context = {
        "claims": selectors.contested_claims(),
        "now": timezone.now(),
        "header_icon": "help",
    }
    return TemplateResponse(request, "attendance/admin/contested.html", context)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a contested claim (``claim_approve``); credited at once if the session is
    attested."""
    _refuse_unless_decider(request)
    claim = _claim(pk)
    try:
        services.claim_approve(claim=claim, by=request.user)
    except AttendanceRefused as refusal:
        messages.error(request, refusal.message)
        return _to_list()
    messages.success(request, _("The claim of %(name)s is approved.") % {"name": claim.name})
    return _to_list()


@require_http_methods(["GET", "HEAD", "POST"])
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject a contested claim with a reason (``claim_reject``)."""
    _refuse_unless_decider(request)
    claim = _claim(pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_reject(claim=claim, by=request.user, reason=form.cleaned_data["reason"])
        except AttendanceRefused as refusal:
            messages.error(request, refusal.message)
            return _to_list()
        messages.success(request, _("The claim of %(name)s is rejected.") % {"name": claim.name})
        return _to_list()
    context = {"claim": claim, "form": form}
    return TemplateResponse(
        request, "attendance/admin/reject.html", context, status=400 if form.errors else 200
    )


urlpatterns = [
    path("", contested, name="index"),
    path("<int:pk>/approve/", approve, name="approve"),
    path("<int:pk>/reject/", reject, name="reject"),
]
