"""Extraction in worker processes: N workers read and extract articles, the parent writes.

``WorkerPool(size, extract_fn, store_url=...)`` starts ``size`` processes with the 'spawn'
start method; each runs ``init_fn`` once (e.g. loading the spaCy pipeline), opens its own
read connection to the store, and then extracts the chunks of article ids it is sent,
reading their texts itself: the parent only sends ids and receives one message per chunk.
Without a ``store_url`` (an in-memory database) the parent sends whole ``Task`` objects.
``pool.chunks(items)`` yields lists of ``(article_id, Extraction | error text)``.

A worker that raises on an article reports the error and goes on. A worker that dies
(``os._exit``, a signal, the OOM killer) or spends longer than ``timeout`` seconds on one
article is replaced: each worker keeps the id and start time of the article it is reading
in shared memory, so the parent reports THAT article as failed with the reason and puts the
rest of its chunks back in the queue. Workers ignore Ctrl-C (the parent decides) and exit
when the parent disappears (their task pipe reaches end of file).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import pickle
import queue
import resource
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection, wait
from typing import Any

from spbe_extract.model import Extraction

ExtractFn = Callable[..., Extraction]
Result = tuple[int, Extraction | str]

START_METHOD = "spawn"
MAX_START_FAILURES = 3
MAX_UNATTRIBUTED_DEATHS = 3  # deaths outside any article in a row: something else is wrong
CHUNK_SIZE = 64
IDLE = 0  # the "article in progress" slot when the worker is between articles


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

    @classmethod
    def of(cls, article: Any) -> Task:
        """The task of a stored article (anything with id, text, published, url, title)."""
        return cls(article.id, article.text, article.published, article.url, article.title)


Item = int | Task  # an article id (the worker reads the article) or the article itself


@dataclass
class WorkerStats:
    """What the workers reported."""

    peak_rss_mb: list[float] = field(default_factory=list)
    busy_seconds: float = 0.0
    deaths: int = 0
    text_bytes: int = 0


def error_text(err: BaseException) -> str:
    """Exception type and message, plus the innermost frame where it was raised."""
    frames = traceback.extract_tb(err.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{type(err).__name__}: {err}{where}"


def _item_id(item: Item) -> int:
    return item if isinstance(item, int) else item.article_id


# ---------------------------------------------------------------- inside a worker


def _worker_main(
    tasks: Connection,
    results: Connection,
    state: Any,
    store_url: str | None,
    extract_fn: ExtractFn,
    init_fn: Callable[[], Any] | None,
    version_fn: Callable[[], str] | None,
) -> None:
    """Worker loop: announce readiness, then extract every chunk received until told to stop.

    ``state`` is shared with the parent: [id of the article in progress or IDLE, the
    ``time.monotonic_ns()`` it started at].
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if init_fn is not None:
            init_fn()
        version = version_fn() if version_fn is not None else None
        reader = _open_reader(store_url)
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which stops the run
        results.send(("fatal", f"a worker could not load the extractor: {error_text(err)}"))
        return
    results.send(("ready", version))
    try:
        busy = _work(tasks, results, state, reader, extract_fn)
    finally:
        if reader is not None:
            reader.close()
    if busy is not None:
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        _send(results, ("bye", peak_kb / 1024, busy))


def _work(
    tasks: Connection, results: Connection, state: Any, reader: Any, extract_fn: ExtractFn
) -> float | None:
    """Extract every chunk received until told to stop; returns the seconds spent extracting
    (None when the parent is gone or the store cannot be read)."""
    inbox: queue.SimpleQueue[list[Item] | None] = queue.SimpleQueue()
    threading.Thread(target=_read_tasks, args=(tasks, inbox), daemon=True).start()
    busy = 0.0
    while (chunk := inbox.get()) is not None:
        try:
            work = _load(reader, chunk)
        except Exception as err:  # noqa: BLE001 - the store is unreadable: the parent stops
            _send(results, ("fatal", f"cannot read articles from the store: {err}"))
            return None
        started = time.perf_counter()
        outcomes = [(aid, _extract(extract_fn, task, state)) for aid, task in work]
        state[0] = IDLE
        busy += time.perf_counter() - started
        size = sum(len(task.text.encode("utf-8")) for _aid, task in work if task)
        if not _send_chunk(results, outcomes, size):
            return None
    return busy


def _open_reader(store_url: str | None) -> Any:
    if store_url is None:
        return None
    from spbe_extract.store import ArticleReader

    return ArticleReader(store_url)


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


def _load(reader: Any, chunk: Sequence[Item]) -> list[tuple[int, Task | None]]:
    """The chunk's tasks in order: ids are read from the store (None: no longer stored)."""
    ids = [i for i in chunk if isinstance(i, int)]
    found = {a.id: a for a in reader.read(ids)} if ids else {}
    work: list[tuple[int, Task | None]] = []
    for item in chunk:
        if isinstance(item, Task):
            work.append((item.article_id, item))
        elif (a := found.get(item)) is not None:
            work.append((item, Task.of(a)))
        else:
            work.append((item, None))
    return work


def _extract(extract_fn: ExtractFn, task: Task | None, state: Any) -> Extraction | str | None:
    if task is None:
        return None
    state[1] = time.monotonic_ns()  # start time first: the parent reads the id, then the time
    state[0] = task.article_id
    return extract_one(extract_fn, task)


def extract_one(extract_fn: ExtractFn, task: Task) -> Extraction | str:
    """``extract_fn`` on one article: its ``Extraction``, or why there is none (an error
    is text, so that one bad article does not stop the batch)."""
    try:
        result = extract_fn(task.text, published=task.published, url=task.url, title=task.title)
    except Exception as err:  # noqa: BLE001 - one bad article must not stop the batch
        return error_text(err)
    if not isinstance(result, Extraction):
        return f"the extractor returned {type(result).__name__}, not an Extraction"
    return result


def _send_chunk(results: Connection, outcomes: list[tuple[int, Any]], size: int) -> bool:
    """Send a chunk's outcomes; an outcome that cannot be pickled is sent as its error."""
    try:
        return _send(results, ("done", outcomes, size))
    except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled: find it
        return _send(results, ("done", [_picklable(o) for o in outcomes], size))


def _picklable(outcome: tuple[int, Any]) -> tuple[int, Any]:
    try:
        pickle.dumps(outcome)
    except Exception as err:  # noqa: BLE001 - any pickling failure becomes the article's error
        return outcome[0], f"cannot send the result: {error_text(err)}"
    return outcome


def _send(conn: Connection, message: Any) -> bool:
    """Send to the parent; False when the parent is gone."""
    try:
        conn.send(message)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return False
    return True


# ---------------------------------------------------------------- in the parent


@dataclass
class _Worker:
    process: Any
    tasks: Connection
    results: Connection
    state: Any  # shared [article in progress, its start in monotonic ns]
    ready: bool = False
    outstanding: deque[_Chunk] = field(default_factory=deque)  # chunks sent, in order
    last_news: float = field(default_factory=time.monotonic)

    def holds(self, article_id: int) -> bool:
        """Whether ``article_id`` is in a chunk this worker has not answered yet."""
        return any(article_id in chunk.ids for chunk in self.outstanding)


@dataclass(frozen=True)
class _Chunk:
    """Items sent to a worker in one message, and their article ids."""

    items: list[Item]
    ids: list[int]

    @classmethod
    def of(cls, items: list[Item]) -> _Chunk:
        if all(isinstance(i, int) for i in items):
            return cls(items, items)  # type: ignore[arg-type]
        return cls(items, [_item_id(i) for i in items])


class WorkerPool:
    """``size`` extraction processes; use as a context manager around ``chunks``."""

    def __init__(
        self,
        size: int,
        extract_fn: ExtractFn,
        *,
        store_url: str | None = None,
        init_fn: Callable[[], Any] | None = None,
        version_fn: Callable[[], str] | None = None,
        expected_version: str | None = None,
        chunk_size: int = CHUNK_SIZE,
        timeout: float | None = 300.0,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self._args = (store_url, extract_fn, init_fn, version_fn)
        self.expected_version = expected_version
        self.chunk_size = max(1, chunk_size)
        self.timeout = timeout
        self.stats = WorkerStats()
        self._ctx = mp.get_context(START_METHOD)
        self._workers: list[_Worker] = []
        self._requeued: deque[Item] = deque()
        self._start_failures = 0
        self._unattributed = 0
        self.ready_at: float | None = None
        self.ready_cpu: float | None = None  # this process's CPU time at ``ready_at``

    def __enter__(self) -> WorkerPool:
        for _ in range(self.size):
            self._workers.append(self._spawn())
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(graceful=exc[0] is None)

    def _spawn(self) -> _Worker:
        task_read, task_write = self._ctx.Pipe(duplex=False)
        result_read, result_write = self._ctx.Pipe(duplex=False)
        state = self._ctx.RawArray("q", 2)
        process = self._ctx.Process(
            target=_worker_main,
            args=(task_read, result_write, state, *self._args),
            name="spbe-worker",
            daemon=True,
        )
        process.start()
        task_read.close()  # the parent keeps only its own ends: a dead side is seen as EOF
        result_write.close()
        return _Worker(process, task_write, result_read, state)

    # ------------------------------------------------------------ the work loop

    def chunks(self, items: Iterable[Item]) -> Iterator[list[Result]]:
        """Extract every item (article id or Task); yields the results, a chunk at a time.

        Every item gets exactly one result, except ids no longer in the store.
        """
        source = iter(items)
        exhausted = False
        while True:
            exhausted = self._dispatch(source, exhausted)
            if exhausted and not self._requeued and not any(w.outstanding for w in self._workers):
                return
            yield from self._collect()

    def _dispatch(self, source: Iterator[Item], exhausted: bool) -> bool:
        """Give each ready worker up to two chunks in flight; returns whether ``source`` ran out."""
        for worker in self._workers:
            while worker.ready and len(worker.outstanding) < 2:
                items, exhausted = self._next_chunk(source, exhausted)
                if not items:
                    return exhausted
                try:
                    worker.tasks.send(items)
                except (BrokenPipeError, OSError):  # died meanwhile: its sentinel tells
                    self._requeued.extendleft(reversed(items))
                    break
                if not worker.outstanding:
                    worker.last_news = time.monotonic()
                worker.outstanding.append(_Chunk.of(items))
        return exhausted

    def _next_chunk(self, source: Iterator[Item], exhausted: bool) -> tuple[list[Item], bool]:
        chunk: list[Item] = []
        while self._requeued and len(chunk) < self.chunk_size:
            chunk.append(self._requeued.popleft())
        if not exhausted and len(chunk) < self.chunk_size:
            wanted = self.chunk_size - len(chunk)
            fresh = list(itertools.islice(source, wanted))
            chunk.extend(fresh)
            exhausted = len(fresh) < wanted
        return chunk, exhausted

    def _collect(self) -> Iterator[list[Result]]:
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

    def _drain(self, worker: _Worker) -> Iterator[list[Result]]:
        """Handle every message waiting from ``worker``; at end of file it is dead: replace it."""
        while worker in self._workers:
            try:
                if not worker.results.poll():
                    return
                message = worker.results.recv()
            except (EOFError, OSError):
                yield from self._replace(worker, self._death_reason(worker))
                return
            yield from self._handle(worker, message)

    def _handle(self, worker: _Worker, message: tuple) -> Iterator[list[Result]]:
        worker.last_news = time.monotonic()
        head = message[0]
        if head == "ready":
            self._on_ready(worker, message[1])
        elif head == "fatal":
            raise PoolError(message[1])
        elif head == "done":
            chunk = worker.outstanding.popleft()
            outcomes: list[tuple[int, Any]] = message[1]
            if [aid for aid, _ in outcomes] != chunk.ids:
                raise PoolError("a worker answered for other articles than it was sent")
            self.stats.text_bytes += message[2]
            self._unattributed = 0
            yield [(aid, outcome) for aid, outcome in outcomes if outcome is not None]

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
            self.ready_cpu = time.process_time()

    def _check_timeouts(self) -> Iterator[list[Result]]:
        if self.timeout is None:
            return
        for worker in list(self._workers):
            if not (worker.ready and worker.outstanding):
                continue
            current = worker.state[0]
            if current != IDLE and worker.holds(current):
                seconds = (time.monotonic_ns() - worker.state[1]) / 1e9
            else:  # reading from the store, or between articles
                seconds = time.monotonic() - worker.last_news
            if seconds > self.timeout:
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

    def _replace(self, worker: _Worker, reason: str) -> Iterator[list[Result]]:
        """Fail the article a lost worker was reading, requeue the rest, start a new worker."""
        self._workers.remove(worker)
        self.stats.deaths += 1
        _close(worker)
        if not worker.ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                raise PoolError(f"the workers cannot start ({reason.split(' while ')[0]})")
        current = worker.state[0]
        culprit = current if current != IDLE and worker.holds(current) else None
        rest = [i for chunk in worker.outstanding for i in chunk.items if _item_id(i) != culprit]
        self._requeued.extendleft(reversed(rest))
        if culprit is not None:
            self._unattributed = 0
            yield [(culprit, reason)]
        elif worker.outstanding:
            self._unattributed += 1
            if self._unattributed >= MAX_UNATTRIBUTED_DEATHS:
                raise PoolError(
                    f"the workers keep stopping outside any article ({reason.split(' while ')[0]})"
                )
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
