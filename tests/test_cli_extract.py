"""`spbe extract`: the stable JSON-lines output on real files, and skips for bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spbe_extract.cli import app

ARTICLE_KEYS = {
    "path",
    "url",
    "title",
    "published",
    "extractor_version",
    "index_facts",
    "officials",
}
FACT_KEYS = {
    "region",
    "region_code",
    "year",
    "kind",
    "value",
    "relation",
    "predicate",
    "year_inferred",
    "evidence",
    "confidence",
    "flags",
}
OFFICIAL_KEYS = {"name", "position", "acting", "organization", "region", "evidence", "confidence"}

KENDARI = """Indeks SPBE Kota Kendari Tahun 2023 Capai 3,05

KENDARI, Kamis (8/2/2024) – Pemerintah Kota Kendari meraih indeks Sistem Pemerintahan Berbasis \
Elektronik (SPBE) tahun 2023 sebesar 3,05 dengan predikat Baik. Sekretaris Daerah Kota Kendari, \
Hamzah Wirabuana, mengatakan capaian itu hasil kerja seluruh perangkat daerah.
"""


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def samples_run(runner: CliRunner, repo_dir: Path):
    result = runner.invoke(app, ["extract", str(repo_dir / "corpus" / "samples"), "--with-text"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_json_line_per_article_with_the_documented_fields(samples_run):
    # 15 single-article files plus a JSONL file holding two articles
    assert len(samples_run) == 17
    for record in samples_run:
        assert set(record) >= ARTICLE_KEYS, record["path"]
        assert isinstance(record["extractor_version"], str) and record["extractor_version"]
        for item in record["index_facts"]:
            assert set(item) >= FACT_KEYS
            assert item["kind"] in ("score", "target") and item["relation"] in ("=", ">", ">=")
            assert isinstance(item["value"], float) and isinstance(item["year"], int)
        for item in record["officials"]:
            assert set(item) >= OFFICIAL_KEYS
    assert sum(len(r["index_facts"]) for r in samples_run) > 0


def test_evidence_offsets_slice_back_to_the_sentence(samples_run):
    checked = 0
    for record in samples_run:
        for item in record["index_facts"] + record["officials"]:
            evidence = item["evidence"]
            assert record["text"][evidence["start"] : evidence["end"]] == evidence["sentence"]
            checked += 1
    assert checked > 0


def test_txt_offsets_refer_to_the_whole_file(samples_run):
    for record in samples_run:
        if record["path"].endswith(".txt"):
            content = Path(record["path"]).read_text(encoding="utf-8")
            assert record["text"] == content
            assert record["title"] == content.splitlines()[0]


def test_jsonl_articles_are_addressed_by_line(samples_run):
    paths = sorted(r["path"] for r in samples_run if ".jsonl" in r["path"])
    assert [p.rsplit("/", 1)[-1] for p in paths] == [
        "16_sulut_sumbar.jsonl:1",
        "16_sulut_sumbar.jsonl:2",
    ]
    urls = {r["url"] for r in samples_run if ".jsonl" in r["path"]}
    assert all(url and url.startswith("https://") for url in urls)


def test_text_is_left_out_by_default(runner: CliRunner, tmp_path: Path):
    path = tmp_path / "kendari.txt"
    path.write_text(KENDARI, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert "text" not in record
    assert record["path"] == str(path)
    for item in record["index_facts"] + record["officials"]:
        evidence = item["evidence"]
        assert KENDARI[evidence["start"] : evidence["end"]] == evidence["sentence"]


def test_bad_files_are_skipped_with_a_reason_and_the_batch_goes_on(
    runner: CliRunner, tmp_path: Path
):
    (tmp_path / "a_good.txt").write_text(KENDARI, encoding="utf-8")
    (tmp_path / "b_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "d_latin1.txt").write_bytes(
        "Indeks SPBE Kota Bekasi naik, kata pejabat Pemkot \xe9\xe8 di kantor".encode("latin-1")
    )
    (tmp_path / "e_broken.jsonl").write_text('{"url": "x", "text": \n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1
    skips = [line for line in result.stderr.splitlines() if line.startswith("skip: ")]
    skipped = {line.split(":", 2)[1].strip().rsplit("/", 1)[-1] for line in skips}
    assert {"b_empty.txt", "c_binary.txt", "d_latin1.txt"} <= skipped
    assert any("e_broken.jsonl" in line for line in skips)
    assert all(len(line.split(": ", 2)) == 3 for line in skips)  # skip: path: reason


def test_nothing_processed_exits_non_zero(runner: CliRunner, tmp_path: Path):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    result = runner.invoke(
        app, ["extract", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt")]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nothing could be processed" in result.stderr
    assert result.stderr.count("skip: ") == 2


def test_table_format_prints_facts_and_officials(runner: CliRunner, repo_dir: Path):
    path = repo_dir / "corpus" / "samples" / "12_kendari_plt_pj.txt"
    result = runner.invoke(app, ["extract", str(path), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "index facts" in result.stdout and "officials" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout.splitlines()[0])
