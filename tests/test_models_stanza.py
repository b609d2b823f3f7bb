"""The stanza tokenizer backend (models/stanza) on sentences written for these tests.

Needs the optional stanza extra; without it these tests skip with the reason shown by
``pytest -rs``, except the one that checks the error a user without stanza gets.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import spacy

from spbe_extract.nlp import models
from spbe_extract.nlp.models import ModelError, load_stanza, stanza_doc, stanza_sentences

try:
    import stanza  # noqa: F401

    HAVE_STANZA = True
except ImportError:
    HAVE_STANZA = False

needs_stanza = pytest.mark.skipif(
    not HAVE_STANZA, reason="stanza extra not installed: pip install 'spbe-extract[stanza]'"
)

TWO_SENTENCES = (
    "Pemerintah Kab. Donggala meraih nilai indeks SPBE 3,05 pada evaluasi tahun ini. "
    "Bupati berharap capaian itu terus meningkat."
)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    models._load_stanza.cache_clear()


def test_without_stanza_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "stanza", None)  # makes `import stanza` fail
    with pytest.raises(ModelError, match=r"spbe-extract\[stanza\]"):
        stanza_sentences("Ini satu kalimat.")


@needs_stanza
def test_shipped_tokenizer_has_metadata_and_licence() -> None:
    model = models.STANZA_DIR / "id" / "tokenize" / f"{models.STANZA_PACKAGE}.pt"
    assert model.stat().st_size < 5 * 1024 * 1024
    meta = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC BY-SA 4.0"
    assert meta["sources"][0]["name"] == "UD_Indonesian-CSUI"
    dev = next(v for k, v in meta["scores"].items() if k.startswith("dev"))
    assert dev["Tokens"] > 90


@needs_stanza
def test_two_sentences_and_kab_stays_inside_one() -> None:
    spans = stanza_sentences(TWO_SENTENCES)
    sentences = [TWO_SENTENCES[s:e] for s, e in spans]
    assert len(sentences) == 2
    assert "Kab. Donggala" in sentences[0]
    assert sentences[1].startswith("Bupati")


@needs_stanza
def test_an_initial_does_not_end_a_sentence() -> None:
    text = (
        "Hal itu disampaikan Rifli M. Katili di Gorontalo. Ia menambahkan target tahun depan 3,5."
    )
    sentences = [text[s:e] for s, e in stanza_sentences(text)]
    assert sentences == [
        "Hal itu disampaikan Rifli M. Katili di Gorontalo.",
        "Ia menambahkan target tahun depan 3,5.",
    ]


@needs_stanza
def test_stanza_doc_keeps_the_text_and_the_sentences() -> None:
    text = "Judul Berita\n\n  " + TWO_SENTENCES + "\n"
    doc = stanza_doc(spacy.blank("id").vocab, text)
    assert doc.text == text
    words = [t.text for t in doc if not t.is_space]
    assert "Donggala" in words and "3,05" in words
    starts = [s.start_char for s in doc.sents]
    assert text.index("Bupati") in starts
    assert all(text[s:e].strip() for s, e in stanza_sentences(text))


@needs_stanza
def test_empty_text_gives_no_sentences() -> None:
    assert stanza_sentences("  \n ") == []


@needs_stanza
def test_a_directory_laid_out_like_stanzas_own_downloads_loads(tmp_path: Path) -> None:
    """A user's --stanza-dir: resources.json naming the default tokenizer, id/tokenize/X.pt."""
    shipped = models.STANZA_DIR / "id" / "tokenize" / f"{models.STANZA_PACKAGE}.pt"
    (tmp_path / "id" / "tokenize").mkdir(parents=True)
    shutil.copyfile(shipped, tmp_path / "id" / "tokenize" / "gsd.pt")
    processors = {"tokenize": "gsd"}
    resources = {
        "id": {
            "lang_name": "Indonesian",
            "tokenize": {"gsd": {}},
            "default_processors": processors,
            "packages": {"default": processors},
        }
    }
    (tmp_path / "resources.json").write_text(json.dumps(resources), encoding="utf-8")
    assert len(stanza_sentences(TWO_SENTENCES, stanza_dir=tmp_path)) == 2


@needs_stanza
def test_missing_shipped_model_names_the_build_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "STANZA_DIR", tmp_path / "stanza")
    with pytest.raises(ModelError) as err:
        load_stanza()
    assert str(tmp_path / "stanza") in str(err.value)
    assert "make train-stanza" in str(err.value)


@needs_stanza
def test_user_directory_without_models_says_what_is_expected(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        load_stanza(tmp_path)
    assert str(tmp_path) in str(err.value)
    assert "resources.json" in str(err.value)


@needs_stanza
def test_corrupt_tokenizer_gives_a_clear_error(tmp_path: Path) -> None:
    shutil.copytree(models.STANZA_DIR, tmp_path / "stanza")
    model = tmp_path / "stanza" / "id" / "tokenize" / f"{models.STANZA_PACKAGE}.pt"
    model.write_bytes(b"not a torch file")
    with pytest.raises(ModelError) as err:
        load_stanza(tmp_path / "stanza")
    assert str(model) in str(err.value)
