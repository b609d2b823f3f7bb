"""Reading one title phrase: ``[Plt.] Title [unit] [region] [,] [honorifics] Name [, degrees]``.

A phrase starts at an office title from ``titles.tsv``. What follows the title, up to the
name, is its *complement*: unit names (``Dinas Komunikasi, Informatika, dan Statistik``,
``Kominfo SP``, ``(Kabid) Statistik``), region names (``Provinsi Gorontalo``, ``Kaltim``) and
connectors. Capitalised words that are none of these belong to the complement only when a
unit or region follows them; otherwise they are the name. When no name follows the title,
a name right before it (``Budi Santoso, Kepala Dinas ...``) is taken instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, cached_property

from spbe_extract import regions
from spbe_extract.nlp.officials_context import DocContext, expand_unit, written_out
from spbe_extract.nlp.officials_lexicon import Lexicon, Title
from spbe_extract.nlp.officials_text import Line, Word, is_headline
from spbe_extract.regions import RegionMention, compact

MAX_NAME_WORDS = 6
_UNIT_KINDS = {"org", "unit_type", "unit_word", "unit_name", "paren"}


@dataclass(slots=True)
class Element:
    """One part of a title's complement, over words ``i`` to ``j`` (exclusive)."""

    kind: str  # region | org | unit_type | unit_word | unit_name | paren | title | conn
    i: int
    j: int
    value: str | None = None  # an org written out, a central institution's name
    mention: RegionMention | None = None


@dataclass(slots=True)
class Phrase:
    """A title phrase with the name it gives (word indexes into the line)."""

    line: Line
    title: Title
    head: tuple[int, int]
    acting: str | None
    elements: list[Element]
    name: tuple[int, int]
    weak: bool = False
    back: bool = False
    deputy_of: Phrase | None = None
    glued_org: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def words(self, i: int, j: int) -> list[Word]:
        return self.line.words[i:j]


class LineReader:
    """Finds the title phrases of one line."""

    def __init__(self, line: Line, ctx: DocContext, lex: Lexicon) -> None:
        self.line, self.ctx, self.lex = line, ctx, lex
        self.words, self.starts, self.ends = line.split
        self._titles: dict[int, tuple[Title, int, str | None] | None] = {}
        self._parts: dict[int, Element | None] = {}
        self.cover = self._covered(ctx.mentions.get(line.start, []))
        self._weak: bool | None = None

    def _covered(self, mentions: list[RegionMention]) -> dict[int, tuple[int, RegionMention]]:
        """Word index -> (end of the region mention covering the word, the mention)."""
        cover: dict[int, tuple[int, RegionMention]] = {}
        for mention in mentions:
            first = bisect_left(self.starts, mention.start)
            end = bisect_right(self.ends, mention.end)
            for k in range(first, end):
                cover[k] = (end, mention)
        return cover

    @property
    def weak(self) -> bool:
        """The line is a heading (see ``is_headline``): its names are weak."""
        if self._weak is None:
            self._weak = is_headline(self.line)
        return self._weak

    # ---- the phrases ---------------------------------------------------------------

    def phrases(self) -> list[Phrase]:
        found: list[Phrase] = []
        read_to = 0  # the words before it belong to a phrase read
        for i in [i for i, w in enumerate(self.words) if w.opens]:  # see ``title_at``
            if i < read_to:
                continue
            head = self.title_at(i)
            if head is None or self.ctx.in_boilerplate(self.starts[i], self.line, self.lex):
                continue
            title, read_to, glued = head
            phrase = self._read(i, read_to, title, glued)
            if phrase is not None:
                found.append(phrase)
                deputy = self._deputy(phrase)
                if deputy is not None:
                    found.append(deputy)
        return found

    def _read(self, i: int, j: int, title: Title, glued: str | None) -> Phrase | None:
        start = self._acting_start(i)
        if self._after_regulation(start):
            return None
        elements, end, rejected = self._complement(j, title)
        if rejected:
            return None
        name = self._name_after(end)
        back = False
        if name is None and not self.weak:
            name, back = self._name_before(start), True
        if name is None:
            return None
        return Phrase(self.line, title, (i, j), self._acting(start, i), elements, name,
                      weak=self.weak, back=back, glued_org=glued)

    # ---- titles --------------------------------------------------------------------

    def title_at(self, i: int) -> tuple[Title, int, str | None] | None:
        """The longest title starting at word ``i``: (title, end, unit glued to it)."""
        if not self.words[i].opens:
            return None  # a title starts with a title head or a glued stem (``Ka``)
        if i not in self._titles:
            self._titles[i] = self._title_at(i)
        return self._titles[i]

    def _title_at(self, i: int) -> tuple[Title, int, str | None] | None:
        if not (self.words[i].is_cap and self.words[i].is_alpha):
            return None
        if self.words[i].key not in self.lex.title_heads:
            return self._glued_title(i)
        keys = self._joined_keys(i, self.lex.title_words)
        for n in range(len(keys), 0, -1):
            title = self.lex.titles.get(keys[n - 1])
            if title is not None and not title.prefix:
                return title, i + n, None
        return self._glued_title(i)

    def _glued_title(self, i: int) -> tuple[Title, int, str | None] | None:
        """``Kadiskominfo``: a prefix title glued to a unit abbreviation."""
        glued = _glued(self.words[i].key, self.ctx.definitions, self.lex)
        return (glued[0], i + 1, glued[1]) if glued else None

    def _acting_start(self, i: int) -> int:
        """Index of the first word of an acting marker before word ``i`` (or ``i``)."""
        k = i
        if k >= 3 and self.words[k - 1].text == ")" and self.words[k - 3].text == "(":
            k -= 3
        for n in (2, 1):
            if k - n >= 0 and "".join(w.key for w in self.words[k - n : k]) in self.lex.acting:
                return k - n
        return i

    def _acting(self, start: int, i: int) -> str | None:
        """The acting marker over words ``start`` to ``i`` (see ``_acting_start``)."""
        if start == i:
            return None
        for w in self.words[start:i]:
            if w.key in self.lex.acting:
                return self.lex.acting[w.key]
        return self.lex.acting.get("".join(w.key for w in self.words[start:i]))

    def _after_regulation(self, k: int) -> bool:
        """``Keputusan Menteri PANRB Nomor ...`` (a decree) or ``Ruang Rapat Bupati`` (a place)
        before the phrase starting at word ``k``."""
        if k == 0:
            return False
        before = self.words[k - 1]
        return before.key in self.lex.regulation_words or (
            before.is_cap and self.lex.cue_key("building", before.key))

    # ---- the complement ------------------------------------------------------------

    def _complement(self, j: int, title: Title) -> tuple[list[Element], int, bool]:
        elements: list[Element] = []
        absorbed = False
        while j < len(self.words):
            if self._event_at(j):
                return elements, j, True
            element = self._anchor(j, title, first=not elements)
            if element is not None and element.kind == "honorific":
                break
            if element is not None:
                elements.append(element)
                j = element.j
                continue
            if self.title_at(j) is not None:
                if title.absorb and not absorbed:
                    absorbed = True
                    inner, end, _ = self.title_at(j)  # type: ignore[misc]
                    elements.append(Element("title", j, end, inner.surface))
                    j = end
                    continue
                break
            if self._connector(j) or (
                    elements and self.lex.cue_key("place_word", self.words[j].key)):
                elements.append(Element("conn", j, j + 1))
                j += 1
                continue
            unit_end = self._unit_name_end(j, title, elements) or self._listed_unit_end(j, elements)
            if unit_end is None:
                break
            elements.append(Element("unit_name", j, unit_end))
            j = unit_end
        return elements, j, False

    def _anchor(self, j: int, title: Title, first: bool) -> Element | None:
        """A known complement part starting at word ``j`` (the ministry a minister heads
        first, ``Menteri Komunikasi dan Informatika``)."""
        if (first and title.unit == "Kementerian" and self.words[j].text != "("
                and j not in self.cover):
            ministry = self._ministry(j)
            if ministry is not None:
                return ministry
        return self._part(j)

    def _part(self, k: int) -> Element | None:
        """A known complement part at word ``k`` whatever the title (memoised)."""
        if k not in self._parts:
            self._parts[k] = self._known_part(k)
        return self._parts[k]

    def _known_part(self, j: int) -> Element | None:
        w = self.words[j]
        if w.text == "(":
            return self._paren(j)
        if j in self.cover:
            end, mention = self.cover[j]
            central = [r for r in mention.candidates if r.level == "pusat"]
            if central and len(central) == len(mention.candidates):
                return Element("org", j, end, central[0].name, mention)
            return Element("region", j, end, None, mention)
        if not w.is_cap:
            return None
        unit = self._unit_at(j)
        if unit is not None:
            return unit
        kind = self.lex.unit_kinds.get(w.key)
        if kind is not None:
            return Element(kind, j, j + 1)
        if self.lex.is_degree(w.text):
            return Element("honorific", j, j + 1)
        return None

    def _unit_at(self, j: int) -> Element | None:
        """A unit abbreviation over up to three words from ``j`` (``Kominfo SP``), written out."""
        first = self.words[j].key
        defined = self.ctx.definitions
        if first not in self.lex.org_prefixes and not (
                defined and any(key.startswith(first) for key in defined)):
            return None  # no abbreviation starts so
        keys = self._joined_keys(j, 3)
        for n in range(len(keys), 0, -1):
            unit = self._unit_of(keys[n - 1])
            if unit and self.words[j + n - 1].is_alpha:
                return Element("org", j, j + n, unit)
        return None

    def _joined_keys(self, j: int, most: int) -> list[str]:
        """The folded forms of words ``j`` to ``j + n`` for n = 1, 2 ... ``most``, as long as
        the words are letters or hyphens (a title, a unit name)."""
        keys: list[str] = []
        for w in self.words[j : j + most]:
            if not (w.is_alpha or w.text == "-"):
                break
            keys.append(keys[-1] + w.key if keys else w.key)
        return keys

    def _unit_of(self, key: str) -> str | None:
        """``expand_unit`` of words whose folded forms join into ``key``."""
        found = self.ctx.definitions.get(key)
        return found if found is not None else self.lex.orgs.get(key)

    def _paren(self, j: int) -> Element | None:
        """``(Kabid)``, ``(Diskominfotiksan)``, ``(NTT)``: an abbreviation in brackets."""
        close = next((k for k in range(j + 1, min(j + 6, len(self.words)))
                      if self.words[k].text == ")"), None)
        if close is None or close == j + 1:
            return None
        inner = self.words[j + 1 : close]
        text = " ".join(w.text for w in inner)
        key = compact(text)
        known = (key in self.lex.titles or key in self.lex.acting
                 or expand_unit(text, self.ctx, self.lex) is not None
                 or bool(regions.lookup(text))
                 or all(w.is_upper or w.text == "-" for w in inner))
        if not known:
            return None
        return Element("paren", j, close + 1, expand_unit(text, self.ctx, self.lex))

    def _ministry(self, j: int) -> Element | None:
        """``Menteri PAN- RB`` / ``Menteri Komunikasi dan Informatika``: the ministry named."""
        stop = j
        while stop < len(self.words) and stop - j < 8 and self.words[stop].text not in ",()":
            stop += 1
        for k in range(stop, j, -1):
            text = self.ctx.text[self.starts[j] : self.ends[k - 1]]
            found = [r for r in regions.lookup(f"Kementerian {text}") if r.level == "pusat"]
            if found:
                return Element("org", j, k, found[0].name)
        return None

    def _connector(self, j: int) -> bool:
        w = self.words[j]
        nxt = self.words[j + 1] if j + 1 < len(self.words) else None
        if w.text == ",":
            if nxt is not None and nxt.text in ("dan", "&"):
                return self._connector(j + 1)
            return nxt is not None and nxt.is_cap
        if not self.lex.cue_key("connector", w.key):
            return False
        if w.text == "dan":
            return (nxt is not None and nxt.is_cap and self.title_at(j + 1) is None
                    and not self.lex.cue_key("wakil", nxt.key))
        return w.is_cap or w.text == "&"

    def _event_at(self, j: int) -> bool:
        events, key = self.lex.cue_set("event"), self.words[j].key
        return key in events or (j + 1 < len(self.words) and key + self.words[j + 1].key in events)

    def _cap_run(self, j: int) -> int:
        """End of the run of capitalised words from ``j`` that are not known parts."""
        k = j
        connectors = self.lex.cue_set("connector")
        while (k < len(self.words) and self.words[k].is_cap and self.words[k].is_alpha
               and self.words[k].key not in connectors and self.title_at(k) is None
               and self._part(k) is None):
            k += 1
        return k

    def _unit_name_end(self, j: int, title: Title, elements: list[Element]) -> int | None:
        """End of unknown capitalised words that name a unit (a unit or region follows)."""
        k = self._cap_run(j)
        if k == j:
            return None
        if all(w.is_upper for w in self.words[j:k]) and not self.line_upper:
            return k  # acronyms (SPBE, TIK) are never a name
        m = k
        while m < len(self.words) and self.words[m].is_cap and (
            self.lex.cue_key("connector", self.words[m].key)
            or self.lex.cue_key("place_word", self.words[m].key)
        ):
            m += 1
        if self._is_part(m):
            return k
        if k < len(self.words) and self.words[k].text == "dan":
            after = self._cap_run(k + 1)
            if (after > k + 1 and self._is_part(after)) or self._is_part(k + 1):
                return k
        expects_unit = (title.unit is not None or title.named) and not any(
            e.kind in _UNIT_KINDS for e in elements)
        if (expects_unit and k + 1 < len(self.words) and self.words[k].text == ","
                and self._name_after(k) is not None):
            return k
        return None

    def _listed_unit_end(self, j: int, elements: list[Element]) -> int | None:
        """``Bidang Pemerintahan, Hukum dan Politik, Budi``: a listed unit name before a name."""
        previous = [e for e in elements if e.kind != "conn"]
        if not previous or previous[-1].kind not in _UNIT_KINDS:
            return None
        k, listed = j, False
        while True:
            end = self._cap_run(k)
            while end < len(self.words) and self._is_part(end):
                end = self._part(end).j  # type: ignore[union-attr]
            if end == k or end >= len(self.words):
                return None
            if self.words[end].text == "dan":
                listed, k = True, end + 1
            elif self.words[end].text == ",":
                if listed and self._name_after(end) is not None:
                    return end
                k = end + 1
            else:
                return None

    def _is_part(self, k: int) -> bool:
        if k >= len(self.words):
            return False
        element = self._part(k)
        return element is not None and element.kind != "honorific"

    # ---- names ---------------------------------------------------------------------

    def is_namey(self, w: Word, first: bool) -> bool:
        """Could be a word of a person's name."""
        if not (w.is_cap and w.text[:1].isalpha()) or self.lex.is_degree(w.text):
            return False
        if first and w.is_upper and not self.line_upper:
            return False
        key = w.key
        lex = self.lex
        if key in lex.weekdays_months or key in lex.titles or key in lex.acting:
            return False
        return key not in lex.not_name and key not in lex.orgs and key not in self.ctx.definitions

    @cached_property
    def line_upper(self) -> bool:
        letters = [c for w in self.words for c in w.text if c.isalpha()]
        return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8

    def _name_after(self, j: int) -> tuple[int, int] | None:
        """The name starting at or after word ``j`` (skipping a comma and honorifics)."""
        while j < len(self.words):
            if self.words[j].text == "," or self.lex.is_degree(self.words[j].text):
                j += 1
            elif self._bracketed_degree(j):
                j += 3
            else:
                break
        k = j
        while k < len(self.words) and k - j < MAX_NAME_WORDS:
            if not self._name_word(j, k):
                break
            k += 1
        return self._trimmed(j, k)

    def _name_word(self, j: int, k: int) -> bool:
        """Word ``k`` continues a name that started at word ``j``."""
        w = self.words[k]
        if self.is_namey(w, first=k == j) or (w.is_initial and w.text != "I"):
            return True
        return (self.lex.cue_key("name_particle", w.key) and k > j and k + 1 < len(self.words)
                and self.is_namey(self.words[k + 1], first=False))

    def _bracketed_degree(self, j: int) -> bool:
        """``(Purn)``, ``(Ret)``: a rank in brackets before a name."""
        return (j + 2 < len(self.words) and self.words[j].text == "("
                and self.words[j + 2].text == ")" and self.lex.is_degree(self.words[j + 1].text))

    def _trimmed(self, j: int, k: int) -> tuple[int, int] | None:
        """A name span, cut to a person entity when the NER saw one starting there."""
        if k == j or all(w.is_initial for w in self.words[j:k]):
            return None
        start = self.starts[j]
        for ent_start, ent_end in self.ctx.persons:
            if ent_start == start:
                ends = [m for m in range(j + 1, k + 1) if self.ends[m - 1] == ent_end]
                if ends:
                    return j, ends[0]
        return j, k

    def _name_before(self, i: int) -> tuple[int, int] | None:
        """``Budi Santoso, Kepala Dinas ...`` / ``Budi selaku Kepala ...``: name before title."""
        k = i - 1
        words = self.words
        if k < 0 or not (words[k].text == "," or self.lex.cue_key("back_link", words[k].key)):
            return None
        while k > 0 and (words[k - 1].text == "," or self.lex.is_degree(words[k - 1].text)):
            k -= 1
        end = k
        while k > 0 and end - k < MAX_NAME_WORDS and (
            self.is_namey(self.words[k - 1], first=False) or self.words[k - 1].is_initial
        ) and (k - 1) not in self.cover:
            k -= 1
        if k == end or not self.is_namey(self.words[k], first=True):
            return None
        before = self.words[k - 1] if k > 0 else None
        if end - k == 1 and (before is None or before.is_cap or not before.is_alpha):
            return None  # one capitalised word opening a clause: too weak
        return k, end

    def _deputy(self, phrase: Phrase) -> Phrase | None:
        """``Wali Kota X Ibnu Sina dan Wakilnya Arifin Noor``: the deputy, with no title."""
        k = phrase.name[1]
        words = self.words
        if phrase.back or k + 2 >= len(words):
            return None
        linked = self.lex.cue_key("wakil_link", words[k].key)
        if not (linked and self.lex.cue_key("wakil", words[k + 1].key)):
            return None
        if self.title_at(k + 1) is not None:
            return None
        name = self._name_after(k + 2)
        if name is None:
            return None
        return Phrase(self.line, phrase.title, phrase.head, None, phrase.elements, name,
                      weak=phrase.weak, deputy_of=phrase, glued_org=phrase.glued_org)


_OTHER_LETTER = re.compile(r"[^\W\da-zA-Z_]")  # a letter beyond ASCII (É, Ş)
_WORDS = re.compile(r"\w+(?:[.'’\-]\w+)*")
_FOLDED_AWAY = r"(?:[_.'’\-]|(?![0-9])\d)*"  # what ``compact`` drops from a word of an ASCII line


@cache
def _title_words(openings: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """Capitalised words of an ASCII line whose folded form starts with one of ``openings``
    (first letter, the letters that may follow it): the only words that may begin a title.
    After the capital, a lookbehind checks that no word goes on before it."""
    branches = "|".join(
        rf"{first.upper()}(?<![\w.'’\-].)"
        + (rf"(?={_FOLDED_AWAY}[{nexts}{nexts.upper()}])" if nexts else "")
        for first, nexts in openings)
    return re.compile(rf"(?:{branches})\w*(?:[.'’\-]\w+)*")


def may_name_title(raw: str, lex: Lexicon, definitions: dict[str, str]) -> bool:
    """A cheap test before reading a line: does a capitalised word of it begin a title?
    ``definitions``: the unit abbreviations the article defines."""
    if _ascii_letters(raw):
        words = _title_words(lex.title_openings).findall(raw)
    else:
        words = [w for w in _WORDS.findall(raw) if w[:1].isupper()]
    return any(_opens_title(word, lex, definitions) for word in words)


def title_lines(text: str, lines: list[Line], lex: Lexicon,
                definitions: dict[str, str]) -> list[Line]:
    """The ``lines`` of ``text`` that ``may_name_title`` holds for; read in one pass over the
    text when no line has letters beyond ASCII (no word spans a line)."""
    if not _ascii_letters(text):
        return [line for line in lines if may_name_title(line.raw, lex, definitions)]
    found: list[Line] = []
    pattern, starts = _title_words(lex.title_openings), [line.start for line in lines]
    match = pattern.search(text)
    while match is not None:
        if _opens_title(match.group(), lex, definitions):
            found.append(lines[bisect_right(starts, match.start()) - 1])
            match = pattern.search(text, found[-1].end)
        else:
            match = pattern.search(text, match.end())
    return found


def _ascii_letters(text: str) -> bool:
    """No letter beyond ASCII: ``_title_words`` finds the words that may begin a title."""
    return text.isascii() or not _OTHER_LETTER.search(text)


def _opens_title(word: str, lex: Lexicon, definitions: dict[str, str]) -> bool:
    """A capitalised word that is a title head or glues a title to a unit."""
    key = compact(word)
    return key in lex.title_heads or (key.startswith(lex.title_stems)
                                      and _glued(key, definitions, lex) is not None)


def _glued(key: str, definitions: dict[str, str], lex: Lexicon) -> tuple[Title, str] | None:
    """(prefix title, unit written out) when ``key`` glues a title to a unit (``Kadiskominfo``)."""
    for stem, title in lex.prefix_titles:
        if key.startswith(stem) and len(key) > len(stem):
            unit = written_out(key[len(stem) :], definitions, lex)
            if unit:
                return title, unit
    return None
