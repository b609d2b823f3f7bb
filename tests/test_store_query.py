"""Store reads: the filters of `spbe query`, `spbe officials` and `spbe articles`."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from spbe_extract.model import ArticleInput, Evidence, Extraction, IndexFact, Official
from spbe_extract.store import Store
from tests.store_facts import A1, ev, filled_store


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


# ---------------------------------------------------------------- official and region paths

# Names as the extractor may return them: titles, quotes, an underscore or a percent sign
# left by a garbled page, a slash, upper case. ASCII only: SQLite's lower() folds ASCII only.
NAMES = [
    "Ahmad Hidayat",
    "Siti Rahayu",
    "SITI NURHALIZA",
    "Iwan Darmawan",
    "Abd_Rahman Lasut",
    "Ratna 'Nana' Dewi",
    "Yohanes 100% Gultom",
    "Hendra Wijaya (Plt/Pj)",
    "Frans Rumbiak",
]
PLACES = [
    ("Provinsi Gorontalo", "75"),
    ("Kota Gorontalo", "75.71"),
    ("Kabupaten Gorontalo", "75.01"),
    ("Provinsi Kalimantan Timur", "64"),
    ("Kementerian Keuangan", None),
]
PATTERNS = [
    "Hidayat",
    "siti rahayu",
    "SITI",
    "a",
    "ah",
    "'",
    "'nana'",
    "_",
    "d_r",
    "%",
    "0% g",
    "/",
    "plt/pj)",
    " ",
    "zz",
]


def _sentence(name: str, region: str, year: int, value: float) -> str:
    return f"Menurut {name}, indeks SPBE {region} tahun {year} mencapai {value:.2f}."


def many_officials_store(url: str) -> Store:
    """Twelve articles, each naming one or two officials of NAMES and stating three facts."""
    store = Store(url)
    items, extractions = [], []
    for i in range(12):
        people = [NAMES[i % len(NAMES)], NAMES[(i * 5 + 2) % len(NAMES)]][: 1 + i % 2]
        said = [
            (PLACES[(i + k) % len(PLACES)], 2019 + (i + k) % 5, 1.5 + (i * 3 + k) % 30 / 10)
            for k in range(3)
        ]
        sentences = [
            _sentence(people[k % len(people)], place, year, value)
            for k, ((place, _code), year, value) in enumerate(said)
        ]
        text = f"Berita SPBE {i}\n\n" + " ".join(sentences) + "\n"
        facts = [
            IndexFact(place, code, year, "score" if k else "target", value, ev(text, s))
            for k, (((place, code), year, value), s) in enumerate(zip(said, sentences, strict=True))
        ]
        officials = [
            Official(name, "Kepala Dinas", ev(text, sentences[k])) for k, name in enumerate(people)
        ]
        extractions.append(Extraction(index_facts=facts, officials=officials))
        items.append(
            ArticleInput(
                text=text,
                url=f"https://warta.example/{i}",
                source=("warta.example", "kabar.example")[i % 2],
                published=date(2024, 1 + i % 12, 1 + i),
            )
        )
    ids = store.add_articles(items).added_ids
    run = store.start_run("v1")
    for article_id, extraction in zip(ids, extractions, strict=True):
        store.record_extraction(run, article_id, "v1", extraction)
    store.finish_run(run)
    return store


@pytest.fixture
def many(store_url: str):
    store = many_officials_store(store_url)
    yield store
    store.close()


def naming(store: Store, pattern: str) -> set[int]:
    """Articles naming an official whose name contains ``pattern`` (a plain scan in Python)."""
    return {o.article_id for o in store.officials() if pattern.lower() in o.name.lower()}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_official_filters_match_a_plain_scan(many, pattern: str) -> None:
    mentions = [o for o in many.officials() if pattern.lower() in o.name.lower()]
    assert many.officials(name=pattern) == mentions
    assert many.officials(name=pattern, limit=2) == mentions[:2]
    expected = [f for f in many.facts() if f.article_id in naming(many, pattern)]
    for limit in (None, 1, 2, 3, 5, 100):  # small limits take the walk, the others the sort
        assert many.facts(official=pattern, limit=limit) == expected[:limit], limit
    gorontalo = [f for f in expected if f.region.endswith("Gorontalo")]
    for limit in (None, 1, 4):
        got = many.facts(official=pattern, region="Gorontalo", limit=limit)
        assert got == gorontalo[:limit]
    scores = [f for f in expected if f.kind == "score" and f.source == "kabar.example"]
    assert many.facts(official=pattern, kind="score", source="kabar", limit=2) == scores[:2]


def test_special_characters_are_literal(many) -> None:
    assert {o.name for o in many.officials(name="_")} == {"Abd_Rahman Lasut"}
    assert {o.name for o in many.officials(name="%")} == {"Yohanes 100% Gultom"}
    assert {o.name for o in many.officials(name="'nana'")} == {"Ratna 'Nana' Dewi"}
    assert {o.name for o in many.officials(name="siti")} == {"Siti Rahayu", "SITI NURHALIZA"}
    assert many.officials(name="d%n") == [] and many.facts(official="h_dayat") == []


def test_both_official_plans_are_taken(many) -> None:
    """The test data is shaped so that the result checks above cover both plans."""
    from spbe_extract.store import _many_mentions, _names_containing

    with many._session() as s:
        assert _many_mentions(s, _names_containing("a"), 1)  # walk in sort order
        assert not _many_mentions(s, _names_containing("Hidayat"), 100)  # sort the few
        assert not _many_mentions(s, _names_containing("zz"), 1)


@pytest.mark.parametrize("region", ["Gorontalo", "Kaltim", "75.71", "Kemenkeu", "keuangan"])
def test_region_pages_are_prefixes_of_the_full_result(many, region: str) -> None:
    full = many.facts(region=region)
    assert full and len({f.region for f in full}) == (3 if region == "Gorontalo" else 1)
    for limit in range(1, len(full) + 2):
        assert many.facts(region=region, limit=limit) == full[:limit]
    for year in (2019, 2021):
        by_year = [f for f in full if f.year == year]
        assert many.facts(region=region, year=year, limit=2) == by_year[:2]
    scores = [f for f in full if f.kind == "score" and f.source == "warta.example"]
    assert many.facts(region=region, kind="score", source="warta", limit=3) == scores[:3]


def test_names_follow_inserts_updates_and_prunes(many) -> None:
    with many.engine.begin() as conn:
        conn.execute(
            text("update officials set name = 'Iwan Setiawan' where name = 'Iwan Darmawan'")
        )
    assert {o.name for o in many.officials(name="setiawan")} == {"Iwan Setiawan"}
    assert many.facts(official="setiawan") == [
        f for f in many.facts() if f.article_id in naming(many, "setiawan")
    ]
    # the old name is still listed among the names, but matches no mention
    assert many.officials(name="darmawan") == [] and many.facts(official="darmawan") == []
    # a newer version of the first article names someone new; prune drops the old mention
    first = many.articles()[0]
    said = "Menurut Rudi Hartono, indeks SPBE naik."
    run = many.start_run("v2")
    rudi = Official("Rudi Hartono", "Sekretaris Daerah", Evidence(said, 0, len(said)))
    many.record_extraction(run, first.id, "v2", Extraction(officials=[rudi]))
    many.finish_run(run)
    many.prune()
    assert [(o.name, o.article_id) for o in many.officials(name="hartono")] == [
        ("Rudi Hartono", first.id)
    ]
    for pattern in PATTERNS:
        mentions = [o for o in many.officials() if pattern.lower() in o.name.lower()]
        assert many.officials(name=pattern) == mentions
        expected = [f for f in many.facts() if f.article_id in naming(many, pattern)]
        assert many.facts(official=pattern, limit=2) == expected[:2]
        assert many.facts(official=pattern) == expected
