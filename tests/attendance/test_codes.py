"""Join codes as people type them off a TV across the room, and the codewords' list."""

import pytest

from attendance import codes, words
from certificates.codes import ALPHABET


def test_new_codes_are_six_unambiguous_characters():
    drawn = {codes.join_code_new() for _ in range(200)}
    assert len(drawn) > 190
    for code in drawn:
        assert len(code) == 6
        assert set(code) <= set(ALPHABET)
        assert not set(code) & set("ILOU")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("K7P4QX", "K7P4QX"),
        ("k7p 4qx", "K7P4QX"),
        ("K7P-4QX", "K7P4QX"),
        (" k7p – 4qx ", "K7P4QX"),
        ("O1IL0o", "011100"),  # O reads as 0, I and L as 1
        ("lo0 OIi", "100011"),
    ],
)
def test_typed_codes_are_read_forgivingly(typed, stored):
    assert codes.join_code_normalise(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "K7P4Q", "K7P4QXY", "K7P4QU", "K7P 4Q!", None, 123, "x" * 80]
)
def test_what_cannot_be_a_code(typed):
    assert codes.join_code_normalise(typed) is None


def test_codes_are_shown_in_two_groups_of_three():
    assert codes.join_code_format("K7P4QX") == "K7P 4QX"
    assert codes.join_code_normalise(codes.join_code_format("K7P4QX")) == "K7P4QX"


def test_codewords_are_short_distinct_upper_case_words():
    assert len(set(words.WORDS)) == len(words.WORDS) >= 100
    for word in words.WORDS:
        assert word == word.upper() and 2 <= len(word) <= 7 and word.isalpha()
    # None differs from another only by Æ, Ø or Å.
    plain = str.maketrans("ÆØÅ", "AOA")
    assert len({word.translate(plain) for word in words.WORDS}) == len(words.WORDS)


def test_word_draw_avoids_the_words_used_and_never_runs_out():
    used = set(words.WORDS[:-1])
    assert words.word_draw(exclude=used) == words.WORDS[-1]
    extra = words.word_draw(exclude=words.WORDS)
    assert extra not in words.WORDS and len(extra) <= 16


def test_typed_words_are_read_in_upper_case_without_spaces():
    assert words.word_normalise("  bjørk ") == "BJØRK"
    assert words.word_normalise("bj ørk") == "BJØRK"
    assert words.word_normalise(None) == ""
