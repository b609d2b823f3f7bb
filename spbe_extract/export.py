"""``spbe export``: reconciled or raw facts to CSV, JSON or Parquet, with the query filters.

Rows come from the store's query functions (``Store.facts`` for raw facts,
``reconcile_queries.reconciled_rows`` for reconciled ones); this module only shapes
and writes them. Raw rows are the flat rows of ``spbe query --format csv``.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spbe_extract.store import Store

Format = Literal["csv", "json", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "json", "parquet")


@dataclasses.dataclass
class Filters:
    """The filters of ``spbe query``, plus the reconciled-only ones."""

    region: str | None = None
    year: int | None = None
    kind: str | None = None
    official: str | None = None
    source: str | None = None
    level: str | None = None
    province: str | None = None
    conflicts_only: bool = False


def raw_rows(store: Store, f: Filters) -> tuple[list[dict[str, Any]], list[str]]:
    """Current facts matching the filters, one flat dict each, and the column names."""
    from spbe_extract.store import FactRecord

    records = store.facts(
        region=f.region, year=f.year, kind=f.kind, official=f.official, source=f.source
    )
    columns = [field.name for field in dataclasses.fields(FactRecord)]
    return [r.flat() for r in records], columns


def reconciled_rows(store: Store, f: Filters) -> tuple[list[dict[str, Any]], list[str]]:
    """Reconciled facts matching the filters and the column names.

    ``--official``/``--source`` keep the (region, year, kind) groups that at least one
    matching article reports; the counts in each row still cover every article.
    """
    from spbe_extract.store import reconcile_queries as q

    keys = None
    if f.official or f.source:
        keys = {
            (r.region, r.year, r.kind)
            for r in store.facts(
                region=f.region, year=f.year, kind=f.kind, official=f.official, source=f.source
            )
        }
    rows = q.reconciled_rows(
        store,
        region=f.region,
        year=f.year,
        kind=f.kind,
        level=f.level,
        province=f.province,
        conflicts_only=f.conflicts_only,
        keys=keys,
    )
    return rows, list(q.RECONCILED_COLUMNS)


def _plain(value: Any) -> Any:
    """JSON-ready value: dates as ISO text, everything else unchanged."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _cell(value: Any) -> str:
    """CSV cell: empty for None, ``true``/``false``, lists as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(_plain(value))


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: Any) -> None:
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])


def write_json(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: Any) -> None:
    data = [{c: _plain(row.get(c)) for c in columns} for row in rows]
    json.dump(data, out, ensure_ascii=False, indent=1)
    out.write("\n")


FLOAT_COLUMNS = {"value", "official_value", "outcome_score", "confidence"}
BOOL_COLUMNS = {"conflict", "official_mismatch", "year_inferred"}


def write_parquet(rows: Sequence[dict[str, Any]], columns: Sequence[str], path: Path) -> None:
    """Parquet with typed columns; a column empty in every row keeps its type (not ``null``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
    arrays = []
    for name in columns:
        array = table.column(name) if rows else pa.array([], pa.null())
        if pa.types.is_null(array.type):
            kind = (
                pa.float64()
                if name in FLOAT_COLUMNS
                else pa.bool_()
                if name in BOOL_COLUMNS
                else pa.string()
            )
            array = array.cast(kind)
        arrays.append(array)
    pq.write_table(pa.table(arrays, names=list(columns)), path)


def write(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format, output: str) -> None:
    """Write rows to ``output`` (``-`` is standard output for CSV and JSON)."""
    if fmt == "parquet":
        if output == "-":
            raise ValueError("parquet needs an --output file")
        write_parquet(rows, columns, Path(output))
        return
    writer = write_csv if fmt == "csv" else write_json
    if output == "-":
        writer(rows, columns, sys.stdout)
        return
    with open(output, "w", encoding="utf-8", newline="") as out:
        writer(rows, columns, out)
