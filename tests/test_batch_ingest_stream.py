"""`spbe ingest` streams: memory does not grow with the number of files ingested."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from spbe_extract.bench.corpus import write_folder
from spbe_extract.ingest import ingest_articles, read_paths
from spbe_extract.store import Store


def _peak_ingest(tmp_path: Path, name: str, n: int) -> tuple[int, int]:
    """(peak bytes allocated while ingesting ``n`` generated files, their total size)."""
    folder = tmp_path / name
    _, size = write_folder(folder, n, seed=len(name), per_folder=250)
    with Store(tmp_path / f"{name}.db") as store:
        tracemalloc.start()
        try:
            report = ingest_articles(store, read_paths([folder]), validate=False)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert report.added == n and not report.skipped
    return peak, size


def test_ingest_memory_does_not_grow_with_the_corpus(tmp_path: Path) -> None:
    _peak_ingest(tmp_path, "warm", 20)  # caches filled once (stop words, regexes)
    small, small_size = _peak_ingest(tmp_path, "small", 300)
    large, large_size = _peak_ingest(tmp_path, "large", 1500)
    # 5x the files: the peak grows by less than a quarter of the extra text (it does not
    # grow at all in practice: files are read one by one and stored in chunks).
    assert large - small < (large_size - small_size) / 4, (small, large)
