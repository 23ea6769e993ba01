"""Institutions in the Wagtail admin, for programme admins: a listing (search by name,
organisation number or municipality; filter by type and municipality) with each institution's
enrolment period and contact person, a read-only view with its enrolments, members and event log,
and an edit form.

Viewing takes ``institutions.view_institution`` (or ``change``); editing takes
``institutions.change_institution``. Institutions are registered by their contact person on Min
side and never deleted here (their event log is evidence), so there is no add or delete view.
Every edit leaves events, like the contact person's self-service.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from certificates.services import holder_name_of
from institutions.models import (
    Institution,
    InstitutionEvent,
    InstitutionEventKind,
    InstitutionKind,
    MembershipStatus,
)
from institutions.numbers import org_number_normalise, validate_org_number


class InstitutionPermissionPolicy(ModelPermissionPolicy):
    """View and change only: institutions are added on Min side and never deleted."""

    def user_has_permission(self, user, action):
        if action == "view":
            return super().user_has_permission(user, "view") or super().user_has_permission(
                user, "change"
            )
        if action == "change":
            return super().user_has_permission(user, "change")
        return False


register_permission_policy(Institution, InstitutionPermissionPolicy(Institution), exact_class=True)


class InstitutionFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Type"),
        choices=InstitutionKind.choices,
        empty_label=gettext_lazy("All"),
    )
    municipality = django_filters.AllValuesFilter(
        field_name="municipality",
        label=gettext_lazy("Municipality"),
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Institution
        fields = []


def enrolment_period(institution: Institution) -> str:
    enrolment = institution.current_enrolment()
    if enrolment is None:
        return _("Not enrolled now")
    return f"{enrolment.starts_on:%d.%m.%Y} – {enrolment.ends_on:%d.%m.%Y}"


def contact_name(institution: Institution) -> str:
    person = institution.contact_person
    return holder_name_of(person) if person is not None else "–"


class InstitutionAdminForm(WagtailAdminModelForm):
    """The admin's form: the contact person is chosen among the institution's active members."""

    class Meta:
        model = Institution
        fields = [
            "name",
            "org_number",
            "municipality",
            "kind",
            "pharmacy",
            "beds",
            "contact_person",
            "list_publicly",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("contact_person")
        if field is not None:
            field.queryset = (
                get_user_model()
                .objects.filter(
                    institution_memberships__institution=self.instance,
                    institution_memberships__status=MembershipStatus.ACTIVE,
                )
                .distinct()
                if self.instance.pk
                else get_user_model().objects.none()
            )
            field.label_from_instance = holder_name_of
            field.help_text = _("Only active members of the institution can be chosen.")
        if "org_number" in self.fields:
            self.__init_org_number()

    def __init_org_number(self):
        # Typed as printed ("974 760 673"): longer than the nine digits stored.
        self.fields["org_number"] = forms.CharField(
            label=self.fields["org_number"].label,
            help_text=self.fields["org_number"].help_text,
            max_length=20,
            validators=[validate_org_number],
        )

    def clean_org_number(self):
        value = self.cleaned_data["org_number"]
        return org_number_normalise(value) or value


_EVENT_OF_FIELD = {
    "contact_person": InstitutionEventKind.CONTACT_CHANGED,
    "pharmacy": InstitutionEventKind.PHARMACY_CHANGED,
    "beds": InstitutionEventKind.BEDS_CHANGED,
}


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if hasattr(value, "get_username"):
        return holder_name_of(value)
    return str(value)


class InstitutionIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("contact_person", "contact_person__learner_profile")
            .prefetch_related("enrolments")
        )


class InstitutionEditView(EditView):
    def save_instance(self):
        # One event per changed field, by the admin, in the same transaction as the change.
        with transaction.atomic():
            before = Institution.objects.select_for_update().get(pk=self.form.instance.pk)
            instance = super().save_instance()
            for name in self.form.changed_data:
                old, new = getattr(before, name), getattr(instance, name)
                if old == new:
                    continue
                label = str(Institution._meta.get_field(name).verbose_name)
                InstitutionEvent.objects.create(
                    institution=instance,
                    kind=_EVENT_OF_FIELD.get(name, InstitutionEventKind.DETAILS_CHANGED),
                    by=self.request.user,
                    note=f"{label}: {_shown(old)} → {_shown(new)}",
                )
        return instance


class InstitutionInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        institution = self.object
        context["enrolments"] = list(institution.enrolments.select_related("created_by"))
        memberships = list(
            institution.memberships.select_related("user", "user__learner_profile").order_by(
                "status", "-requested_at"
            )
        )
        for membership in memberships:
            membership.name = holder_name_of(membership.user)
        context["memberships"] = memberships
        context["events"] = list(institution.events.select_related("by").order_by("-at", "-pk"))
        return context


class InstitutionViewSet(ModelViewSet):
    """The admin's listing of institutions with enrolment periods and contact persons."""

    model = Institution
    icon = "group"
    menu_label = gettext_lazy("Institutions")
    menu_order = 295
    add_to_admin_menu = True
    name = "institutions_admin"
    url_prefix = "institutions"
    index_view_class = InstitutionIndexView
    edit_view_class = InstitutionEditView
    inspect_view_class = InstitutionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = InstitutionFilterSet
    search_fields = ["name", "org_number", "municipality"]
    list_display = [
        "name",
        Column("org_number_formatted", label=gettext_lazy("Organisation number")),
        "municipality",
        Column("kind", label=gettext_lazy("Type"), accessor="get_kind_display"),
        Column("enrolment", label=gettext_lazy("Enrolment period"), accessor=enrolment_period),
        Column("contact", label=gettext_lazy("Contact person"), accessor=contact_name),
    ]
    list_export = [
        "name",
        "org_number",
        "municipality",
        "kind",
        "pharmacy",
        "beds",
        "list_publicly",
        "created_at",
    ]
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("org_number"),
            FieldPanel("municipality"),
            FieldPanel("kind"),
            FieldPanel("pharmacy"),
            FieldPanel("beds"),
            FieldPanel("contact_person"),
            FieldPanel("list_publicly"),
        ],
        base_form_class=InstitutionAdminForm,
    )
    inspect_view_fields = [
        "name",
        "org_number",
        "municipality",
        "kind",
        "pharmacy",
        "beds",
        "contact_person",
        "list_publicly",
        "created_at",
        "updated_at",
    ]
    inspect_template_name = "institutions/admin/inspect.html"

    def get_urlpatterns(self):
        # No add, copy or delete: institutions register themselves and their log is evidence.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"edit/<{conv}:pk>/", self.edit_view, name="edit"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
            path(f"history/<{conv}:pk>/", self.history_view, name="history"),
            path(
                f"history-results/<{conv}:pk>/",
                self.history_results_view,
                name="history_results",
            ),
            path(f"usage/<{conv}:pk>/", self.usage_view, name="usage"),
        ]
