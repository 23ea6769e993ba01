"""Learners' own pages: Min side and deleting the account. Thin: forms validate, services write.

Min side's other parts (the courses, later certificates) come from the apps that own them,
through ``accounts.my_page``; accounts imports none of them.
"""

from allauth.account.decorators import verified_email_required
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm, ProfileForm
from accounts.models import LearnerProfile
from accounts.my_page import my_page_sections
from accounts.services import learner_delete


def _profile_of(user) -> LearnerProfile | None:
    return LearnerProfile.objects.select_related("profession").filter(user=user).first()


@verified_email_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_page(request):
    """Min side: the other apps' sections (courses first), then the learner's details."""
    profile = _profile_of(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                form.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your details have been saved."))
                return redirect("accounts:my_page")
    else:
        initial = {}
        if profile:
            initial = {
                "full_name": profile.full_name,
                "profession": profile.profession_id,
                "workplace": profile.workplace,
            }
        form = ProfileForm(initial=initial, user=request.user)
    context = {
        "profile": profile,
        "form": form,
        "sections": my_page_sections(request),
        "email": EmailAddress.objects.get_primary_email(request.user) or request.user.email,
    }
    return render(request, "accounts/my_page.html", context, status=400 if form.errors else 200)


@verified_email_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    """Delete the account after the password is confirmed (see ``learner_delete``)."""
    staff = request.user.is_staff or request.user.is_superuser
    if request.method == "POST":
        # Password tries here count like allauth's re-authentication (10 a minute per user).
        limited = ratelimit.consume_or_429(request, action="reauthenticate", user=request.user)
        if limited:
            return limited
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and not staff and form.is_valid():
        learner_delete(user=request.user, answers=form.deletion_answers())
        logout(request)
        messages.success(
            request, _("Your account has been deleted, together with your personal details.")
        )
        return redirect("wagtail_serve", "")
    status = 403 if staff and request.method == "POST" else 400 if form.errors else 200
    return render(
        request, "accounts/delete_account.html", {"form": form, "staff": staff}, status=status
    )
