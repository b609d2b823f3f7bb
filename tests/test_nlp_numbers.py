"""Indonesian number parsing (spbe_extract.nlp.numbers) on sentences written for these tests."""

from __future__ import annotations

import pytest

from spbe_extract.nlp.numbers import find_numbers, may_hold_value, parse_number
from spbe_extract.nlp.rules import cue


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


def test_numbers_in_running_text():
    found = find_numbers("Kota X meraih 2,95 pada 2023 dengan 1.503 pegawai, kode A12, aplikasi "
                         "v2.0 dan skor 3.")
    assert [(n.text, n.kind, n.value) for n in found] == [
        ("2,95", "decimal", 2.95), ("2023", "integer", 2023.0), ("1.503", "integer", 1503.0),
        ("3", "integer", 3.0)]


@pytest.mark.parametrize(("line", "holds"), [
    ("Indeks SPBE Kota X tahun 2023 sebesar 3,61.", True),
    ("Nilai: 3 dari lima domain sudah baik.", True),
    ("Targetnya angka tiga pada 2025.", True),
    ("Indeksnya tiga koma lima.", True),
    ("Pada 2023 ada 35 kabupaten dan 12/5 kota ikut, skor 25.", False),
    ("Peringkat tiga diraih Kota Y pada 10/5.", False),
])
def test_may_hold_value(line: str, holds: bool):
    assert may_hold_value(line) is holds


def test_a_value_noun_right_before_a_small_digit_may_hold_a_value():
    for lead in cue("number_word_leads"):  # "nilai3": glued to the digit counts too
        assert may_hold_value(f"{lead} 3 ") and may_hold_value(f"{lead} 9 atau {lead}3 ")
        assert not may_hold_value(f"{lead} 9 atau {lead}7 ")
