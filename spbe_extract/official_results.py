"""Published results tables (``spbe import-official FILE.csv``): read, check, load.

A table has one row per government and year: region (name, alias or Kemendagri code),
year, value and optionally the predicate. Header names in Indonesian or English are
recognised (``data/official_csv_columns.json``); without a header the columns are taken
in that order. Each bad row is reported with its line number and reason and skipped;
good rows load. Loading is keyed by (region, year), so importing again changes nothing.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from charset_normalizer import from_bytes

from spbe_extract import regions
from spbe_extract.nlp.evaluations import is_evaluation_year
from spbe_extract.reconcile import OfficialValue, RefreshReport, refresh_reconciled

if TYPE_CHECKING:
    from spbe_extract.store import Store

COLUMNS = ("region", "year", "value", "predicate")


class OfficialTableError(Exception):
    """The file cannot be read at all; ``str(err)`` is a one-line message."""


@dataclass(frozen=True)
class ResultRow:
    """One good row: a resolved region and its official value for a year."""

    line: int
    region: str
    region_code: str | None
    year: int
    value: float
    predicate: str | None


@dataclass(frozen=True)
class BadRow:
    """One skipped row and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What ``import_official`` did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)
    refreshed: RefreshReport | None = None


def _data(name: str) -> str:
    return resources.files("spbe_extract.data").joinpath(name).read_text(encoding="utf-8")


@cache
def _header_names() -> dict[str, str]:
    table = json.loads(_data("official_csv_columns.json"))
    return {_fold(alias): column for column in COLUMNS for alias in table[column]}


@cache
def _bands() -> list[tuple[float, str]]:
    rows = [
        line.split("\t")
        for line in _data("predicate_bands.tsv").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return sorted((float(bound), name) for name, bound in rows)


def _fold(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower())


def band(value: float) -> str:
    """The predicate the SPEC bands give a value (``3.22`` -> ``Baik``)."""
    return [name for bound, name in _bands() if value >= bound][-1]


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise OfficialTableError(f"cannot read {path}: {err.strerror or err}") from err
    if not raw.strip():
        raise OfficialTableError(f"{path} is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        if best is None:
            raise OfficialTableError(f"{path} is not a text (CSV) file") from None
        return str(best)


def _column_map(first: list[str]) -> dict[str, int] | None:
    """Column positions from a header row, or None when the first row is data."""
    names = _header_names()
    found = {names[_fold(c)]: i for i, c in enumerate(first) if _fold(c) in names}
    if {"region", "year", "value"} <= found.keys():
        return found
    return None


def _parse_value(text: str) -> float | None:
    text = text.strip().replace(" ", "")
    if re.fullmatch(r"\d+([.,]\d+)?", text):
        return float(text.replace(",", "."))
    return None


def _resolve(text: str) -> regions.Region | str:
    """The one region a cell names, or the reason why not."""
    if not text.strip():
        return "empty region"
    found = regions.resolve_query(text)
    if not found:
        return f"unknown region {text.strip()!r}"
    if len(found) > 1:
        names = ", ".join(r.name for r in found[:4])
        return f"ambiguous region {text.strip()!r} ({names}): write the level or the code"
    return found[0]


def _year(text: str) -> int | str:
    if not re.fullmatch(r"\d{4}", text.strip()):
        return f"year {text.strip()!r} is not a year"
    year = int(text)
    if not is_evaluation_year(year) or year > date.today().year:
        return f"no SPBE evaluation results for {year}"
    return year


def _predicate(text: str, value: float) -> str | None:
    """The canonical predicate (None when blank); raises ValueError with the reason."""
    if not text.strip():
        return None
    canonical = {_fold(name): name for _, name in _bands()}.get(_fold(text))
    if canonical is None:
        raise ValueError(f"unknown predicate {text.strip()!r}")
    if canonical != band(value):
        raise ValueError(f"predicate {canonical!r} does not fit value {value:g} ({band(value)})")
    return canonical


def parse_row(cells: list[str], columns: dict[str, int], line: int) -> ResultRow | BadRow:
    """Check one data row; a ``BadRow`` says what is wrong with it."""

    def cell(name: str) -> str:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    if len(cells) <= max(columns[c] for c in ("region", "year", "value")):
        return BadRow(line, f"expected at least 3 columns (region, year, value), got {len(cells)}")
    region = _resolve(cell("region"))
    if isinstance(region, str):
        return BadRow(line, region)
    year = _year(cell("year"))
    if isinstance(year, str):
        return BadRow(line, year)
    value = _parse_value(cell("value"))
    if value is None or not 0 <= value <= 5:
        return BadRow(line, f"value {cell('value').strip()!r} is not an index value (0 to 5)")
    try:
        predicate = _predicate(cell("predicate"), value)
    except ValueError as err:
        return BadRow(line, str(err))
    return ResultRow(line, region.name, region.code, year, value, predicate)


def _delimiter(text: str) -> str:
    """``;``, tab or ``|`` when the first line has one (a comma may be a decimal comma)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return next((d for d in ";\t|" if d in first), ",")


def read_table(path: str | Path) -> tuple[list[ResultRow], list[BadRow]]:
    """Good rows (one per region and year) and bad rows of a results table."""
    text = _read_text(Path(path))
    rows = [
        (n, r)
        for n, r in enumerate(csv.reader(text.splitlines(), delimiter=_delimiter(text)), 1)
        if any(c.strip() for c in r)
    ]
    if not rows:
        raise OfficialTableError(f"{path} has no rows")
    columns = _column_map(rows[0][1])
    if columns is None:
        columns = {name: i for i, name in enumerate(COLUMNS)}
    else:
        rows = rows[1:]
    good: dict[tuple[str, int], ResultRow] = {}
    bad: list[BadRow] = []
    for line, cells in rows:
        row = parse_row(cells, columns, line)
        if isinstance(row, BadRow):
            bad.append(row)
            continue
        seen = good.get((row.region, row.year))
        if seen and (seen.value, seen.predicate) != (row.value, row.predicate):
            bad.append(
                BadRow(
                    line,
                    f"{row.region} {row.year} conflicts with line {seen.line} ({seen.value:g})",
                )
            )
        elif not seen:
            good[(row.region, row.year)] = row
    return list(good.values()), bad


def import_official(store: Store, path: str | Path) -> ImportReport:
    """Load a results table into the store and refresh the reconciled facts."""
    from spbe_extract.store.reconcile_queries import upsert_official_results

    good, bad = read_table(path)
    counts = upsert_official_results(
        store,
        [OfficialValue(r.region, r.year, r.value, r.predicate) for r in good],
        codes={r.region: r.region_code for r in good},
        source_file=Path(path).name,
        lines={(r.region, r.year): r.line for r in good},
    )
    report = ImportReport(counts.added, counts.updated, counts.unchanged, bad)
    report.refreshed = refresh_reconciled(store)
    return report
