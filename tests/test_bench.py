"""``spbe bench`` end to end on a tiny corpus: the figures it prints agree with the stores."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from spbe_extract.bench.runner import FILTERS, run_benchmark


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, Path]:
    workdir = tmp_path_factory.mktemp("bench")
    capture = tmp_path_factory.mktemp("out") / "stdout.txt"
    import contextlib

    with capture.open("w") as out, contextlib.redirect_stdout(out):
        figures = run_benchmark(articles=60, facts=1000, workers=2, workdir=str(workdir),
                                repeat=1, echo=lambda _m: None)
    return figures, capture.read_text(), workdir


def test_prints_a_table_then_one_json_line_with_the_figures(bench) -> None:
    figures, printed, _ = bench
    last = printed.strip().splitlines()[-1]
    assert json.loads(last) == figures
    assert "spacy.blank('id') tokenizer" in printed
    assert figures["articles"] == 60 and figures["failed"] == 0
    assert figures["ratio_to_tokenizer"] == round(
        figures["extract_1w_articles_per_s"] / figures["baseline_articles_per_s"], 2)
    assert figures["speedup"] == round(
        figures["extract_2w_articles_per_s"] / figures["extract_1w_articles_per_s"], 2)
    assert set(figures["query_per_filter_p95_ms"]) == {name for name, _ in FILTERS}
    assert figures["worker_peak_rss_mb"] > 0 and figures["extraction_rounds"] == 1
    for best in ("extract_1w_articles_per_s", "extract_2w_articles_per_s",
                 "baseline_articles_per_s"):
        rounds = figures[best.replace("_articles", "_rounds_articles")]
        assert len(rounds) == 1 and figures[best] == max(rounds)
    assert figures["ratio_to_tokenizer_each_round"] == [figures["ratio_to_tokenizer"]]


def test_counts_are_those_of_the_stores(bench) -> None:
    figures, _, workdir = bench
    for db in ("one.db", "many.db"):
        with sqlite3.connect(workdir / db) as conn:
            (facts,) = conn.execute("select count(*) from index_facts").fetchone()
            (officials,) = conn.execute("select count(*) from officials").fetchone()
            (done,) = conn.execute(
                "select count(*) from article_extractions where status = 'ok'").fetchone()
        assert (facts, officials, done) == (
            figures["facts_found"], figures["officials_found"], 60)
    with sqlite3.connect(workdir / "facts.db") as conn:
        assert conn.execute("select count(*) from index_facts").fetchone() == (1000,)
