"""CLI commands for journalists: ``serve`` (web view), ``export``, ``import-official``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spbe_extract.cli.common import DbOption, fail


def _open_store(db: str):
    from spbe_extract.store import Store, StoreError

    try:
        return Store(db)
    except StoreError as err:
        raise fail(str(err)) from err


def serve(
    db: str = DbOption,
    port: int = typer.Option(8001, "--port", "-p", help="TCP port."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Interface to bind; 0.0.0.0 exposes the view to the network."
    ),
    allow_sql: bool = typer.Option(
        False, "--allow-sql", help="Let visitors run arbitrary read-only SQL (off by default)."
    ),
) -> None:
    """Serve a read-only web view of the SQLite store (Datasette) until Ctrl-C."""
    from spbe_extract.reconcile import ensure_reconciled
    from spbe_extract.store import StoreError
    from spbe_extract.web.serve import ServeError, run_datasette, sqlite_path

    try:
        path = sqlite_path(db)
    except ServeError as err:
        raise fail(str(err)) from err
    store = _open_store(db)  # brings the schema up to date
    try:
        ensure_reconciled(store)
    except StoreError as err:
        raise fail(str(err)) from err
    finally:
        store.close()
    typer.echo(f"serving {path} read-only on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    run_datasette(path, host, port, allow_sql)


def export(
    output: str = typer.Option(
        "-", "--output", "-o", help="File to write; '-' is standard output (csv, json)."
    ),
    fmt: str = typer.Option("csv", "--format", "-f", help="csv, json or parquet."),
    raw: bool = typer.Option(
        False,
        "--raw/--reconciled",
        help="Raw facts (one row per fact and article) or reconciled facts (default).",
    ),
    region: str = typer.Option(None, "--region", help="Name, alias or code: Kaltim, 75.71."),
    year: int = typer.Option(None, "--year", help="Evaluation year."),
    kind: str = typer.Option(None, "--kind", help="score or target."),
    official: str = typer.Option(None, "--official", help="Articles naming this official."),
    source: str = typer.Option(None, "--source", help="Articles from this source."),
    level: str = typer.Option(None, "--level", help="Reconciled only: provinsi, kabupaten, kota."),
    province: str = typer.Option(None, "--province", help="Reconciled only: within a province."),
    conflicts: bool = typer.Option(False, "--conflicts-only", help="Reconciled only."),
    db: str = DbOption,
) -> None:
    """Export reconciled or raw facts as CSV, JSON or Parquet (filters as in `spbe query`)."""
    from spbe_extract import export as ex
    from spbe_extract.reconcile import ensure_reconciled
    from spbe_extract.store import StoreError

    if fmt not in ex.FORMATS:
        raise fail(f"unknown format {fmt!r}: choose csv, json or parquet")
    if kind and kind not in ("score", "target"):
        raise fail(f"unknown kind {kind!r}: choose score or target")
    if raw and (level or province or conflicts):
        raise fail("--level, --province and --conflicts-only apply to reconciled facts only")
    filters = ex.Filters(region, year, kind, official, source, level, province, conflicts)
    store = _open_store(db)
    try:
        if not raw:
            ensure_reconciled(store)
        rows, columns = (ex.raw_rows if raw else ex.reconciled_rows)(store, filters)
        ex.write(rows, columns, fmt, output)  # type: ignore[arg-type]
    except (StoreError, ValueError, OSError) as err:
        raise fail(str(err)) from err
    finally:
        store.close()
    if output != "-":
        typer.echo(f"wrote {len(rows)} {'raw' if raw else 'reconciled'} rows to {output}", err=True)


def import_official(
    file: Annotated[
        Path, typer.Argument(help="CSV: region (name or code), year, value, predicate.")
    ],
    db: str = DbOption,
) -> None:
    """Load a published results table; bad rows are reported one per line and skipped."""
    from spbe_extract.official_results import OfficialTableError, import_official
    from spbe_extract.store import StoreError

    store = _open_store(db)
    try:
        report = import_official(store, file)
    except (OfficialTableError, StoreError) as err:
        raise fail(str(err)) from err
    finally:
        store.close()
    for bad in report.bad:
        typer.echo(f"skipped {file.name} {bad}", err=True)
    loaded = report.added + report.updated + report.unchanged
    typer.echo(
        f"official results: {loaded} rows loaded ({report.added} new, {report.updated} updated, "
        f"{report.unchanged} unchanged), {len(report.bad)} bad rows skipped"
    )
    if report.refreshed:
        r = report.refreshed
        typer.echo(
            f"reconciled: {r.reconciled} facts, {r.conflicts} conflicts, "
            f"{r.mismatches} values differing from official results"
        )
    if loaded == 0 and report.bad:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add serve, export and import-official to the app."""
    app.command("serve")(serve)
    app.command("export")(export)
    app.command("import-official")(import_official)
