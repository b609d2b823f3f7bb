"""The store commands end to end: ingest, run (with a real kill), query/officials/articles."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from spbe_extract.cli import app
from spbe_extract.model import ArticleInput
from spbe_extract.runner import run_pending
from spbe_extract.store import Store
from tests.store_facts import filled_store
from tests.store_samples import article, make_bad_batch

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def bad_batch(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    return make_bad_batch(tmp_path / "masuk")


def spbe(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def spbe_process(*args: str, env: dict | None = None, timeout: float = 300):
    """`spbe` as a real process (what a user runs)."""
    return subprocess.run(
        [sys.executable, "-c", "from spbe_extract.cli import main; main()", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )


# ---------------------------------------------------------------- ingest


def test_ingest_batch_with_bad_inputs(store_url: str, bad_batch) -> None:
    folder, expected = bad_batch
    result = spbe("ingest", folder, "--db", store_url, "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"ingested: 4 added, 0 already stored, {len(expected)} skipped"
    skip_lines = [line for line in result.stderr.splitlines() if line.startswith("skip ")]
    assert len(skip_lines) == len(expected)
    for name, reason in expected.items():
        assert any(line.startswith(f"skip {folder / name}: {reason}") for line in skip_lines), name
    again = spbe("ingest", folder, "--db", store_url, "-q")
    assert again.exit_code == 0
    assert again.stdout.strip().startswith("ingested: 0 added, 4 already stored")


def test_ingest_exit_code_when_nothing_processed(tmp_path: Path, bad_batch) -> None:
    folder, _ = bad_batch
    db = tmp_path / "x.db"
    result = spbe("ingest", folder / "02_kosong.txt", folder / "06_inggris.txt", "--db", db)
    assert result.exit_code == 1
    assert "error: nothing could be ingested" in result.stderr
    missing = spbe("ingest", tmp_path / "tidak-ada", "--db", db)
    assert missing.exit_code == 1 and "no such file or directory" in missing.stderr
    # only known duplicates still counts as processed
    assert spbe("ingest", folder / "01_baik.txt", "--db", db).exit_code == 0
    dup = spbe("ingest", folder / "01_baik.txt", "--db", db)
    assert dup.exit_code == 0 and "1 already stored" in dup.stdout


def test_ingest_guess_encoding_flag(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(article(1).replace("Pemerintah", "Pemerintah é").encode("cp1252"))
    db = tmp_path / "x.db"
    assert "not UTF-8 (looks like" in spbe("ingest", path, "--db", db).stderr
    ok = spbe("ingest", path, "--db", db, "--guess-encoding")
    assert ok.exit_code == 0 and "1 added" in ok.stdout
    assert "not UTF-8, decoded as" in ok.stderr


# ---------------------------------------------------------------- messages


def test_locked_database_message(tmp_path: Path) -> None:
    db = tmp_path / "spbe.db"
    Store(db).close()
    txt = tmp_path / "a.txt"
    txt.write_text(article(0), encoding="utf-8")
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = spbe_process(
            "ingest", txt, "--db", f"sqlite:///{db}", "-q", env={"SPBE_DB_TIMEOUT": "0.3"}
        )
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is locked by another process" in lines[0], result.stderr
    assert lines[0].startswith("error: database sqlite:///")


def test_newer_schema_and_bad_path_messages(tmp_path: Path) -> None:
    db = tmp_path / "spbe.db"
    Store(db).close()
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = 'abc123'"))
    engine.dispose()
    result = spbe("query", "--db", f"sqlite:///{db}")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: the database schema (revision abc123) is newer")
    assert "upgrade spbe-extract" in result.stderr
    nowhere = spbe("articles", "--db", f"sqlite:///{tmp_path}/no/such/dir/x.db")
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.stderr


# ---------------------------------------------------------------- reads


@pytest.fixture
def filled(store_url: str) -> str:
    filled_store(store_url)[0].close()
    return store_url


def test_query_formats_and_filters(filled: str) -> None:
    rows = json.loads(spbe("query", "--db", filled, "--region", "Kaltim", "-f", "json").stdout)
    assert sorted((r["year"], r["kind"], r["value"]) for r in rows) == [
        (2023, "score", 3.5),
        (2024, "target", 4.0),
    ]
    target = [r for r in rows if r["kind"] == "target"][0]
    assert target["relation"] == ">" and target["region_code"] == "64"
    assert target["article_url"] == "https://www.berita.example/kaltim"
    assert target["published"] == "2024-04-09"
    assert target["evidence"]["sentence"].startswith("Gubernur Kalimantan Timur")

    out = spbe("query", "--db", filled, "--region", "Gorontalo", "--year", "2023", "-f", "csv")
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert sorted(r["region"] for r in table) == [
        "Kabupaten Gorontalo",
        "Kota Gorontalo",
        "Provinsi Gorontalo",
    ]
    assert {"article_url", "published", "evidence_sentence"} <= set(table[0])
    assert "matches 3 regions" in out.stderr

    code = json.loads(spbe("query", "--db", filled, "--region", "75.71", "-f", "json").stdout)
    assert [r["region"] for r in code] == ["Kota Gorontalo"]
    kind = json.loads(spbe("query", "--db", filled, "--kind", "target", "-f", "json").stdout)
    assert [r["year"] for r in kind] == [2024]
    by_official = spbe("query", "--db", filled, "--official", "Sofyan", "-f", "json").stdout
    assert {r["region"] for r in json.loads(by_official)} == {
        "Provinsi Gorontalo",
        "Kota Gorontalo",
    }
    by_source = spbe("query", "--db", filled, "--source", "berita.example", "-f", "json").stdout
    assert {r["source"] for r in json.loads(by_source)} == {"berita.example"}

    shown = spbe("query", "--db", filled, "--region", "Kota Gorontalo")
    assert shown.exit_code == 0 and "Kota Gorontalo" in shown.stdout and "2.9" in shown.stdout
    empty = spbe("query", "--db", filled, "--year", "2019")
    assert empty.exit_code == 0 and "no facts match" in empty.stderr
    assert spbe("query", "--db", filled, "--kind", "ramalan").exit_code == 2


def test_officials_and_articles_commands(filled: str) -> None:
    people = json.loads(spbe("officials", "--db", filled, "-f", "json").stdout)
    assert [(p["name"], p["position"], p["article_count"]) for p in people] == [
        ("Hendra Wijaya", "Gubernur", 1),
        ("Sofyan Rahim", "Sekretaris Daerah", 1),
    ]
    assert people[1]["articles"][0]["url"] == "https://kabar.example/gorontalo"
    mentions = spbe("officials", "--db", filled, "--mentions", "-f", "csv").stdout
    assert list(csv.DictReader(io.StringIO(mentions)))[0]["evidence_sentence"]
    table = spbe("officials", "--db", filled, "--region", "Kaltim")
    assert "Hendra Wijaya" in table.stdout and "Sofyan" not in table.stdout

    arts = list(csv.DictReader(io.StringIO(spbe("articles", "--db", filled, "-f", "csv").stdout)))
    assert [(a["source"], a["facts"], a["officials"]) for a in arts] == [
        ("kabar.example", "2", "1"),
        ("berita.example", "2", "1"),
        ("kabar.example", "2", "0"),
    ]
    since = spbe("articles", "--db", filled, "--since", "2024-04-01", "-f", "json").stdout
    assert [a["url"] for a in json.loads(since)] == ["https://www.berita.example/kaltim", None]


# ---------------------------------------------------------------- run, killed and resumed

SLOW_SPBE = (
    "import time, spbe_extract.nlp as nlp\n"
    "real = nlp.extract\n"
    "def slow(*a, **k):\n"
    "    time.sleep(0.2)\n"
    "    return real(*a, **k)\n"
    "nlp.extract = slow\n"
    "from spbe_extract.cli import main\n"
    "main()\n"
)


def _fact_set(url: str) -> list[tuple]:
    rows = json.loads(spbe("query", "--db", url, "-f", "json").stdout)
    return sorted(
        (
            r["article_id"],
            r["region"],
            r["year"],
            r["kind"],
            r["value"],
            r["relation"],
            r["evidence"]["start"],
            r["evidence"]["end"],
            r["extractor_version"],
        )
        for r in rows
    )


def _extracted(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("select count(*) from article_extractions")) or 0
    finally:
        engine.dispose()


def _other_url(url: str, tmp_path: Path, request) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'reference.db'}"
    return request.getfixturevalue("new_postgres_url")()


@pytest.mark.slow
def test_run_killed_midway_then_resumed_equals_uninterrupted(
    store_url: str, tmp_path: Path, request
) -> None:
    pytest.importorskip("spbe_extract.nlp")
    from spbe_extract import nlp

    if not hasattr(nlp, "extractor_version"):
        pytest.skip("the NLP stage is not available yet")
    n = 30
    items = [ArticleInput(text=article(i), url=f"https://kabar.example/{i}") for i in range(n)]
    reference = _other_url(store_url, tmp_path, request)
    for url in (store_url, reference):
        with Store(url) as store:
            assert store.add_articles(items).added == n

    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_SPBE, "run", "--db", store_url, "-q", "--workers", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while _extracted(store_url) < 5:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = _extracted(store_url)
    assert 5 <= done < n, "the kill came too late to test resuming"

    resumed = spbe_process("run", "--db", store_url, "-q")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{n - done} extracted, 0 failed" in resumed.stdout
    with Store(reference) as store:  # the same extractor, never interrupted
        full = run_pending(store, progress=False)
    assert (full.done, full.failed) == (n, 0)

    facts, expected = _fact_set(store_url), _fact_set(reference)
    assert {f[-1] for f in facts} == {full.version}, "the extractor changed during the test"
    assert facts, "the extractor found no facts in the sample articles"
    assert facts == expected, set(facts) ^ set(expected)
    assert _extracted(store_url) == n  # one extraction per article, nothing duplicated
    with Store(store_url) as store:
        statuses = sorted(r.status for r in store.runs())
    assert statuses == ["finished", "interrupted"]
