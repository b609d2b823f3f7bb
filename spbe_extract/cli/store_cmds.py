"""Store commands: ``spbe ingest``, ``run``, ``query``, ``officials`` and ``articles``."""

from __future__ import annotations

import csv
import json
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from spbe_extract.cli.common import DbOption, fail

if TYPE_CHECKING:  # the store is imported only when a command runs (fast --help)
    from spbe_extract.store import Store


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Kind(StrEnum):
    score = "score"
    target = "target"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LimitOption = Annotated[int | None, typer.Option("--limit", "-n", help="At most N rows.")]
SourceOption = Annotated[
    str | None, typer.Option("--source", help="Only articles from this source (host name).")
]
RunOption = Annotated[
    int | None,
    typer.Option("--run", help="Rows written by this run id instead of the current extraction."),
]
RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="Region name, alias or Kemendagri code: 'Kaltim', 'Gorontalo' (all three levels), "
        "'Kota Gorontalo', '75.71'.",
    ),
]


def err(message: str) -> None:
    """One line on stderr."""
    typer.echo(message, err=True)


@contextmanager
def open_store(db: str) -> Iterator[Store]:
    """Open the store for a command; StoreError becomes a one-line error and exit code 1."""
    from spbe_extract.store import Store, StoreError

    try:
        store = Store(db)
    except StoreError as error:
        raise fail(str(error)) from None
    try:
        yield store
    except StoreError as error:
        raise fail(str(error)) from None
    finally:
        store.close()


# ---------------------------------------------------------------- ingest


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files (.txt .html .htm .jsonl) and folders.")
    ],
    db: str = DbOption,
    max_size: Annotated[
        float, typer.Option("--max-size", help="Skip files (JSONL: records) over this many MB.")
    ] = 10.0,
    guess_encoding: Annotated[
        bool,
        typer.Option("--guess-encoding", help="Decode non-UTF-8 files with the detected encoding."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Read articles from files and folders into the store; known articles are not added twice.

    Each unreadable input gets a line 'skip PATH: reason' on stderr; the rest go on.

    The exit code is 1 only when nothing could be processed.
    """
    from spbe_extract.ingest import ingest_articles, read_paths
    from spbe_extract.runner import progress_bar

    _log_warnings_to_stderr()
    items = read_paths(paths, max_bytes=int(max_size * 1024 * 1024), guess_encoding=guess_encoding)
    with open_store(db) as store:
        bar = progress_bar(None, "ingesting") if _show_progress(quiet) else None
        try:
            report = ingest_articles(
                store,
                items,
                validate=False,
                on_skip=lambda s: _echo_skip(bar, f"skip {s.path}: {s.reason}"),
                on_item=(lambda _item: bar.advance()) if bar else None,
            )
        except KeyboardInterrupt:
            err("interrupted: what was stored is kept; ingesting again skips it")
            raise typer.Exit(130) from None
        finally:
            if bar:
                bar.stop()
    typer.echo(
        f"ingested: {report.added} added, {report.known} already stored, "
        f"{len(report.skipped)} skipped"
    )
    if report.processed == 0:
        raise fail("nothing could be ingested" if report.skipped else "no input files found")


def _echo_skip(bar: Any, line: str) -> None:
    if bar is not None:
        bar.progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
    else:
        err(line)


def _show_progress(quiet: bool) -> bool:
    """Progress bars only for a person watching a terminal, never in logs or pipes."""
    return not quiet and sys.stderr.isatty()


def _log_warnings_to_stderr() -> None:
    logger = logging.getLogger("spbe_extract")
    if not any(getattr(h, "_spbe", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler._spbe = True  # type: ignore[attr-defined]
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)


# ---------------------------------------------------------------- run


def run(
    db: str = DbOption,
    rerun: Annotated[
        bool,
        typer.Option(
            "--rerun",
            help="Only re-extract articles an older extractor version read (their facts are "
            "replaced; the older run stays readable with `spbe query --run ID` until `spbe "
            "prune`). Without it: every article not yet extracted by this version, new or not.",
        ),
    ] = False,
    source: Annotated[
        str | None, typer.Option("--source", help="Only articles from this source (host name).")
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=["%Y-%m-%d"], help="Only articles published on/after."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most N articles.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            min=0,
            help="Extraction processes (each loads the NLP pipeline once; this process alone "
            "writes). 0: extract in this process, without crash isolation.",
        ),
    ] = 1,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Also retry articles that failed before.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=1, help="Seconds one article may take before it fails."),
    ] = 300.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Extract every stored article not yet extracted by the current extractor version.

    The version is derived from the package version and a hash of the NLP code and rule
    tables: a changed rule makes a new version, and its run re-reads every article.

    Work is committed in batches: an interrupted run (Ctrl-C, kill, kill -9) loses nothing
    committed, and the next `spbe run` continues. An article whose extraction fails, or
    crashes its worker process, is recorded with the reason (`spbe failures`) and skipped.
    """
    from spbe_extract.runner import run_pending
    from spbe_extract.workers import PoolError

    try:
        from spbe_extract import nlp

        version = nlp.extractor_version()
    except Exception as error:  # noqa: BLE001 - any import/model error is one line
        raise fail(f"the NLP stage cannot be loaded: {error}") from None
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` closes the run like Ctrl-C
    with open_store(db) as store:
        try:
            report = run_pending(
                store,
                nlp.extract,
                version,
                progress=_show_progress(quiet),
                limit=limit,
                source=source,
                since=since.date() if since else None,
                retry_failed=retry_failed,
                rerun=rerun,
                workers=workers,
                timeout=timeout,
                on_failure=lambda article_id, msg: err(f"failed article {article_id}: {msg}"),
            )
        except KeyboardInterrupt:
            err("interrupted: every article finished so far is saved; run `spbe run` again")
            raise typer.Exit(130) from None
        except PoolError as error:
            raise fail(f"{error} (what was extracted is saved)") from None
        finally:
            signal.signal(signal.SIGTERM, previous)
    if report.pending == 0:
        what = "outdated articles to re-extract" if rerun else "articles to extract"
        typer.echo(f"nothing to do: no {what} for version {version}")
        return
    typer.echo(
        f"run {report.run_id} (extractor {version}): {report.done} extracted, "
        f"{report.failed} failed, {report.facts} facts, {report.officials} officials "
        f"in {report.seconds:.1f} s ({report.rate:.1f} articles/s)"
    )


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


# ---------------------------------------------------------------- query


def query(
    db: str = DbOption,
    region: RegionOption = None,
    year: Annotated[int | None, typer.Option("--year", help="Evaluation year.")] = None,
    kind: Annotated[Kind | None, typer.Option("--kind", help="score or target.")] = None,
    official: Annotated[
        str | None,
        typer.Option("--official", help="Only facts of articles naming this official."),
    ] = None,
    source: SourceOption = None,
    run_id: RunOption = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """SPBE index facts with the article and evidence sentence they were read from."""
    with open_store(db) as store:
        if region:
            _explain_region(store, region)
        rows = store.facts(
            region=region,
            year=year,
            kind=kind.value if kind else None,
            official=official,
            source=source,
            run=run_id,
            limit=limit,
        )
    if fmt is Format.json:
        _print_json([r.to_dict() for r in rows])
    elif fmt is Format.csv:
        _print_csv([r.flat() for r in rows], FACT_COLUMNS)
    else:
        _print_table(
            "SPBE index facts",
            [
                "Region",
                "Code",
                "Year",
                "Kind",
                "Value",
                "Predicate",
                "Source",
                "Published",
                "Evidence",
            ],
            [
                [
                    r.region,
                    r.region_code,
                    f"{r.year}{'*' if r.year_inferred else ''}",
                    r.kind,
                    f"{r.relation if r.relation != '=' else ''}{r.value:g}",
                    r.predicate,
                    r.source,
                    r.published,
                    _clip(r.evidence_sentence, 90),
                ]
                for r in rows
            ],
            empty="no facts match",
            note="* year inferred from the article date"
            if any(r.year_inferred for r in rows)
            else None,
        )


FACT_COLUMNS = [
    "region",
    "region_code",
    "year",
    "kind",
    "value",
    "relation",
    "predicate",
    "year_inferred",
    "confidence",
    "flags",
    "evidence_sentence",
    "evidence_start",
    "evidence_end",
    "article_id",
    "article_url",
    "article_title",
    "published",
    "source",
    "run_id",
    "extractor_version",
]


def _explain_region(store: Store, region: str) -> None:
    found = store.resolve_region(region)
    if not found:
        err(
            f"note: '{region}' is not a known region name or code; "
            "matching fact regions that contain it"
        )
    elif len(found) > 1:
        names = ", ".join(f"{r.name} ({r.code})" if r.code else r.name for r in found)
        err(f"note: '{region}' matches {len(found)} regions: {names}")


# ---------------------------------------------------------------- officials


def officials(
    db: str = DbOption,
    name: Annotated[str | None, typer.Option("--name", help="Name contains this.")] = None,
    position: Annotated[
        str | None, typer.Option("--position", help="Exact position, e.g. 'Sekretaris Daerah'.")
    ] = None,
    region: RegionOption = None,
    source: SourceOption = None,
    run_id: RunOption = None,
    mentions: Annotated[
        bool, typer.Option("--mentions", help="One row per mention, with its evidence.")
    ] = False,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """Officials named in the articles, with their positions and the articles they appear in."""
    with open_store(db) as store:
        if region:
            _explain_region(store, region)
        rows = store.officials(
            name=name, position=position, region=region, source=source, run=run_id, limit=limit
        )
    if mentions:
        _print_rows(
            fmt,
            [r.flat() for r in rows],
            "Official mentions",
            ["name", "position", "acting", "region", "published", "source", "evidence_sentence"],
        )
        return
    grouped = group_officials(rows)
    if fmt is Format.json:
        _print_json(grouped)
    elif fmt is Format.csv:
        flat = [
            {**g, "articles": " | ".join(a["url"] or a["title"] or "" for a in g["articles"])}
            for g in grouped
        ]
        _print_csv(flat, list(flat[0]) if flat else OFFICIAL_COLUMNS)
    else:
        _print_table(
            "Officials",
            ["Name", "Position", "Acting", "Region", "Organization", "Articles", "Latest"],
            [
                [
                    g["name"],
                    g["position"],
                    g["acting"],
                    g["region"],
                    _clip(g["organization"], 40),
                    g["article_count"],
                    _clip(_latest(g["articles"]), 60),
                ]
                for g in grouped
            ],
            empty="no officials match",
        )


OFFICIAL_COLUMNS = [
    "name",
    "position",
    "acting",
    "organization",
    "region",
    "region_code",
    "article_count",
    "articles",
]


def group_officials(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """One entry per (person, position, acting, region), with the articles naming them."""
    groups: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        key = (" ".join(r.name.casefold().split()), r.position, r.acting, r.region)
        g = groups.setdefault(
            key,
            {
                "name": r.name,
                "position": r.position,
                "acting": r.acting,
                "organization": r.organization,
                "region": r.region,
                "region_code": r.region_code,
                "article_count": 0,
                "articles": [],
            },
        )
        g["organization"] = g["organization"] or r.organization
        g["article_count"] += 1
        g["articles"].append(
            {
                "article_id": r.article_id,
                "url": r.article_url,
                "title": r.article_title,
                "published": r.published.isoformat() if r.published else None,
            }
        )
    return list(groups.values())


def _latest(articles: list[dict[str, Any]]) -> str:
    best = max(articles, key=lambda a: a["published"] or "")
    return best["url"] or best["title"] or f"article {best['article_id']}"


# ---------------------------------------------------------------- articles


def articles(
    db: str = DbOption,
    source: SourceOption = None,
    since: Annotated[
        datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="Published on/after.")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option("--until", formats=["%Y-%m-%d"], help="Published on/before.")
    ] = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """Stored articles with their number of current facts and officials."""
    with open_store(db) as store:
        rows = store.articles(
            source=source,
            since=since.date() if since else None,
            until=until.date() if until else None,
            limit=limit,
        )
    _print_rows(
        fmt,
        [r.flat() for r in rows],
        "Articles",
        ["id", "published", "source", "facts", "officials", "url", "title"],
    )


# ---------------------------------------------------------------- output helpers


def _clip(text: Any, width: int) -> str:
    text = "" if text is None else " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _print_json(rows: list[dict[str, Any]]) -> None:
    typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))


def _print_csv(rows: list[dict[str, Any]], columns: list[str]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])


def _print_table(
    title: str, headers: list[str], rows: list[list[Any]], empty: str, note: str | None = None
) -> None:
    if not rows:
        err(empty)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{title} ({len(rows)})", show_lines=False)
    for i, header in enumerate(headers):
        if i == len(headers) - 1:  # the long free-text column takes the remaining width
            table.add_column(header, overflow="fold", ratio=1, min_width=30)
        else:
            table.add_column(header, overflow="fold", max_width=32)
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    console = Console(width=None if sys.stdout.isatty() else 160)  # pipes: wide, not 80
    console.print(table)
    if note:
        console.print(note)


def _print_rows(fmt: Format, rows: list[dict[str, Any]], title: str, table_cols: list[str]) -> None:
    if fmt is Format.json:
        _print_json(rows)
    elif fmt is Format.csv:
        _print_csv(rows, list(rows[0]) if rows else table_cols)
    else:
        _print_table(
            title,
            [c.replace("_", " ").capitalize() for c in table_cols],
            [[_clip(row.get(c), 80) for c in table_cols] for row in rows],
            empty=f"no {title.lower()} match",
        )


def register(app: typer.Typer) -> None:
    """Add the store commands to the app."""
    app.command("ingest")(ingest)
    app.command("run")(run)
    app.command("query")(query)
    app.command("officials")(officials)
    app.command("articles")(articles)
