"""``spbe bench``: how fast and how big, on a synthetic corpus; a table, then one JSON line.

Steps (each shows progress on stderr): write N generated articles as .txt files; ingest
them into a fresh SQLite store; extract with 1 worker, then with W workers on a copy of
the ingested store; tokenize the same texts with ``spacy.blank('id')`` in this process
(the baseline); fill another store with generated facts and time the ``spbe query``
filters. The extraction runs and the baseline are repeated (``repeat`` rounds of 1 worker,
W workers, tokenizer) and the best rate of each kept, as ``timeit`` does: what other
processes on the machine take from a run is noise, not the code's speed. Rates exclude the
workers' start-up (loading the pipeline and reading a sample article, ``nlp.warm_up``),
reported apart; so does the parent's CPU per article (listing ids, dispatching, writing:
the work the workers share the CPUs with).
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spbe_extract.bench import corpus
from spbe_extract.runner import RunReport, progress_bar, run_pending
from spbe_extract.store import Store

QUERY_ROUNDS = 5
PAGE = 100  # rows per query: a page of `spbe query --limit 100` or of the web view


def run_benchmark(
    articles: int = 10_000,
    facts: int = 1_000_000,
    workers: int = 2,
    workdir: str | None = None,
    seed: int = 7,
    repeat: int = 2,
    echo: Callable[[str], Any] = print,
) -> dict[str, Any]:
    """Run every step, print the table and the JSON line on stdout; returns the figures."""
    keep = workdir is not None
    root = Path(workdir) if keep else Path(tempfile.mkdtemp(prefix="spbe-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        results = _measure(root, articles, facts, workers, seed, max(1, repeat), echo)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    print_results(results)
    return results


def _measure(
    root: Path, n: int, n_facts: int, workers: int, seed: int, repeat: int,
    echo: Callable[[str], Any],
) -> dict[str, Any]:
    folder = root / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    echo(f"bench: writing {n} synthetic articles to {folder}")
    files, size = corpus.write_folder(folder, n, seed)
    r: dict[str, Any] = {"articles": files, "corpus_mb": round(size / 1e6, 2)}
    r.update(_ingest(root / "ingested.db", folder))
    ones, manys, rounds = [], [], []
    # each round times all three, so that a slow spell of the machine hits them alike
    for round_ in range(1, repeat + 1):
        of = f" (round {round_} of {repeat})" if repeat > 1 else ""
        echo(f"bench: extracting with 1 worker{of}")
        ones.append(_extract(root / "ingested.db", root / "one.db", 1, echo))
        echo(f"bench: extracting with {workers} workers{of}")
        manys.append(_extract(root / "ingested.db", root / "many.db", workers, echo))
        echo(f"bench: spacy.blank('id') tokenizing the same texts{of}")
        rounds.append(_baseline(root / "ingested.db"))
    r.update(_extraction_figures(ones, manys, workers))
    r["baseline_articles_per_s"], r["baseline_rounds_articles_per_s"] = max(rounds), rounds
    r["ratio_to_tokenizer"] = _ratio(r["extract_1w_articles_per_s"], r["baseline_articles_per_s"])
    r["ratio_nlp_only"] = _ratio(r["nlp_only_articles_per_s"], r["baseline_articles_per_s"])
    r["ratio_to_tokenizer_each_round"] = [
        _ratio(one.steady_rate, base) for one, base in zip(ones, rounds, strict=True)
    ]
    echo(f"bench: generating {n_facts} facts for the query timings")
    r.update(_queries(root / "facts.db", n_facts))
    return r


# ---------------------------------------------------------------- steps


def _ingest(db: Path, folder: Path) -> dict[str, Any]:
    from spbe_extract.ingest import ingest_articles, read_paths

    db.unlink(missing_ok=True)
    with Store(db) as store:
        bar = progress_bar(None, "ingesting")
        rss_before = _rss_mb()
        started = time.perf_counter()
        try:
            report = ingest_articles(
                store, read_paths([folder]), validate=False, on_item=lambda _i: bar.advance()
            )
        finally:
            bar.stop()
        seconds = time.perf_counter() - started
    return {
        "ingest_articles_per_s": round(report.added / seconds, 1),
        "ingest_skipped": len(report.skipped),
        "ingest_rss_growth_mb": round(_rss_mb() - rss_before, 1),
    }


def _extract(ingested: Path, db: Path, workers: int, echo: Callable[[str], Any]) -> RunReport:
    """One run over a fresh copy of the ingested store (retried if the rules change meanwhile)."""
    from spbe_extract.workers import PoolError

    for attempt in range(1, 4):
        shutil.copy(ingested, db)
        with Store(db) as store:
            try:
                return run_pending(store, workers=workers, progress=True)
            except PoolError as error:
                if attempt == 3 or "rules changed" not in str(error):
                    raise
                echo(f"bench: {error}; trying again")
    raise AssertionError("unreachable")


def _best(runs: list[RunReport]) -> RunReport:
    """The run with the best steady rate."""
    return max(runs, key=lambda run: run.steady_rate)


def _extraction_figures(
    ones: list[RunReport], manys: list[RunReport], workers: int
) -> dict[str, Any]:
    """Figures of the best run of each worker count; peak RSS over all runs."""
    one, many = _best(ones), _best(manys)
    mb = one.text_bytes / 1e6
    one_busy = one.seconds - one.startup_seconds
    many_busy = many.seconds - many.startup_seconds
    nlp_seconds = one.worker_stats.busy_seconds
    rows = one.facts + one.officials + one.processed
    return {
        "extractor_version": one.version,
        "facts_found": one.facts,
        "officials_found": one.officials,
        "failed": one.failed + many.failed,
        "workers_startup_s": round(one.startup_seconds, 1),
        "extract_1w_articles_per_s": round(one.steady_rate, 1),
        "extract_1w_mb_per_s": round(mb / one_busy, 3) if one_busy > 0 else 0.0,
        f"extract_{workers}w_articles_per_s": round(many.steady_rate, 1),
        f"extract_{workers}w_mb_per_s": round(mb / many_busy, 3) if many_busy > 0 else 0.0,
        "speedup": _ratio(many.steady_rate, one.steady_rate),
        "extract_1w_parent_us_per_article": round(one.parent_us_per_article, 1),
        f"extract_{workers}w_parent_us_per_article": round(many.parent_us_per_article, 1),
        "nlp_only_articles_per_s": round(one.processed / nlp_seconds, 1) if nlp_seconds else 0.0,
        "worker_peak_rss_mb": round(max(
            (rss for run in ones + manys for rss in run.worker_stats.peak_rss_mb), default=0.0
        ), 1),
        "extraction_rounds": len(ones),
        "extract_1w_rounds_articles_per_s": [round(run.steady_rate, 1) for run in ones],
        f"extract_{workers}w_rounds_articles_per_s": [round(run.steady_rate, 1) for run in manys],
        "store_write_articles_per_s": round(one.write_rate, 1),
        "store_write_rows_per_s": round(rows / one.write_seconds, 1) if one.write_seconds else 0,
    }


def _baseline(db: Path) -> float:
    """Articles per second of ``spacy.blank('id')`` over the texts of the corpus."""
    import spacy

    with Store(db) as store:
        texts = [a.text for a in store.pending_articles("(baseline: every article)")]
    if not texts:
        return 0.0
    nlp = spacy.blank("id")
    nlp(texts[0])  # warm-up
    bar = progress_bar(len(texts), "tokenizing")
    started = time.perf_counter()
    try:
        for text in texts:
            nlp(text)
            bar.advance()
    finally:
        bar.stop()
    return round(len(texts) / (time.perf_counter() - started), 1)


# ---------------------------------------------------------------- queries

FILTERS: list[tuple[str, Callable[[random.Random], dict[str, Any]]]] = [
    ("--region NAME", lambda g: {"region": g.choice(["Kaltim", "Gorontalo", "Kota Bandung"])}),
    ("--region CODE", lambda g: {"region": g.choice(["75.71", "64", "32.73"])}),
    ("--region --year", lambda g: {"region": g.choice(["Kaltim", "Sulsel"]), "year": _y(g)}),
    ("--region --year --kind", lambda g: {"region": "Jateng", "year": _y(g), "kind": "score"}),
    ("--year", lambda g: {"year": _y(g)}),
    ("--year --kind", lambda g: {"year": _y(g), "kind": g.choice(["score", "target"])}),
    ("--kind", lambda g: {"kind": g.choice(["score", "target"])}),
    ("--official", lambda g: {"official": g.choice(["Hidayat", "Siti Rahayu", "Frans"])}),
    ("--source", lambda g: {"source": g.choice(["kabar1", "warta2.example", "suara3"])}),
    ("--source --year", lambda g: {"source": "warta0", "year": _y(g)}),
    ("(none)", lambda g: {}),
]
FULL = ("--region NAME", "--region CODE", "--region --year", "--region --year --kind")


def _y(g: random.Random) -> int:
    return g.randint(2018, 2024)


def _queries(db: Path, n_facts: int) -> dict[str, Any]:
    from spbe_extract.bench import facts

    db.unlink(missing_ok=True)
    with Store(db) as store:
        bar = progress_bar(n_facts, "generating facts")
        started = time.perf_counter()
        try:
            facts.fill(store, n_facts, advance=bar.advance)
        finally:
            bar.stop()
        fill_seconds = time.perf_counter() - started
        store.facts(region="Kaltim", limit=1)  # warm-up: gazetteer and connection
        page, full, per_filter = _time_filters(store)
    return {
        "query_facts": n_facts,
        "query_fill_facts_per_s": round(n_facts / fill_seconds),
        "query_p50_ms": _pct(page, 50),
        "query_p95_ms": _pct(page, 95),
        "query_full_region_p50_ms": _pct(full, 50),
        "query_full_region_p95_ms": _pct(full, 95),
        "query_per_filter_p95_ms": per_filter,
    }


def _time_filters(store: Store) -> tuple[list[float], list[float], dict[str, float]]:
    """Latencies (ms) of every filter: first page, and full results for region filters."""
    rng = random.Random(3)
    page: list[float] = []
    full: list[float] = []
    per_filter: dict[str, float] = {}
    bar = progress_bar(QUERY_ROUNDS * (len(FILTERS) + len(FULL)), "querying")
    try:
        for name, make in FILTERS:
            mine = []
            for _ in range(QUERY_ROUNDS):
                mine.append(_timed(store, make(rng), PAGE))
                if name in FULL:
                    full.append(_timed(store, make(rng), None))
                    bar.advance()
                bar.advance()
            page.extend(mine)
            per_filter[name] = _pct(mine, 95)
    finally:
        bar.stop()
    return page, full, per_filter


def _timed(store: Store, filters: dict[str, Any], limit: int | None) -> float:
    started = time.perf_counter()
    store.facts(limit=limit, **filters)
    return (time.perf_counter() - started) * 1000


# ---------------------------------------------------------------- helpers and output


def _pct(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else 0.0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


LABELS = {
    "articles": "articles (synthetic)",
    "corpus_mb": "corpus size (MB of text files)",
    "ingest_articles_per_s": "ingest rate (articles/s)",
    "ingest_rss_growth_mb": "ingest: growth of peak RSS (MB)",
    "workers_startup_s": "worker start-up: load pipeline (s)",
    "extract_1w_articles_per_s": "extraction, 1 worker (articles/s)",
    "extract_1w_mb_per_s": "extraction, 1 worker (MB text/s)",
    "speedup": "speed-up of the larger pool over 1 worker",
    "extract_1w_parent_us_per_article": "extraction, 1 worker: parent CPU per article (µs)",
    "nlp_only_articles_per_s": "NLP stage alone, in the worker (articles/s)",
    "worker_peak_rss_mb": "peak RSS of one worker (MB)",
    "extraction_rounds": "extraction runs per worker count (best kept)",
    "store_write_articles_per_s": "store write rate (articles/s)",
    "store_write_rows_per_s": "store write rate (rows/s)",
    "baseline_articles_per_s": "spacy.blank('id') tokenizer (articles/s)",
    "ratio_to_tokenizer": "extraction / tokenizer (1 worker run)",
    "ratio_nlp_only": "extraction / tokenizer (NLP time alone)",
    "ratio_to_tokenizer_each_round": "  extraction / tokenizer, each round",
    "query_facts": "facts in the query store",
    "query_p50_ms": f"query p50, first {PAGE} rows (ms)",
    "query_p95_ms": f"query p95, first {PAGE} rows (ms)",
    "query_full_region_p50_ms": "query p50, all rows of a region filter (ms)",
    "query_full_region_p95_ms": "query p95, all rows of a region filter (ms)",
}


def _label(key: str) -> str:
    """Labels of the keys named after the worker count (extract_2w_...)."""
    if key.endswith("_rounds_articles_per_s"):
        best = key.replace("_rounds", "")
        return f"  {LABELS.get(best) or _label(best)}, each run"
    if key.startswith("extract_") and key.endswith("_articles_per_s"):
        return f"extraction, {key.split('_')[1][:-1]} workers (articles/s)"
    if key.startswith("extract_") and key.endswith("_mb_per_s"):
        return f"extraction, {key.split('_')[1][:-1]} workers (MB text/s)"
    if key.startswith("extract_") and key.endswith("_parent_us_per_article"):
        return f"extraction, {key.split('_')[1][:-1]} workers: parent CPU per article (µs)"
    return key.replace("_", " ")


def print_results(results: dict[str, Any]) -> None:
    """The figures as a table, then one JSON line (both on stdout)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="spbe bench")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in results.items():
        if key == "query_per_filter_p95_ms":
            for name, ms in value.items():
                table.add_row(f"  query p95 {name} (ms)", f"{ms:g}")
            continue
        label = LABELS.get(key) or _label(key)
        if isinstance(value, list):
            value = " / ".join(f"{v:g}" for v in value)
        table.add_row(label, f"{value:g}" if isinstance(value, float) else str(value))
    Console(width=None if sys.stdout.isatty() else 100).print(table)
    print(json.dumps(results, ensure_ascii=False), flush=True)
