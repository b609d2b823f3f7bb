"""Batch commands: ``spbe runs``, ``diff``, ``failures``, ``prune`` and ``bench``."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from spbe_extract.cli.common import DbOption, fail
from spbe_extract.cli.store_cmds import _clip, _print_rows, _print_table, err, open_store


class DiffFormat(StrEnum):
    table = "table"
    json = "json"


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


ListFormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]


def runs(db: str = DbOption, fmt: ListFormatOption = ListFormat.table) -> None:
    """Extraction runs, newest first: version, status, counts and the options used."""
    from spbe_extract.cli.store_cmds import Format

    with open_store(db) as store:
        rows = [
            {
                "id": r.id,
                "extractor_version": r.extractor_version,
                "status": r.status,
                "started_at": r.started_at.isoformat(timespec="seconds"),
                "finished_at": r.finished_at.isoformat(timespec="seconds")
                if r.finished_at
                else None,
                "done": r.articles_done,
                "failed": r.articles_failed,
                "facts": r.facts_count,
                "officials": r.officials_count,
                "params": json.dumps(r.params, sort_keys=True) if r.params else "",
            }
            for r in store.runs()
        ]
    _print_rows(Format(fmt.value), rows, "Runs", list(rows[0]) if rows else ["id"])


def diff(
    run_a: Annotated[int, typer.Argument(help="The older run id (see `spbe runs`).")],
    run_b: Annotated[int, typer.Argument(help="The newer run id.")],
    db: str = DbOption,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="table, or json (summary + articles).")
    ] = DiffFormat.table,
) -> None:
    """Index facts added, removed and changed between two runs, per article.

    Only articles both runs extracted successfully are compared. Within an article, a
    fact is unchanged when region, year, kind, value (2 decimals), relation, predicate
    and year_inferred all agree; the remaining facts with the same region, year and kind
    are 'changed' (value, relation, predicate or year_inferred differs); what is left is
    'removed' (only in RUN_A) or 'added' (only in RUN_B). Evidence spans are not compared.
    """
    from spbe_extract.diff import DiffError, diff_runs

    with open_store(db) as store:
        try:
            result = diff_runs(store, run_a, run_b)
        except DiffError as error:
            raise fail(str(error)) from None
    if fmt is DiffFormat.json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
        return
    rows = [row for article in result.articles for row in _diff_rows(article)]
    _print_table(
        f"Run {run_a} -> run {run_b}",
        ["Article", "Change", "Region", "Year", "Kind", f"Run {run_a}", f"Run {run_b}", "Evidence"],
        rows,
        empty="no differences in the facts of the articles both runs extracted",
    )
    s = result.summary()
    typer.echo(
        f"{s['articles_compared']} articles compared ({s['articles_changed']} changed; "
        f"{s['articles_only_in_a']} only in run {run_a}, {s['articles_only_in_b']} only in "
        f"run {run_b}, {s['articles_failed_in_one_run']} failed in one run): "
        f"{s['facts_added']} facts added, {s['facts_removed']} removed, "
        f"{s['facts_changed']} changed, {s['facts_unchanged']} unchanged"
    )


def _show(fact: dict[str, Any] | None) -> str:
    if fact is None:
        return ""
    relation = fact["relation"] if fact["relation"] != "=" else ""
    year = "*" if fact["year_inferred"] else ""
    predicate = f" {fact['predicate']}" if fact["predicate"] else ""
    return f"{relation}{fact['value']:g}{predicate}{year}"


def _diff_rows(article: Any) -> list[list[Any]]:
    label = f"{article.article_id} {_clip(article.title or article.url or '', 40)}"
    rows = []
    for change in article.changed:
        f = change.after
        rows.append(
            [label, "~ " + ",".join(change.fields), f["region"], f["year"], f["kind"],
             _show(change.before), _show(change.after), _clip(f["evidence"], 80)]
        )  # fmt: skip
    for kind, facts in (("- removed", article.removed), ("+ added", article.added)):
        for f in facts:
            before, after = (f, None) if kind.startswith("-") else (None, f)
            rows.append(
                [label, kind, f["region"], f["year"], f["kind"], _show(before), _show(after),
                 _clip(f["evidence"], 80)]
            )  # fmt: skip
    return rows


def failures(
    db: str = DbOption,
    run: Annotated[int | None, typer.Option("--run", help="Only failures of this run.")] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Only failures of this extractor version.")
    ] = None,
    fmt: ListFormatOption = ListFormat.table,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="At most N rows.")] = None,
) -> None:
    """Articles whose extraction failed (an error, or a crashed worker), with the reason.

    `spbe run --retry-failed` tries them again.
    """
    from spbe_extract.cli.store_cmds import Format

    with open_store(db) as store:
        rows = store.failures(run=run, version=version, limit=limit)
    for row in rows:
        row["where"] = row["url"] or row["path"] or row["title"]
    _print_rows(
        Format(fmt.value),
        rows,
        "Failures",
        ["article_id", "run_id", "extractor_version", "where", "error"],
    )


def prune(
    db: str = DbOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would be deleted.")
    ] = False,
) -> None:
    """Delete the facts and officials of superseded extractions (older runs' results).

    An extraction is superseded when a newer version re-extracted its article; failures
    followed by a later successful extraction go too. Current facts are never touched,
    and the runs stay listed in `spbe runs`. After pruning, `spbe query --run ID` and
    `spbe diff` no longer see the pruned runs' facts.
    """
    with open_store(db) as store:
        report = store.prune(dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    typer.echo(
        f"prune {verb}: {report.extractions} superseded extractions from {report.runs} runs, "
        f"with {report.facts} facts and {report.officials} officials; current facts are kept"
    )


def bench(
    articles: Annotated[
        int, typer.Option("--articles", "-n", min=10, help="Synthetic articles to generate.")
    ] = 10_000,
    facts: Annotated[
        int, typer.Option("--facts", min=1000, help="Generated facts for the query timings.")
    ] = 1_000_000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="The larger worker count to time.")
    ] = 2,
    workdir: Annotated[
        str | None,
        typer.Option("--workdir", help="Keep the corpus and stores here (default: a temp dir)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the corpus.")] = 7,
    repeat: Annotated[
        int,
        typer.Option("--repeat", min=1, help="Extraction and tokenizer runs; the best is kept."),
    ] = 2,
) -> None:
    """Speed and memory figures on a synthetic corpus: a table, then one JSON line.

    Generates ARTICLES articles from the project's own templates (mostly unrelated regional
    news, some SPBE), then times: ingest; extraction with 1 and WORKERS workers (articles/s,
    MB/s, worker peak RSS, store writes); spacy.blank('id') tokenizing the same texts; and
    `spbe query` filters on a store of FACTS generated facts (p50/p95). Extraction and
    the tokenizer baseline run REPEAT times; the best rate of each is kept.
    """
    from spbe_extract.bench.runner import run_benchmark

    try:
        run_benchmark(
            articles=articles, facts=facts, workers=workers, workdir=workdir, seed=seed,
            repeat=repeat, echo=err,
        )
    except KeyboardInterrupt:
        raise fail("benchmark interrupted", 130) from None


def register(app: typer.Typer) -> None:
    """Add the batch commands to the app."""
    app.command("runs")(runs)
    app.command("diff")(diff)
    app.command("failures")(failures)
    app.command("prune")(prune)
    app.command("bench")(bench)
