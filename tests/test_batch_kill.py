"""`spbe run --workers 2` with the real NLP stage: killed with SIGKILL, resumed, and re-run
after a rule file changed.

The commands run on a frozen copy of the package in tmp_path, so rule files edited in the
working tree while the test runs cannot change the extractor version between its runs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from spbe_extract.bench.corpus import articles
from spbe_extract.model import ArticleInput
from spbe_extract.store import Store
from tests.store_samples import article

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture
def frozen(tmp_path: Path) -> Path:
    """A copy of the spbe_extract package, importable from the returned directory."""
    root = tmp_path / "frozen"
    shutil.copytree(
        REPO / "spbe_extract", root / "spbe_extract", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


def spbe(frozen: Path, *args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(frozen)}
    return subprocess.Popen(
        [sys.executable, "-c", "from spbe_extract.cli import main; main()", *args],
        cwd=frozen, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw,
    )  # fmt: skip


def finish(proc: subprocess.Popen) -> str:
    out, errors = proc.communicate(timeout=600)
    assert proc.returncode == 0, errors
    return out


def _items() -> list[ArticleInput]:
    news = [ArticleInput(text=a.text, url=a.url, published=a.published) for a in articles(1200, 3)]
    spbe_news = [ArticleInput(text=article(i), url=f"https://kabar.example/{i}") for i in range(30)]
    return news + spbe_news


def _extractions(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("select count(*) from article_extractions")) or 0
    except Exception:  # noqa: BLE001 - the tables may not be there yet
        return 0
    finally:
        engine.dispose()


def _state(url: str) -> tuple[list[tuple], list[tuple], set[str]]:
    with Store(url) as store:
        facts = sorted(
            (f.article_id, f.region, f.year, f.kind, f.value, f.relation, f.predicate,
             f.evidence_start, f.evidence_end, f.extractor_version)
            for f in store.facts()
        )  # fmt: skip
        officials = sorted(
            (o.article_id, o.name, o.position, o.region, o.evidence_start)
            for o in store.officials()
        )
        versions = {a.extractor_version for a in store.articles()}
    return facts, officials, versions


def test_kill_9_midway_then_resume_equals_uninterrupted(frozen: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    items = _items()
    for db in (url, reference):
        with Store(db) as store:
            assert store.add_articles(items).added == len(items)

    proc = spbe(frozen, "run", "--db", url, "--workers", "2", "-q")
    deadline = time.monotonic() + 300
    while _extractions(url) == 0:
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = _extractions(url)
    assert 0 < done < len(items), "the kill came too late to test resuming"

    resumed = finish(spbe(frozen, "run", "--db", url, "--workers", "2", "-q"))
    assert f"{len(items) - done} extracted, 0 failed" in resumed
    finish(spbe(frozen, "run", "--db", reference, "--workers", "1", "-q"))

    facts, officials, versions = _state(url)
    assert len(versions) == 1 and None not in versions
    assert facts, "the extractor found no facts in the sample articles"
    assert (facts, officials) == _state(reference)[:2]
    assert _extractions(url) == len(items)  # one extraction per article, nothing twice
    with Store(url) as store:
        assert sorted(r.status for r in store.runs()) == ["finished", "interrupted"]

    # A changed rule table is a new extractor version: the next run re-reads every article.
    bands = frozen / "spbe_extract" / "data" / "predicate_bands.tsv"
    bands.write_text(bands.read_text("utf-8") + "# (bench test: a comment changes the hash)\n")
    again = finish(spbe(frozen, "run", "--db", reference, "--workers", "2", "-q"))
    assert f"{len(items)} extracted, 0 failed" in again
    new_facts, _, new_versions = _state(reference)
    assert len(new_versions) == 1 and new_versions != versions
    assert [f[:-1] for f in new_facts] == [f[:-1] for f in facts]  # a comment changes no fact
    diff = finish(spbe(frozen, "diff", "1", "2", "--db", reference, "-f", "json"))
    summary = json.loads(diff)["summary"]
    assert (summary["facts_unchanged"], summary["facts_changed"]) == (len(facts), 0)
    assert summary["articles_compared"] == len(items)
