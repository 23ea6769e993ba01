"""Forms of the group-session pages: what a phone, the facilitator and the TV send.

Only the shape of the input is checked here; whether it is allowed now (claims open, the word
valid, the user a colleague) is the services' business, refused with ``AttendanceRefused``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.codes import LENGTH, join_code_normalise
from certificates.services import holder_name_of


class JoinCodeForm(forms.Form):
    """The code shown on the shared screen, typed on a phone."""

    kode = forms.CharField(
        label=_("Code on the screen"),
        help_text=_(
            "Six letters and digits, for example K7P 4QX. Capital or small letters do not matter."
        ),
        max_length=4 * LENGTH,
        widget=forms.TextInput(
            attrs={
                "class": "join__code-input",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
                "enterkeyhint": "go",
            }
        ),
        error_messages={"required": _("Type the code shown on the screen.")},
    )

    def clean_kode(self) -> str:
        code = join_code_normalise(self.cleaned_data["kode"])
        if code is None:
            raise forms.ValidationError(
                _("A code has six letters and digits, like K7P 4QX. Check what you typed.")
            )
        return code


class CodewordForm(forms.Form):
    """The word shown on the shared screen at a pause."""

    word = forms.CharField(
        label=_("Type the word on the screen"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "join__code-input",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "enterkeyhint": "send",
            }
        ),
        error_messages={"required": _("Type the word shown on the screen.")},
    )

    def clean_word(self) -> str:
        return " ".join(self.cleaned_data["word"].split())


class StartForm(forms.Form):
    """Start a session of one live activity from the shared-screen page of one of its videos."""

    activity = forms.IntegerField(min_value=1, max_value=2**31 - 1, label=_("Activity"))
    video = forms.IntegerField(min_value=1, max_value=2**31 - 1, label=_("Video"))


class RemoveClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"), required=False, max_length=500, widget=forms.TextInput()
    )


class ColleagueForm(forms.Form):
    """A colleague without a phone, chosen from the member list the hooks give."""

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = list(colleagues)
        self.fields["user"] = forms.TypedChoiceField(
            label=_("Colleague"),
            coerce=int,
            choices=[("", _("Choose a colleague"))]
            + [(user.pk, holder_name_of(user)) for user in self.colleagues],
            error_messages={
                "required": _("Choose the colleague to add."),
                "invalid_choice": _("That person is not on your colleague list."),
            },
        )

    def chosen_user(self):
        user_id = self.cleaned_data["user"]
        return next(user for user in self.colleagues if user.pk == user_id)


class AttestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I saw these people present"),
        error_messages={
            "required": _("Tick “I saw these people present” to attest the list."),
        },
    )
