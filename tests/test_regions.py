"""The Kemendagri gazetteer: names, codes, aliases, ambiguity, mentions in text."""

from __future__ import annotations

import random

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


def test_a_name_never_spans_a_clause_or_line_break() -> None:
    assert [m.text for m in R.find_mentions("Kabupaten Gorontalo Utara naik.")] == [
        "Kabupaten Gorontalo Utara"
    ]
    for text in ("Kabupaten Gorontalo\nUtara naik.", "Kabupaten Gorontalo, Utara naik."):
        assert [m.text for m in R.find_mentions(text)] == ["Kabupaten Gorontalo"]


def test_a_name_must_begin_a_word() -> None:
    # "x-Gorontalo" is one word that starts in lower case; after a space or a bracket the
    # capitalised word is a name of its own, and a split or glued spelling is the same name.
    assert R.find_mentions("data x-Gorontalo naik") == []
    texts = ["data -Gorontalo naik", "data (Gorontalo) naik", "data 'Gorontalo' naik"]
    assert [[m.text for m in R.find_mentions(t)] for t in texts] == [["Gorontalo"]] * 3
    assert [m.resolved().name for m in R.find_mentions("Pangkal Pinang dan Limapuluh Kota")] == [
        "Kota Pangkal Pinang",
        "Kabupaten Lima Puluh Kota",
    ]


def _reference_mentions(text: str) -> list[tuple[int, tuple[R.Region, ...]]]:
    """The plain definition find_mentions implements: split into ``_WORD``s and take, from each
    capitalised word, the longest run of at most six words (no break inside, ending on a
    capitalised word) whose compact key is a name; as (end, candidates)."""
    words = list(R._WORD.finditer(text))
    found, i = [], 0
    while i < len(words):
        for n in range(min(6, len(words) - i), 0, -1):
            first, last = words[i], words[i + n - 1]
            key = R.compact(text[first.start() : last.end()])
            if (first.group()[0].isupper() and last.group()[0].isupper()
                    and not R._BREAK.search(text, first.start(), last.end())
                    and key in R._index() and not (n == 1 and key in R._PREFIX_KEYS)):
                found.append((last.end(), R._index()[key]))
                i += n
                break
        else:
            i += 1
    return found


def test_mentions_match_the_plain_definition_on_mixed_text() -> None:
    rng = random.Random(20250522)
    pieces = ["Kota", "KOTA", "Kabupaten", "Kab.", "Pemkab", "Gorontalo", "Utara", "Bone",
              "Bolango", "Lima", "Puluh", "Limapuluh", "Pangkal", "Pinang", "Kepulauan",
              "Selayar", "Tanjung", "Jabung", "Timur", "Kaltim", "Sulawesi", "Tengah", "dan",
              "di", "kota", "naik", "SPBE", "Nilai", " ", " ", ", ", ". ", "\n", "-", "'", "’",
              "(", ")", "2", "é", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", " "])
                       for _ in range(rng.randint(1, 12)))
        assert [(m.end, m.candidates) for m in R.find_mentions(text)] == _reference_mentions(text)
