"""The shipped spaCy NER (models/id_spbe_ner) on sentences written for these tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from spbe_extract.nlp import models
from spbe_extract.nlp.models import ModelError, entity_spans, load_ner, person_spans


def texts_of(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_shipped_model_loads_with_its_provenance_and_test_scores() -> None:
    nlp = load_ner()
    assert nlp.pipe_names == ["ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC"}
    meta = nlp.meta
    assert meta["sources"][0]["name"] == "idner-news-2k"
    assert meta["sources"][0]["license"] == "MIT"
    per_type = meta["test_performance"]["ents_per_type"]
    assert set(per_type) == {"PER", "ORG", "LOC"}
    assert all(0.0 < per_type[label]["f"] <= 1.0 for label in per_type)


def test_shipped_model_is_small() -> None:
    size = sum(f.stat().st_size for f in models.NER_DIR.rglob("*") if f.is_file())
    assert size < 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Kepala Dinas Kominfo Sulawesi Tengah, Budi Santoso, mengatakan nilai indeks "
            "SPBE provinsi itu naik tahun ini.",
            "Budi Santoso",
        ),
        (
            "Menurut Sekretaris Daerah Kabupaten Sigi, Rahmat Hidayat, evaluasi tahun depan "
            "akan lebih ketat.",
            "Rahmat Hidayat",
        ),
        (
            "Bupati Andi Firmansyah meminta seluruh perangkat daerah segera memperbaiki "
            "layanan digital.",
            "Andi Firmansyah",
        ),
        ("Kami akan terus berbenah, kata Yulianti kepada wartawan di Palu.", "Yulianti"),
    ],
)
def test_person_spans_find_the_name(text: str, name: str) -> None:
    assert name in texts_of(text, person_spans(text))


def test_sentence_without_people_has_no_person_span() -> None:
    text = "Nilai indeks SPBE tahun 2023 tercatat 3,12 dengan predikat sangat baik."
    assert person_spans(text) == []


def test_entity_spans_label_organisations_and_places() -> None:
    text = (
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi mengumumkan "
        "hasil evaluasi di Jakarta pada Selasa."
    )
    found = {(text[s:e], label) for s, e, label in entity_spans(text)}
    assert ("Jakarta", "LOC") in found
    assert any(label == "ORG" and "Kementerian" in span for span, label in found)
    only_loc = entity_spans(text, labels=("LOC",))
    assert only_loc and all(label == "LOC" for _, _, label in only_loc)


def test_doc_input_keeps_the_doc_offsets() -> None:
    words = ["Hal", "itu", "disampaikan", "Kepala", "Bappeda", ",", "Dewi", "Lestari", ","]
    words += ["di", "kantornya", ".", "\n\n", "Ia", "menambahkan", "..."]
    spaces = [
        w not in {"Bappeda", "Lestari", "kantornya", ".", "\n\n", "menambahkan"} for w in words
    ]
    doc = Doc(Vocab(), words=words, spaces=spaces)  # another pipeline's Doc, another vocab
    text = doc.text
    assert text.startswith("Hal itu disampaikan Kepala Bappeda, Dewi Lestari, di kantornya.\n\nIa")
    from_doc = person_spans(doc)
    assert from_doc == person_spans(text)
    assert "Dewi Lestari" in texts_of(text, from_doc)
    clause = doc[3:12]  # "Kepala Bappeda, Dewi Lestari, di kantornya."
    assert texts_of(text, person_spans(clause)) == ["Dewi Lestari"]


def test_missing_model_names_the_path_and_the_build_command(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(ModelError) as err:
        load_ner(missing)
    assert str(missing) in str(err.value)
    assert "make train-ner" in str(err.value)


def test_environment_variable_chooses_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(models.NER_ENV, str(tmp_path / "elsewhere"))
    with pytest.raises(ModelError, match="elsewhere"):
        load_ner()


@pytest.mark.parametrize("broken", ["ner/model", "meta.json", "config.cfg"])
def test_corrupt_model_gives_a_clear_error(tmp_path: Path, broken: str) -> None:
    copy = tmp_path / "ner_copy"
    shutil.copytree(models.NER_DIR, copy)
    (copy / broken).write_bytes(b"\x00garbage{")
    with pytest.raises(ModelError) as err:
        load_ner(copy)
    assert str(copy) in str(err.value)
    assert "make train-ner" in str(err.value)
