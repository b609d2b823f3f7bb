"""The officials extractor's rule tables, read once from ``spbe_extract/data``.

``titles.tsv`` (office titles -> SPEC positions), ``organizations.tsv`` (unit abbreviations
written out), ``honorifics.txt`` (honorifics, degrees, ranks) and ``official_cues.tsv``
(acting markers, unit words, connectors, event roles, name stops). Weekdays, months, byline
markers and regulation words are shared with the rest of the NLP stage (``nlp_cues.json``).
Every key is compared folded: lower case letters and digits only (``regions.compact``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

from spbe_extract.nlp import rules
from spbe_extract.nlp.officials_text import Splitter
from spbe_extract.regions import compact

# The rule tables read here; being named in the source, they count in the extractor version.
DATA_FILES = ("titles.tsv", "organizations.tsv", "honorifics.txt", "official_cues.tsv")
_DOTTED = {"no", "kab", "prov", "kec", "jl"}  # abbreviations keeping their dot besides the tables
_NONE: frozenset[str] = frozenset()
_KNOWN_WORDS = 50_000  # words whose degree test is remembered


@dataclass(frozen=True)
class Title:
    """One row of ``titles.tsv``: a title as written and what it means."""

    surface: str
    position: str
    scope: str  # central | local | any
    level: str | None  # provinsi | kabupaten | kota
    unit: str | None  # the unit the title heads (Dinas, Bidang ...)
    generic: bool = False
    absorb: bool = False
    prefix: bool = False
    named: bool = False  # a field name follows the title (Deputi Bidang X, Asisten Deputi X)
    org: str | None = None
    base: str | None = None  # the written-out head of a prefix title (Ka -> Kepala)

    @property
    def head(self) -> str:
        """The head word(s) used to build a generic title's position (Kepala, Sekretaris)."""
        return self.base or self.surface


@dataclass
class Lexicon:
    """All tables, keyed by folded text."""

    titles: dict[str, Title]
    orgs: dict[str, str]
    honorifics: set[str]
    degree_atoms: set[str]
    cues: dict[str, set[str]]
    acting: dict[str, str]
    positions: set[str]
    weekdays_months: set[str] = field(default_factory=set)
    byline_markers: tuple[str, ...] = ()
    related_markers: tuple[str, ...] = ()
    regulation_words: set[str] = field(default_factory=set)
    _degrees: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def title_words(self) -> int:
        """The most words any title has (computed once)."""
        return max(len(t.surface.split()) for t in self.titles.values())

    @cached_property
    def title_heads(self) -> frozenset[str]:
        """Folded first words of every title (a cheap test before the longest match)."""
        return frozenset(compact(t.surface.split()[0]) for t in self.titles.values())

    @cached_property
    def prefix_titles(self) -> tuple[tuple[str, Title], ...]:
        """(folded stem, title) of the titles that glue to a unit (``Kadis``+``kominfo``)."""
        return tuple((compact(t.surface), t) for t in self.titles.values() if t.prefix)

    @cached_property
    def title_stems(self) -> tuple[str, ...]:
        """The folded stems of ``prefix_titles`` (for ``str.startswith``)."""
        return tuple(stem for stem, _ in self.prefix_titles)

    @cached_property
    def not_name(self) -> frozenset[str]:
        """Cue words that never belong to a person's name (name stops, unit words, events)."""
        return frozenset().union(*(self.cues.get(kind, _NONE)
                                   for kind in ("name_stop", "unit_type", "unit_word", "event")))

    @cached_property
    def unit_kinds(self) -> dict[str, str]:
        """Folded unit word -> ``unit_type`` (Dinas, Bidang) or else ``unit_word``."""
        kinds = dict.fromkeys(self.cue_set("unit_word"), "unit_word")
        kinds.update(dict.fromkeys(self.cue_set("unit_type"), "unit_type"))
        return kinds

    @cached_property
    def abbreviations_of(self) -> dict[str, list[str]]:
        """Folded unit name -> the folded abbreviations ``organizations.tsv`` writes out so."""
        found: dict[str, list[str]] = defaultdict(list)
        for abbr, unit in self.orgs.items():
            found[compact(unit)].append(abbr)
        return dict(found)

    @cached_property
    def org_prefixes(self) -> frozenset[str]:
        """Every prefix of a unit abbreviation's folded form (``kom`` of ``kominfo``)."""
        return frozenset(key[:i] for key in self.orgs for i in range(1, len(key) + 1))

    @cached_property
    def title_openings(self) -> tuple[tuple[str, str], ...]:
        """(first letter, the letters after it) of the folded words a title can start with
        (``title_heads``, ``title_stems``): ``(("a", "ns"), ("b", "u"), ...)``; ``""`` after
        a letter that is a title word by itself (anything may follow)."""
        nexts: dict[str, set[str]] = defaultdict(set)
        for key in self.title_heads | set(self.title_stems):
            nexts[key[0]].add(key[1:2])
        return tuple((first, "" if "" in after else "".join(sorted(after)))
                     for first, after in sorted(nexts.items()))

    @cached_property
    def splitter(self) -> Splitter:
        """Splits lines into words; honorifics, acting markers and name abbreviations keep
        their dot (``Drs.``, ``Plt.``, ``Moh.``)."""
        return Splitter(frozenset(self.honorifics | set(self.acting)
                                  | self.cues.get("name_abbrev", set()) | _DOTTED),
                        self.may_open_title)

    def may_open_title(self, key: str) -> bool:
        """A title may start with the folded word ``key``: a title head or a glued stem."""
        return key in self.title_heads or key.startswith(self.title_stems)

    def cue(self, kind: str, text: str) -> bool:
        """True when ``text`` (folded) is in the cue list ``kind``."""
        return compact(text) in self.cues.get(kind, _NONE)

    def cue_set(self, kind: str) -> set[str] | frozenset[str]:
        """The folded words of the cue list ``kind``."""
        return self.cues.get(kind, _NONE)

    def cue_key(self, kind: str, key: str) -> bool:
        """``cue`` for text already folded (a ``Word.key``)."""
        return key in self.cues.get(kind, _NONE)

    def is_degree(self, text: str) -> bool:
        """A degree or honorific, alone or glued (``SE.MM``, ``S.Kom.,M.Si``); remembered."""
        found = self._degrees.get(text)
        if found is None:
            if len(self._degrees) >= _KNOWN_WORDS:
                self._degrees.clear()
            found = self._degrees[text] = self._is_degree(text)
        return found

    def _is_degree(self, text: str) -> bool:
        key = compact(text)
        if not key:
            return False
        if key in self.honorifics:
            return True
        glued = "." in text or (text.isupper() and len(text) <= 8)
        return glued and len(key) > 1 and _segments(key, self.degree_atoms)


def _segments(key: str, atoms: set[str]) -> bool:
    """True when ``key`` splits entirely into known degree atoms (``semm`` = ``se`` + ``mm``)."""
    ok = [True] + [False] * len(key)
    for end in range(1, len(key) + 1):
        ok[end] = any(ok[start] and key[start:end] in atoms for start in range(end))
    return ok[-1]


def _read(name: str) -> str:
    return resources.files("spbe_extract").joinpath("data", name).read_text("utf-8")


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in _read(name).splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _title(row: list[str]) -> Title:
    cells = row + [""] * (6 - len(row))
    options = {}
    for option in filter(None, cells[5].split(",")):
        key, _, value = option.partition("=")
        options[key.strip()] = value.strip() or True
    return Title(
        surface=cells[0],
        position=cells[1],
        scope=cells[2],
        level=None if cells[3] in ("", "-") else cells[3],
        unit=None if cells[4] in ("", "-") else cells[4],
        generic=bool(options.get("generic")),
        absorb=bool(options.get("absorb")),
        prefix=bool(options.get("prefix")),
        named=bool(options.get("named")),
        org=options.get("org") if isinstance(options.get("org"), str) else None,
        base=options.get("base") if isinstance(options.get("base"), str) else None,
    )


def _shared_cues() -> tuple[set[str], tuple[str, ...], tuple[str, ...], set[str]]:
    """Weekdays/months, byline and related-list line starts, regulation words (nlp_cues.json)."""
    try:
        dates = rules.cue("dates")
        boiler = rules.cue("boilerplate")["line_starts"]
        regulation = rules.cue("regulation_heads")
    except (KeyError, FileNotFoundError):
        return set(), (), (), set()
    calendar = {compact(w) for w in dates.get("weekdays", [])}
    calendar |= {compact(w) for w in dates.get("months", {}) if len(w) > 3}
    bylines = tuple(k for k, v in boiler.items() if v == "byline")
    related = tuple(k for k, v in boiler.items() if v == "related")
    return calendar, bylines, related, {compact(w) for w in regulation if len(compact(w)) > 2}


@cache
def lexicon() -> Lexicon:
    """The tables, loaded once."""
    titles = {compact(t.surface): t for t in map(_title, _rows("titles.tsv"))}
    orgs = {compact(r[0]): r[1] for r in _rows("organizations.tsv")}
    forms = [line.strip() for line in _read("honorifics.txt").splitlines()
             if line.strip() and not line.startswith("#")]
    cues: dict[str, set[str]] = defaultdict(set)
    acting: dict[str, str] = {}
    for row in _rows("official_cues.tsv"):
        cues[row[0]].add(compact(row[1]) or row[1])
        if row[0] == "acting":
            acting[compact(row[1])] = row[2]
    calendar, bylines, related, regulation = _shared_cues()
    return Lexicon(
        titles=titles,
        orgs=orgs,
        honorifics={compact(f) for f in forms},
        degree_atoms={compact(f) for f in forms if len(compact(f)) > 1},
        cues=dict(cues),
        acting=acting,
        positions={t.position for t in titles.values()},
        weekdays_months=calendar,
        byline_markers=bylines,
        related_markers=related,
        regulation_words=regulation,
    )
