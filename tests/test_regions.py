"""The Kemendagri gazetteer: names, codes, aliases, ambiguity, mentions in text."""

from __future__ import annotations

import pytest

from spbe_extract import regions as R


def test_gazetteer_covers_every_province_and_kabupaten_kota() -> None:
    levels = [r.level for r in R.all_regions()]
    assert levels.count("provinsi") == 38
    assert levels.count("kabupaten") + levels.count("kota") == 514
    kota = R.by_code("75.71")
    assert kota is not None and kota.name == "Kota Gorontalo" and kota.parent_code == "75"


def test_every_alias_points_at_a_known_region() -> None:
    # _index() raises on an alias whose target is not in the table.
    assert R._index()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kaltim", ["Provinsi Kalimantan Timur"]),
        ("Kota Gorontalo", ["Kota Gorontalo"]),
        ("75.71", ["Kota Gorontalo"]),
        ("7571", ["Kota Gorontalo"]),
        ("Limapuluh Kota", ["Kabupaten Lima Puluh Kota"]),
        ("Kabupaten Benteng", ["Kabupaten Kepulauan Selayar"]),
        ("Provinsi Kaltim", ["Provinsi Kalimantan Timur"]),
        ("Kemenkeu", ["Kementerian Keuangan"]),
        ("Gorotalo Utara", ["Kabupaten Gorontalo Utara"]),
    ],
)
def test_resolve_query(query: str, expected: list[str]) -> None:
    assert [r.name for r in R.resolve_query(query)] == expected


def test_shared_name_gives_every_level() -> None:
    names = [r.name for r in R.resolve_query("Gorontalo")]
    assert names == ["Provinsi Gorontalo", "Kabupaten Gorontalo", "Kota Gorontalo"]
    assert [r.name for r in R.lookup("Gorontalo", level="kabupaten")] == ["Kabupaten Gorontalo"]


def test_unknown_query_finds_nothing() -> None:
    assert R.resolve_query("Atlantis") == []
    assert R.resolve_query("99.99") == []


def test_mentions_carry_prefix_level_and_span() -> None:
    text = "Pemkab Gorontalo belajar ke Provinsi Sulawesi Tengah, lalu Sekda Kota Gorontalo bicara."
    mentions = R.find_mentions(text)
    resolved = [(m.text, m.level_hint, m.resolved().name) for m in mentions]
    assert resolved == [
        ("Pemkab Gorontalo", "kabupaten", "Kabupaten Gorontalo"),
        ("Provinsi Sulawesi Tengah", "provinsi", "Provinsi Sulawesi Tengah"),
        ("Kota Gorontalo", "kota", "Kota Gorontalo"),
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_mentions_prefer_the_longest_name_and_skip_lower_case_words() -> None:
    mentions = R.find_mentions("Nilai Gorontalo Utara naik, batu dan kota lain tidak.")
    assert [m.text for m in mentions] == ["Gorontalo Utara"]


def test_all_caps_and_abbreviations() -> None:
    mentions = R.find_mentions("KABUPATEN KEPULAUAN SELAYAR dan Pemprov Kaltim")
    assert [m.resolved().name for m in mentions] == [
        "Kabupaten Kepulauan Selayar",
        "Provinsi Kalimantan Timur",
    ]
