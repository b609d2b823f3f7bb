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


def test_the_warm_up_sample_exercises_every_reader() -> None:
    """Workers read ``data/warm_up.txt`` at start-up so that the first real article does
    not pay for building the readers' tables and patterns: it must reach them all."""
    from importlib import resources

    from spbe_extract import nlp

    sample = resources.files("spbe_extract").joinpath("data", "warm_up.txt").read_text("utf-8")
    found = nlp.extract(sample)
    assert found.published is not None
    assert {f.kind for f in found.index_facts} == {"score", "target"}
    assert all(f.region_code for f in found.index_facts)
    assert len(found.officials) >= 2 and all(o.region for o in found.officials)
    nlp.warm_up()  # and it runs as the workers call it
