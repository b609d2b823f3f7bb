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
from dataclasses import dataclass, field

from spbe_extract import regions
from spbe_extract.nlp.officials_context import DocContext, expand_unit, written_out
from spbe_extract.nlp.officials_lexicon import Lexicon, Title
from spbe_extract.nlp.officials_text import Line, Word, is_headline
from spbe_extract.regions import RegionMention, compact

MAX_NAME_WORDS = 6
_UNIT_KINDS = {"org", "unit_type", "unit_word", "unit_name", "paren"}


@dataclass
class Element:
    """One part of a title's complement, over words ``i`` to ``j`` (exclusive)."""

    kind: str  # region | org | unit_type | unit_word | unit_name | paren | title | conn
    i: int
    j: int
    value: str | None = None  # an org written out, a central institution's name
    mention: RegionMention | None = None


@dataclass
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

    def words(self, i: int, j: int) -> tuple[Word, ...]:
        return self.line.words[i:j]


class LineReader:
    """Finds the title phrases of one line."""

    def __init__(self, line: Line, ctx: DocContext, lex: Lexicon) -> None:
        self.line, self.ctx, self.lex = line, ctx, lex
        self.words = line.words
        self.weak = is_headline(line)
        self._titles: dict[int, tuple[Title, int, str | None] | None] = {}
        self._parts: dict[int, Element | None] = {}
        self.cover: dict[int, tuple[int, RegionMention]] = {}
        for mention in ctx.mentions.get(line.start, []):
            idx = [k for k, w in enumerate(self.words)
                   if w.start >= mention.start and w.end <= mention.end]
            for k in idx:
                self.cover[k] = (idx[-1] + 1, mention)

    # ---- the phrases ---------------------------------------------------------------

    def phrases(self) -> list[Phrase]:
        found: list[Phrase] = []
        i = 0
        while i < len(self.words):
            head = self.title_at(i)
            if head is None or self.ctx.in_boilerplate(self.words[i].start, self.line, self.lex):
                i += 1
                continue
            title, j, glued = head
            phrase = self._read(i, j, title, glued)
            if phrase is not None:
                found.append(phrase)
                deputy = self._deputy(phrase)
                if deputy is not None:
                    found.append(deputy)
            i = j
        return found

    def _read(self, i: int, j: int, title: Title, glued: str | None) -> Phrase | None:
        if self._after_regulation(i):
            return None
        elements, end, rejected = self._complement(j, title)
        if rejected:
            return None
        name = self._name_after(end)
        back = False
        if name is None and not self.weak:
            name, back = self._name_before(self._acting_start(i)), True
        if name is None:
            return None
        return Phrase(self.line, title, (i, j), self._acting(i), elements, name,
                      weak=self.weak, back=back, glued_org=glued)

    # ---- titles --------------------------------------------------------------------

    def title_at(self, i: int) -> tuple[Title, int, str | None] | None:
        """The longest title starting at word ``i``: (title, end, unit glued to it)."""
        if i not in self._titles:
            self._titles[i] = self._title_at(i)
        return self._titles[i]

    def _title_at(self, i: int) -> tuple[Title, int, str | None] | None:
        if not (self.words[i].is_cap and self.words[i].is_alpha):
            return None
        if self.words[i].key not in self.lex.title_heads:
            return self._glued_title(i)
        for n in range(min(self.lex.title_words, len(self.words) - i), 0, -1):
            span = self.words[i : i + n]
            if not all(w.is_alpha or w.text == "-" for w in span):
                continue
            title = self.lex.titles.get(compact(" ".join(w.text for w in span)))
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
            if k - n >= 0 and compact(" ".join(w.text for w in self.words[k - n : k])) in (
                self.lex.acting
            ):
                return k - n
        return i

    def _acting(self, i: int) -> str | None:
        start = self._acting_start(i)
        if start == i:
            return None
        for w in self.words[start:i]:
            if w.key in self.lex.acting:
                return self.lex.acting[w.key]
        return self.lex.acting.get(compact(" ".join(w.text for w in self.words[start:i])))

    def _after_regulation(self, i: int) -> bool:
        """``Keputusan Menteri PANRB Nomor ...`` (a decree) or ``Ruang Rapat Bupati`` (a place)."""
        k = self._acting_start(i)
        if k == 0:
            return False
        before = self.words[k - 1]
        return before.key in self.lex.regulation_words or (
            before.is_cap and self.lex.cue("building", before.text))

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
            if self._connector(j) or (elements and self.lex.cue("place_word", self.words[j].text)):
                elements.append(Element("conn", j, j + 1))
                j += 1
                continue
            unit_end = self._unit_name_end(j, title, elements) or self._listed_unit_end(j, elements)
            if unit_end is None:
                break
            elements.append(Element("unit_name", j, unit_end))
            j = unit_end
        return elements, j, False

    def _part(self, k: int) -> Element | None:
        """A known complement part at word ``k`` whatever the title (memoised)."""
        if k not in self._parts:
            self._parts[k] = self._anchor(k, _NO_TITLE, first=False)
        return self._parts[k]

    def _anchor(self, j: int, title: Title, first: bool) -> Element | None:
        """A known complement part starting at word ``j``."""
        w = self.words[j]
        if w.text == "(":
            return self._paren(j)
        if j in self.cover:
            end, mention = self.cover[j]
            central = [r for r in mention.candidates if r.level == "pusat"]
            if central and len(central) == len(mention.candidates):
                return Element("org", j, end, central[0].name, mention)
            return Element("region", j, end, None, mention)
        if first and title.unit == "Kementerian":
            ministry = self._ministry(j)
            if ministry is not None:
                return ministry
        if not w.is_cap:
            return None
        for n in (3, 2, 1):
            span = self.words[j : j + n]
            if len(span) == n and all(x.is_alpha or x.text == "-" for x in span):
                unit = expand_unit(" ".join(x.text for x in span), self.ctx, self.lex)
                if unit and span[-1].is_alpha:
                    return Element("org", j, j + n, unit)
        for kind in ("unit_type", "unit_word"):
            if self.lex.cue(kind, w.text):
                return Element(kind, j, j + 1)
        if self.lex.is_degree(w.text):
            return Element("honorific", j, j + 1)
        return None

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
            text = self.ctx.text[self.words[j].start : self.words[k - 1].end]
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
        if not self.lex.cue("connector", w.text):
            return False
        if w.text == "dan":
            return (nxt is not None and nxt.is_cap and self.title_at(j + 1) is None
                    and not self.lex.cue("wakil", nxt.text))
        return w.is_cap or w.text == "&"

    def _event_at(self, j: int) -> bool:
        span = " ".join(w.text for w in self.words[j : j + 2])
        return self.lex.cue("event", self.words[j].text) or self.lex.cue("event", span)

    def _cap_run(self, j: int) -> int:
        """End of the run of capitalised words from ``j`` that are not known parts."""
        k = j
        while (k < len(self.words) and self.words[k].is_cap and self.words[k].is_alpha
               and self._part(k) is None
               and self.title_at(k) is None and not self.lex.cue("connector", self.words[k].text)):
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
            self.lex.cue("connector", self.words[m].text)
            or self.lex.cue("place_word", self.words[m].text)
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
        if any(lex.cue(kind, w.text) for kind in ("name_stop", "unit_type", "unit_word", "event")):
            return False
        return key not in lex.orgs and key not in self.ctx.definitions

    @property
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
        return (self.lex.cue("name_particle", w.text) and k > j and k + 1 < len(self.words)
                and self.is_namey(self.words[k + 1], first=False))

    def _bracketed_degree(self, j: int) -> bool:
        """``(Purn)``, ``(Ret)``: a rank in brackets before a name."""
        return (j + 2 < len(self.words) and self.words[j].text == "("
                and self.words[j + 2].text == ")" and self.lex.is_degree(self.words[j + 1].text))

    def _trimmed(self, j: int, k: int) -> tuple[int, int] | None:
        """A name span, cut to a person entity when the NER saw one starting there."""
        if k == j or all(w.is_initial for w in self.words[j:k]):
            return None
        start = self.words[j].start
        for ent_start, ent_end in self.ctx.persons:
            if ent_start == start:
                ends = [m for m in range(j + 1, k + 1) if self.words[m - 1].end == ent_end]
                if ends:
                    return j, ends[0]
        return j, k

    def _name_before(self, i: int) -> tuple[int, int] | None:
        """``Budi Santoso, Kepala Dinas ...`` / ``Budi selaku Kepala ...``: name before title."""
        k = i - 1
        words = self.words
        if k < 0 or not (words[k].text == "," or self.lex.cue("back_link", words[k].text)):
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
        linked = self.lex.cue("wakil_link", words[k].text)
        if not (linked and self.lex.cue("wakil", words[k + 1].text)):
            return None
        if self.title_at(k + 1) is not None:
            return None
        name = self._name_after(k + 2)
        if name is None:
            return None
        return Phrase(self.line, phrase.title, phrase.head, None, phrase.elements, name,
                      weak=phrase.weak, deputy_of=phrase, glued_org=phrase.glued_org)


_NO_TITLE = Title("", "Lainnya", "any", None, None)


_OTHER_LETTER = re.compile(r"[^\W\da-zA-Z_]")  # a letter beyond ASCII (É, Ş)
_WORDS = re.compile(r"\w+(?:[.'’\-]\w+)*")
_CAPITALISED = re.compile(r"(?<![\w.'’\-])[A-Z]\w*(?:[.'’\-]\w+)*")


def may_name_title(raw: str, lex: Lexicon, definitions: dict[str, str]) -> bool:
    """A cheap test before reading a line: does a capitalised word of it begin a title?
    ``definitions``: the unit abbreviations the article defines."""
    ascii_letters = not _OTHER_LETTER.search(raw)
    words = (_CAPITALISED if ascii_letters else _WORDS).finditer(raw)
    for match in words:
        word = match.group()
        if not word[:1].isupper():
            continue
        key = compact(word)
        if key in lex.title_heads or _glued(key, definitions, lex):
            return True
    return False


def _glued(key: str, definitions: dict[str, str], lex: Lexicon) -> tuple[Title, str] | None:
    """(prefix title, unit written out) when ``key`` glues a title to a unit (``Kadiskominfo``)."""
    for stem, title in lex.prefix_titles:
        if key.startswith(stem) and len(key) > len(stem):
            unit = written_out(key[len(stem) :], definitions, lex)
            if unit:
                return title, unit
    return None
