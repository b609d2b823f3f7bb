"""The shipped models wired into the NLP stage: the ``spbe_ner`` component, the stanza
backend (``nlp="stanza"``, ``--nlp stanza``) and the errors for a missing model.

Sentences and articles are written for these tests. The stanza tests need the optional
extra and skip with the reason shown by ``pytest -rs`` without it (CI installs ``.[dev]``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spbe_extract.cli import app
from spbe_extract.nlp import extract, extractor_version, load
from spbe_extract.nlp import models as models_module
from spbe_extract.nlp.backends import NerComponent
from spbe_extract.nlp.models import ModelError

try:
    import stanza  # noqa: F401

    HAVE_STANZA = True
except ImportError:
    HAVE_STANZA = False

needs_stanza = pytest.mark.skipif(
    not HAVE_STANZA, reason="stanza extra not installed: pip install 'spbe-extract[stanza]'"
)

# The rules alone run this name on into "Bersama-sama"; the NER ends it at the surname.
RUN_ON = ("Rapat SPBE di Maros\n"
          "Pemerintah daerah menggelar rapat. Sekretaris Daerah Kabupaten Maros Andi Davied "
          "Syamsuddin Bersama-sama itu membuka rapat SPBE di aula kantor.")
NO_TITLE = "Joko Widodo berkunjung ke Jakarta bersama keluarga."

ARTICLE = (
    "Pemkot Bitung Raih Nilai Indeks SPBE 3,10\n"
    "Bitung, Senin (15/1/2024) - Pemerintah Kota Bitung meraih nilai indeks Sistem "
    "Pemerintahan Berbasis Elektronik (SPBE) tahun 2023 sebesar 3,10 dengan predikat Baik. "
    "Kepala Dinas Komunikasi dan Informatika Kota Bitung, Hendra Wijaya, S.Kom., M.Si. "
    "mengatakan capaian itu naik dari 2,85 pada tahun 2022.\n"
    "Wali Kota Bitung Maurits Mantiri berharap Kab. Minahasa Utara ikut belajar."
)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _persons(doc) -> list[str]:
    return [e.text for e in doc.ents if e.label_ == "PER"]


# ---- NER --------------------------------------------------------------------------------


def test_default_is_rules_alone_and_ner_runs_before_officials() -> None:
    assert "spbe_ner" not in load().pipe_names
    names = load(ner=True).pipe_names
    assert names.index("spbe_ner") == names.index("spbe_officials") - 1
    assert load(ner=True) is load(ner=True)


def test_ner_component_sets_person_ents_on_title_sentences_only() -> None:
    doc = load(ner=True)(f"{RUN_ON}\n{NO_TITLE}")
    assert "Andi Davied Syamsuddin" in _persons(doc)
    assert not [e for e in doc.ents if e.start_char >= doc.text.index(NO_TITLE)]
    every = NerComponent(str(models_module.ner_path()), every_sentence=True)
    assert "Joko Widodo" in _persons(every(load()(NO_TITLE)))


def test_ner_gives_the_officials_extractor_the_name_boundary() -> None:
    found = extract(RUN_ON, ner=True).officials
    assert [(o.name, o.position, o.region) for o in found] == [
        ("Andi Davied Syamsuddin", "Sekretaris Daerah", "Kabupaten Maros")]


def test_extractor_version_names_the_setting() -> None:
    base = extractor_version()
    assert extract(ARTICLE).extractor_version == base
    with_ner = extract(RUN_ON, ner=True).extractor_version
    assert with_ner.startswith(base + ".ner-") and with_ner == extractor_version(ner=True)


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="spacy, stanza"):
        load("udpipe")


# ---- stanza -----------------------------------------------------------------------------


@needs_stanza
def test_stanza_backend_gives_the_same_facts_as_spacy() -> None:
    spacy_result = extract(ARTICLE).to_dict()
    stanza_result = extract(ARTICLE, nlp="stanza").to_dict()
    assert stanza_result.pop("extractor_version").startswith(
        spacy_result.pop("extractor_version") + ".stanza-")
    assert stanza_result == spacy_result
    assert [f["value"] for f in stanza_result["index_facts"]] == [3.1, 2.85]
    assert [o["name"] for o in stanza_result["officials"]] == ["Hendra Wijaya",
                                                               "Maurits Mantiri"]


@needs_stanza
def test_stanza_sentences_end_at_line_breaks_and_keep_abbreviations() -> None:
    doc = load("stanza")("Judul Tanpa Titik\nBupati Kab. Maros hadir. Ia berkata.")
    assert [s.text.strip() for s in doc.sents] == [
        "Judul Tanpa Titik", "Bupati Kab. Maros hadir.", "Ia berkata."]


@needs_stanza
def test_cli_extract_with_stanza(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bitung.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "bitung.txt"), "--nlp", "stanza"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert ".stanza-" in record["extractor_version"]
    assert [(f["region"], f["year"]) for f in record["index_facts"]] == [
        ("Kota Bitung", 2023), ("Kota Bitung", 2022)]


@needs_stanza
def test_missing_stanza_model_names_path_and_make_target(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "stanza"
    monkeypatch.setattr(models_module, "STANZA_DIR", missing)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--nlp", "stanza"])
    assert result.exit_code == 1
    assert f"stanza models not found at {missing}" in result.stderr
    assert "make train-stanza" in result.stderr


def test_missing_ner_model_names_path_and_make_target(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no_ner"
    monkeypatch.setenv(models_module.NER_ENV, str(missing))
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--ner"])
    assert result.exit_code == 1
    assert f"NER model not found at {missing}: build it with `make train-ner`" in result.stderr
    with pytest.raises(ModelError, match="make train-ner"):
        extract(ARTICLE, ner=True)


def test_without_the_stanza_extra_the_cli_names_it(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spbe_extract.nlp import backends

    monkeypatch.setitem(sys.modules, "stanza", None)  # `import stanza` fails
    backends._pipeline.cache_clear()
    models_module._load_stanza.cache_clear()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["eval", str(tmp_path / "gold.jsonl"), "--corpus",
                                 str(tmp_path), "--nlp", "stanza"])
    assert result.exit_code == 1
    assert "pip install 'spbe-extract[stanza]'" in result.stderr
    backends._pipeline.cache_clear()
    models_module._load_stanza.cache_clear()
