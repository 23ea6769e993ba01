"""Norwegian organisation numbers (organisasjonsnummer): nine digits, the last a mod-11 check digit.

A pure leaf module: no models. What a person types is read forgivingly (spaces between the digit
groups, as printed in Brønnøysundregistrene, "974 760 673"), and stored as the nine digits.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_IGNORED = str.maketrans("", "", " \u00a0\u202f.-")


def org_number_normalise(text: str | None) -> str | None:
    """The nine digits of a typed organisation number, or None when it has not nine digits."""
    if not isinstance(text, str) or len(text) > 30:
        return None
    digits = text.strip().translate(_IGNORED)
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def org_number_check_digit(first_eight: str) -> int | None:
    """The mod-11 check digit for the first eight digits; None when the remainder gives 10
    (such numbers are never issued)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def org_number_valid(text: str | None) -> bool:
    """True when ``text`` is nine digits whose last is the right mod-11 check digit."""
    digits = org_number_normalise(text)
    if digits is None:
        return False
    return org_number_check_digit(digits[:8]) == int(digits[8])


def validate_org_number(value: str) -> None:
    """Django validator: refuse anything that is not a valid organisation number."""
    if org_number_normalise(value) is None:
        raise ValidationError(
            _("An organisation number has nine digits, for example 974 760 673."),
            code="org_number_format",
        )
    if not org_number_valid(value):
        raise ValidationError(
            _(
                "This organisation number's check digit is wrong: check that the nine digits "
                "are typed as in the Register of Legal Entities."
            ),
            code="org_number_check_digit",
        )
