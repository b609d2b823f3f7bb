"""Government officials named in an article: name, position, acting, unit, region, evidence.

``find_officials(doc)`` reads every title phrase of the article body (see
``officials_phrase``), turns each into a *mention* (SPEC position, unit written out, region
served) and folds the mentions of one person into one record, keeping the fullest name
(``Sekda Sri`` -> ``Sri Wahyuni``). Only people named together with an office count: a name
with a speech verb alone (``kata Rifli``) adds nothing, nor do bylines, related-article
lists and other boilerplate. Rule tables: ``data/titles.tsv``, ``data/organizations.tsv``,
``data/honorifics.txt``, ``data/official_cues.tsv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from spbe_extract import regions
from spbe_extract.model import Evidence, Official
from spbe_extract.nlp.officials_context import DocContext, build_context
from spbe_extract.nlp.officials_lexicon import Lexicon, Title, lexicon
from spbe_extract.nlp.officials_phrase import Element, LineReader, Phrase, title_lines
from spbe_extract.regions import Region, compact

# Units that head an office (a Dinas rather than one of its Bidang), for generic titles.
_TOP_UNITS = {"dinas", "badan", "kementerian", "biro", "inspektorat", "sekretariat", "kantor"}
_REGION_RANK = {"text": 4, "unit": 3, "near": 2, "home": 1, "none": 0}


@dataclass(slots=True)
class Mention:
    """One title phrase read as an official."""

    name: str
    tokens: frozenset[str]
    order: tuple[str, ...]
    position: str
    acting: str | None
    organization: str | None
    region: str | None
    region_source: str
    evidence: Evidence
    weak: bool
    confidence: float


@dataclass(slots=True)
class Person:
    """The mentions of one person in one article."""

    mentions: list[Mention] = field(default_factory=list)

    def related(self, m: Mention) -> bool:
        return any(m.tokens <= o.tokens or o.tokens <= m.tokens for o in self.mentions)

    @property
    def strong(self) -> list[Mention]:
        return [m for m in self.mentions if not m.weak]


def find_officials(doc: Doc, home_region: str | Region | None = None) -> list[Official]:
    """Officials named in ``doc`` (one per person), in order of first mention.

    ``home_region`` overrides ``doc._.home_region`` (the region a local office without a
    region in the text belongs to).
    """
    lex = lexicon()
    ctx = build_context(doc, lex, home_region)
    mentions: list[Mention] = []
    for line in title_lines(ctx.text, ctx.lines, lex, ctx.definitions):
        for phrase in LineReader(line, ctx, lex).phrases():
            mention = _mention(phrase, ctx, lex)
            if mention is not None:
                mentions.append(mention)
    return [o for o in (_official(p, ctx) for p in _fold(mentions)) if o is not None]


# ---- one mention ----------------------------------------------------------------------


def _mention(phrase: Phrase, ctx: DocContext, lex: Lexicon) -> Mention | None:
    office = _office(phrase, lex)
    if office is None:
        return None
    title, position, organization = office
    source = phrase.deputy_of or phrase
    region, region_source = _region(source, title, organization, ctx)
    order = tuple(w.key for w in phrase.words(*phrase.name))
    start, end = phrase.line.span(*phrase.name)
    head_start = phrase.line.span(*phrase.head)[0]
    sentence, s_start, s_end = ctx.sentence(min(start, head_start), phrase.line)
    confidence = 0.8 if phrase.deputy_of else 0.9 if phrase.back else 1.0
    return Mention(
        name=ctx.text[start:end],
        tokens=frozenset(order),
        order=order,
        position=position,
        acting=phrase.acting if not phrase.deputy_of else None,
        organization=organization,
        region=region,
        region_source=region_source,
        evidence=Evidence(sentence, s_start, s_end),
        weak=phrase.weak,
        confidence=confidence,
    )


def _office(phrase: Phrase, lex: Lexicon) -> tuple[Title, str, str | None] | None:
    """(effective title, SPEC position, unit written out); None for a generic title w/o unit."""
    title = phrase.title
    if title.generic:
        unit = phrase.glued_org or _generic_unit(phrase)
        if unit is None:
            return None
        resolved = lex.titles.get(compact(f"{title.head} {unit.split()[0]}"))
        if resolved is not None and not resolved.generic:
            title = resolved
        position = title.position
    else:
        position, unit = title.position, _title_unit(phrase, title)
    if phrase.deputy_of is not None:
        deputy = f"Wakil {position}"
        position = deputy if deputy in lex.positions else "Lainnya"
    return title, position, unit


def _title_unit(phrase: Phrase, title: Title) -> str | None:
    """The unit a title heads: its org option, the ministry, or the unit named after it."""
    if title.org:
        found = [r for r in regions.lookup(title.org) if r.level == "pusat"]
        return found[0].name if found else title.org
    if title.unit is None:  # "Asisten ... Setda X", "Deputi Bidang ... Kementerian PANRB"
        return next((e.value for e in phrase.elements if e.kind == "org" and e.value), None)
    group: list[Element] = []
    for element in phrase.elements:
        if element.kind == "paren" and not group:
            continue
        if element.kind in ("unit_word", "unit_name") or (group and _joins(phrase, element)):
            group.append(element)
            continue
        if element.kind == "org" and not group and element.value:
            first = element.value.split()[0]
            return element.value if first in (title.unit, "Kementerian") else None
        break
    while group and group[-1].kind == "conn" and not _is_word(phrase, group[-1], "Daerah"):
        group.pop()
    if not group:
        return None
    return f"{title.unit} {_span_text(phrase, group[0].i, group[-1].j)}"


def _generic_unit(phrase: Phrase) -> str | None:
    """The unit a generic title (Kepala, Sekretaris, Ketua) belongs to, written out."""
    units: list[str] = []
    elements = phrase.elements
    for k, element in enumerate(elements):
        if element.kind in ("org", "paren") and element.value:
            units.append(element.value)
        elif element.kind == "unit_type":
            units.append(_unit_span(phrase, elements, k))
    for unit in units:
        if unit.split()[0].lower() in _TOP_UNITS:
            if unit.startswith("Kementerian") and elements[0].kind == "unit_type":
                return units[0]  # "Kepala Pusat Data ... KKP": the ministry's unit
            return unit
    return units[0] if units else None


def _unit_span(phrase: Phrase, elements: list[Element], k: int) -> str:
    """``Pusat Data, Statistik, dan Informasi``: a unit type and its name words, connectors
    inside the name kept, trailing ones dropped."""
    last = k
    for end in range(k + 1, len(elements)):
        if elements[end].kind in ("unit_word", "unit_name"):
            last = end
        elif elements[end].kind != "conn":
            break
    return _span_text(phrase, elements[k].i, elements[last].j).rstrip(" ,")


def _is_word(phrase: Phrase, element: Element, word: str) -> bool:
    return phrase.line.words[element.i].text == word


def _joins(phrase: Phrase, element: Element) -> bool:
    return element.kind == "conn" and phrase.line.words[element.i].text in (
        "dan", ",", "&", "Daerah")


def _span_text(phrase: Phrase, i: int, j: int) -> str:
    words = phrase.line.words[i:j]
    text = ""
    for w in words:
        text += w.text if w.text in (",", "-") or text.endswith("-") or not text else f" {w.text}"
    return text


# ---- region ---------------------------------------------------------------------------


def _region(phrase: Phrase, title: Title, unit: str | None,
            ctx: DocContext) -> tuple[str | None, str]:
    """The region the office serves and where it came from (text, unit, home, none)."""
    if title.scope == "central":
        return None, "none"
    mentions = [e.mention for e in phrase.elements if e.kind == "region" and e.mention]
    if mentions:
        return _pick(mentions[-1], title, ctx).name, "text"
    if any(e.kind == "org" and e.mention for e in phrase.elements):
        return None, "none"  # a central institution named, no region
    from_unit = ctx.unit_region(unit)
    if from_unit:
        return from_unit, "unit"
    if title.scope == "local":
        inner = [ctx_title(e.value) for e in phrase.elements if e.kind == "title" and e.value]
        level = title.level or next((t.level for t in inner if t and t.level), None)
        near = _nearby(phrase, level, ctx)
        if near is not None:
            return near.name, "near"
        home = _at_level(ctx.home, level)
        if home is not None:
            return home.name, "home"
    return None, "none"


def _nearby(phrase: Phrase, level: str | None, ctx: DocContext) -> Region | None:
    """``Wali Kota Palu X bersama Wakil Wali Kota Y``: the last region of the office's level
    named earlier in the same sentence."""
    if level is None:
        return None
    head = phrase.line.span(*phrase.head)[0]
    _, s_start, _ = ctx.sentence(head, phrase.line)
    for mention in reversed(ctx.mentions.get(phrase.line.start, [])):
        if s_start <= mention.start and mention.end <= head:
            same = [r for r in mention.candidates if r.level == level]
            if len(same) == 1:
                return same[0]
    return None


def ctx_title(surface: str) -> Title | None:
    """The title row of an inner title (``Gubernur`` in ``Staf Ahli Gubernur``)."""
    return lexicon().titles.get(compact(surface))


def _pick(mention: regions.RegionMention, title: Title, ctx: DocContext) -> Region:
    """The candidate a region mention means for this office."""
    candidates = [r for r in mention.candidates if r.level not in ("pusat", "nasional")]
    candidates = candidates or list(mention.candidates)
    level = mention.level_hint or title.level
    if level:
        candidates = [r for r in candidates if r.level == level] or candidates
    if len(candidates) > 1 and ctx.home is not None:
        for region in candidates:
            if region.name == ctx.home.name:
                return region
    return candidates[0]


def _at_level(home: Region | None, level: str | None) -> Region | None:
    """The home region as seen by an office of ``level`` (a governor of a kota's province)."""
    if home is None or level is None or home.level == level:
        return home
    if level == "provinsi" and home.parent_code:
        return regions.by_code(home.parent_code)
    return None


# ---- folding --------------------------------------------------------------------------


def _fold(mentions: list[Mention]) -> list[Person]:
    """Group the mentions of each person (one name's words contain the other's)."""
    people: list[Person] = []
    for mention in mentions:
        related = [p for p in people if p.related(mention)]
        if not related:
            people.append(Person([mention]))
            continue
        same = [p for p in related if any(m.position == mention.position for m in p.mentions)]
        (same or related)[-1].mentions.append(mention)
    return people


def _official(person: Person, ctx: DocContext) -> Official | None:
    strong = person.strong
    named = strong or [m for m in person.mentions if _entity(m, ctx)]
    if not named:
        return None
    best_name = _fullest(person, named)
    office = next((m for m in strong if m.position != "Lainnya" and m.confidence == 1.0),
                  None) or named[0]
    place = max(person.mentions, key=lambda m: (_REGION_RANK[m.region_source], not m.weak))
    return Official(
        name=best_name.name,
        position=office.position,
        evidence=best_name.evidence,
        acting=next((m.acting for m in person.mentions if m.acting), None),
        organization=office.organization
        or next((m.organization for m in person.mentions if m.organization), None),
        region=place.region,
        confidence=office.confidence,
    )


def _fullest(person: Person, named: list[Mention]) -> Mention:
    """The fullest form of the name; a heading may only add words before it (``M Ali``)."""
    best = max(named, key=lambda m: len(m.tokens))
    for mention in person.mentions:
        if mention.weak and len(mention.tokens) > len(best.tokens) and mention.tokens > best.tokens:
            tail = mention.order[-len(best.order):]
            if tail == best.order:
                best = mention
    return best


def _entity(mention: Mention, ctx: DocContext) -> bool:
    """A NER person span confirms a name read from a heading."""
    return any(ctx.text[s:e] == mention.name for s, e in ctx.persons)
