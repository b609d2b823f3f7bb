"""Boilerplate spans (spbe_extract.nlp.boilerplate) on texts written for these tests."""

from __future__ import annotations

import random
import re

from spbe_extract.bench import corpus
from spbe_extract.nlp import boilerplate
from spbe_extract.nlp.boilerplate import Boilerplate, find_boilerplate
from spbe_extract.nlp.rules import cue, phrase_needles

ARTICLE = """Pemkab Sidrap Gelar Bimtek SPBE

Oleh Humas Sidrap, Senin, 4 Maret 2024 | 10:00 WITA - Redaktur: Andi

Sidrap - Pemkab Sidrap gelar bimtek SPBE. Baca juga: Bupati resmikan pasar Kata dia, dua hari.
Oleh karena itu, semua OPD diminta hadir.
Baca juga: Indeks SPBE Pinrang naik
Pewarta: Rahmat
COPYRIGHT © Contoh News 2024

Berita Terkait
  • Kamis, 1 Februari 2024 | 09:00 WIB
Pemkot Parepare Raih Indeks SPBE 3,1
Tinggalkan Balasan
"""


def labels(text: str) -> list[tuple[str, str]]:
    return [(b.label, text[b.start : b.end]) for b in find_boilerplate(text)]


def test_markers_and_lists():
    found = labels(ARTICLE)
    byline = "Oleh Humas Sidrap, Senin, 4 Maret 2024 | 10:00 WITA - Redaktur: Andi"
    assert ("byline", byline) in found
    assert ("related", "Baca juga: Indeks SPBE Pinrang naik") in found
    assert ("byline", "Pewarta: Rahmat") in found
    assert ("copyright", "COPYRIGHT © Contoh News 2024") in found
    assert ("related", "Pemkot Parepare Raih Indeks SPBE 3,1") in found
    assert not any(text.startswith("Oleh karena") for _, text in found)


def test_inline_related_link_runs_to_the_end_of_its_sentence():
    found = labels(ARTICLE)
    assert ("related", "Baca juga: Bupati resmikan pasar Kata dia, dua hari.") in found


def test_repeated_paragraph_is_marked_once_seen():
    paragraph = "Pemerintah Kota Palopo terus memperkuat penerapan SPBE di semua perangkat daerah."
    text = f"{paragraph}\n{paragraph}\n"
    assert labels(text) == [("repeat", paragraph)]


# ---- find_boilerplate against the plain line-by-line version it replaced ------------

def _plain_find(text: str) -> list[Boilerplate]:
    """The original loop: every line stripped, lowered, matched, folded and searched."""
    bullet = re.compile(r"^[\s•·\-–*>|]+")
    found: list[Boilerplate] = []
    starts = cue("boilerplate")["line_starts"]
    heads = tuple(cue("boilerplate")["list_heads"])
    needles = phrase_needles(tuple(cue("boilerplate")["inline"]))
    seen: set[str] = set()
    in_list = in_short_list = False
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end, pos = pos, pos + len(line.rstrip("\r\n")), pos + len(line)
        raw = text[start:end]
        body = bullet.sub("", raw)
        offset = start + len(raw) - len(body)
        lowered = body.lower().strip()
        if not lowered:
            in_short_list = False
            continue
        if in_short_list and len(body) <= 160:
            found.append(Boilerplate(offset, end, "related"))
            continue
        if in_list and (len(body) > 160 and re.search(r"[.!?]\s*$", body)):
            in_list = False
        if lowered.startswith(heads):
            in_list = True
        match = boilerplate._line_start_regex().match(lowered)
        key = " ".join(lowered.split())
        if in_list:
            found.append(Boilerplate(offset, end, "related"))
        elif match and boilerplate._is_marker(lowered, match.group(0)):
            label = starts[boilerplate._key_of(match.group(0), starts)]
            found.append(Boilerplate(offset, end, label))
            in_short_list = label == "related" and not lowered[len(match.group(0)) :].strip(" :")
        elif len(key) >= 40 and key in seen:
            found.append(Boilerplate(offset, end, "repeat"))
        elif any(n in lowered for n in needles):
            found.extend(boilerplate._inline(text, offset, end))
        seen.add(key)
    return found


def _generated_articles(count: int, seed: int) -> list[str]:
    """Lines of markers, list heads, bullets, repeated paragraphs and odd whitespace."""
    rng = random.Random(seed)
    cues = cue("boilerplate")
    markers = [*cues["line_starts"], *cues["list_heads"], *cues["inline"], "oleh karena itu,"]
    paragraph = ("Pemerintah Kota Palopo terus memperkuat penerapan SPBE di semua perangkat "
                 "daerah tahun ini")
    fillers = [paragraph, paragraph.upper(), paragraph.replace(" ", "  "),
               paragraph.replace(" ", "\t", 3), paragraph.replace(" ", "\u00a0", 2),
               paragraph.replace(" ", "\x1f", 1), paragraph.replace(" ", " \u2009", 1),
               paragraph.replace("a", "“", 1), paragraph.replace("a", "\x1c", 1),
               paragraph + ". " + paragraph + ".", "Indeks SPBE naik.", "Ani", "İstanbul ıı ſ",
               "Baca juga: Berita lain. Isi berikutnya", "Kata dia, baca  juga itu", ""]
    bullets = ["", "", "", "• ", "- ", " * ", "\t> ", "| ", "·", "– ", "  "]
    ends = ["\n", "\n", "\n", "\n\n", "\r\n", "\u2028", "\x0c", " \n"]
    texts = []
    for _ in range(count):
        lines = []
        for _ in range(rng.randint(1, 25)):
            head = rng.choice(markers) if rng.random() < 0.4 else ""
            head = rng.choice([head, head.upper(), head.title(),
                               head.replace("s", "ſ").replace("i", "ı").replace("k", "\u212a")])
            tail = rng.choice(fillers) if rng.random() < 0.8 else ""
            lines.append(rng.choice(bullets) + head + rng.choice([" ", ": ", ""]) + tail)
            lines.append(rng.choice(ends))
        texts.append("".join(lines))
    return texts


def test_boilerplate_matches_the_plain_loop_on_generated_and_bench_articles():
    texts = _generated_articles(3000, 3) + [a.text for a in corpus.articles(1500, 7)]
    for text in texts:
        assert find_boilerplate(text) == _plain_find(text), text


def test_marker_matched_only_case_insensitively_gets_its_label():
    text = "Isi berita.\nſumber: Humas Kota\n"
    assert labels(text) == [("byline", "ſumber: Humas Kota")]
