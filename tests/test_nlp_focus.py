"""The focus: only lines that can hold or frame a fact are read, and nothing is lost."""

from __future__ import annotations

from datetime import date

from spbe_extract.nlp import extract
from spbe_extract.nlp.focus import focus

FILLER = (
    "Pasar malam di alun-alun dibuka sejak sore dan ramai dikunjungi warga dari berbagai "
    "kecamatan yang datang bersama keluarga."
)
ARTICLE = (
    "Indeks SPBE Kabupaten Sleman Naik\n\n"
    "SLEMAN, 12 Maret 2024 - Kabupaten Sleman kembali mendapat penghargaan dari pemerintah "
    "pusat.\n\n"
    f"{FILLER}\n\n"
    "Berdasarkan hasil evaluasi tahun 2023, indeks SPBE Kabupaten Sleman mencapai 3,71.\n\n"
    "Angka tersebut naik dari tahun sebelumnya.\n\n"
    f"{FILLER} Hujan turun sebentar menjelang malam.\n\n"
    "Kepala Dinas Kominfo Sleman, Budi Hartono, berterima kasih kepada seluruh perangkat "
    "daerah.\n\n"
    f"{FILLER} Panitia menyiapkan tenda tambahan.\n\n"
    "Baca Juga\n"
    "Indeks SPBE Kabupaten Bantul Tembus 3,90\n"
)


def test_lines_without_cues_are_left_out_and_offsets_map_back() -> None:
    reading = focus(ARTICLE)
    assert "Hujan turun" not in reading.text and "Panitia" not in reading.text
    assert FILLER in reading.text  # the line before a value is read with it
    assert "Kepala Dinas Kominfo Sleman" in reading.text
    assert "hasil evaluasi tahun 2023" in reading.text
    for k, start in enumerate(reading.starts):  # every piece is the article's own text
        end = reading.starts[k + 1] if k + 1 < len(reading.starts) else len(reading.text)
        piece = reading.text[start:end].rstrip("\n")
        a, b = reading.to_article(start, start + len(piece))
        assert ARTICLE[a:b] == piece


def test_facts_and_officials_survive_with_article_offsets() -> None:
    result = extract(ARTICLE)
    facts = [(f.region, f.year, f.kind, f.value) for f in result.index_facts]
    assert facts == [("Kabupaten Sleman", 2023, "score", 3.71)]  # not Bantul: related list
    assert [(o.name, o.position) for o in result.officials] == [("Budi Hartono", "Kepala Dinas")]
    for item in [*result.index_facts, *result.officials]:
        evidence = item.evidence
        assert ARTICLE[evidence.start : evidence.end] == evidence.sentence
    assert result.published == date(2024, 3, 12)


def test_reading_the_focus_equals_reading_everything() -> None:
    """Filler paragraphs change nothing: the same facts, officials and sentences."""
    plain = ARTICLE.replace(f"{FILLER}\n\n", "").replace(f"{FILLER} ", "")
    full, short = extract(ARTICLE), extract(plain)
    assert [f.key() for f in full.index_facts] == [f.key() for f in short.index_facts]
    assert [o.name for o in full.officials] == [o.name for o in short.officials]
    assert [f.evidence.sentence for f in full.index_facts] == [
        f.evidence.sentence for f in short.index_facts
    ]


def test_a_date_line_without_cues_still_dates_the_article() -> None:
    text = ARTICLE.replace("SLEMAN, 12 Maret 2024 - ", "SLEMAN - ").replace(
        "Baca Juga", "Rabu, 13 Maret 2024 | 10:15 WIB\n\nBaca Juga")
    assert "13 Maret" not in focus(text).text
    assert extract(text).published == date(2024, 3, 13)
