"""Forms of the institutions pages: search, registering, and the contact person's self-service.

Forms check what a person typed; the services decide what is allowed and write.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution, InstitutionKind
from institutions.numbers import org_number_normalise, validate_org_number


class InstitutionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, organisation number or municipality"),
        max_length=100,
        min_length=2,
        error_messages={
            "min_length": _("Type at least two characters."),
            "required": _("Type a name, an organisation number or a municipality."),
        },
    )


class InstitutionRegisterForm(forms.Form):
    name = forms.CharField(label=_("Name of the institution"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        validators=[validate_org_number],
        help_text=_("Nine digits, as in the Register of Legal Entities, for example 974 760 673."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=100)
    kind = forms.ChoiceField(
        label=_("Type of institution"),
        choices=InstitutionKind.choices,
        initial=InstitutionKind.NURSING_HOME,
    )
    pharmacy = forms.CharField(label=_("Pharmacy"), max_length=200, required=False)
    beds = forms.IntegerField(
        label=_("Number of beds"), min_value=0, max_value=100000, required=False
    )

    def clean_org_number(self) -> str:
        digits = org_number_normalise(self.cleaned_data["org_number"])
        if Institution.objects.filter(org_number=digits).exists():
            raise forms.ValidationError(
                _(
                    "An institution with this organisation number is already registered. "
                    "Search for it and ask to join instead."
                ),
                code="org_number_taken",
            )
        return digits


class InstitutionDetailsForm(forms.Form):
    pharmacy = forms.CharField(label=_("Pharmacy"), max_length=200, required=False)
    beds = forms.IntegerField(
        label=_("Number of beds"), min_value=0, max_value=100000, required=False
    )
    list_publicly = forms.BooleanField(
        label=_("The institution may be named on the public list of diplomas"), required=False
    )


class ContactPersonForm(forms.Form):
    new_contact = forms.TypedChoiceField(
        label=_("New contact person"),
        coerce=int,
        help_text=_("Only active members of the institution can be chosen."),
        error_messages={"invalid_choice": _("Choose one of the institution's active members.")},
    )

    def __init__(self, *args, members=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        from certificates.services import holder_name_of

        self.members = {member.pk: member for member in members if member != current}
        self.fields["new_contact"].choices = [("", _("Choose a member"))] + [
            (pk, holder_name_of(member)) for pk, member in self.members.items()
        ]

    def clean_new_contact(self):
        return self.members[self.cleaned_data["new_contact"]]


class LeaveProgrammeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the institution leave the programme?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us why the institution leaves the programme.")},
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the institution leaves the programme from today"),
        error_messages={"required": _("Tick the box to confirm that the institution leaves.")},
    )


class EnrolAgainForm(forms.Form):
    """Enrol again for a new period: nothing to type, the button says it all."""
