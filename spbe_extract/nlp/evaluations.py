"""The SPBE evaluation calendar: which years were evaluated and when results came out.

Read from ``data/evaluations.tsv``. Years after the last row are assumed to be evaluated
yearly with results published at the end of the following January; 2020 had none.
Used to infer the year of a value the text gives without one (SPEC "Year inference").
"""

from __future__ import annotations

from datetime import date
from functools import cache

from spbe_extract.nlp.rules import evaluation_rows

NO_EVALUATION = frozenset({2020})


@cache
def _published() -> dict[int, date]:
    return {year: date.fromisoformat(day) for year, day, _ in evaluation_rows()}


@cache
def _decrees() -> dict[tuple[int, int], int]:
    table = {}
    for year, _, decree in evaluation_rows():
        if decree:
            number, decree_year = decree.split("/")
            table[(int(number), int(decree_year))] = year
    return table


@cache
def _first_year() -> int:
    return min(_published())


def is_evaluation_year(year: int) -> bool:
    """True for 2018, 2019, 2021... (every year from 2018 except 2020)."""
    return year >= _first_year() and year not in NO_EVALUATION


def results_published(year: int) -> date:
    """When the results of evaluation ``year`` were (or will likely be) published."""
    return _published().get(year) or date(year + 1, 1, 31)


def latest_before(day: date) -> int | None:
    """The latest evaluation whose results were published on or before ``day``."""
    years = [y for y in range(_first_year(), day.year + 1)
             if is_evaluation_year(y) and results_published(y) <= day]
    return max(years) if years else None


def next_after(day: date) -> int:
    """The next evaluation whose results are still to come after ``day``."""
    year = _first_year()
    while not (is_evaluation_year(year) and results_published(year) > day):
        year += 1
    return year


def decree_year(number: int, year: int) -> tuple[int, bool]:
    """Evaluation year carried by result decree ``number/year``, and whether it is a guess.

    Known decrees come from the calendar; another decree of year Y is taken to carry
    the latest evaluation before it (Y-1, or Y-2 across 2020).
    """
    known = _decrees().get((number, year))
    if known:
        return known, False
    guess = year - 1
    while guess in NO_EVALUATION:
        guess -= 1
    return guess, True
