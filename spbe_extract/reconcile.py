"""Reconciliation: from facts per article to one answer per region, year and kind.

Journalists ask "what was Gorontalo's index in 2023, who reported it, do sources
disagree, did the governor's target come true?". This module answers from the facts of
every article's *current* extraction:

- values for one (region, year, kind) that differ by less than ``TOLERANCE`` are one
  value; several values make a *conflict*, and the consensus is the value most distinct
  sources report (then most articles, then the most recently reported);
- each value is compared with the official result when one was imported;
- each target is tied to the official who stated it (same sentence, then the official
  named in the sentence, then the nearest official of the same region before it) and
  judged against the score later published for that year: ``met``, ``missed`` or
  ``unknown`` (not yet known).

The logic is pure (records in, records out); ``refresh_reconciled`` reads and writes
through ``spbe_extract.store.reconcile_queries``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from spbe_extract import regions

if TYPE_CHECKING:
    from spbe_extract.store import Store

TOLERANCE = 0.005  # SPEC: values closer than this are the same value
MET, MISSED, UNKNOWN = "met", "missed", "unknown"


@dataclass(frozen=True)
class FactIn:
    """One current index fact with its article, as reconciliation needs it."""

    id: int
    article_id: int
    extraction_id: int
    region: str
    region_code: str | None
    year: int
    kind: str
    value: float
    relation: str = "="
    predicate: str | None = None
    year_inferred: bool = False
    sentence: str = ""
    start: int = 0
    end: int = 0
    url: str | None = None
    source: str | None = None
    published: date | None = None

    @property
    def source_key(self) -> str:
        """Who reported it: the source name, else the URL's host, else the article itself."""
        if self.source:
            return self.source
        host = urlsplit(self.url).hostname if self.url else None
        if host:
            return host.removeprefix("www.")
        return f"article {self.article_id}"


@dataclass(frozen=True)
class OfficialIn:
    """One current mention of an official (named with a position) in one article."""

    id: int
    article_id: int
    extraction_id: int
    name: str
    position: str
    region: str | None = None
    sentence: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class OfficialValue:
    """One imported official result."""

    region: str
    year: int
    value: float
    predicate: str | None = None


@dataclass
class ValueGroup:
    """One value of a (region, year, kind) and the facts that report it."""

    value: float
    facts: list[FactIn]

    @property
    def n_articles(self) -> int:
        return len({f.article_id for f in self.facts})

    @property
    def sources(self) -> list[str]:
        return sorted({f.source_key for f in self.facts})

    @property
    def first_reported(self) -> date | None:
        return min((f.published for f in self.facts if f.published), default=None)

    @property
    def last_reported(self) -> date | None:
        return max((f.published for f in self.facts if f.published), default=None)

    @property
    def evidence(self) -> FactIn:
        """The fact shown for this value: a stated year first, then the earliest report."""
        return min(self.facts, key=lambda f: (f.year_inferred, f.published or date.max, f.id))

    def most_common(self, attr: str) -> str | None:
        counts = Counter(getattr(f, attr) for f in self.facts if getattr(f, attr))
        return counts.most_common(1)[0][0] if counts else None


@dataclass
class Reconciled:
    """The answer for one (region, year, kind): its values, consensus first."""

    region: str
    region_code: str | None
    year: int
    kind: str
    groups: list[ValueGroup]
    official: OfficialValue | None = None
    outcome: str | None = None
    outcome_score: float | None = None
    outcome_basis: str | None = None

    @property
    def consensus(self) -> ValueGroup:
        return self.groups[0]

    @property
    def conflict(self) -> bool:
        return len(self.groups) > 1

    @property
    def facts(self) -> list[FactIn]:
        return [f for g in self.groups for f in g.facts]

    def mismatch(self, value: float) -> bool | None:
        """Does ``value`` disagree with the official result (None when there is none)?"""
        if self.official is None or self.kind != "score":
            return None
        return differ(value, self.official.value)

    def competing_text(self) -> str | None:
        """``3.22 (3 articles, 2 sources); 3.12 (1 article, 1 source)`` when in conflict."""
        if not self.conflict:
            return None
        return "; ".join(
            f"{g.value:g} ({_plural(g.n_articles, 'article')}, {_plural(len(g.sources), 'source')})"
            for g in self.groups
        )


@dataclass
class Statement:
    """A target stated in one article, who stated it, and how it turned out."""

    fact: FactIn
    official: OfficialIn | None
    outcome: str
    score: float | None
    basis: str | None


@dataclass
class Reconciliation:
    """Everything ``refresh_reconciled`` writes."""

    facts: list[Reconciled] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)


def differ(a: float, b: float) -> bool:
    """True when two values are different values (``TOLERANCE`` apart or more).

    Rounded first so that binary float noise (``3.225 - 3.22 == 0.00499...``) does not
    hide a difference of exactly ``TOLERANCE``.
    """
    return round(abs(a - b), 9) >= TOLERANCE


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def group_values(facts: Iterable[FactIn]) -> list[ValueGroup]:
    """Split facts into values: sorted, a new value starts TOLERANCE or more above the
    smallest value of the current one (so values never chain into one wide group)."""
    ordered = sorted(facts, key=lambda f: f.value)
    groups: list[list[FactIn]] = []
    for fact in ordered:
        if groups and not differ(fact.value, groups[-1][0].value):
            groups[-1].append(fact)
        else:
            groups.append([fact])
    return [ValueGroup(_typical(g), g) for g in groups]


def _typical(facts: Sequence[FactIn]) -> float:
    """The value most facts of a group state (the smallest on a tie)."""
    counts = Counter(round(f.value, 4) for f in facts)
    return min(counts, key=lambda v: (-counts[v], v))


def rank_groups(groups: list[ValueGroup]) -> list[ValueGroup]:
    """Consensus first: most distinct sources, then most articles, then most recent report."""
    return sorted(
        groups,
        key=lambda g: (
            -len(g.sources),
            -g.n_articles,
            -(g.last_reported or date.min).toordinal(),
            g.value,
        ),
    )


def reconcile_facts(
    facts: Iterable[FactIn], official: dict[tuple[str, int], OfficialValue] | None = None
) -> list[Reconciled]:
    """One ``Reconciled`` per (region, year, kind), sorted by region, year, kind."""
    official = official or {}
    by_key: dict[tuple[str, int, str], list[FactIn]] = defaultdict(list)
    for fact in facts:
        by_key[(fact.region, fact.year, fact.kind)].append(fact)
    result = []
    for (region, year, kind), items in sorted(by_key.items()):
        codes = Counter(f.region_code for f in items if f.region_code)
        result.append(
            Reconciled(
                region=region,
                region_code=codes.most_common(1)[0][0] if codes else None,
                year=year,
                kind=kind,
                groups=rank_groups(group_values(items)),
                official=official.get((region, year)) if kind == "score" else None,
            )
        )
    return result


def judge_target(value: float, relation: str, score: float | None) -> str:
    """``met``/``missed`` for a target against the score published for its year."""
    if score is None:
        return UNKNOWN
    if relation == ">":
        return MET if score > value and differ(score, value) else MISSED
    return MET if score > value or not differ(score, value) else MISSED


def score_for(
    region: str,
    year: int,
    scores: dict[tuple[str, int], Reconciled],
    official: dict[tuple[str, int], OfficialValue],
) -> tuple[float | None, str | None]:
    """The score a target is judged against: the official result, else the news consensus."""
    if (region, year) in official:
        return official[(region, year)].value, "official"
    if (region, year) in scores:
        return scores[(region, year)].consensus.value, "news"
    return None, None


def _name_pattern(name: str) -> re.Pattern[str] | None:
    parts = [re.escape(p) for p in re.findall(r"[A-Za-z'’]{3,}", name)]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b") if parts else None


def attribute_target(target: FactIn, officials: Sequence[OfficialIn]) -> OfficialIn | None:
    """The official who stated a target, among the officials of the same extraction.

    In order: an official named within the target's sentence; an official whose name
    (any part, e.g. ``kata Rifli``) occurs in it; the nearest official of the target's
    region mentioned before it; the nearest official of that region anywhere.
    """
    own = [o for o in officials if o.extraction_id == target.extraction_id]
    inside = [o for o in own if o.start < target.end and o.end > target.start]
    if inside:
        return min(inside, key=lambda o: abs(o.start - target.start))
    for official in own:
        pattern = _name_pattern(official.name)
        if pattern and pattern.search(target.sentence):
            return official
    same_region = [o for o in own if o.region == target.region]
    before = [o for o in same_region if o.start <= target.start]
    if before:
        return max(before, key=lambda o: o.start)
    return min(same_region, key=lambda o: abs(o.start - target.start), default=None)


def reconcile(
    facts: Sequence[FactIn],
    officials: Sequence[OfficialIn],
    official: dict[tuple[str, int], OfficialValue],
) -> Reconciliation:
    """Reconcile current facts, judge targets, tie each target to its official."""
    result = Reconciliation(facts=reconcile_facts(facts, official))
    scores = {(r.region, r.year): r for r in result.facts if r.kind == "score"}
    for rec in result.facts:
        if rec.kind == "target":
            rec.outcome_score, rec.outcome_basis = score_for(rec.region, rec.year, scores, official)
            relation = rec.consensus.most_common("relation") or "="
            rec.outcome = judge_target(rec.consensus.value, relation, rec.outcome_score)
    by_extraction: dict[int, list[OfficialIn]] = defaultdict(list)
    for person in officials:
        by_extraction[person.extraction_id].append(person)
    for fact in facts:
        if fact.kind != "target":
            continue
        score, basis = score_for(fact.region, fact.year, scores, official)
        result.statements.append(
            Statement(
                fact=fact,
                official=attribute_target(fact, by_extraction[fact.extraction_id]),
                outcome=judge_target(fact.value, fact.relation, score),
                score=score,
                basis=basis,
            )
        )
    return result


@cache
def region_place(name: str, code: str | None) -> tuple[str | None, str | None]:
    """(level, province name) of a region, for filtering; (None, None) when unknown."""
    region = (regions.by_code(code) if code else None) or regions.by_name(name)
    if region is None:
        return None, None
    if region.level == "provinsi":
        return region.level, region.name
    parent = regions.by_code(region.parent_code) if region.parent_code else None
    return region.level, parent.name if parent else None


@dataclass
class RefreshReport:
    """What ``refresh_reconciled`` wrote."""

    reconciled: int
    conflicts: int
    mismatches: int
    targets: int


def refresh_reconciled(store: Store) -> RefreshReport:
    """Rebuild the reconciled tables from the current facts (call after each run or import)."""
    from spbe_extract.store import reconcile_queries as q

    state = q.fingerprint(store)
    facts = q.current_facts(store)
    result = reconcile(facts, q.current_officials(store), q.official_values(store))
    q.replace_reconciled(store, result, state)
    return RefreshReport(
        reconciled=len(result.facts),
        conflicts=sum(r.conflict for r in result.facts),
        mismatches=sum(bool(r.mismatch(g.value)) for r in result.facts for g in r.groups),
        targets=len(result.statements),
    )


def ensure_reconciled(store: Store) -> RefreshReport | None:
    """Refresh only when the facts or official results changed since the last refresh."""
    from spbe_extract.store import reconcile_queries as q

    if q.stored_fingerprint(store) == q.fingerprint(store):
        return None
    return refresh_reconciled(store)
