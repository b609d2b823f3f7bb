"""Indonesian number parsing (spbe_extract.nlp.numbers) on sentences written for these tests."""

from __future__ import annotations

import pytest

from spbe_extract.nlp.numbers import find_numbers, parse_number


@pytest.mark.parametrize(("written", "value"), [
    ("3,22", 3.22), ("3.32", 3.32), ("4,00", 4.0), ("1.503", 1503.0), ("12.345.678", 12345678.0),
    ("tiga", 3.0), ("tiga koma lima", 3.5), ("dua koma tujuh satu", 2.71),
])
def test_parse_number(written: str, value: float):
    assert parse_number(written) == value


def test_digits_in_dates_times_and_codes_are_not_numbers():
    found = find_numbers("Rapat Senin (29/10/2024) pukul 06:27 WIB.")
    assert [n.text for n in found] == []


def test_number_words_need_a_value_noun_or_a_decimal():
    found = find_numbers("Peringkat tiga, target angka tiga dan tiga koma dua lima.")
    assert [(n.text, n.value) for n in found] == [("tiga", 3.0), ("tiga koma dua lima", 3.25)]


def test_bare_koma_states_no_value():
    assert find_numbers("skornya di atas tiga koma.") == ()


def test_decimal_places_as_written():
    found = find_numbers("nilai 4,00 dan 3,5061")
    assert [n.decimals for n in found] == [2, 4]
