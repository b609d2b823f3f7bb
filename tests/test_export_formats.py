"""`spbe export`: reconciled and raw facts as CSV, JSON, Parquet; rows checked against the store."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from spbe_extract.store import Store
from spbe_extract.store import reconcile_queries as q
from tests.facts_store import spbe, store_copy


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return store_copy(tmp_path_factory.mktemp("export"))


def _key(row: dict) -> tuple:
    return row["region"], int(row["year"]), row["kind"]


def test_reconciled_csv_matches_the_store(url: str, tmp_path: Path):
    out = tmp_path / "facts.csv"
    spbe("export", "--format", "csv", "--output", out, "--db", url)  # refreshes when stale
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with Store(url) as store:
        expected = q.reconciled_rows(store)
    assert len(rows) == len(expected) > 0
    for got, want in zip(rows, expected, strict=True):
        assert _key(got) == _key(want)
        assert float(got["value"]) == want["value"]
        assert int(got["n_articles"]) == want["n_articles"]
        assert got["conflict"] == ("true" if want["conflict"] else "false")
        assert got["evidence_sentence"] == want["evidence_sentence"]
        assert got["first_reported"] == want["first_reported"].isoformat()


def test_raw_json_with_region_filter_matches_store_query(url: str, tmp_path: Path):
    out = tmp_path / "raw.json"
    spbe(
        "export", "--raw", "--format", "json", "--region", "Kota Gorontalo", "-o", out, "--db", url
    )
    rows = json.loads(out.read_text(encoding="utf-8"))
    with Store(url) as store:
        expected = [f.flat() for f in store.facts(region="Kota Gorontalo")]
    assert rows == json.loads(json.dumps(expected, default=str))
    assert {r["region"] for r in rows} == {"Kota Gorontalo"}


def test_parquet_of_targets_keeps_types(url: str, tmp_path: Path):
    out = tmp_path / "targets.parquet"
    spbe("export", "--format", "parquet", "--kind", "target", "-o", out, "--db", url)
    table = pq.read_table(out)
    with Store(url) as store:
        expected = q.reconciled_rows(store, kind="target")
    assert table.num_rows == len(expected) > 0
    assert str(table.schema.field("value").type) == "double"
    assert str(table.schema.field("official_value").type) == "double"  # empty, still typed
    got = sorted((r["region"], r["year"], r["value"], r["outcome"]) for r in table.to_pylist())
    assert got == sorted((r["region"], r["year"], r["value"], r["outcome"]) for r in expected)


def test_source_and_official_filters_keep_groups_they_report(url: str, tmp_path: Path):
    out = tmp_path / "suara.json"
    spbe("export", "--format", "json", "--source", "suara-c", "-o", out, "--db", url)
    rows = json.loads(out.read_text(encoding="utf-8"))
    with Store(url) as store:
        reported = {(f.region, f.year, f.kind) for f in store.facts(source="suara-c")}
        by_marten = store.facts(official="Marten")
    assert {_key(r) for r in rows} == reported
    out = tmp_path / "marten.csv"
    spbe("export", "--raw", "--official", "Marten", "-o", out, "--db", url)
    with out.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == len(by_marten) > 0


def test_bad_options_are_one_line_errors(url: str, tmp_path: Path):
    done = spbe("export", "--format", "xlsx", "-o", tmp_path / "x", "--db", url, check=False)
    assert done.returncode == 1 and done.stderr.startswith("error: unknown format 'xlsx'")
    done = spbe("export", "--format", "parquet", "--db", url, check=False)
    assert done.returncode == 1 and "parquet needs an --output file" in done.stderr
