"""The learner's side of institutions: Min side's institution page (membership, search, asking
to join, leaving), registering a new institution, the contact person's self-service page, and the
membership decisions the contact page posts to.

Thin: forms check input, ``institutions.services`` decide and write, refusals are shown as they
are. Another institution's pages are a 404, never a 403.
"""

from allauth.account.decorators import verified_email_required
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from certificates.services import holder_name_of
from institutions import selectors, services
from institutions.errors import InstitutionRefused
from institutions.forms import (
    ContactPersonForm,
    EnrolAgainForm,
    InstitutionDetailsForm,
    InstitutionRegisterForm,
    InstitutionSearchForm,
    LeaveProgrammeForm,
)
from institutions.models import Institution, Membership, MembershipStatus


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """To the page the form came from (``next``, same site only), else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@verified_email_required
@require_http_methods(["GET", "HEAD"])
def my_institution(request: HttpRequest) -> HttpResponse:
    """Min side's institution page: the learner's membership, the institutions they are the
    contact person of, and a search to ask to join one."""
    membership = selectors.membership_of(request.user)
    search_form = InstitutionSearchForm(request.GET or None)
    results = None
    if search_form.is_bound and search_form.is_valid():
        results = list(selectors.institutions_search(search_form.cleaned_data["q"]))
        for institution in results:
            institution.enrolment_now = institution.current_enrolment()
    status = 400 if search_form.is_bound and not search_form.is_valid() else 200
    return render(
        request,
        "institutions/my_institution.html",
        {
            "membership": membership,
            "contact_for": selectors.institutions_of_contact(request.user),
            "search_form": search_form,
            "results": results,
            "enrolment_years": settings.INSTITUTION_ENROLMENT_YEARS,
        },
        status=status,
    )


@verified_email_required
@require_POST
def membership_request(request: HttpRequest) -> HttpResponse:
    """Ask to join the institution posted as ``institution``."""
    try:
        pk = int(request.POST.get("institution", ""))
    except ValueError:
        messages.error(request, _("Choose an institution from the search results."))
        return redirect("institutions:my_institution")
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None:
        messages.error(request, _("That institution was not found. Search again."))
        return redirect("institutions:my_institution")
    try:
        services.membership_request(user=request.user, institution=institution)
    except InstitutionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("You have asked to join %(name)s. Its contact person will confirm it.")
            % {"name": institution.name},
        )
    return redirect("institutions:my_institution")


@verified_email_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register an institution that is not in the programme yet; the learner becomes its
    contact person."""
    form = InstitutionRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            institution = services.institution_register(
                user=request.user,
                name=data["name"],
                org_number=data["org_number"],
                municipality=data["municipality"],
                kind=data["kind"],
                pharmacy=data["pharmacy"],
                beds=data["beds"],
            )
        except InstitutionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            enrolment = institution.current_enrolment()
            messages.success(
                request,
                _("%(name)s is registered and enrolled until %(end)s. You are its contact person.")
                % {"name": institution.name, "end": enrolment.ends_on.strftime("%d.%m.%Y")},
            )
            return redirect("institutions:my_institution")
    status = 400 if form.errors else 200
    return render(
        request,
        "institutions/register.html",
        {"form": form, "enrolment_years": settings.INSTITUTION_ENROLMENT_YEARS},
        status=status,
    )


def _manageable(request: HttpRequest, pk: int) -> Institution:
    institution = selectors.institution_for_contact(request.user, pk)
    if not services.may_manage(request.user, institution):
        raise Http404
    return institution


@verified_email_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact person's self-service: details, a new contact person, leaving the programme.

    Three forms on one page, each posting its ``action``; only the posted one is bound.
    """
    institution = _manageable(request, pk)
    members = selectors.active_members(institution)
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if action else None
    details_form = InstitutionDetailsForm(
        data if action == "details" else None,
        initial={
            "pharmacy": institution.pharmacy,
            "beds": institution.beds,
            "list_publicly": institution.list_publicly,
        },
        prefix="details",
    )
    contact_form = ContactPersonForm(
        data if action == "contact" else None,
        members=members,
        current=institution.contact_person,
        prefix="contact",
    )
    leave_form = LeaveProgrammeForm(data if action == "leave" else None, prefix="leave")
    enrolment = institution.current_enrolment()
    status = 200
    if request.method == "POST":
        form = {
            "details": details_form,
            "contact": contact_form,
            "leave": leave_form,
            "enrol": EnrolAgainForm(data if action == "enrol" else None),
        }.get(action)
        if form is None:
            messages.error(request, _("Something was missing in the form. Try again."))
            return redirect("institutions:edit", pk=institution.pk)
        if form.is_valid():
            try:
                done = _apply(request, institution, action, form.cleaned_data)
            except InstitutionRefused as refusal:
                if action == "enrol":  # no form of its own on the page to show it in
                    messages.error(request, refusal.message)
                    return redirect("institutions:edit", pk=institution.pk)
                form.add_error(None, refusal.message)
            else:
                messages.success(request, done)
                institution.refresh_from_db()
                if not services.may_manage(request.user, institution):
                    return redirect("institutions:my_institution")
                return redirect("institutions:edit", pk=institution.pk)
        status = 400
    return render(
        request,
        "institutions/edit.html",
        {
            "institution": institution,
            "enrolment": enrolment,
            "details_form": details_form,
            "contact_form": contact_form,
            "leave_form": leave_form,
            "has_other_members": bool(contact_form.members),
            "enrolment_years": settings.INSTITUTION_ENROLMENT_YEARS,
            "contact_name": holder_name_of(institution.contact_person)
            if institution.contact_person
            else "",
            "events": list(institution.events.select_related("by").order_by("-at", "-pk")[:20]),
        },
        status=status,
    )


def _apply(request: HttpRequest, institution: Institution, action: str, data: dict) -> str:
    if action == "details":
        services.institution_update(
            institution=institution,
            by=request.user,
            pharmacy=data["pharmacy"],
            beds=data["beds"],
            list_publicly=data["list_publicly"],
        )
        return _("The changes are saved.")
    if action == "contact":
        services.contact_person_change(
            institution=institution, by=request.user, new_contact=data["new_contact"]
        )
        return _("%(name)s is now the contact person.") % {
            "name": holder_name_of(data["new_contact"])
        }
    if action == "enrol":
        enrolment = services.institution_enrol(institution=institution, by=request.user)
        return _("%(name)s is enrolled until %(end)s.") % {
            "name": institution.name,
            "end": enrolment.ends_on.strftime("%d.%m.%Y"),
        }
    services.enrolment_leave(institution=institution, by=request.user, reason=data["reason"])
    return _("%(name)s has left the programme.") % {"name": institution.name}


def _membership_for(request: HttpRequest, pk: int, *, own_allowed: bool) -> Membership:
    membership = get_object_or_404(Membership.objects.select_related("institution"), pk=pk)
    if own_allowed and membership.user_id == request.user.pk:
        return membership
    if not services.may_manage(request.user, membership.institution):
        raise Http404
    return membership


def _default_back(request: HttpRequest, membership: Membership) -> str:
    if services.may_manage(request.user, membership.institution):
        return reverse("institutions:contact_page", args=[membership.institution_id])
    return reverse("institutions:my_institution")


@verified_email_required
@require_POST
def membership_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (``accept=1``) or decline (``accept=0``) a membership request."""
    membership = _membership_for(request, pk, own_allowed=False)
    accept = request.POST.get("accept")
    name = holder_name_of(membership.user)
    if accept not in ("0", "1"):
        messages.error(request, _("Choose whether to confirm or decline the request."))
    else:
        try:
            services.membership_decide(membership=membership, by=request.user, accept=accept == "1")
        except InstitutionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                (_("%(name)s is now a member.") if accept == "1" else _("%(name)s was declined."))
                % {"name": name},
            )
    return _back(request, _default_back(request, membership))


@verified_email_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a membership: the member leaves (or withdraws a request), or the contact person
    ends it."""
    membership = _membership_for(request, pk, own_allowed=True)
    own = membership.user_id == request.user.pk
    was_request = membership.status == MembershipStatus.REQUESTED
    try:
        services.membership_end(membership=membership, by=request.user)
    except InstitutionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if own:
            message = (
                _("Your request to join %(name)s is withdrawn.")
                if was_request
                else _("You have left %(name)s.")
            ) % {"name": membership.institution.name}
        else:
            message = _("The membership of %(name)s has ended.") % {
                "name": holder_name_of(membership.user)
            }
        messages.success(request, message)
    if own:
        return _back(request, reverse("institutions:my_institution"))
    return _back(request, _default_back(request, membership))
