"""Cue matching helpers (spbe_extract.nlp.rules)."""

from __future__ import annotations

import re

import pytest

from spbe_extract.nlp.rules import cue_regex, first_words, lower_words, words_pattern

TEXTS = [
    "Indeks SPBE Kota Ambon naik; indeks pembangunan manusia (IPM) juga. INDEKS spbe lagi.",
    "Nilai evaluasi SPBE-nya 3,2 dan nilainya naik; penilaian mandiri selesai.",
    "Di İstanbul, indeks SPBE tidak dibahas; hanya Indeks Kepuasan Masyarakat.",
    "Tanpa kata kunci apa pun di kalimat ini.",
]


def _reference(pattern: re.Pattern[str], names: tuple[str, ...], text: str) -> list[tuple]:
    """Try the pattern at every word that starts a cue, left to right, without overlaps."""
    firsts, stems = first_words(*names)
    found, end = [], 0
    for word in re.finditer(r"\w+", text):
        key = word.group().lower()
        if word.start() >= end and (key in firsts or (stems and key.startswith(stems))):
            match = pattern.match(text, word.start())
            if match:
                end = max(match.end(), word.start() + 1)
                found.append((match.start(), match.end()))
    return found


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("names", [("spbe_names", "other_indices"), ("value_nouns",)])
def test_cue_regex_tries_the_pattern_at_every_cue_word(text: str, names: tuple[str, ...]):
    from spbe_extract.nlp.rules import cue_words

    phrases = [w for name in names for w in cue_words(name)]
    regex = cue_regex(rf"(?:{words_pattern(phrases)})\w*", *names)
    expected = _reference(regex.pattern, names, text)
    assert [(m.start(), m.end()) for m in regex.finditer(text)] == expected
    assert [(m.start(), m.end()) for m in regex.finditer(text, lower_words(text))] == expected
    first = regex.search(text)
    assert (first.start(), first.end()) == expected[0] if expected else first is None


def test_reversed_words_pattern_matches_reversed_text():
    pattern = re.compile(rf"(?:{words_pattern(['di bawah', 'tahap*', 'se-'], reverse=True)})$")
    for text in ("di  bawah", "tahapan", "tahap", "se-"):
        assert pattern.match(text[::-1]), text
    assert not pattern.match("bawah"[::-1]) and not pattern.match("setahap"[::-1])
