"""Score extractions against gold files exactly as ``SPEC.md`` ("Scoring") says.

Index facts match when ``region``, ``year`` and ``kind`` are equal and the values
differ by less than 0.005; each gold fact matches at most one predicted fact and
vice versa. Officials match on the normalized name (Unicode NFKC, case folded,
all whitespace removed). Precision, recall and F1 are micro-averaged over all
articles; facts with ``year_inferred`` are also scored on their own (gold inferred
facts against predicted inferred facts). Position, region, acting and
organization are accuracies over matched officials; predicate and relation are
accuracies over matched facts.

The scorer reads plain dicts in the shape printed by ``spbe extract`` (see
``docs/extract-output.md``), so outside extractors can be scored too.
``run_eval`` ties it to the project's own reader and NLP stage.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VALUE_TOLERANCE = 0.005

Fact = dict[str, Any]
Person = dict[str, Any]


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file and line."""


@dataclass
class GoldArticle:
    """One line of a gold file: the expected facts and officials of one article."""

    id: str
    file: str
    published: str | None
    index_facts: list[Fact]
    officials: list[Person]
    url: str | None = None


@dataclass
class PRF:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN); ``None`` only when there is nothing on either side."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    """Share of matched items whose attribute is right."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def add(self, other: Accuracy) -> None:
        self.correct += other.correct
        self.total += other.total

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


@dataclass
class Mismatch:
    """A matched item whose attribute differs: ``gold`` vs ``predicted`` values."""

    attribute: str
    label: str
    gold: Any
    predicted: Any


@dataclass
class ArticleResult:
    """How one article's prediction compares with its gold."""

    id: str
    file: str
    facts: PRF = field(default_factory=PRF)
    inferred: PRF = field(default_factory=PRF)
    officials: PRF = field(default_factory=PRF)
    accuracies: dict[str, Accuracy] = field(default_factory=dict)
    missed_facts: list[Fact] = field(default_factory=list)
    false_facts: list[Fact] = field(default_factory=list)
    missed_officials: list[Person] = field(default_factory=list)
    false_officials: list[Person] = field(default_factory=list)
    wrong: list[Mismatch] = field(default_factory=list)


@dataclass
class EvalError:
    """A gold article that could not be scored (file missing or unreadable)."""

    id: str
    file: str
    reason: str


@dataclass
class EvalReport:
    """Micro-averaged figures over all scored articles, plus per-article detail."""

    articles: list[ArticleResult]
    errors: list[EvalError]
    facts: PRF
    inferred: PRF
    officials: PRF
    accuracies: dict[str, Accuracy]

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": len(self.articles),
            "errors": [vars(e) for e in self.errors],
            "index_facts": self.facts.to_dict(),
            "index_facts_year_inferred": self.inferred.to_dict(),
            "officials": self.officials.to_dict(),
            "accuracy": {name: acc.to_dict() for name, acc in self.accuracies.items()},
        }


FACT_ATTRIBUTES = ("predicate", "relation")
OFFICIAL_ATTRIBUTES = ("position", "region", "acting", "organization")


def normalize_name(name: str) -> str:
    """Fold case and spacing: ``'Rifli  M.Katili'`` and ``'rifli m. katili'`` compare equal."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _fold_text(value: Any) -> Any:
    """Compare optional strings without regard to case or spacing runs."""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFKC", value).casefold().split())
    return value


# ---- reading gold -----------------------------------------------------------


def load_gold(path: Path) -> list[GoldArticle]:
    """Read a gold JSONL file; raise GoldError naming the line when it is malformed."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file ({exc})") from exc
    articles = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            articles.append(_gold_line(line, f"{path}:{number}"))
    return articles


def _gold_line(line: str, where: str) -> GoldArticle:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise GoldError(f"{where}: expected a JSON object")
    missing = [k for k in ("id", "file", "index_facts", "officials") if k not in data]
    if missing:
        raise GoldError(f"{where}: missing field(s) {', '.join(missing)}")
    for fact in data["index_facts"]:
        absent = [k for k in ("region", "year", "kind", "value") if k not in fact]
        if absent:
            raise GoldError(f"{where}: index fact without {', '.join(absent)}")
    if any("name" not in person for person in data["officials"]):
        raise GoldError(f"{where}: official without name")
    return GoldArticle(id=str(data["id"]), file=str(data["file"]),
                       published=data.get("published"), index_facts=data["index_facts"],
                       officials=data["officials"], url=data.get("url"))


# ---- matching ---------------------------------------------------------------


def match_facts(gold: list[Fact], predicted: list[Fact]) -> tuple[list[tuple[Fact, Fact]],
                                                                    list[Fact], list[Fact]]:
    """One-to-one matching; returns (pairs, missed gold facts, false predicted facts).

    Within each (region, year, kind) group both value lists are sorted and walked
    together, which gives a maximum matching for the "closer than 0.005" rule.
    """
    groups: dict[tuple, tuple[list[Fact], list[Fact]]] = defaultdict(lambda: ([], []))
    for fact in gold:
        groups[_fact_group(fact)][0].append(fact)
    for fact in predicted:
        groups[_fact_group(fact)][1].append(fact)
    pairs: list[tuple[Fact, Fact]] = []
    missed: list[Fact] = []
    false: list[Fact] = []
    for gold_group, predicted_group in groups.values():
        group_pairs, group_missed, group_false = _match_values(gold_group, predicted_group)
        pairs += group_pairs
        missed += group_missed
        false += group_false
    return pairs, missed, false


def values_match(gold: float, predicted: float) -> bool:
    """Closer than 0.005, judged on the decimal values (3.225 vs 3.22 is not a match)."""
    return round(abs(gold - predicted), 9) < VALUE_TOLERANCE


def _fact_group(fact: Fact) -> tuple:
    return (fact.get("region"), _as_int(fact.get("year")), fact.get("kind"))


def _as_int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _match_values(gold: list[Fact], predicted: list[Fact]):
    gold = sorted(gold, key=lambda f: float(f["value"]))
    predicted = sorted(predicted, key=lambda f: float(f["value"]))
    pairs, missed, false = [], [], []
    i = j = 0
    while i < len(gold) and j < len(predicted):
        g, p = float(gold[i]["value"]), float(predicted[j]["value"])
        if values_match(g, p):
            pairs.append((gold[i], predicted[j]))
            i, j = i + 1, j + 1
        elif g < p:
            missed.append(gold[i])
            i += 1
        else:
            false.append(predicted[j])
            j += 1
    return pairs, missed + gold[i:], false + predicted[j:]


def match_officials(gold: list[Person], predicted: list[Person]):
    """One-to-one matching on the normalized name; returns (pairs, missed, false)."""
    remaining: dict[str, list[Person]] = defaultdict(list)
    for person in predicted:
        remaining[normalize_name(person.get("name") or "")].append(person)
    pairs, missed = [], []
    for person in gold:
        candidates = remaining.get(normalize_name(person["name"]))
        if candidates:
            pairs.append((person, candidates.pop(0)))
        else:
            missed.append(person)
    false = [p for people in remaining.values() for p in people]
    return pairs, missed, false


# ---- scoring ----------------------------------------------------------------


def score_article(gold: GoldArticle, predicted: Mapping[str, Any]) -> ArticleResult:
    """Compare one article's extraction (``spbe extract`` dict shape) with its gold."""
    result = ArticleResult(id=gold.id, file=gold.file)
    predicted_facts = list(predicted.get("index_facts") or [])
    pairs, result.missed_facts, result.false_facts = match_facts(gold.index_facts,
                                                                 predicted_facts)
    result.facts = PRF(len(pairs), len(result.false_facts), len(result.missed_facts))
    inferred_pairs, inferred_missed, inferred_false = match_facts(
        [f for f in gold.index_facts if f.get("year_inferred")],
        [f for f in predicted_facts if f.get("year_inferred")])
    result.inferred = PRF(len(inferred_pairs), len(inferred_false), len(inferred_missed))
    _score_attributes(result, pairs, FACT_ATTRIBUTES, _fact_label)

    people, result.missed_officials, result.false_officials = match_officials(
        gold.officials, list(predicted.get("officials") or []))
    result.officials = PRF(len(people), len(result.false_officials),
                           len(result.missed_officials))
    _score_attributes(result, people, OFFICIAL_ATTRIBUTES, lambda p: p["name"])
    return result


def _score_attributes(result: ArticleResult, pairs: list[tuple[dict, dict]],
                      attributes: tuple[str, ...], label: Callable[[dict], str]) -> None:
    for attribute in attributes:
        accuracy = result.accuracies.setdefault(attribute, Accuracy())
        for gold, predicted in pairs:
            if attribute not in gold:  # older gold lines may lack e.g. organization
                continue
            accuracy.total += 1
            if _fold_text(gold[attribute]) == _fold_text(predicted.get(attribute)):
                accuracy.correct += 1
            else:
                result.wrong.append(Mismatch(attribute, label(gold), gold[attribute],
                                                    predicted.get(attribute)))


def _fact_label(fact: Fact) -> str:
    return f"{fact['region']} {fact['year']} {fact['kind']} {fact['value']}"


def summarize(results: list[ArticleResult], errors: Iterable[EvalError] = ()) -> EvalReport:
    """Micro-average the per-article counts."""
    report = EvalReport(articles=results, errors=list(errors), facts=PRF(), inferred=PRF(),
                        officials=PRF(), accuracies={})
    for result in results:
        report.facts.add(result.facts)
        report.inferred.add(result.inferred)
        report.officials.add(result.officials)
        for name, accuracy in result.accuracies.items():
            report.accuracies.setdefault(name, Accuracy()).add(accuracy)
    return report


def score(gold: list[GoldArticle], predictions: Mapping[str, Mapping[str, Any]],
          errors: Iterable[EvalError] = ()) -> EvalReport:
    """Score every gold article that has a prediction (keyed by gold id)."""
    results = [score_article(article, predictions[article.id])
               for article in gold if article.id in predictions]
    return summarize(results, errors)


# ---- running the project's own extractor ------------------------------------

Extractor = Callable[..., Any]


def run_eval(gold_path: Path, corpus: Path, extractor: Extractor | None = None) -> EvalReport:
    """Read the corpus files named in gold, extract them and score the result.

    Only the text, title and URL reach the extractor: never the gold date.
    A gold article whose file is missing or unreadable becomes an ``EvalError``.
    """
    gold = load_gold(gold_path)
    if extractor is None:
        from spbe_extract.nlp import extract as extractor
    predictions: dict[str, Mapping[str, Any]] = {}
    errors: list[EvalError] = []
    for article in gold:
        found = find_article(Path(corpus), article.file, url=article.url)
        if isinstance(found, str):
            errors.append(EvalError(article.id, article.file, found))
            continue
        try:
            extraction = extractor(found.text, url=article.url or found.url, title=found.title)
        except Exception as exc:  # one failing article must not hide the others' figures
            errors.append(EvalError(article.id, article.file,
                                    f"extractor failed: {type(exc).__name__}: {exc}"))
            continue
        predictions[article.id] = extraction.to_dict()
    return score(gold, predictions, errors)


def find_article(corpus: Path, file: str, url: str | None = None) -> Any:
    """The article a gold line names, or a one-line reason why it cannot be read.

    ``file`` is relative to ``corpus``; a ``.jsonl`` file holds several articles,
    chosen by the gold ``url`` or by a ``#N`` suffix (1-based line number).
    """
    from spbe_extract.ingest import read_paths
    from spbe_extract.model import ArticleInput

    name, _, line = file.partition("#")
    path = corpus / name
    if not path.is_file():
        return f"file {name} not found in {corpus}"
    items = list(read_paths([path]))
    articles = [item for item in items if isinstance(item, ArticleInput)]
    if url:
        by_url = [a for a in articles if a.url == url]
        if by_url:
            return by_url[0]
    if line:
        return _article_on_line(articles, items, int(line), name)
    if len(articles) == 1:
        return articles[0]
    if not articles:
        reasons = "; ".join(item.reason for item in items if not isinstance(item, ArticleInput))
        return f"file {name} could not be read: {reasons or 'no article in it'}"
    return f"file {name} holds {len(articles)} articles; give the gold url or {name}#N"


def _article_on_line(articles: list, items: list, line: int, name: str) -> Any:
    for article in articles:
        if (article.path or "").endswith(f":{line}"):
            return article
    if 0 < line <= len(items) and not hasattr(items[line - 1], "reason"):
        return items[line - 1]
    return f"file {name} has no readable article on line {line}"
