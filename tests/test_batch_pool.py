"""The worker pool: workers read the articles from the store, answer a chunk at a time, and
a hang or a death is still blamed on the one article the worker was reading.

The extractors are module-level so that spawned worker processes can import them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from spbe_extract.model import ArticleInput, Extraction
from spbe_extract.runner import run_pending
from spbe_extract.store import Store
from spbe_extract.workers import PoolError, WorkerPool
from tests.store_samples import article
from tests.test_batch_runs import _facts, read_v2


def read_or_hang(text: str, published=None, url=None, title=None) -> Extraction:
    """Version 2, except that an article saying 'TIDUR' never finishes."""
    if "TIDUR" in text:
        time.sleep(600)
    return read_v2(text)


def read_or_die(text: str, published=None, url=None, title=None) -> Extraction:
    """Version 2, except that 'MATI' kills the process reading it."""
    if "MATI" in text:
        os._exit(3)
    return read_v2(text)


def read_slowly(text: str, published=None, url=None, title=None) -> Extraction:
    """Version 2, a tenth of a second per article: time to interrupt a run."""
    time.sleep(0.1)
    return read_v2(text)


RUN_SLOWLY = """
import sys
from spbe_extract.runner import run_pending
from spbe_extract.store import Store
from tests.test_batch_pool import read_slowly

with Store(sys.argv[1]) as store:
    try:
        run_pending(store, read_slowly, "v2", progress=False, workers=1, chunk_size=4)
    except KeyboardInterrupt:
        sys.exit(130)
"""


def _stored(url: str, texts: list[str]) -> list[int]:
    with Store(url) as store:
        items = [ArticleInput(text=t, published=date(2024, 3, 1)) for t in texts]
        return store.add_articles(items).added_ids


def _reference(tmp_path, texts: list[str], skip: set[int]) -> list[tuple]:
    """Facts of the same articles read in this process, without the ``skip`` ones."""
    url = f"sqlite:///{tmp_path / 'reference.db'}"
    _stored(url, texts)
    with Store(url) as store:
        run_pending(store, read_v2, "v2", progress=False)
        return [f for f in _facts(store) if f[0] not in skip]


def test_a_hang_in_the_middle_of_a_chunk_fails_that_article_only(tmp_path) -> None:
    texts = [article(i) for i in range(14)]
    texts[5] += "\nTIDUR\n"  # article 6: the sixth of the first chunk of 8
    url = f"sqlite:///{tmp_path / 'hang.db'}"
    _stored(url, texts)
    failures: list[tuple[int, str]] = []
    with Store(url) as store:
        report = run_pending(
            store, read_or_hang, "v2", progress=False, workers=1, timeout=2, chunk_size=8,
            on_failure=lambda a, m: failures.append((a, m)),
        )  # fmt: skip
        assert (report.done, report.failed, report.worker_stats.deaths) == (13, 1, 1)
        pooled = _facts(store)
        runs = store.runs()
    assert [a for a, _ in failures] == [6]
    assert "no result after 2 s" in failures[0][1]
    assert (runs[0].articles_done, runs[0].articles_failed) == (13, 1)
    # articles 1-5 were read before the hang, their results lost with the worker: read again
    assert pooled == _reference(tmp_path, texts, {6}) and pooled


def test_each_article_gets_one_result_when_workers_die_mid_chunk(tmp_path) -> None:
    texts = [article(i) for i in range(40)]
    for i in (2, 13, 14, 31):
        texts[i] += "\nMATI\n"
    url = f"sqlite:///{tmp_path / 'deaths.db'}"
    ids = _stored(url, texts)
    with Store(url) as store:
        pool = WorkerPool(2, read_or_die, store_url=store.shared_url, chunk_size=5)
        with pool:
            results = [r for chunk in pool.chunks(ids) for r in chunk]
    got = [aid for aid, _ in results]
    assert sorted(got) == ids  # every article once: none lost, none twice
    failed = {aid: r for aid, r in results if isinstance(r, str)}
    assert sorted(failed) == [3, 14, 15, 32]
    assert all("worker process died (exit code 3)" in r for r in failed.values())
    assert pool.stats.deaths == 4


def test_workers_read_the_texts_from_the_store(store_url: str) -> None:
    texts = [article(i) for i in range(9)]
    ids = _stored(store_url, texts)
    with Store(store_url) as store:
        pool = WorkerPool(1, read_v2, store_url=store.shared_url, chunk_size=4)
        with pool:
            results = [r for chunk in pool.chunks([*ids[:4], 999, *ids[4:]]) for r in chunk]
    assert [aid for aid, _ in results] == ids  # article 999 is not stored: no result
    for (aid, extraction), text in zip(results, texts, strict=True):
        assert isinstance(extraction, Extraction)
        assert extraction.index_facts == read_v2(text).index_facts, aid
    assert pool.stats.text_bytes == sum(len(t.encode("utf-8")) for t in texts)


def test_an_unreadable_store_stops_the_pool(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"  # no tables: every read fails
    pool = WorkerPool(1, read_v2, store_url=url)
    with pytest.raises(PoolError, match="cannot read articles from the store"), pool:
        list(pool.chunks([1, 2, 3]))


def test_an_in_memory_store_sends_the_texts_to_the_workers(tmp_path) -> None:
    texts = [article(i) for i in range(7)]
    with Store("sqlite://") as store:
        assert store.shared_url is None
        store.add_articles([ArticleInput(text=t, published=date(2024, 3, 1)) for t in texts])
        report = run_pending(store, read_v2, "v2", progress=False, workers=1, chunk_size=3)
        assert (report.done, report.failed) == (7, 0)
        pooled = _facts(store)
    assert pooled == _reference(tmp_path, texts, set()) and pooled


def test_ctrl_c_saves_what_the_workers_extracted_and_the_next_run_finishes(tmp_path) -> None:
    texts = [article(i) for i in range(40)]
    url = f"sqlite:///{tmp_path / 'interrupted.db'}"
    _stored(url, texts)
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN_SLOWLY, url], cwd=repo, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    with Store(url) as store:
        while not store.run_articles(1):
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 130, proc.communicate()[1]
        (run,) = store.runs()
        saved = store.run_articles(run.id)
        assert run.status == "interrupted" and 0 < len(saved) < len(texts)
        assert (run.articles_done, run.articles_failed) == (len(saved), 0)
        rest = run_pending(store, read_v2, "v2", progress=False, workers=1)
        assert rest.done == len(texts) - len(saved)  # nothing extracted twice
        resumed = _facts(store)
    assert resumed == _reference(tmp_path, texts, set()) and resumed
