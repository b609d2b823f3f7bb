"""`spbe eval`: runs the real extractor on the files gold names and prints the figures.

No quality figure is asserted here: quality is what `spbe eval` measures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spbe_extract.evaluate import run_eval
from spbe_extract.model import Extraction

SAMPLE = "samples/12_kendari_plt_pj.txt"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def corpus(repo_dir: Path) -> Path:
    return repo_dir / "corpus"


def invoke(runner: CliRunner, *args: str):
    from spbe_extract.cli import app

    return runner.invoke(app, ["eval", *args])


def write_gold(path: Path, *lines: dict) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def gold_line(id: str, file: str, facts=(), officials=(), **extra) -> dict:
    return {
        "id": id,
        "file": file,
        "published": None,
        "index_facts": list(facts),
        "officials": list(officials),
        **extra,
    }


def test_eval_on_the_project_corpus_prints_figures(runner: CliRunner, corpus: Path):
    result = invoke(runner, str(corpus / "gold.jsonl"), "--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    assert "articles scored: 17" in result.stdout
    for label in (
        "index facts",
        "year inferred",
        "officials",
        "position accuracy",
        "region accuracy",
    ):
        assert label in result.stdout
    assert "error:" not in result.stderr


def test_json_output_has_the_figures(runner: CliRunner, corpus: Path):
    result = invoke(runner, str(corpus / "gold.jsonl"), "--corpus", str(corpus), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["articles"] == 17 and data["errors"] == []
    for key in ("index_facts", "index_facts_year_inferred", "officials"):
        assert set(data[key]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    gold_total = sum(
        len(json.loads(line)["index_facts"])
        for line in (corpus / "gold.jsonl").read_text().splitlines()
    )
    assert data["index_facts"]["tp"] + data["index_facts"]["fn"] == gold_total
    assert {"position", "region"} <= set(data["accuracy"])


def test_show_errors_lists_misses_of_an_impossible_gold_fact(
    runner: CliRunner, corpus: Path, tmp_path: Path
):
    invented = {"region": "Kota Atlantis", "year": 2023, "kind": "score", "value": 4.99}
    ghost = {"name": "Nobody Atall", "position": "Bupati", "region": "Kota Atlantis"}
    gold = write_gold(tmp_path / "gold.jsonl", gold_line("k1", SAMPLE, [invented], [ghost]))
    result = invoke(runner, str(gold), "--corpus", str(corpus), "--show-errors")
    assert result.exit_code == 0, result.output
    assert "k1  samples/12_kendari_plt_pj.txt" in result.stdout
    assert "missed fact     Kota Atlantis | 2023 | score = 4.99" in result.stdout
    assert "missed official Nobody Atall" in result.stdout

    as_json = invoke(runner, str(gold), "--corpus", str(corpus), "--show-errors", "--json")
    [article] = json.loads(as_json.stdout)["per_article"]
    assert article["missed_facts"] == [invented]


def test_missing_article_is_an_error_line_not_a_crash(
    runner: CliRunner, corpus: Path, tmp_path: Path
):
    gold = write_gold(
        tmp_path / "gold.jsonl",
        gold_line("ok", SAMPLE),
        gold_line("gone", "samples/does_not_exist.txt"),
    )
    result = invoke(runner, str(gold), "--corpus", str(corpus))
    assert result.exit_code == 1
    assert "articles scored: 1   not scored: 1" in result.stdout
    assert "error: gone: file samples/does_not_exist.txt not found in" in result.stderr


def test_jsonl_article_chosen_by_url_or_line_number(
    runner: CliRunner, corpus: Path, tmp_path: Path
):
    name = "samples/16_sulut_sumbar.jsonl"
    url = json.loads((corpus / name).read_text().splitlines()[1])["url"]
    gold = write_gold(
        tmp_path / "gold.jsonl",
        gold_line("by-url", name, url=url),
        gold_line("by-line", f"{name}#1"),
        gold_line("ambiguous", name),
    )
    result = invoke(runner, str(gold), "--corpus", str(corpus), "--json")
    data = json.loads(result.stdout)
    assert data["articles"] == 2
    assert [e["id"] for e in data["errors"]] == ["ambiguous"]
    assert "holds 2 articles" in data["errors"][0]["reason"]


def test_thresholds_set_the_exit_code(runner: CliRunner, corpus: Path, tmp_path: Path):
    gold = write_gold(tmp_path / "gold.jsonl", gold_line("k1", SAMPLE))
    failing = invoke(runner, str(gold), "--corpus", str(corpus), "--min-index-f1", "1.01")
    assert failing.exit_code == 1
    assert "below --min-index-f1 1.01" in failing.stderr
    passing = invoke(
        runner, str(gold), "--corpus", str(corpus), "--min-index-f1", "0", "--min-officials-f1", "0"
    )
    assert passing.exit_code == 0, passing.output
    position = invoke(runner, str(gold), "--corpus", str(corpus), "--min-position-accuracy", "1.01")
    assert position.exit_code == 1
    assert "position accuracy" in position.stderr


def test_bad_gold_file_is_a_one_line_error(runner: CliRunner, corpus: Path, tmp_path: Path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "x", "file": "a.txt"}\n', encoding="utf-8")
    result = invoke(runner, str(gold), "--corpus", str(corpus))
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "missing field(s) index_facts, officials" in result.stderr
    missing_corpus = invoke(runner, str(gold), "--corpus", str(tmp_path / "nope"))
    assert missing_corpus.exit_code == 1 and "corpus folder not found" in missing_corpus.stderr


def test_eval_passes_text_title_and_url_but_never_the_gold_date(corpus: Path, tmp_path: Path):
    calls: list[tuple[str, dict]] = []

    def recording_extractor(text: str, **kwargs) -> Extraction:
        calls.append((text, kwargs))
        return Extraction()

    gold = write_gold(
        tmp_path / "gold.jsonl",
        gold_line("k1", SAMPLE, published="2024-02-08", url="https://sultra.example/kendari"),
    )
    report = run_eval(gold, corpus, extractor=recording_extractor)
    [(text, kwargs)] = calls
    assert text == (corpus / SAMPLE).read_text(encoding="utf-8")
    assert kwargs == {"url": "https://sultra.example/kendari", "title": text.splitlines()[0]}
    assert len(report.articles) == 1 and report.errors == []


def test_extractor_failure_on_one_article_is_reported(corpus: Path, tmp_path: Path):
    def failing_extractor(text: str, **kwargs) -> Extraction:
        raise RuntimeError("model exploded")

    gold = write_gold(tmp_path / "gold.jsonl", gold_line("k1", SAMPLE))
    report = run_eval(gold, corpus, extractor=failing_extractor)
    assert report.articles == []
    assert report.errors[0].reason == "extractor failed: RuntimeError: model exploded"
