"""Extraction in worker processes: N workers read articles, the parent alone writes.

``WorkerPool(size, extract_fn)`` starts ``size`` processes with the 'spawn' start
method; each runs ``init_fn`` once (e.g. loading the spaCy pipeline) and then extracts
the chunks of articles it is sent, one result message per article. ``pool.results(tasks)``
yields ``(article_id, Extraction | error text)`` in completion order.

A worker that raises on an article reports the error and goes on. A worker that dies
(``os._exit``, a signal, the OOM killer) or stays silent longer than ``timeout`` seconds
on one article is replaced: the article it was reading is reported as failed with the
reason, the rest of its chunk goes back in the queue. Workers ignore Ctrl-C (the parent
decides) and exit when the parent disappears (their task pipe reaches end of file).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import resource
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection, wait
from typing import Any

from spbe_extract.model import Extraction

ExtractFn = Callable[..., Extraction]
Result = tuple[int, Extraction | str]

START_METHOD = "spawn"
MAX_START_FAILURES = 3


class PoolError(RuntimeError):
    """The workers cannot do the job (they fail to start, or run another extractor version)."""


@dataclass(frozen=True)
class Task:
    """One article as a worker needs it."""

    article_id: int
    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None


@dataclass
class WorkerStats:
    """What the workers reported when they stopped."""

    peak_rss_mb: list[float] = field(default_factory=list)
    busy_seconds: float = 0.0
    deaths: int = 0


def error_text(err: BaseException) -> str:
    """Exception type and message, plus the innermost frame where it was raised."""
    frames = traceback.extract_tb(err.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{type(err).__name__}: {err}{where}"


# ---------------------------------------------------------------- inside a worker


def _worker_main(
    tasks: Connection,
    results: Connection,
    extract_fn: ExtractFn,
    init_fn: Callable[[], Any] | None,
    version_fn: Callable[[], str] | None,
) -> None:
    """Worker loop: announce readiness, then extract every task received until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if init_fn is not None:
            init_fn()
        version = version_fn() if version_fn is not None else None
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which stops the run
        results.send(("fatal", error_text(err)))
        return
    results.send(("ready", version))
    inbox: queue.SimpleQueue[list[Task] | None] = queue.SimpleQueue()
    threading.Thread(target=_read_tasks, args=(tasks, inbox), daemon=True).start()
    busy = 0.0
    while (chunk := inbox.get()) is not None:
        for task in chunk:
            started = time.perf_counter()
            outcome = _extract(extract_fn, task)
            busy += time.perf_counter() - started
            if not _send(results, (task.article_id, outcome)):
                return
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _send(results, ("bye", peak_kb / 1024, busy))


def _read_tasks(tasks: Connection, inbox: queue.SimpleQueue) -> None:
    """Drain the task pipe into ``inbox`` so the parent never blocks on sending."""
    while True:
        try:
            message = tasks.recv()
        except (EOFError, OSError):  # the parent is gone
            message = None
        inbox.put(message)
        if message is None:
            return


def _extract(extract_fn: ExtractFn, task: Task) -> Extraction | str:
    try:
        result = extract_fn(task.text, published=task.published, url=task.url, title=task.title)
    except Exception as err:  # noqa: BLE001 - one bad article must not stop the worker
        return error_text(err)
    if not isinstance(result, Extraction):
        return f"the extractor returned {type(result).__name__}, not an Extraction"
    return result


def _send(conn: Connection, message: Any) -> bool:
    """Send to the parent; False when the parent is gone."""
    try:
        conn.send(message)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return False
    except Exception as err:  # noqa: BLE001 - e.g. a result that cannot be pickled
        if isinstance(message, tuple) and isinstance(message[0], int):
            return _send(conn, (message[0], f"cannot send the result: {error_text(err)}"))
        raise
    return True


# ---------------------------------------------------------------- in the parent


@dataclass
class _Worker:
    process: Any
    tasks: Connection
    results: Connection
    ready: bool = False
    outstanding: deque[Task] = field(default_factory=deque)
    last_news: float = field(default_factory=time.monotonic)


class WorkerPool:
    """``size`` extraction processes; use as a context manager around ``results``."""

    def __init__(
        self,
        size: int,
        extract_fn: ExtractFn,
        *,
        init_fn: Callable[[], Any] | None = None,
        version_fn: Callable[[], str] | None = None,
        expected_version: str | None = None,
        chunk_size: int = 16,
        timeout: float | None = 300.0,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self._args = (extract_fn, init_fn, version_fn)
        self.expected_version = expected_version
        self.chunk_size = chunk_size
        self.timeout = timeout
        self.stats = WorkerStats()
        self._ctx = mp.get_context(START_METHOD)
        self._workers: list[_Worker] = []
        self._requeued: deque[Task] = deque()
        self._start_failures = 0
        self.ready_at: float | None = None

    def __enter__(self) -> WorkerPool:
        for _ in range(self.size):
            self._workers.append(self._spawn())
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(graceful=exc[0] is None)

    def _spawn(self) -> _Worker:
        task_read, task_write = self._ctx.Pipe(duplex=False)
        result_read, result_write = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(
            target=_worker_main,
            args=(task_read, result_write, *self._args),
            name="spbe-worker",
            daemon=True,
        )
        process.start()
        task_read.close()  # the parent keeps only its own ends: a dead side is seen as EOF
        result_write.close()
        return _Worker(process, task_write, result_read)

    # ------------------------------------------------------------ the work loop

    def results(self, tasks: Iterable[Task]) -> Iterator[Result]:
        """Extract every task; yields one (article_id, Extraction | error) per task."""
        source = iter(tasks)
        exhausted = False
        while True:
            exhausted = self._dispatch(source, exhausted)
            if exhausted and not self._requeued and not any(w.outstanding for w in self._workers):
                return
            yield from self._collect()

    def _dispatch(self, source: Iterator[Task], exhausted: bool) -> bool:
        """Give each ready worker up to two chunks in flight; returns whether ``source`` ran out."""
        for worker in self._workers:
            while worker.ready and len(worker.outstanding) <= self.chunk_size:
                chunk = self._next_chunk(source, exhausted)
                if not chunk:
                    return True
                if len(chunk) < self.chunk_size and not self._requeued:
                    exhausted = True
                try:
                    worker.tasks.send(chunk)
                except (BrokenPipeError, OSError):  # died meanwhile: its sentinel tells
                    self._requeued.extendleft(reversed(chunk))
                    break
                if not worker.outstanding:
                    worker.last_news = time.monotonic()
                worker.outstanding.extend(chunk)
        return exhausted

    def _next_chunk(self, source: Iterator[Task], exhausted: bool) -> list[Task]:
        chunk: list[Task] = []
        while self._requeued and len(chunk) < self.chunk_size:
            chunk.append(self._requeued.popleft())
        while not exhausted and len(chunk) < self.chunk_size:
            task = next(source, None)
            if task is None:
                break
            chunk.append(task)
        return chunk

    def _collect(self) -> Iterator[Result]:
        """Wait for news from any worker and turn it into results."""
        by_conn = {w.results: w for w in self._workers}
        by_sentinel = {w.process.sentinel: w for w in self._workers}
        ready = wait([*by_conn, *by_sentinel], timeout=1.0)
        for handle in ready:
            worker = by_conn.get(handle)  # type: ignore[arg-type]
            if worker is not None:
                yield from self._drain(worker)
        for handle in ready:
            worker = by_sentinel.get(handle)  # type: ignore[arg-type]
            if worker is not None and worker in self._workers:
                yield from self._drain(worker)
            if worker is not None and worker in self._workers:
                yield from self._replace(worker, self._death_reason(worker))
        yield from self._check_timeouts()

    def _drain(self, worker: _Worker) -> Iterator[Result]:
        """Handle every message waiting from ``worker``; at end of file it is dead: replace it."""
        while True:
            try:
                if not worker.results.poll():
                    return
                message = worker.results.recv()
            except (EOFError, OSError):
                yield from self._replace(worker, self._death_reason(worker))
                return
            yield from self._handle(worker, message)

    def _handle(self, worker: _Worker, message: tuple) -> Iterator[Result]:
        worker.last_news = time.monotonic()
        head = message[0]
        if head == "ready":
            self._on_ready(worker, message[1])
        elif head == "fatal":
            raise PoolError(f"a worker could not load the extractor: {message[1]}")
        else:
            task = worker.outstanding.popleft()
            if task.article_id != head:  # cannot happen: workers answer in order
                raise PoolError(f"worker answered article {head}, expected {task.article_id}")
            yield head, message[1]

    def _on_ready(self, worker: _Worker, version: str | None) -> None:
        if self.expected_version and version and version != self.expected_version:
            raise PoolError(
                f"the workers load extractor version {version}, but the run was started for "
                f"{self.expected_version}: the rules changed meanwhile; start the run again"
            )
        worker.ready = True
        self._start_failures = 0
        if self.ready_at is None and all(w.ready for w in self._workers):
            self.ready_at = time.monotonic()  # the whole pool has loaded the extractor

    def _check_timeouts(self) -> Iterator[Result]:
        if self.timeout is None:
            return
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.ready and worker.outstanding and now - worker.last_news > self.timeout:
                worker.process.kill()
                worker.process.join(5)
                yield from self._replace(
                    worker, f"no result after {self.timeout:g} s: the worker was stopped"
                )

    @staticmethod
    def _death_reason(worker: _Worker) -> str:
        worker.process.join(5)
        code = worker.process.exitcode
        if code is not None and code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exit code {code}"
        return f"the worker process died ({how}) while extracting this article"

    def _replace(self, worker: _Worker, reason: str) -> Iterator[Result]:
        """Fail the article a lost worker was reading, requeue the rest, start a new worker."""
        self._workers.remove(worker)
        self.stats.deaths += 1
        _close(worker)
        if not worker.ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                raise PoolError(f"the workers cannot start ({reason.split(' while ')[0]})")
        if worker.outstanding:
            culprit = worker.outstanding.popleft()
            self._requeued.extendleft(reversed(worker.outstanding))
            yield culprit.article_id, reason
        self._workers.append(self._spawn())

    # ------------------------------------------------------------ shutting down

    def close(self, graceful: bool = True) -> None:
        """Stop the workers: politely (collecting their stats) or at once."""
        if graceful:
            for worker in self._workers:
                with contextlib.suppress(BrokenPipeError, OSError):
                    worker.tasks.send(None)
            for worker in self._workers:
                self._await_goodbye(worker, time.monotonic() + 10)
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join(5)
            _close(worker)
        self._workers.clear()

    def _await_goodbye(self, worker: _Worker, deadline: float) -> None:
        """Read a stopping worker's last message (its stats) until it exits or time is up."""
        while time.monotonic() < deadline:
            try:
                if not worker.results.poll(0.2):
                    if not worker.process.is_alive():
                        return
                    continue
                message = worker.results.recv()
            except (EOFError, OSError):
                return
            if message[0] == "bye":
                self.stats.peak_rss_mb.append(message[1])
                self.stats.busy_seconds += message[2]
                return


def _close(worker: _Worker) -> None:
    for conn in (worker.tasks, worker.results):
        with contextlib.suppress(OSError):
            conn.close()


def cpu_count() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
