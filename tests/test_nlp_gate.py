"""The article gate: news naming neither SPBE nor an index skips the pipeline, cheaply."""

from __future__ import annotations

from datetime import date

from spbe_extract.nlp import extract

UNRELATED = (
    "Banjir Rendam Dua Kelurahan di Samarinda\n\n"
    "Samarinda, Senin (4/3/2024) - Wali Kota Samarinda Rusdi Pallawa meninjau banjir yang "
    "merendam dua kelurahan. Ketinggian air mencapai 3,5 meter di beberapa titik.\n"
)
RELATED = UNRELATED.replace(
    "Ketinggian air", "Ia juga menyebut indeks SPBE Kota Samarinda 2023 mencapai 3,41. Ketinggian"
)


def test_unrelated_article_yields_no_facts_and_keeps_title_and_date() -> None:
    result = extract(UNRELATED)
    assert result.index_facts == [] and result.officials == []
    assert result.title == "Banjir Rendam Dua Kelurahan di Samarinda"
    assert result.published == date(2024, 3, 4)
    assert result.extractor_version


def test_an_spbe_mention_opens_the_gate() -> None:
    result = extract(RELATED)
    assert [(f.region, f.year, f.value) for f in result.index_facts] == [
        ("Kota Samarinda", 2023, 3.41)
    ]
    assert [o.name for o in result.officials] == ["Rusdi Pallawa"]
