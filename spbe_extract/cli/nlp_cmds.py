"""CLI commands of the NLP stage without a store: ``spbe extract`` and ``spbe eval``.

``spbe extract`` prints one JSON line per article (format in docs/extract-output.md);
``spbe eval`` scores the extractor against a gold file as SPEC.md says.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from spbe_extract.cli.common import fail
from spbe_extract.evaluate import EvalReport, GoldError, run_eval
from spbe_extract.model import ArticleInput


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


class Backend(StrEnum):
    spacy = "spacy"
    stanza = "stanza"


BackendOption = Annotated[Backend, typer.Option(
    "--nlp", help="Tokens and sentences from spaCy's tokenizer with the project's rules, or "
    "from stanza (optional extra; models/stanza or --stanza-dir).")]
StanzaDirOption = Annotated[Path | None, typer.Option(
    "--stanza-dir", help="Folder of stanza models holding resources.json (default: "
    "models/stanza or $SPBE_STANZA_DIR). Never downloads.")]
NerOption = Annotated[bool | None, typer.Option(
    "--ner/--no-ner", help="Run the project's NER (models/id_spbe_ner) for officials' names "
    "(default: off; see README, Models).", show_default=False)]


def _reader(nlp: Backend, ner: bool | None, stanza_dir: Path | None) -> Any:
    """``extract`` bound to one setting, its pipeline loaded now: a missing model or extra
    stops here with one clear line instead of failing every article."""
    from spbe_extract.nlp import extract, load
    from spbe_extract.nlp.models import ModelError

    directory = str(stanza_dir) if stanza_dir is not None else None
    try:
        load(nlp.value, ner, directory)("Kepala Dinas hadir.")  # load and warm up
    except ModelError as exc:
        raise fail(str(exc)) from exc
    return partial(extract, nlp=nlp.value, ner=ner, stanza_dir=directory)


def register(app: typer.Typer) -> None:
    """Add ``extract`` and ``eval`` to the app."""
    app.command("extract")(extract_command)
    app.command("eval")(eval_command)


# ---- spbe extract -----------------------------------------------------------


def extract_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .html, .jsonl).")],
    output: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="jsonl: one JSON object per article; table: for reading.")
    ] = OutputFormat.jsonl,
    with_text: Annotated[bool, typer.Option(
        "--with-text", help="Add the article text the evidence offsets refer to.")] = False,
    nlp: BackendOption = Backend.spacy,
    stanza_dir: StanzaDirOption = None,
    ner: NerOption = None,
) -> None:
    """Run the NLP stage on files (no store) and print what it finds, one line per article."""
    from spbe_extract.ingest import read_paths

    reader = _reader(nlp, ner, stanza_dir)
    records: list[dict[str, Any]] = []
    for item in read_paths(paths):
        if not isinstance(item, ArticleInput):
            typer.echo(f"skip: {item.path}: {item.reason}", err=True)
            continue
        record = _extract_record(item, with_text, reader)
        if record is None:
            continue
        records.append(record)
        if output is OutputFormat.jsonl:
            typer.echo(json.dumps(record, ensure_ascii=False))
    if output is OutputFormat.table:
        _print_tables(records)
    if not records:
        raise fail("nothing could be processed")


def _extract_record(article: ArticleInput, with_text: bool,
                    extract: Any = None) -> dict[str, Any] | None:
    """The stable output object of one article, or None (reason on stderr) if extraction failed."""
    if extract is None:
        from spbe_extract.nlp import extract

    try:
        extraction = extract(article.text, published=_as_date(article.published),
                             url=article.url, title=article.title)
    except Exception as exc:  # one bad article must not lose the batch
        typer.echo(f"skip: {article.path}: extractor failed: {type(exc).__name__}: {exc}",
                   err=True)
        return None
    data = extraction.to_dict()
    record = {
        "path": article.path,
        "url": article.url,
        "title": data["title"] or article.title,
        "published": data["published"],
        "extractor_version": data["extractor_version"],
        "index_facts": data["index_facts"],
        "officials": data["officials"],
    }
    if with_text:
        record["text"] = article.text
    return record


def _as_date(value: datetime | date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _print_tables(records: list[dict[str, Any]]) -> None:
    console = Console()
    facts = Table("path", "region", "year", "kind", "rel", "value", "predicate", "inferred",
                  title="index facts")
    people = Table("path", "name", "position", "acting", "region", title="officials")
    for record in records:
        name = Path(record["path"] or "-").name
        for f in record["index_facts"]:
            facts.add_row(name, f["region"], str(f["year"]), f["kind"], f["relation"],
                          f"{f['value']:.2f}", f["predicate"] or "", "yes" if f["year_inferred"]
                          else "")
        for o in record["officials"]:
            people.add_row(name, o["name"], o["position"], o["acting"] or "",
                           o["region"] or "")
    console.print(facts)
    console.print(people)


# ---- spbe eval --------------------------------------------------------------


def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL file (format: SPEC.md, Gold files).")],
    corpus: Annotated[Path, typer.Option(
        "--corpus", help="Folder holding the files the gold lines name.")],
    show_errors: Annotated[bool, typer.Option(
        "--show-errors", help="List every miss, false hit and wrong attribute.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the figures as one JSON object.")] = False,
    min_index_f1: Annotated[float | None, typer.Option(
        "--min-index-f1", help="Exit 1 when the index-fact F1 is below this.")] = None,
    min_officials_f1: Annotated[float | None, typer.Option(
        "--min-officials-f1", help="Exit 1 when the officials F1 is below this.")] = None,
    min_position_accuracy: Annotated[float | None, typer.Option(
        "--min-position-accuracy",
        help="Exit 1 when the position accuracy of matched officials is below this.")] = None,
    nlp: BackendOption = Backend.spacy,
    stanza_dir: StanzaDirOption = None,
    ner: NerOption = None,
) -> None:
    """Extract the corpus files named in GOLD and score them (precision, recall, F1)."""
    if not corpus.is_dir():
        raise fail(f"corpus folder not found: {corpus}")
    reader = _reader(nlp, ner, stanza_dir)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        report = run_eval(gold, corpus, extractor=reader)
    except GoldError as exc:
        raise fail(str(exc)) from exc
    if report.articles:
        wall = (time.perf_counter() - started) * 1000 / len(report.articles)
        used = (time.process_time() - cpu) * 1000 / len(report.articles)
        typer.echo(f"time: {wall:.0f} ms/article, CPU {used:.0f} ms/article (reading and "
                   "extracting; model loading excluded)", err=True)
    for error in report.errors:
        typer.echo(f"error: {error.id}: {error.reason}", err=True)
    if as_json:
        typer.echo(json.dumps(_json_report(report, show_errors), ensure_ascii=False))
    else:
        typer.echo(format_report(report))
        if show_errors:
            typer.echo(format_errors(report))
    below = _below_thresholds(report, min_index_f1, min_officials_f1, min_position_accuracy)
    for line in below:
        typer.echo(f"error: {line}", err=True)
    if below or report.errors or not report.articles:
        raise typer.Exit(1)


def _json_report(report: EvalReport, details: bool) -> dict[str, Any]:
    data = report.to_dict()
    if details:
        data["per_article"] = [_article_errors(result) for result in report.articles]
    return data


def _article_errors(result: Any) -> dict[str, Any]:
    return {"id": result.id, "file": result.file, "missed_facts": result.missed_facts,
            "false_facts": result.false_facts, "missed_officials": result.missed_officials,
            "false_officials": result.false_officials, "wrong": [vars(w) for w in result.wrong]}


def _below_thresholds(report: EvalReport, min_index: float | None,
                      min_officials: float | None, min_position: float | None) -> list[str]:
    position = report.accuracies.get("position")
    lines = []
    for label, figure, minimum, option in (
            ("index facts F1", report.facts.f1, min_index, "--min-index-f1"),
            ("officials F1", report.officials.f1, min_officials, "--min-officials-f1"),
            ("position accuracy", position.value if position else None, min_position,
             "--min-position-accuracy")):
        if minimum is not None and (figure or 0.0) < minimum:
            lines.append(f"{label} {_num(figure)} is below {option} {minimum}")
    return lines


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(report: EvalReport) -> str:
    """The figures as aligned text lines."""
    lines = [f"articles scored: {len(report.articles)}   not scored: {len(report.errors)}"]
    for label, prf in (("index facts", report.facts),
                       ("  year inferred", report.inferred),
                       ("officials", report.officials)):
        lines.append(f"{label:<17} P {_num(prf.precision)}  R {_num(prf.recall)}  "
                     f"F1 {_num(prf.f1)}   (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})")
    for name, accuracy in report.accuracies.items():
        scope = "facts" if name in ("predicate", "relation") else "officials"
        lines.append(f"  {name + ' accuracy':<22} {_num(accuracy.value)}   "
                     f"({accuracy.correct}/{accuracy.total} matched {scope})")
    return "\n".join(lines)


def format_errors(report: EvalReport) -> str:
    """Every miss, false hit and wrong attribute, grouped by article."""
    lines = []
    for result in report.articles:
        entries = _error_lines(result)
        if entries:
            lines.append(f"\n{result.id}  {result.file}")
            lines += [f"  {entry}" for entry in entries]
    return "\n".join(lines) if lines else "\nno errors"


def _error_lines(result: Any) -> list[str]:
    lines = [f"missed fact     {_fact(f)}" for f in result.missed_facts]
    lines += [f"false fact      {_fact(f)}{_evidence(f)}" for f in result.false_facts]
    lines += [f"missed official {_person(p)}" for p in result.missed_officials]
    lines += [f"false official  {_person(p)}{_evidence(p)}" for p in result.false_officials]
    lines += [f"wrong {w.attribute:<12} {w.label}: gold {w.gold!r}, predicted {w.predicted!r}"
              for w in result.wrong]
    return lines


def _fact(fact: dict[str, Any]) -> str:
    inferred = " (year inferred)" if fact.get("year_inferred") else ""
    return (f"{fact['region']} | {fact['year']} | {fact['kind']} {fact.get('relation') or '='} "
            f"{float(fact['value']):.2f}{inferred}")


def _person(person: dict[str, Any]) -> str:
    acting = f"{person['acting']} " if person.get("acting") else ""
    return f"{person['name']} ({acting}{person.get('position')}, {person.get('region')})"


def _evidence(item: dict[str, Any]) -> str:
    sentence = (item.get("evidence") or {}).get("sentence")
    return f'\n                  evidence: "{sentence}"' if sentence else ""
