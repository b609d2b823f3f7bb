"""``spbe diff``: what changed in the index facts between two extraction runs, per article.

Only articles both runs extracted successfully are compared (a ``--rerun`` of a slice
is compared with the older run on that slice). Within one article:

- *unchanged*: a fact of run A and one of run B agree on region, year, kind, value
  (to 2 decimals), relation, predicate and year_inferred;
- *changed*: the remaining facts of A and B with the same region, year and kind, paired
  in value order: the value, relation, predicate or year_inferred differs;
- *removed* / *added*: what is left of A / of B.

Evidence spans are not compared: the same fact read from another sentence is unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from spbe_extract.store import FactRecord, Store

COMPARED = ("value", "relation", "predicate", "year_inferred")


class DiffError(ValueError):
    """The runs cannot be compared (unknown run, or its extractions were pruned)."""


@dataclass
class Change:
    """One fact of run A that became another fact in run B."""

    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]


@dataclass
class ArticleDiff:
    """The differences in one article."""

    article_id: int
    url: str | None
    title: str | None
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def differs(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "url": self.url,
            "title": self.title,
            "added": self.added,
            "removed": self.removed,
            "changed": [c.__dict__ for c in self.changed],
            "unchanged": self.unchanged,
        }


@dataclass
class RunDiff:
    """The differences between two runs, with how many articles each side covered."""

    run_a: int
    run_b: int
    version_a: str
    version_b: str
    compared: int
    only_a: int
    only_b: int
    failed: int
    articles: list[ArticleDiff]

    def summary(self) -> dict[str, Any]:
        return {
            "run_a": self.run_a,
            "run_b": self.run_b,
            "version_a": self.version_a,
            "version_b": self.version_b,
            "articles_compared": self.compared,
            "articles_changed": sum(1 for a in self.articles if a.differs),
            "articles_only_in_a": self.only_a,
            "articles_only_in_b": self.only_b,
            "articles_failed_in_one_run": self.failed,
            "facts_unchanged": sum(a.unchanged for a in self.articles),
            "facts_added": sum(len(a.added) for a in self.articles),
            "facts_removed": sum(len(a.removed) for a in self.articles),
            "facts_changed": sum(len(a.changed) for a in self.articles),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "articles": [a.to_dict() for a in self.articles if a.differs],
        }


def diff_runs(store: Store, run_a: int, run_b: int) -> RunDiff:
    """Compare the facts two runs wrote, on the articles both extracted."""
    runs = {}
    for run_id in (run_a, run_b):
        record = store.run(run_id)
        if record is None:
            raise DiffError(f"there is no run {run_id} (see `spbe runs`)")
        runs[run_id] = record
    covered_a, covered_b = store.run_articles(run_a), store.run_articles(run_b)
    for run_id, covered in ((run_a, covered_a), (run_b, covered_b)):
        if not covered and runs[run_id].articles_done + runs[run_id].articles_failed:
            raise DiffError(f"the extractions of run {run_id} were pruned (`spbe prune`)")
    ok_a = {a for a, status in covered_a.items() if status == "ok"}
    ok_b = {a for a, status in covered_b.items() if status == "ok"}
    both = ok_a & ok_b
    infos: dict[int, tuple[str | None, str | None]] = {}
    facts_a = _by_article(store, run_a, both, infos)
    facts_b = _by_article(store, run_b, both, infos)
    articles = []
    for article_id in sorted(both):
        url, title = infos.get(article_id, (None, None))
        diff = ArticleDiff(article_id, url, title)
        _compare(facts_a.get(article_id, []), facts_b.get(article_id, []), diff)
        articles.append(diff)
    return RunDiff(
        run_a=run_a,
        run_b=run_b,
        version_a=runs[run_a].extractor_version,
        version_b=runs[run_b].extractor_version,
        compared=len(both),
        only_a=len(set(covered_a) - set(covered_b)),
        only_b=len(set(covered_b) - set(covered_a)),
        failed=len((set(covered_a) & set(covered_b)) - both),
        articles=articles,
    )


def _by_article(
    store: Store, run: int, articles: set[int], infos: dict[int, tuple[str | None, str | None]]
) -> dict[int, list[dict[str, Any]]]:
    """The run's facts on ``articles``, grouped by article; fills ``infos`` (url, title)."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for fact in store.facts(run=run):
        if fact.article_id in articles:
            grouped[fact.article_id].append(_fact(fact))
            infos[fact.article_id] = (fact.article_url, fact.article_title)
    return grouped


def _fact(f: FactRecord) -> dict[str, Any]:
    return {
        "region": f.region,
        "region_code": f.region_code,
        "year": f.year,
        "kind": f.kind,
        "value": f.value,
        "relation": f.relation,
        "predicate": f.predicate,
        "year_inferred": f.year_inferred,
        "evidence": f.evidence_sentence,
    }


def _key(f: dict[str, Any]) -> tuple:
    return (f["region"], f["year"], f["kind"])


def _signature(f: dict[str, Any]) -> tuple:
    return (*_key(f), round(f["value"], 2), f["relation"], f["predicate"], f["year_inferred"])


def _compare(a: list[dict[str, Any]], b: list[dict[str, Any]], diff: ArticleDiff) -> None:
    """Fill ``diff`` with the unchanged, changed, removed and added facts (see module doc)."""
    left = list(a)
    rest_b = []
    for fact in b:
        match = next((x for x in left if _signature(x) == _signature(fact)), None)
        if match is None:
            rest_b.append(fact)
        else:
            left.remove(match)
            diff.unchanged += 1
    groups_a: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for fact in left:
        groups_a[_key(fact)].append(fact)
    groups_b: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for fact in rest_b:
        groups_b[_key(fact)].append(fact)
    for key in sorted({*groups_a, *groups_b}, key=str):
        olds = sorted(groups_a.get(key, []), key=lambda f: f["value"])
        news = sorted(groups_b.get(key, []), key=lambda f: f["value"])
        for old, new in zip(olds, news, strict=False):
            fields = [k for k in COMPARED if _field(old, k) != _field(new, k)]
            diff.changed.append(Change(old, new, fields))
        diff.removed.extend(olds[len(news) :])
        diff.added.extend(news[len(olds) :])


def _field(fact: dict[str, Any], name: str) -> Any:
    return round(fact[name], 2) if name == "value" else fact[name]
