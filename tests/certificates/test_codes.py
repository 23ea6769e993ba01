"""Verification codes: 80 random bits, printed in groups, read forgivingly when typed."""

import math

import pytest

from certificates.codes import ALPHABET, BITS, LENGTH, code_format, code_new, code_normalise


def test_a_new_code_has_sixteen_crockford_characters_and_eighty_bits():
    code = code_new()
    assert len(code) == LENGTH == 16
    assert set(code) <= set(ALPHABET)
    assert len(ALPHABET) == 32
    assert BITS == LENGTH * math.log2(len(ALPHABET)) == 80
    assert not set(code) & set("ILOU")


def test_new_codes_are_different():
    codes = {code_new() for _ in range(2000)}
    assert len(codes) == 2000


def test_new_codes_use_the_whole_alphabet():
    seen = set("".join(code_new() for _ in range(200)))
    assert seen == set(ALPHABET)


def test_a_code_is_printed_in_four_groups_of_four():
    assert code_format("0123456789ABCDEF") == "0123-4567-89AB-CDEF"


@pytest.mark.parametrize(
    "typed",
    [
        "0123-4567-89AB-CDEF",
        "0123456789abcdef",
        " 0123 4567 89ab cdef ",
        "O123-4567-89AB-CDEF",  # letter O for zero
        "o123-4567-89ab-cdef",
        "0I23-4567-89AB-CDEF",  # letter I for one
        "0L23-4567-89AB-CDEF",  # letter L for one
        "0l23 4567 89ab cdef",
        "0123\u20134567\u201389AB\u2013CDEF",  # en dashes, as word processors type them
    ],
)
def test_a_typed_code_is_read_whatever_its_case_hyphens_and_lookalikes(typed):
    assert code_normalise(typed) == "0123456789ABCDEF"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        None,
        "0123-4567-89AB-CDE",  # one short
        "0123-4567-89AB-CDEF0",  # one too many
        "0123-4567-89AB-CDEU",  # U is not in the alphabet
        "0123-4567-89AB-CDE!",
        "0123-4567-89AB-CDEÆ",
        "0123456789ABCDEF" * 10,
        12345,
    ],
)
def test_what_cannot_be_a_code_is_refused(typed):
    assert code_normalise(typed) is None


def test_a_new_code_survives_formatting_and_typing_back():
    code = code_new()
    assert code_normalise(code_format(code).lower()) == code
