"""Organisation numbers: the mod-11 check digit decides, whatever spaces are typed."""

import pytest
from django.core.exceptions import ValidationError

from institutions.numbers import (
    org_number_check_digit,
    org_number_normalise,
    org_number_valid,
    validate_org_number,
)


@pytest.mark.parametrize("number", ["974760673", "983887457", "974 760 673", " 983 887 457 "])
def test_real_numbers_are_valid(number):
    assert org_number_valid(number)
    validate_org_number(number)


def test_normalise_keeps_nine_digits():
    assert org_number_normalise("974 760 673") == "974760673"
    assert org_number_normalise("97476067") is None
    assert org_number_normalise("9747606733") is None
    assert org_number_normalise("97476067a") is None
    assert org_number_normalise("٩٧٤٧٦٠٦٧٣") is None  # non-ASCII digits are not digits here
    assert org_number_normalise(None) is None


@pytest.mark.parametrize("number", ["974760674", "983887450", "123456789"])
def test_bad_check_digit_is_refused_with_a_clear_message(number):
    assert not org_number_valid(number)
    with pytest.raises(ValidationError) as caught:
        validate_org_number(number)
    assert caught.value.code == "org_number_check_digit"
    message = caught.value.messages[0]
    assert "check digit" in message or "Kontrollsifferet" in message


def test_wrong_length_is_refused_as_a_format_error():
    with pytest.raises(ValidationError) as caught:
        validate_org_number("12345")
    assert caught.value.code == "org_number_format"


def test_remainder_ten_numbers_are_never_valid():
    # Find prefixes whose remainder gives check digit 10: no last digit makes them valid.
    prefixes = [
        f"{n:08d}" for n in range(10000000, 10000200) if org_number_check_digit(f"{n:08d}") is None
    ]
    assert prefixes
    for prefix in prefixes[:5]:
        assert not any(org_number_valid(f"{prefix}{d}") for d in range(10))


def test_remainder_zero_gives_check_digit_zero():
    # 3*1 + 2*0*6 ... chosen so the weighted sum is a multiple of 11
    prefixes = [f"{n:08d}" for n in range(10000000, 10000100)]
    zero = next(
        p
        for p in prefixes
        if sum(int(d) * w for d, w in zip(p, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11 == 0
    )
    assert org_number_valid(f"{zero}0")
