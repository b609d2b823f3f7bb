"""Batch re-runs: a new version re-extracts, replaces facts atomically, diff, prune, failures.

Two small rule-based extractors stand in for two extractor versions (the real NLP stage
is exercised end to end in test_batch_kill.py): version 2 also reads the predicate of a
score and the target an official sets, as an improved rule set would.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date

import pytest
from typer.testing import CliRunner

from spbe_extract.cli import app
from spbe_extract.diff import DiffError, diff_runs
from spbe_extract.model import ArticleInput, Evidence, Extraction, IndexFact
from spbe_extract.runner import run_pending
from spbe_extract.store import Store
from tests.store_samples import article

SCORE = re.compile(
    r"Pemerintah (?P<region>(?:Provinsi|Kabupaten|Kota) [\w ]+?) meraih [^.]*?sebesar "
    r"(?P<value>\d,\d+) pada evaluasi tahun (?P<year>\d{4})(?: dengan predikat (?P<pred>\w+))?"
)
TARGET = re.compile(
    r"Sekretaris Daerah (?P<region>(?:Provinsi|Kabupaten|Kota) [\w ]+?), [^.]*?menargetkan "
    r"[^.]*?di atas (?P<value>\d,\d+) pada evaluasi tahun (?P<year>\d{4})"
)


def _sentence(text: str, start: int, end: int) -> Evidence:
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1)
    stop = text.find(".", end)
    stop = len(text) if stop < 0 else stop + 1
    return Evidence(text[left:stop], left, stop)


def _fact(text: str, m: re.Match, kind: str, predicate: str | None, relation: str) -> IndexFact:
    return IndexFact(
        region=m["region"],
        region_code=None,
        year=int(m["year"]),
        kind=kind,  # type: ignore[arg-type]
        value=float(m["value"].replace(",", ".")),
        evidence=_sentence(text, m.start(), m.end()),
        predicate=predicate,
        relation=relation,  # type: ignore[arg-type]
    )


def read_v1(text: str, published=None, url=None, title=None) -> Extraction:
    """Version 1: achieved scores only."""
    return Extraction(
        index_facts=[_fact(text, m, "score", None, "=") for m in SCORE.finditer(text)]
    )


def read_v2(text: str, published=None, url=None, title=None) -> Extraction:
    """Version 2: scores with their predicate, and the targets officials set."""
    facts = [_fact(text, m, "score", m["pred"], "=") for m in SCORE.finditer(text)]
    facts += [_fact(text, m, "target", None, ">") for m in TARGET.finditer(text)]
    return Extraction(index_facts=facts)


def read_or_crash(text: str, published=None, url=None, title=None) -> Extraction:
    """Version 2, except that 'RUSAK' raises and 'MATI' kills the process reading it."""
    if "RUSAK" in text:
        raise ValueError("teks rusak")
    if "MATI" in text:
        os._exit(7)
    return read_v2(text)


def _fill(store: Store, n: int) -> list[str]:
    texts = [article(i) for i in range(n)]
    store.add_articles(
        [ArticleInput(text=t, url=f"https://kabar.example/{i}") for i, t in enumerate(texts)]
    )
    return texts


def _facts(store: Store, run: int | None = None) -> list[tuple]:
    return sorted(
        (f.article_id, f.region, f.year, f.kind, f.value, f.relation, f.predicate, f.evidence_start)
        for f in store.facts(run=run)
    )


def test_new_version_reextracts_replaces_and_diff_reports(store_url: str) -> None:
    with Store(store_url) as store:
        texts = _fill(store, 12)
        first = run_pending(store, read_v1, "v1", progress=False)
        assert (first.done, first.failed) == (12, 0)
        before = _facts(store)
        n_scores = sum(len(SCORE.findall(t)) for t in texts)
        n_targets = sum(len(TARGET.findall(t)) for t in texts)
        assert len(before) == n_scores > 0 and n_targets > 0

        store.add_articles([ArticleInput(text=article(40), url="https://kabar.example/new")])
        assert store.pending_count("v2", outdated_only=True) == 12  # the new one is not outdated
        assert store.pending_count("v2") == 13

        second = run_pending(store, read_v2, "v2", progress=False, rerun=True, limit=5)
        assert second.done == 5
        third = run_pending(store, read_v2, "v2", progress=False, rerun=True)
        assert third.done == 7 and store.pending_count("v2") == 1  # only the never-extracted
        current = _facts(store)
        assert {f.run_id for f in store.facts()} == {second.run_id, third.run_id}
        assert len(current) == n_scores + n_targets
        assert _facts(store, run=first.run_id) == before  # the old run stays readable

        result = diff_runs(store, first.run_id, third.run_id)
        summary = result.summary()
        third_texts = [texts[a - 1] for a in store.run_articles(third.run_id)]
        assert summary["articles_compared"] == 7
        assert summary["facts_changed"] == sum(len(SCORE.findall(t)) for t in third_texts)
        assert summary["facts_added"] == sum(len(TARGET.findall(t)) for t in third_texts)
        assert summary["facts_removed"] == 0 == summary["facts_unchanged"]
        changes = [c for a in result.articles for c in a.changed]
        assert {tuple(c.fields) for c in changes} == {("predicate",)}
        assert all(c.before["predicate"] is None and c.after["predicate"] for c in changes)

        dry = store.prune(dry_run=True)
        assert (dry.extractions, dry.facts) == (12, n_scores)
        assert _facts(store, run=first.run_id) == before
        done = store.prune()
        assert (done.extractions, done.facts, done.dry_run) == (12, n_scores, False)
        assert _facts(store, run=first.run_id) == []
        assert _facts(store) == current  # current facts untouched
        with pytest.raises(DiffError, match="pruned"):
            diff_runs(store, first.run_id, third.run_id)
        assert store.prune().extractions == 0  # nothing left to prune


def test_failed_replacement_keeps_older_facts(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_articles([ArticleInput(text=article(0) + "\nRUSAK\n")])
        run_pending(store, read_v1, "v1", progress=False)
        before = _facts(store)
        report = run_pending(store, read_or_crash, "v2", progress=False, rerun=True)
        assert (report.done, report.failed) == (0, 1)
        assert _facts(store) == before and before
        (failure,) = store.failures(version="v2")
        assert failure["error"].startswith("ValueError: teks rusak")


def test_workers_isolate_a_crash_and_a_dead_worker(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    texts = [article(i) for i in range(30)]
    texts[4] += "\nRUSAK\n"
    texts[17] += "\nMATI\n"
    for db in (url, reference):
        with Store(db) as store:
            store.add_articles([ArticleInput(text=t, published=date(2024, 3, 1)) for t in texts])
    failures: list[tuple[int, str]] = []
    with Store(url) as store:
        report = run_pending(
            store, read_or_crash, "v2", progress=False, workers=2,
            on_failure=lambda a, m: failures.append((a, m)),
        )  # fmt: skip
        assert (report.done, report.failed) == (28, 2)
        assert report.worker_stats.deaths == 1
        errors = {f["article_id"]: f["error"] for f in store.failures()}
        pooled = _facts(store)
    assert sorted(errors) == sorted(a for a, _ in failures) == [5, 18]
    assert errors[5].startswith("ValueError: teks rusak")
    assert "worker process died (exit code 7)" in errors[18]
    with Store(reference) as store:  # the same articles read in this process, minus the two
        run_pending(store, read_v2, "v2", progress=False)
        expected = [f for f in _facts(store) if f[0] not in (5, 18)]
    assert pooled == expected and pooled

    cli = CliRunner()
    listed = cli.invoke(app, ["failures", "--db", url, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert {r["article_id"] for r in json.loads(listed.stdout)} == {5, 18}
    again = cli.invoke(app, ["runs", "--db", url, "-f", "csv"])
    assert "finished" in again.stdout and ",28,2," in again.stdout


def test_diff_and_prune_commands(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store(url) as store:
        texts = _fill(store, 6)
        a = run_pending(store, read_v1, "v1", progress=False).run_id
        b = run_pending(store, read_v2, "v2", progress=False, rerun=True).run_id
    cli = CliRunner()
    shown = cli.invoke(app, ["diff", str(a), str(b), "--db", url, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["summary"]["facts_added"] == sum(len(TARGET.findall(t)) for t in texts)
    assert all(art["changed"] or art["added"] for art in data["articles"])
    table = cli.invoke(app, ["diff", str(a), str(b), "--db", url])
    assert table.exit_code == 0 and "facts added" in table.stdout
    dry = cli.invoke(app, ["prune", "--db", url, "--dry-run"])
    assert "would delete: 6 superseded extractions" in dry.stdout
    pruned = cli.invoke(app, ["prune", "--db", url])
    assert "deleted: 6 superseded extractions" in pruned.stdout
    gone = cli.invoke(app, ["diff", str(a), str(b), "--db", url])
    assert gone.exit_code == 1 and "pruned" in gone.output
    missing = cli.invoke(app, ["diff", "99", str(b), "--db", url])
    assert missing.exit_code == 1 and "no run 99" in missing.output
