"""Reconciliation rules on fact records: values, consensus, conflicts, targets, officials."""

from __future__ import annotations

from datetime import date

import pytest

from spbe_extract.reconcile import (
    MET,
    MISSED,
    UNKNOWN,
    FactIn,
    OfficialIn,
    OfficialValue,
    attribute_target,
    group_values,
    judge_target,
    reconcile,
    reconcile_facts,
    region_place,
)

_ids = iter(range(1, 10_000))


def fact(
    value: float,
    *,
    article: int,
    source: str | None = None,
    year: int = 2023,
    kind: str = "score",
    region: str = "Kota Gorontalo",
    day: date | None = None,
    relation: str = "=",
    sentence: str = "",
    start: int = 0,
    url: str | None = None,
    inferred: bool = False,
) -> FactIn:
    return FactIn(
        id=next(_ids),
        article_id=article,
        extraction_id=article * 10,
        region=region,
        region_code="75.71",
        year=year,
        kind=kind,
        value=value,
        relation=relation,
        year_inferred=inferred,
        sentence=sentence,
        start=start,
        end=start + len(sentence),
        url=url,
        source=source,
        published=day,
    )


def official(
    name: str, *, article: int, start: int, end: int | None = None, region: str = "Kota Gorontalo"
) -> OfficialIn:
    return OfficialIn(
        id=next(_ids),
        article_id=article,
        extraction_id=article * 10,
        name=name,
        position="Wali Kota",
        region=region,
        start=start,
        end=end if end is not None else start + len(name),
    )


def test_values_closer_than_tolerance_are_one_value_and_exactly_tolerance_apart_are_two():
    groups = group_values([fact(3.22, article=1), fact(3.224, article=2), fact(3.225, article=3)])
    assert [len(g.facts) for g in groups] == [2, 1]
    assert groups[0].value == 3.22


def test_consensus_is_the_value_most_distinct_sources_report():
    facts = [
        fact(3.12, article=1, source="a", day=date(2024, 1, 5)),
        fact(3.12, article=2, source="a", day=date(2024, 1, 6)),  # same source twice
        fact(3.22, article=3, source="b", day=date(2024, 1, 7)),
        fact(3.22, article=4, source="c", day=date(2024, 1, 3)),
    ]
    [rec] = reconcile_facts(facts)
    assert rec.consensus.value == 3.22
    assert rec.conflict
    assert [g.value for g in rec.groups] == [3.22, 3.12]
    assert rec.consensus.first_reported == date(2024, 1, 3)
    assert rec.consensus.last_reported == date(2024, 1, 7)
    assert rec.competing_text() == "3.22 (2 articles, 2 sources); 3.12 (2 articles, 1 source)"


def test_source_falls_back_to_url_host_then_article():
    with_url = fact(3.0, article=1, url="https://www.kabar.example.id/x")
    bare = fact(3.0, article=2)
    assert with_url.source_key == "kabar.example.id"
    assert bare.source_key == "article 2"


def test_agreeing_sources_make_no_conflict_and_groups_split_by_region_year_kind():
    facts = [
        fact(3.22, article=1, source="a"),
        fact(3.221, article=2, source="b"),
        fact(3.0, article=1, kind="target"),
        fact(2.9, article=1, year=2022),
    ]
    recs = reconcile_facts(facts)
    assert [(r.year, r.kind, r.conflict) for r in recs] == [
        (2022, "score", False),
        (2023, "score", False),
        (2023, "target", False),
    ]


def test_official_result_mismatch_per_value():
    facts = [
        fact(3.22, article=1, source="a"),
        fact(3.12, article=2, source="b"),
        fact(3.22, article=3, source="c"),
    ]
    off = {("Kota Gorontalo", 2023): OfficialValue("Kota Gorontalo", 2023, 3.22, "Baik")}
    [rec] = reconcile_facts(facts, off)
    assert [(g.value, rec.mismatch(g.value)) for g in rec.groups] == [(3.22, False), (3.12, True)]


@pytest.mark.parametrize(
    ("value", "relation", "score", "outcome"),
    [
        (3.0, "=", 3.22, MET),
        (3.0, "=", 2.996, MET),
        (3.0, "=", 2.99, MISSED),
        (3.5, ">=", 3.5, MET),
        (3.5, ">", 3.5, MISSED),
        (3.5, ">", 3.51, MET),
        (3.5, "=", None, UNKNOWN),
    ],
)
def test_judge_target(value, relation, score, outcome):
    assert judge_target(value, relation, score) == outcome


def test_target_is_judged_against_official_result_before_news():
    facts = [
        fact(3.41, article=1, region="Provinsi Kalimantan Timur"),
        fact(3.5, article=2, kind="target", region="Provinsi Kalimantan Timur"),
    ]
    news_only = reconcile(facts, [], {})
    assert [s.outcome for s in news_only.statements] == [MISSED]
    assert news_only.statements[0].basis == "news"
    off = {
        ("Provinsi Kalimantan Timur", 2023): OfficialValue("Provinsi Kalimantan Timur", 2023, 3.55)
    }
    with_official = reconcile(facts, [], off)
    assert [(s.outcome, s.score, s.basis) for s in with_official.statements] == [
        (MET, 3.55, "official")
    ]
    target_row = [r for r in with_official.facts if r.kind == "target"][0]
    assert (target_row.outcome, target_row.outcome_basis) == (MET, "official")


def test_target_of_a_year_without_score_is_not_yet_known():
    result = reconcile([fact(3.6, article=1, kind="target", year=2024, relation=">=")], [], {})
    assert result.statements[0].outcome == UNKNOWN
    assert result.facts[0].outcome == UNKNOWN


def test_target_goes_to_the_official_named_in_its_sentence():
    sentence = "Wali Kota Marten Taha menargetkan indeks 3,00."
    target = fact(3.0, article=1, kind="target", sentence=sentence, start=100)
    inside = official("Marten Taha", article=1, start=110)
    earlier = official("Ismail Madjid", article=1, start=20)
    assert attribute_target(target, [earlier, inside]) == inside


def test_target_goes_to_the_official_whose_short_name_the_sentence_uses():
    target = fact(
        3.0,
        article=1,
        kind="target",
        start=300,
        sentence="Target kita 3,00 tahun ini, kata Marten.",
    )
    marten = official("Marten Taha", article=1, start=20)
    later = official("Ismail Madjid", article=1, start=200)
    assert attribute_target(target, [marten, later]) == marten


def test_target_without_name_goes_to_nearest_earlier_official_of_its_region():
    target = fact(3.0, article=1, kind="target", start=300, sentence="Targetnya 3,00.")
    far = official("Marten Taha", article=1, start=20)
    near = official("Ismail Madjid", article=1, start=200)
    other_region = official("Isran Noor", article=1, start=250, region="Provinsi Kalimantan Timur")
    other_article = official("Rahmat Pakaya", article=2, start=290)
    assert attribute_target(target, [far, near, other_region, other_article]) == near


def test_target_with_no_official_of_its_region_has_none():
    target = fact(3.0, article=1, kind="target", start=300, sentence="Targetnya 3,00.")
    assert (
        attribute_target(
            target,
            [official("Isran Noor", article=1, start=10, region="Provinsi Kalimantan Timur")],
        )
        is None
    )


def test_region_place_gives_level_and_province():
    assert region_place("Kota Gorontalo", "75.71") == ("kota", "Provinsi Gorontalo")
    assert region_place("Provinsi Gorontalo", "75") == ("provinsi", "Provinsi Gorontalo")
    assert region_place("Nowhere", None) == (None, None)
