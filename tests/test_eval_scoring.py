"""The scorer on small hand-made gold/prediction pairs (SPEC.md, "Scoring")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spbe_extract.evaluate import (
    PRF,
    GoldArticle,
    GoldError,
    load_gold,
    normalize_name,
    score,
    score_article,
)


def fact(region="Provinsi Gorontalo", year=2023, kind="score", value=3.22, **extra):
    return {
        "region": region,
        "year": year,
        "kind": kind,
        "value": value,
        "relation": extra.pop("relation", "="),
        "predicate": extra.pop("predicate", None),
        "year_inferred": extra.pop("year_inferred", False),
        **extra,
    }


def person(name, position="Sekretaris Daerah", region="Provinsi Gorontalo", **extra):
    return {
        "name": name,
        "position": position,
        "region": region,
        "acting": extra.pop("acting", None),
        **extra,
    }


def gold(facts=(), officials=(), id="a1"):
    return GoldArticle(
        id=id,
        file=f"{id}.txt",
        published="2024-01-20",
        index_facts=list(facts),
        officials=list(officials),
    )


def predicted(facts=(), officials=()):
    return {"index_facts": list(facts), "officials": list(officials)}


def test_exact_match_counts_one_true_positive():
    result = score_article(gold([fact()]), predicted([fact()]))
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (1, 0, 0)
    assert result.missed_facts == [] and result.false_facts == []


@pytest.mark.parametrize(
    ("predicted_value", "matches"),
    [(3.2249, True), (3.2151, True), (3.225, False), (3.215, False), (3.23, False)],
)
def test_value_tolerance_is_strictly_below_0_005(predicted_value, matches):
    result = score_article(gold([fact(value=3.22)]), predicted([fact(value=predicted_value)]))
    assert result.facts.tp == (1 if matches else 0)
    assert result.facts.fp == result.facts.fn == (0 if matches else 1)


@pytest.mark.parametrize("field", ["region", "year", "kind"])
def test_region_year_kind_must_be_equal(field):
    other = {"region": "Kota Gorontalo", "year": 2022, "kind": "target"}[field]
    result = score_article(gold([fact()]), predicted([fact(**{field: other})]))
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (0, 1, 1)


def test_year_given_as_string_still_matches():
    result = score_article(gold([fact(year=2023)]), predicted([fact(year="2023")]))
    assert result.facts.tp == 1


def test_duplicate_predictions_match_once_and_the_rest_are_false_hits():
    result = score_article(gold([fact()]), predicted([fact(), fact(value=3.221)]))
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (1, 1, 0)
    assert len(result.false_facts) == 1


def test_one_to_one_matching_finds_the_maximum_pairing():
    # 3.224 could pair with either gold value; the greedy walk must still pair both.
    gold_facts = [fact(value=3.220), fact(value=3.228)]
    result = score_article(gold(gold_facts), predicted([fact(value=3.224), fact(value=3.231)]))
    assert result.facts.tp == 2 and result.facts.fn == 0 and result.facts.fp == 0


def test_micro_average_pools_counts_over_articles():
    articles = [
        gold([fact(), fact(year=2022, value=2.48)], id="a1"),
        gold([fact(region="Kota Gorontalo", value=2.59)], id="a2"),
    ]
    predictions = {
        "a1": predicted([fact()]),
        "a2": predicted(
            [fact(region="Kota Gorontalo", value=2.59), fact(region="Kota Gorontalo", value=1.11)]
        ),
    }
    report = score(articles, predictions)
    assert (report.facts.tp, report.facts.fp, report.facts.fn) == (2, 1, 1)
    assert report.facts.precision == pytest.approx(2 / 3)
    assert report.facts.recall == pytest.approx(2 / 3)
    assert report.facts.f1 == pytest.approx(2 / 3)


def test_inferred_subset_compares_gold_inferred_with_predicted_inferred():
    gold_facts = [fact(year=2023, value=1.93, year_inferred=True), fact(year=2025, value=2.63)]
    prediction = [
        fact(year=2023, value=1.93, year_inferred=False),  # right fact, not flagged
        fact(year=2025, value=2.63, year_inferred=True),
    ]  # flagged, gold is not
    result = score_article(gold(gold_facts), predicted(prediction))
    assert result.facts.tp == 2
    assert (result.inferred.tp, result.inferred.fp, result.inferred.fn) == (0, 1, 1)


def test_inferred_subset_true_positive():
    item = fact(value=1.93, year_inferred=True)
    result = score_article(gold([item]), predicted([dict(item)]))
    assert (result.inferred.tp, result.inferred.fp, result.inferred.fn) == (1, 0, 0)


def test_prf_edge_cases():
    assert PRF().f1 is None and PRF().precision is None
    nothing_found = PRF(tp=0, fp=0, fn=3)
    assert nothing_found.precision is None and nothing_found.recall == 0 and nothing_found.f1 == 0


def test_name_normalization_folds_case_and_spacing():
    assert normalize_name("Rifli  M.Katili") == normalize_name("rifli m. katili")
    assert normalize_name("SOFIAN\u00a0IBRAHIM") == normalize_name("Sofian Ibrahim")
    assert normalize_name("Sofian Ibrahim") != normalize_name("Sofyan Ibrahim")


def test_officials_match_on_normalized_name_one_to_one():
    result = score_article(
        gold(officials=[person("Rifli M. Katili", "Kepala Dinas"), person("Sofian Ibrahim")]),
        predicted(
            officials=[
                person("RIFLI M.  KATILI", "Kepala Dinas"),
                person("rifli m. katili", "Kepala Dinas"),
                person("Winda Saputri", "Lainnya"),
            ]
        ),
    )
    assert (result.officials.tp, result.officials.fp, result.officials.fn) == (1, 2, 1)
    assert [p["name"] for p in result.missed_officials] == ["Sofian Ibrahim"]


def test_position_and_region_accuracy_over_matched_officials_only():
    result = score_article(
        gold(
            officials=[
                person("Sofian Ibrahim"),
                person("Rifli Katili", "Kepala Dinas"),
                person("Not Found"),
            ]
        ),
        predicted(
            officials=[
                person("Sofian Ibrahim", "Gubernur"),
                person("Rifli Katili", "Kepala Dinas", region="Kota Gorontalo"),
            ]
        ),
    )
    assert (result.accuracies["position"].correct, result.accuracies["position"].total) == (1, 2)
    assert (result.accuracies["region"].correct, result.accuracies["region"].total) == (1, 2)
    wrong = {(w.attribute, w.label, w.gold, w.predicted) for w in result.wrong}
    assert ("position", "Sofian Ibrahim", "Sekretaris Daerah", "Gubernur") in wrong
    assert ("region", "Rifli Katili", "Provinsi Gorontalo", "Kota Gorontalo") in wrong


def test_null_region_of_central_official_is_right_when_predicted_null():
    result = score_article(
        gold(officials=[person("Abdullah Azwar Anas", "Menteri", None)]),
        predicted(officials=[person("Abdullah Azwar Anas", "Menteri", None)]),
    )
    assert result.accuracies["region"].value == 1.0


def test_attributes_missing_from_gold_are_not_scored():
    result = score_article(
        gold(officials=[{"name": "Sofian Ibrahim", "position": "Bupati"}]),
        predicted(officials=[person("Sofian Ibrahim", "Bupati")]),
    )
    assert result.accuracies["position"].total == 1
    assert result.accuracies["region"].total == 0


def test_predicate_accuracy_over_matched_facts():
    result = score_article(gold([fact(predicate="Baik")]), predicted([fact(predicate="baik")]))
    assert result.accuracies["predicate"].value == 1.0
    result = score_article(gold([fact(predicate="Baik")]), predicted([fact(predicate=None)]))
    assert result.accuracies["predicate"].value == 0.0


def test_load_gold_reads_lines_and_names_bad_ones(tmp_path: Path):
    good = {
        "id": "x",
        "file": "x.txt",
        "published": None,
        "index_facts": [fact()],
        "officials": [person("Sofian Ibrahim")],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(good) + "\n\n", encoding="utf-8")
    [article] = load_gold(path)
    assert article.id == "x" and article.index_facts[0]["value"] == 3.22

    path.write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold\.jsonl:2: not JSON"):
        load_gold(path)
    path.write_text(json.dumps({"id": "y", "file": "y.txt"}) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="missing field"):
        load_gold(path)
    with pytest.raises(GoldError, match="cannot read"):
        load_gold(tmp_path / "absent.jsonl")


def test_project_gold_files_score_perfectly_against_themselves(repo_dir: Path):
    articles = load_gold(repo_dir / "corpus" / "gold.jsonl")
    report = score(articles, {a.id: predicted(a.index_facts, a.officials) for a in articles})
    assert report.facts.fn == report.facts.fp == 0 and report.facts.tp > 30
    assert report.officials.f1 == 1.0 and report.inferred.tp >= 2
