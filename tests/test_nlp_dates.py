"""Publication dates and year kinds (spbe_extract.nlp.dates, .evaluations)."""

from __future__ import annotations

from datetime import date

import pytest

from spbe_extract.nlp import evaluations
from spbe_extract.nlp.dates import date_from_url, find_published, find_years


@pytest.mark.parametrize(("text", "url", "expected"), [
    ("Oleh Humas, Kamis, 31 Oktober 2024 | 06:27 WIB\nIsi berita.", None, date(2024, 10, 31)),
    ("Makassar - Bupati membuka rapat, Senin (13/05/2024).", None, date(2024, 5, 13)),
    ("Kata dia, Selasa (7/2/23).", None, date(2023, 2, 7)),
    ("Rapat digelar Rabu (22/2) di Kupang.", "https://contoh.id/2023/02/23/rapat/",
     date(2023, 2, 22)),
    ("Tanpa tanggal sama sekali.", "https://contoh.id/2019/03/28/123/judul", date(2019, 3, 28)),
    ("Tanpa tanggal, hanya Minggu (12/12).", "https://contoh.id/berita/99167/judul", None),
    ("Keputusan tertanggal 11 Januari 2024 itu dibacakan.", None, None),
    ("Sambutan itu disampaikan 25/2/2023 di Kupang.", None, date(2023, 2, 25)),
    ("Jayapura, Jumat, 1 Maret 2024 14.05 WIT - Berita.", None, date(2024, 3, 1)),
])
def test_find_published(text: str, url: str | None, expected: date | None):
    assert find_published(text, url) == expected


def test_text_date_not_after_the_url_date_wins():
    text = "Acara Rabu (30/4/2025). Kata dia, Kamis (1/5/2025)."
    assert find_published(text, "https://contoh.id/2025/05/01/berita") == date(2025, 5, 1)
    assert find_published("Dikonfirmasi Senin (3/4/2023) kemarin.",
                          "https://contoh.id/2023/04/04/berita") == date(2023, 4, 3)


def test_dates_inside_skipped_spans_are_ignored():
    text = "Isi berita tanpa tanggal.\nBerita Terkait\nKamis, 19 Desember 2024 | 18:47 WIB\n"
    start = text.index("Berita Terkait")
    assert find_published(text, None, [(start, len(text))]) is None


def test_url_date_parts():
    assert date_from_url("https://contoh.id/2023/02/judul.html") == (2023, 2, None)
    assert date_from_url(None) is None


def test_year_kinds():
    text = ("Perpres Nomor 95 Tahun 2018, KepmenPAN-RB 13/2024, RPJMD 2021-2026, "
            "tanggal 11 Januari 2024, diumumkan pada 2024, evaluasi tahun 2023")
    assert [(y.year, y.kind) for y in find_years(text)] == [
        (2018, "regulation"), (2024, "regulation"), (2021, "range"), (2026, "range"),
        (2024, "date"), (2024, "announced"), (2023, "plain")]


def test_evaluation_calendar():
    assert not evaluations.is_evaluation_year(2020)
    assert evaluations.is_evaluation_year(2026)
    assert evaluations.latest_before(date(2024, 10, 31)) == 2023
    assert evaluations.latest_before(date(2023, 4, 3)) == 2022
    assert evaluations.latest_before(date(2021, 6, 1)) == 2019
    assert evaluations.next_after(date(2024, 10, 31)) == 2024
    assert evaluations.next_after(date(2020, 6, 1)) == 2021
    assert evaluations.decree_year(13, 2024) == (2023, False)
    assert evaluations.decree_year(5, 2020) == (2019, True)


CORE_TEXTS = [
    "Senin, 2 Mei 2024 10:00 WIB. Rapat 12 JANUARI 2023 dan 7 feb. 2022, lalu 3 Des\n2021.",
    "Tanggal 30 Sept  2019, 1 Nopember 1999; bukan 5 desa 2020 atau 15 Mei 20245.",
    "Rapat 4/5/2023 lalu 12/13, bukan 1//2; tanggal 1 Agt 2100 dan İstanbul 9 Juni 2024.",
    "31 Oktober2024, 2 Juli 2024 5 Juni 2025, 22 Maret 2024/2025, tahun 2024 saja.",
]


@pytest.mark.parametrize("text", CORE_TEXTS)
def test_date_cores_are_those_of_a_full_regex_scan(text: str):
    """The cores found from slashes and years are exactly the regex scan's (years 1900-2199)."""
    from spbe_extract.nlp import dates

    def spans(matches):
        return [(m.start(), m.end()) for m in matches]

    scanned = [m for m in dates._month_core().finditer(text)
               if m.group()[-4:-2] in ("19", "20", "21")]
    assert spans(dates._month_cores(text)) == spans(scanned)
    assert spans(dates._numeric_cores(text)) == spans(dates._NUMERIC_CORE.finditer(text))
    assert dates._month_cores(text), "each sample holds at least one written date"


@pytest.mark.parametrize(("written", "expected"), [
    ("31 Oktober 2024", date(2024, 10, 31)),
    ("7 Feb. 2023", date(2023, 2, 7)),
    ("07 PEBRUARI 2023 WITA", date(2023, 2, 7)),
    ("29 Februari 2023", None),  # no such day: dateparser has the last word, and finds none
])
def test_parse_date(written: str, expected: date | None):
    from spbe_extract.nlp.dates import parse_date

    assert parse_date(written) == expected
