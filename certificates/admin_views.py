"""Certificates in the Wagtail admin, for programme admins: a listing (search by code, name or
activity; filter by status and year), a read-only view of each, and two actions, "Revoke" (with
a reason) and "Issue corrected certificate" (a name fix that supersedes the old one). Apps
above add filters through ``CERTIFICATE_FILTER_HOOK`` (institutions adds "Institution").

Nothing about a certificate is editable and nothing is ever deleted: the viewset has no add,
edit, copy or delete view at all, and its permission policy grants only viewing. Seeing the
listing takes ``certificates.view_certificate`` or ``certificates.change_certificate``; the two
actions take ``certificates.change_certificate`` (superusers have both).
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.codes import code_normalise
from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_reissue, certificate_revoke, holder_name_of

CHANGE_PERMISSION = "certificates.change_certificate"


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are frozen at issue: the admin may view them, never add, edit or delete."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, "view") or super().user_has_permission(
            user, "change"
        )


def may_change(user) -> bool:
    """Who may revoke and reissue: programme admins with ``change_certificate``."""
    return user.is_active and user.has_perm(CHANGE_PERMISSION)


_REVOKED = Q(revoked_at__isnull=False)
_SUPERSEDED = Q(superseded_by__isnull=False)
_WITHDRAWN = Q(holder_withdrawn=True)


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=CertificateStatus.choices,
        method="filter_status",
        empty_label=gettext_lazy("All"),
    )
    edition_year = django_filters.AllValuesFilter(
        field_name="edition_year", label=gettext_lazy("Year"), empty_label=gettext_lazy("All")
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_status(self, queryset, name, value):
        # The same order as Certificate.status: revoked outranks superseded, which outranks
        # withdrawn.
        if value == CertificateStatus.REVOKED:
            return queryset.filter(_REVOKED)
        if value == CertificateStatus.SUPERSEDED:
            return queryset.filter(_SUPERSEDED).exclude(_REVOKED)
        if value == CertificateStatus.WITHDRAWN:
            return queryset.filter(_WITHDRAWN).exclude(_REVOKED | _SUPERSEDED)
        if value == CertificateStatus.VALID:
            return queryset.exclude(_REVOKED | _SUPERSEDED | _WITHDRAWN)
        return queryset


# Apps above certificates add filters to the listing (institutions: "Institution") without
# certificates knowing them: each hook returns ``{name: django_filters.Filter}``.
CERTIFICATE_FILTER_HOOK = "register_certificate_admin_filters"


def certificate_filterset_class() -> type[CertificateFilterSet]:
    """The listing's filters: status and year, and every filter the hooks add."""
    extra = {}
    for hook in hooks.get_hooks(CERTIFICATE_FILTER_HOOK):
        extra.update(hook())
    if not extra:
        return CertificateFilterSet
    return type("CertificateFilterSet", (CertificateFilterSet,), extra)


def status_label(certificate: Certificate) -> str:
    return CertificateStatus(certificate.status).label


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("superseded_by")

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
        return super().search_queryset(queryset)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not may_change(self.request.user):
            return buttons
        if not instance.is_revoked:
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse("certificates_admin:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        if not instance.is_revoked and not instance.is_superseded:
            buttons.append(
                MenuItem(
                    _("Issue corrected certificate"),
                    url=reverse("certificates_admin:reissue", args=[instance.pk]),
                    icon_name="repeat",
                    priority=50,
                )
            )
        return buttons


class CertificateInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        context["certificate_actions"] = may_change(self.request.user)
        context["status_label"] = status_label(certificate)
        context["revoke_url"] = reverse("certificates_admin:revoke", args=[certificate.pk])
        context["reissue_url"] = reverse("certificates_admin:reissue", args=[certificate.pk])
        context["verify_url"] = reverse("certificates:verify", args=[certificate.code_formatted])
        return context


class CertificateViewSet(ModelViewSet):
    """The admin's listing of certificates: read-only, with revoke and reissue actions."""

    model = Certificate
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    menu_order = 290
    add_to_admin_menu = True
    # Not "certificates": that is the namespace of the public URLs.
    name = "certificates_listing"
    url_prefix = "certificates"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["code", "holder_name", "activity_title"]
    list_display = [
        "code_formatted",
        "holder_name",
        "activity_title",
        "edition_year",
        Column("hours_total", label=gettext_lazy("Hours of credit in total")),
        Column("status", label=gettext_lazy("Status"), accessor=status_label),
        "issued_at",
    ]
    list_export = [
        "code_formatted",
        "holder_name",
        "activity_title",
        "edition_year",
        "hours_individual",
        "hours_together",
        "activity_date",
        "issued_at",
        "status",
        "revoked_at",
        "revoked_reason",
        "pdf_sha256",
    ]
    ordering = ["-issued_at"]
    inspect_view_fields = [
        "code",
        "holder",
        "holder_name",
        "holder_withdrawn",
        "activity_title",
        "activity_kind",
        "edition_year",
        "hours_individual",
        "hours_together",
        "activity_date",
        "issued_at",
        "issuer_name",
        "content_revision",
        "template_version",
        "pdf_sha256",
        "revoked_at",
        "revoked_reason",
        "revoked_by",
        "supersedes",
    ]
    inspect_template_name = "certificates/admin/inspect.html"

    @cached_property
    def filterset_class(self):
        return certificate_filterset_class()

    def get_urlpatterns(self):
        # No add, edit, copy or delete: a certificate is frozen at issue and never deleted.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
            path(f"history/<{conv}:pk>/", self.history_view, name="history"),
            path(
                f"history-results/<{conv}:pk>/",
                self.history_results_view,
                name="history_results",
            ),
            path(f"usage/<{conv}:pk>/", self.usage_view, name="usage"),
        ]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Shown on the public verification page."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


def _certificate_or_refuse(request: HttpRequest, pk: int) -> Certificate:
    if not may_change(request.user):
        raise PermissionDenied
    return get_object_or_404(Certificate.objects.select_related("superseded_by"), pk=pk)


def _back(certificate: Certificate) -> HttpResponse:
    return redirect(reverse("certificates_listing:inspect", args=[certificate.pk]))


@require_http_methods(["GET", "HEAD", "POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a certificate with a reason (``certificate_revoke``); the row stays."""
    certificate = _certificate_or_refuse(request, pk)
    if certificate.is_revoked:
        messages.warning(request, _("This certificate is already revoked."))
        return _back(certificate)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        certificate_revoke(
            certificate=certificate, reason=form.cleaned_data["reason"], by=request.user
        )
        message = _("Certificate %(code)s revoked.") % {"code": certificate.code_formatted}
        messages.success(request, message)
        return _back(certificate)
    context = {"certificate": certificate, "form": form, "action": "revoke"}
    return TemplateResponse(
        request, "certificates/admin/action.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a corrected certificate with the holder's current name (``certificate_reissue``);
    the old one stays, superseded, and links to the new one."""
    certificate = _certificate_or_refuse(request, pk)
    if certificate.is_revoked or certificate.is_superseded:
        messages.warning(request, _("A revoked or superseded certificate is not reissued."))
        return _back(certificate)
    if request.method == "POST":
        new = certificate_reissue(certificate=certificate, by=request.user)
        messages.success(
            request,
            _("Certificate %(new)s issued; it supersedes %(old)s.")
            % {"new": new.code_formatted, "old": certificate.code_formatted},
        )
        return _back(new)
    context = {
        "certificate": certificate,
        "action": "reissue",
        "current_name": holder_name_of(certificate.holder),
    }
    return TemplateResponse(request, "certificates/admin/action.html", context)


urlpatterns = [
    path("<int:pk>/revoke/", revoke, name="revoke"),
    path("<int:pk>/reissue/", reissue, name="reissue"),
]
