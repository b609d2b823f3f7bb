"""Store reads: the filters of `spbe query`, `spbe officials` and `spbe articles`."""

from __future__ import annotations

from datetime import date

import pytest

from tests.store_facts import A1, filled_store


@pytest.fixture
def store(store_url: str):
    store, _run, _ids = filled_store(store_url)
    yield store
    store.close()


def regions_of(rows) -> list[tuple[str, int, str]]:
    return sorted((r.region, r.year, r.kind) for r in rows)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kaltim", {"Provinsi Kalimantan Timur"}),
        ("64", {"Provinsi Kalimantan Timur"}),
        ("75.71", {"Kota Gorontalo"}),
        ("Kota Gorontalo", {"Kota Gorontalo"}),
        ("Gorontalo", {"Provinsi Gorontalo", "Kota Gorontalo", "Kabupaten Gorontalo"}),
        ("Kementerian Keuangan", {"Kementerian Keuangan"}),
        ("keuangan", {"Kementerian Keuangan"}),  # not a gazetteer name: substring of fact region
        ("Atlantis", set()),
    ],
)
def test_region_filter(store, query: str, expected: set[str]) -> None:
    assert {r.region for r in store.facts(region=query)} == expected


def test_year_kind_official_source_filters(store) -> None:
    assert regions_of(store.facts(year=2024)) == [("Provinsi Kalimantan Timur", 2024, "target")]
    assert {r.kind for r in store.facts(kind="score")} == {"score"}
    assert len(store.facts(kind="score")) == 5
    assert {r.region for r in store.facts(official="hendra")} == {"Provinsi Kalimantan Timur"}
    assert {r.region for r in store.facts(official="Sofyan Rahim")} == {
        "Provinsi Gorontalo",
        "Kota Gorontalo",
    }
    assert {r.source for r in store.facts(source="kabar")} == {"kabar.example"}
    assert len(store.facts(source="kabar.example")) == 4
    assert regions_of(store.facts(region="Gorontalo", year=2023, source="kabar.example")) == [
        ("Kabupaten Gorontalo", 2023, "score"),
        ("Kota Gorontalo", 2023, "score"),
        ("Provinsi Gorontalo", 2023, "score"),
    ]
    assert len(store.facts(limit=2)) == 2


def test_fact_rows_carry_article_and_evidence(store) -> None:
    (row,) = store.facts(region="75")
    d = row.to_dict()
    assert d["region"] == "Provinsi Gorontalo" and d["value"] == 3.22
    assert d["predicate"] == "Baik" and d["relation"] == "=" and d["year_inferred"] is False
    assert d["article_url"] == "https://kabar.example/gorontalo"
    assert d["published"] == "2024-03-01"
    ev = d["evidence"]
    assert A1[ev["start"] : ev["end"]] == ev["sentence"]
    assert "evidence_sentence" in row.flat()
    (inferred,) = store.facts(region="Kabupaten Gorontalo")
    assert inferred.year_inferred is True
    assert inferred.published == date(2024, 5, 2)  # read from the text when the article has none


def test_officials_and_articles(store) -> None:
    rows = store.officials()
    assert [(o.name, o.position, o.region_code) for o in rows] == [
        ("Hendra Wijaya", "Gubernur", "64"),
        ("Sofyan Rahim", "Sekretaris Daerah", "75"),
    ]
    assert [o.name for o in store.officials(region="Gorontalo")] == ["Sofyan Rahim"]
    assert [o.name for o in store.officials(position="gubernur")] == ["Hendra Wijaya"]
    assert [o.name for o in store.officials(name="sofyan", source="kabar")] == ["Sofyan Rahim"]
    assert store.officials(name="sofyan", source="berita") == []
    arts = store.articles()
    assert [(a.source, a.facts, a.officials) for a in arts] == [
        ("kabar.example", 2, 1),
        ("berita.example", 2, 1),
        ("kabar.example", 2, 0),
    ]
    assert [a.url for a in store.articles(source="berita")] == ["https://www.berita.example/kaltim"]
    # A3 has no date of its own: the date the extractor read from its text counts
    assert [a.published for a in store.articles(since=date(2024, 4, 1))] == [
        date(2024, 4, 9),
        date(2024, 5, 2),
    ]
    assert [a.published for a in store.articles(until=date(2024, 4, 1))] == [date(2024, 3, 1)]
