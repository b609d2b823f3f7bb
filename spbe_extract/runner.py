"""``spbe run``: extract every stored article the current extractor version has not seen.

Which articles: those with no extraction by ``version`` (new articles, and articles read
by an older version); ``rerun`` keeps only the latter (re-extraction of what an older
version read; articles never extracted are left for a plain run). ``source``/``since``/
``limit`` narrow the set.

How: with ``workers`` > 0, this process lists the pending article ids (one cheap id-only
query per page) and sends them in chunks to worker processes (``spbe_extract.workers``),
which read the texts from the store themselves and answer with one message per chunk;
with ``workers`` 0 the text is read and extracted in this process. This process alone
writes to the store, in batches of ``write_every`` articles (or every second), one
transaction of a few set-based statements per batch. A new version's extraction replaces
an article's current one inside that transaction; the older run's facts stay readable by
run id until ``spbe prune``.

Interruption: Ctrl-C or ``kill`` closes the run as 'interrupted' after saving what was
extracted; ``kill -9`` loses at most the batch not yet committed. Nothing committed is
lost, nothing is written twice (one extraction per article and version), and the next
run continues with what is still pending. An article whose extraction raises, or kills
its worker, is recorded as failed with the reason (``spbe failures``); the batch goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spbe_extract.model import Extraction
from spbe_extract.store import RecordError, Store, batched
from spbe_extract.workers import (
    CHUNK_SIZE,
    PoolError,
    Task,
    WorkerPool,
    WorkerStats,
    extract_one,
)

ExtractFn = Callable[..., Extraction]
OnFailure = Callable[[int, str], None]
Result = tuple[int, Extraction | str]

WRITE_EVERY = 256  # articles per write transaction
WRITE_SECONDS = 1.0  # ... or at least this often


@dataclass
class RunReport:
    """What one ``run_pending`` call did."""

    run_id: int
    version: str
    pending: int
    workers: int = 0
    done: int = 0
    failed: int = 0
    facts: int = 0
    officials: int = 0
    text_bytes: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0
    parent_cpu_seconds: float = 0.0  # this process, once the workers were ready
    write_seconds: float = 0.0
    writes: int = 0
    interrupted: bool = False
    worker_stats: WorkerStats = field(default_factory=WorkerStats)

    @property
    def processed(self) -> int:
        """Articles done or failed."""
        return self.done + self.failed

    @property
    def rate(self) -> float:
        """Articles per second over the whole run."""
        return self.processed / self.seconds if self.seconds else 0.0

    @property
    def steady_rate(self) -> float:
        """Articles per second once the workers had loaded the NLP pipeline."""
        busy = self.seconds - self.startup_seconds
        return self.processed / busy if busy > 0 else 0.0

    @property
    def parent_us_per_article(self) -> float:
        """CPU time of this process per article once the workers were ready: listing ids,
        dispatching, writing, progress (with ``workers`` 0: the extraction too)."""
        return self.parent_cpu_seconds / self.processed * 1e6 if self.processed else 0.0

    @property
    def write_rate(self) -> float:
        """Articles written per second of store time."""
        return self.processed / self.write_seconds if self.write_seconds else 0.0


def _default_extractor() -> tuple[ExtractFn, Callable[[], str]]:
    from spbe_extract import nlp

    return nlp.extract, nlp.extractor_version


def run_pending(
    store: Store,
    extract_fn: ExtractFn | None = None,
    version: str | None = None,
    progress: bool = True,
    *,
    limit: int | None = None,
    source: str | None = None,
    since: date | None = None,
    retry_failed: bool = False,
    rerun: bool = False,
    workers: int = 0,
    timeout: float | None = 300.0,
    write_every: int = WRITE_EVERY,
    chunk_size: int = CHUNK_SIZE,
    on_failure: OnFailure | None = None,
) -> RunReport:
    """Extract pending articles and record the run; returns its report.

    ``extract_fn(text, published=, url=, title=)`` and ``version`` default to
    ``spbe_extract.nlp.extract`` and ``spbe_extract.nlp.extractor_version()``. With
    ``workers`` > 0, ``extract_fn`` must be importable by the worker processes (a
    module-level function); they get the pending articles ``chunk_size`` at a time. On
    KeyboardInterrupt the run is closed as 'interrupted' after saving what was extracted,
    and the interrupt re-raised.
    """
    default = extract_fn is None
    if extract_fn is None or version is None:
        default_fn, default_version = _default_extractor()
        extract_fn = extract_fn or default_fn
        if version is None and workers > 0:  # fresh workers read the files as they are now
            getattr(default_version, "cache_clear", lambda: None)()
        version = version or default_version()
    filters: dict[str, Any] = {
        "source": source,
        "since": since,
        "retry_failed": retry_failed,
        "outdated_only": rerun,
    }
    pending = store.pending_count(version, **filters)
    if limit is not None:
        pending = min(pending, limit)
    params = {k: (str(v) if isinstance(v, date) else v) for k, v in filters.items() if v}
    params.update({k: v for k, v in (("limit", limit), ("workers", workers)) if v})
    run_id = store.start_run(version, params=params)
    report = RunReport(run_id=run_id, version=version, pending=pending, workers=workers)
    writer = _Writer(store, report, on_failure, write_every)
    bar = progress_bar(pending) if progress and pending else None
    started, cpu_started = time.monotonic(), time.process_time()
    try:
        if workers > 0 and pending:
            pool = WorkerPool(
                workers,
                extract_fn,
                store_url=store.shared_url,
                init_fn=_load_pipeline if default else None,
                version_fn=_default_extractor()[1] if default else None,
                expected_version=version,
                chunk_size=chunk_size,
                timeout=timeout,
            )
            with pool:
                _warm_up()
                _consume(pool.chunks(_items(store, version, limit, filters)), writer, bar)
                report.startup_seconds = (pool.ready_at or started) - started
                cpu_started = pool.ready_cpu or cpu_started
            report.worker_stats = pool.stats
            report.text_bytes = pool.stats.text_bytes
        elif pending:
            ids = store.pending_ids(version, limit=limit, **filters)
            _consume(_in_process(store, ids, extract_fn, report, chunk_size), writer, bar)
        writer.flush()
    except KeyboardInterrupt:
        _close_broken_run(store, writer, report, "interrupted")
        raise
    except PoolError:
        _close_broken_run(store, writer, report, "failed")
        raise
    finally:
        report.seconds = time.monotonic() - started
        report.parent_cpu_seconds = time.process_time() - cpu_started
        if bar:
            bar.stop()
    store.finish_run(run_id)
    _refresh_views(store)
    return report


def _warm_up() -> None:
    """Load the gazetteer while the workers start: the writer looks officials' regions up
    in it, and loading it at the first official would stall the run for half a second."""
    from spbe_extract import regions

    regions.by_name("")


def _load_pipeline() -> None:
    """Worker start-up: build the spaCy pipeline and read a sample article once, before
    the first real article (``nlp.warm_up``)."""
    from spbe_extract import nlp

    nlp.warm_up()


def _items(
    store: Store, version: str, limit: int | None, filters: dict[str, Any]
) -> Iterator[int] | Iterator[Task]:
    """What the workers are sent: pending ids, or whole articles for an in-memory store."""
    if store.shared_url is not None:
        return store.pending_ids(version, limit=limit, **filters)
    return (Task.of(a) for a in store.pending_articles(version, limit=limit, **filters))


def _in_process(
    store: Store, ids: Iterable[int], extract_fn: ExtractFn, report: RunReport, size: int
) -> Iterator[list[Result]]:
    """Read and extract in this process; one result at a time (Ctrl-C loses none)."""
    for chunk in batched(ids, size):
        for a in store.articles_by_id(chunk):
            report.text_bytes += len(a.text.encode("utf-8"))
            yield [(a.id, extract_one(extract_fn, Task.of(a)))]


def _consume(chunks: Iterable[list[Result]], writer: _Writer, bar: Any) -> None:
    for results in chunks:
        writer.add(results)
        if bar:
            bar.advance(len(results))


def _close_broken_run(store: Store, writer: _Writer, report: RunReport, status: str) -> None:
    """Save what was extracted before the run stopped, then mark the run."""
    report.interrupted = True
    try:
        writer.flush()
    finally:
        store.finish_run(report.run_id, status)


def _refresh_views(store: Store) -> None:
    """Bring the reconciled facts up to date with what this run wrote."""
    from spbe_extract.reconcile import ensure_reconciled

    ensure_reconciled(store)


class _Writer:
    """The single writer: buffers results and stores them in batch transactions."""

    def __init__(
        self, store: Store, report: RunReport, on_failure: OnFailure | None, every: int
    ) -> None:
        self.store = store
        self.report = report
        self.on_failure = on_failure
        self.every = max(1, every)
        self.buffer: list[Result] = []
        self.last = time.monotonic()

    def add(self, results: list[Result]) -> None:
        self.buffer.extend(results)
        if len(self.buffer) >= self.every or time.monotonic() - self.last >= WRITE_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the buffer in one transaction; a record the database rejects fails alone."""
        batch, self.buffer = self.buffer, []
        self.last = time.monotonic()
        if not batch:
            return
        started = time.perf_counter()
        try:
            facts, officials = self.store.record_batch(
                self.report.run_id, self.report.version, batch
            )
        except RecordError:  # e.g. a value too long for its column: find it, one by one
            facts, officials = self._one_by_one(batch)
        self.report.write_seconds += time.perf_counter() - started
        self.report.writes += 1
        self.report.facts += facts
        self.report.officials += officials
        for article_id, result in batch:
            if isinstance(result, Extraction):
                self.report.done += 1
            else:
                self._failed(article_id, result)

    def _one_by_one(self, batch: list[Result]) -> tuple[int, int]:
        facts = officials = 0
        for i, (article_id, result) in enumerate(batch):
            if not isinstance(result, Extraction):
                self.store.record_failure(
                    self.report.run_id, article_id, self.report.version, result
                )
                continue
            try:
                f, o = self.store.record_extraction(
                    self.report.run_id, article_id, self.report.version, result
                )
            except RecordError as err:
                message = f"cannot store the extraction: {err}"
                self.store.record_failure(
                    self.report.run_id, article_id, self.report.version, message
                )
                batch[i] = (article_id, message)
                continue
            facts, officials = facts + f, officials + o
        return facts, officials

    def _failed(self, article_id: int, message: str) -> None:
        self.report.failed += 1
        if self.on_failure:
            self.on_failure(article_id, message)


def progress_bar(total: int | None, label: str = "extracting") -> Any:
    """A started rich progress bar on stderr (count, rate, ETA); call advance() and stop()."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed or 0:.1f}/s")

    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        refresh_per_second=2,  # each redraw costs milliseconds of the parent's CPU
    )
    task = bar.add_task(label, total=total)
    bar.start()
    return _Bar(bar, task)


@dataclass
class _Bar:
    progress: Any
    task: Any

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)

    def stop(self) -> None:
        self.progress.stop()
