"""Forms for learners: django-allauth's account forms in our words, the profile, deletion.

allauth's forms are used as they are, with labels from our own catalogue (so every language of
the site has them, Nynorsk included) and without placeholders that only repeat the label.
``settings.ACCOUNT_FORMS`` points allauth at the classes here.
"""

from allauth.account import forms as allauth_forms
from django import forms
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from accounts.adapter import AccountAdapter
from accounts.backends import THROTTLED, has_admin_access
from accounts.deletion import account_deletion_choices
from accounts.models import LearnerProfile, Profession
from accounts.services import learner_profile_update

FULL_NAME_HELP = _("As it should appear on your certificates.")
PASSWORDS_DIFFER = _("The two passwords are not the same. Type the same password twice.")
# allauth's message, translated through allauth's catalogue (not extracted into ours).
ALLAUTH_PASSWORDS_DIFFER = "You must type the same password each time."


class AccountFormMixin:
    """Our labels, help texts and autocomplete hints on allauth's fields."""

    labels = {
        "login": _("Email address"),
        "email": _("Email address"),
        "password": _("Password"),
        "oldpassword": _("Current password"),
        "remember": _("Keep me signed in on this device"),
    }
    # Fields whose label depends on the form (a new password, or the same one again).
    password_labels = {
        "password1": _("Password"),
        "password2": _("Repeat the password"),
    }
    help_texts: dict = {}
    autocomplete = {
        "login": "email",
        "email": "email",
        "password": "current-password",
        "oldpassword": "current-password",
        "password1": "new-password",
        "password2": "new-password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {**self.labels, **self.password_labels}
        for name, field in self.fields.items():
            if name in labels:
                field.label = labels[name]
            if name in self.help_texts:
                field.help_text = self.help_texts[name]
            field.widget.attrs.pop("placeholder", None)
            if name in self.autocomplete:
                field.widget.attrs["autocomplete"] = self.autocomplete[name]
            if name in ("login", "email"):
                field.widget.attrs["spellcheck"] = "false"

    def clean(self):
        cleaned_data = super().clean()
        # allauth's own message has no Nynorsk; say it in our words in every language.
        errors = self._errors.get("password2") if self._errors else None
        if errors:
            theirs = gettext(ALLAUTH_PASSWORDS_DIFFER)
            self._errors["password2"] = self.error_class(
                [PASSWORDS_DIFFER if error == theirs else error for error in errors],
                renderer=self.renderer,
            )
        return cleaned_data


class LoginForm(AccountFormMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth's help text is a link to the password reset; the template shows that link.
        if "password" in self.fields:
            self.fields["password"].help_text = ""


class SignupForm(AccountFormMixin, allauth_forms.SignupForm):
    """Sign up with the full name, an email address and a password; creates the profile."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=LearnerProfile._meta.get_field("full_name").max_length,
        help_text=FULL_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "email", "password1", "password2"]
    help_texts = {"email": _("You sign in with it, and we send the confirmation link to it.")}

    def save(self, request):
        # The user, the profile and the email address are made together or not at all.
        with transaction.atomic():
            return super().save(request)

    def signup(self, request, user):
        """Called by allauth once the user is saved (``custom_signup``)."""
        learner_profile_update(
            user=user, full_name=self.cleaned_data["full_name"], profession=None, workplace=""
        )


class AddEmailForm(AccountFormMixin, allauth_forms.AddEmailForm):
    labels = {**AccountFormMixin.labels, "email": _("New email address")}


class ChangePasswordForm(AccountFormMixin, allauth_forms.ChangePasswordForm):
    password_labels = {
        "password1": _("New password"),
        "password2": _("Repeat the new password"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].help_text = ""


class SetPasswordForm(AccountFormMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(AccountFormMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(AccountFormMixin, allauth_forms.ResetPasswordKeyForm):
    password_labels = ChangePasswordForm.password_labels


class ReauthenticateForm(AccountFormMixin, allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


class ProfileForm(forms.Form):
    """The learner's own details on Min side."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=LearnerProfile._meta.get_field("full_name").max_length,
        help_text=FULL_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    profession = forms.ModelChoiceField(
        label=_("Profession"),
        queryset=Profession.objects.all(),
        required=False,
        empty_label=_("Choose a profession"),
    )
    workplace = forms.CharField(
        label=_("Workplace"),
        max_length=LearnerProfile._meta.get_field("workplace").max_length,
        required=False,
        help_text=_("For example the name of your nursing home or municipality."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_full_name(self):
        value = " ".join(self.cleaned_data["full_name"].split())
        if not value:
            raise forms.ValidationError(_("Enter your full name."), code="required")
        return value

    def save(self) -> LearnerProfile:
        return learner_profile_update(
            user=self.user,
            full_name=self.cleaned_data["full_name"],
            profession=self.cleaned_data["profession"],
            workplace=self.cleaned_data["workplace"],
        )


class DeleteAccountForm(forms.Form):
    """Deleting an account takes the password, so a borrowed, signed-in screen cannot do it."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # Other apps' questions (whether certificates stay verifiable), asked before the password.
        self.deletion_choices = account_deletion_choices()
        password = self.fields.pop("password")
        for choice in self.deletion_choices:
            if choice.applies(user):
                self.fields[choice.name] = forms.ChoiceField(
                    label=choice.label,
                    choices=choice.choices,
                    initial=choice.default,
                    help_text=choice.help_text,
                    widget=forms.RadioSelect,
                )
        self.fields["password"] = password

    def deletion_answers(self) -> dict[str, str]:
        """The answers to the questions shown, by name (after ``is_valid``)."""
        shown = [choice.name for choice in self.deletion_choices if choice.name in self.fields]
        return {name: self.cleaned_data[name] for name in shown}

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not correct. Your account has not been deleted."),
                code="incorrect_password",
            )
        return password


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's admin login (``WAGTAILADMIN_USER_LOGIN_FORM``) for people who may use the admin.

    The backend throttles and checks every sign-in (accounts/backends.py); this form says when
    an account is throttled, and refuses a valid learner instead of opening a session that
    the admin would only turn away.
    """

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, THROTTLED, False):
                raise forms.ValidationError(
                    AccountAdapter.error_messages["too_many_login_attempts"],
                    code="too_many_login_attempts",
                ) from None
            raise

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not has_admin_access(user):
            raise self.get_invalid_login_error()
