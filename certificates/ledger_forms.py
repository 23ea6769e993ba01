"""The form a learner fills in to report an activity done elsewhere (shown apart, unverified)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExternalActivityForm(forms.Form):
    """Title, date, hours and an optional evidence file; the service checks the file."""

    title = forms.CharField(
        label=_("What did you do?"),
        max_length=200,
        help_text=_("For example the name of a course or conference."),
    )
    date = forms.DateField(
        label=_("Date"),
        # A date input takes and shows ISO dates, whatever the page's language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When you did it (the last day, if it lasted several days)."),
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal(99),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file of at most 5 MB, such as a course diploma."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future_date")
        return value
