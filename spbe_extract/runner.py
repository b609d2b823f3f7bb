"""``spbe run``: extract every stored article the current extractor version has not seen.

One transaction per article: killing the process loses nothing committed, and the
next run starts where this one stopped (articles already extracted by this version
are not pending any more). An article whose extraction raises is recorded as
failed with its error; the batch goes on.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from spbe_extract.model import Extraction
from spbe_extract.store import RecordError, Store, StoreError

ExtractFn = Callable[..., Extraction]


@dataclass
class RunReport:
    """What one ``run_pending`` call did."""

    run_id: int
    version: str
    pending: int
    done: int = 0
    failed: int = 0
    facts: int = 0
    officials: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def rate(self) -> float:
        """Articles per second."""
        return (self.done + self.failed) / self.seconds if self.seconds else 0.0


def _default_extractor() -> tuple[ExtractFn, Callable[[], str]]:
    from spbe_extract import nlp

    return nlp.extract, nlp.extractor_version


def _error_text(err: BaseException) -> str:
    """Exception type and message, plus the innermost frame where it was raised."""
    frames = traceback.extract_tb(err.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{type(err).__name__}: {err}{where}"


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
    on_failure: Callable[[int, str], None] | None = None,
) -> RunReport:
    """Extract pending articles and record the run; returns its report.

    ``extract_fn(text, published=, url=, title=)`` and ``version`` default to
    ``spbe_extract.nlp.extract`` and ``spbe_extract.nlp.extractor_version()``.
    On KeyboardInterrupt the run is closed as 'interrupted' and the interrupt re-raised.
    """
    if extract_fn is None or version is None:
        default_fn, default_version = _default_extractor()
        extract_fn = extract_fn or default_fn
        version = version or default_version()
    filters: dict[str, Any] = {"source": source, "since": since, "retry_failed": retry_failed}
    pending = store.pending_count(version, **filters)
    if limit is not None:
        pending = min(pending, limit)
    params = {k: (str(v) if isinstance(v, date) else v) for k, v in filters.items() if v}
    run_id = store.start_run(version, params={**params, "limit": limit} if limit else params)
    report = RunReport(run_id=run_id, version=version, pending=pending)
    started = time.monotonic()
    bar = progress_bar(pending) if progress and pending else None
    try:
        for article in store.pending_articles(version, limit=limit, **filters):
            _extract_one(store, article, extract_fn, report, on_failure)
            if bar:
                bar.advance()
    except KeyboardInterrupt:
        report.interrupted = True
        store.finish_run(run_id, "interrupted")
        raise
    finally:
        report.seconds = time.monotonic() - started
        if bar:
            bar.stop()
    store.finish_run(run_id)
    _refresh_views(store)
    return report


def _refresh_views(store: Store) -> None:
    """Bring the reconciled facts up to date with what this run wrote."""
    from spbe_extract.reconcile import ensure_reconciled

    ensure_reconciled(store)


def _extract_one(
    store: Store,
    article: Any,
    extract_fn: ExtractFn,
    report: RunReport,
    on_failure: Callable[[int, str], None] | None,
) -> None:
    try:
        extraction = extract_fn(
            article.text, published=article.published, url=article.url, title=article.title
        )
        facts, officials = store.record_extraction(
            report.run_id, article.id, report.version, extraction
        )
    except RecordError as err:  # e.g. a value too long for its column: this article only
        _fail(store, article.id, report, f"cannot store the extraction: {err}", on_failure)
    except StoreError:  # the database itself (lock, connection): stop the run
        raise
    except Exception as err:  # noqa: BLE001 - one bad article must not stop the batch
        _fail(store, article.id, report, _error_text(err), on_failure)
    else:
        report.done += 1
        report.facts += facts
        report.officials += officials


def _fail(
    store: Store,
    article_id: int,
    report: RunReport,
    message: str,
    on_failure: Callable[[int, str], None] | None,
) -> None:
    store.record_failure(report.run_id, article_id, report.version, message)
    report.failed += 1
    if on_failure:
        on_failure(article_id, message)


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
