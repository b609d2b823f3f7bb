"""The store: the only code that knows SQL.

``Store(url)`` opens any SQLAlchemy URL (SQLite by default, PostgreSQL at scale),
brings the schema to the newest Alembic revision and offers the operations the
rest of the project needs: adding articles, listing pending work, recording runs
and per-article extractions, and the filtered reads behind ``spbe query``.
Every failure a user can cause (locked file, newer schema, missing directory,
unreachable server) surfaces as one ``StoreError`` with a one-line message.
"""

from __future__ import annotations

import functools
import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Select,
    bindparam,
    create_engine,
    delete,
    event,
    exists,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
)
from sqlalchemy.orm import Session, sessionmaker

from spbe_extract.model import ArticleInput, Extraction
from spbe_extract.store import migrate
from spbe_extract.store.schema import (
    Article,
    ArticleExtraction,
    Base,
    ExtractionRun,
    IndexFactRow,
    OfficialName,
    OfficialRow,
    Region,
)

__all__ = [
    "AddReport",
    "ArticleReader",
    "ArticleRecord",
    "FactRecord",
    "OfficialRecord",
    "PruneReport",
    "RecordError",
    "RunRecord",
    "Store",
    "StoreError",
    "StoredArticle",
]

DEFAULT_URL = "sqlite:///spbe.db"
LOCK_TIMEOUT = float(os.environ.get("SPBE_DB_TIMEOUT", "15"))

T = TypeVar("T")


class StoreError(Exception):
    """A store problem the user can act on; ``str(err)`` is a one-line message."""


class RecordError(StoreError):
    """One record could not be stored (constraint or data error); the database is fine."""


def batched(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Successive tuples of up to ``size`` items (itertools.batched of Python 3.12)."""
    it = iter(items)
    while chunk := tuple(islice(it, size)):
        yield chunk


def _now() -> datetime:
    """Current time as naive UTC (the store keeps every timestamp in UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------- records returned to callers


@dataclass
class AddReport:
    """What ``add_articles`` did: new articles stored, and inputs already in the store."""

    added: int = 0
    known: int = 0
    added_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class StoredArticle:
    """An article as handed to the extractor."""

    id: int
    text: str
    title: str | None
    url: str | None
    published: date | None
    source: str | None
    key: str | None


@dataclass
class FactRecord:
    """One index fact with where it came from: a row of ``spbe query``."""

    region: str
    region_code: str | None
    year: int
    kind: str
    value: float
    relation: str
    predicate: str | None
    year_inferred: bool
    confidence: float
    flags: list[str]
    evidence_sentence: str
    evidence_start: int
    evidence_end: int
    article_id: int
    article_url: str | None
    article_title: str | None
    published: date | None
    source: str | None
    run_id: int
    extractor_version: str

    def to_dict(self) -> dict[str, Any]:
        """SPEC shape (nested ``evidence``) plus the article it was read from."""
        flat = self.flat()
        evidence = {k: flat.pop(f"evidence_{k}") for k in ("sentence", "start", "end")}
        flat["evidence"] = evidence
        return flat

    def flat(self) -> dict[str, Any]:
        """One flat row (CSV): evidence as ``evidence_sentence/start/end`` columns."""
        row = asdict(self)
        row["published"] = self.published.isoformat() if self.published else None
        return row


@dataclass
class OfficialRecord:
    """One mention of an official in one article: a row of ``spbe officials --mentions``."""

    name: str
    position: str
    acting: str | None
    organization: str | None
    region: str | None
    region_code: str | None
    confidence: float
    evidence_sentence: str
    evidence_start: int
    evidence_end: int
    article_id: int
    article_url: str | None
    article_title: str | None
    published: date | None
    source: str | None
    run_id: int
    extractor_version: str

    def flat(self) -> dict[str, Any]:
        row = asdict(self)
        row["published"] = self.published.isoformat() if self.published else None
        return row


@dataclass
class ArticleRecord:
    """A stored article with how many current facts and officials it yielded."""

    id: int
    url: str | None
    source: str | None
    title: str | None
    published: date | None
    path: str | None
    key: str | None
    ingested_at: datetime
    facts: int
    officials: int
    extractor_version: str | None

    def flat(self) -> dict[str, Any]:
        row = asdict(self)
        row["published"] = self.published.isoformat() if self.published else None
        row["ingested_at"] = self.ingested_at.isoformat(timespec="seconds")
        return row


@dataclass
class RunRecord:
    """One extraction run."""

    id: int
    extractor_version: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    articles_done: int
    articles_failed: int
    facts_count: int
    officials_count: int
    params: dict | None


@dataclass
class PruneReport:
    """What ``prune`` deleted (or, with ``dry_run``, would delete)."""

    extractions: int
    facts: int
    officials: int
    runs: int
    dry_run: bool


# ---------------------------------------------------------------- error translation


def _describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _translate(err: Exception, url: str) -> StoreError:
    """Turn a driver error into a one-line message the user can act on."""
    text = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
    where = _describe(url)
    low = text.lower()
    if "database is locked" in low or "database table is locked" in low:
        return StoreError(
            f"database {where} is locked by another process (another `spbe` command still "
            "running?); wait for it to finish and try again"
        )
    if "file is not a database" in low:
        return StoreError(f"{where} is not an SQLite database file")
    if "unable to open database file" in low:
        return StoreError(f"cannot open database file {where} (check the path and permissions)")
    if "readonly database" in low:
        return StoreError(f"database {where} is read-only")
    if "connection" in low or "could not" in low or "password" in low:
        return StoreError(f"cannot connect to {where}: {text}")
    return StoreError(f"database error on {where}: {text}")


F = TypeVar("F", bound=Callable[..., Any])


def _guarded(method: F) -> F:
    """Run a Store method, turning driver errors into ``StoreError``."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except (IntegrityError, DataError) as err:
            first = str(err.orig or err).strip().splitlines()[0]
            raise RecordError(f"record rejected by the database: {first}") from err
        except DBAPIError as err:
            raise _translate(err, self.url) from err

    return wrapper  # type: ignore[return-value]


def normalise_url(url: str | os.PathLike[str]) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as an SQLite file)."""
    text = os.fspath(url)
    return text if "://" in text else f"sqlite:///{text}"


def _check_sqlite_path(url: str) -> None:
    """Refuse SQLite paths that cannot work, before SQLite gives a vaguer message."""
    parsed = make_url(url)
    db = parsed.database
    if not parsed.drivername.startswith("sqlite") or not db or db == ":memory:":
        return
    if db.startswith("file:"):
        return
    path = Path(db)
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if not path.parent.is_dir():
        raise StoreError(
            f"directory {path.parent} does not exist: create it or choose another --db path"
        )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Foreign keys on, WAL so readers (the web view) never block the writer; temporary
    statement journals (the ``officials`` name trigger) in memory."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _make_engine(url: str, timeout: float) -> Engine:
    _check_sqlite_path(url)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": timeout})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as err:
        raise StoreError(f"not a usable database URL {_describe(url)}: {err}") from err
    except ModuleNotFoundError as err:
        raise StoreError(
            f"the database driver for {_describe(url)} is not installed ({err.name}); "
            "for PostgreSQL: pip install 'spbe-extract[postgres]'"
        ) from err


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------- the facade


class Store:
    """Facade over the database: open (and migrate) with ``Store(url)``, then call methods.

    All timestamps are naive UTC. Methods are safe to call from one thread; open one
    ``Store`` per process.
    """

    def __init__(self, url: str | os.PathLike[str] = DEFAULT_URL, *, timeout: float | None = None):
        self.url = normalise_url(url)
        self.engine = _make_engine(self.url, LOCK_TIMEOUT if timeout is None else timeout)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        try:
            migrate.upgrade(self.engine)
            self._fill_regions_if_empty()
        except StoreError:
            self.engine.dispose()
            raise
        except DBAPIError as err:
            self.engine.dispose()
            raise _translate(err, self.url) from err

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({_describe(self.url)!r})"

    # ------------------------------------------------------------ regions

    def _fill_regions_if_empty(self) -> None:
        with self._session() as s:
            if s.scalar(select(func.count()).select_from(Region)):
                return
        self.sync_regions()

    @_guarded
    def sync_regions(self) -> int:
        """Replace the regions table with the gazetteer of ``spbe_extract.regions``."""
        from spbe_extract import regions

        rows, names, codes = [], set(), set()
        for r in regions.all_regions():
            if r.name in names or (r.code and r.code in codes):
                continue
            names.add(r.name)
            if r.code:
                codes.add(r.code)
            rows.append(
                {
                    "code": r.code,
                    "name": r.name,
                    "bare": r.bare,
                    "level": r.level,
                    "parent_code": r.parent_code,
                }
            )
        with self._session.begin() as s:
            s.execute(delete(Region))
            s.execute(Region.__table__.insert(), rows)
        return len(rows)

    @staticmethod
    def resolve_region(text: str) -> list[Any]:
        """Regions a query string names ('Kaltim', 'Gorontalo', '75.71'); may be several."""
        from spbe_extract import regions

        return list(regions.resolve_query(text))

    # ------------------------------------------------------------ articles

    @_guarded
    def add_articles(self, items: Iterable[ArticleInput], chunk_size: int = 500) -> AddReport:
        """Store new articles; an input whose content hash, URL or key is known is skipped.

        Streams ``items`` in chunks, one transaction per chunk.
        """
        report = AddReport()
        for chunk in batched(items, chunk_size):
            try:
                self._add_chunk(chunk, report)
            except IntegrityError:  # a concurrent writer added one of them: go one by one
                for item in chunk:
                    try:
                        self._add_chunk((item,), report)
                    except IntegrityError:
                        report.known += 1
        return report

    def _add_chunk(self, chunk: Sequence[ArticleInput], report: AddReport) -> None:
        hashes = {a.content_hash for a in chunk}
        urls = {a.url for a in chunk if a.url}
        keys = {a.key for a in chunk if a.key}
        with self._session.begin() as s:
            rows = s.execute(
                select(Article.content_hash, Article.url, Article.key).where(
                    or_(
                        Article.content_hash.in_(hashes),
                        Article.url.in_(urls),
                        Article.key.in_(keys),
                    )
                )
            ).all()
            seen = {v for row in rows for v in row if v}
            new: list[Article] = []
            known = 0
            for item in chunk:
                ids = {item.content_hash, item.url, item.key} - {None}
                if ids & seen:
                    known += 1
                    continue
                seen |= ids
                new.append(_article_row(item))
            s.add_all(new)
            s.flush()
            added_ids = [a.id for a in new]
        report.added += len(added_ids)
        report.known += known
        report.added_ids.extend(added_ids)

    @_guarded
    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these outside keys (e.g. ``antara:401652``) are already stored."""
        return self._known(Article.key, keys)

    @_guarded
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs are already stored."""
        return self._known(Article.url, urls)

    def _known(self, column: Any, values: Iterable[str]) -> set[str]:
        found: set[str] = set()
        with self._session() as s:
            for chunk in batched(values, 500):
                found.update(s.scalars(select(column).where(column.in_(chunk))))
        return found

    @_guarded
    def article_text(self, article_id: int) -> str | None:
        """The stored text of one article (evidence offsets point into it)."""
        with self._session() as s:
            return s.scalar(select(Article.text).where(Article.id == article_id))

    # ------------------------------------------------------------ pending work and runs

    def _pending_query(
        self,
        version: str,
        *,
        source: str | None = None,
        since: date | None = None,
        retry_failed: bool = False,
        outdated_only: bool = False,
    ) -> Select:
        """Articles with no extraction by ``version`` (``retry_failed``: no successful one).

        ``outdated_only`` keeps only articles already extracted by another version
        (re-extraction; articles never extracted are left out).
        """
        done = select(ArticleExtraction.id).where(
            ArticleExtraction.article_id == Article.id,
            ArticleExtraction.extractor_version == version,
        )
        if retry_failed:
            done = done.where(ArticleExtraction.status == "ok")
        query = select(Article).where(~exists(done))
        if outdated_only:
            older = select(ArticleExtraction.id).where(
                ArticleExtraction.article_id == Article.id,
                ArticleExtraction.extractor_version != version,
            )
            query = query.where(exists(older))
        if source:
            query = query.where(func.lower(Article.source) == source.lower())
        if since:
            query = query.where(Article.published >= since)
        return query

    @_guarded
    def pending_count(self, version: str, **filters: Any) -> int:
        """How many articles have no extraction by ``version`` (same filters as pending)."""
        pending = self._pending_query(version, **filters).with_only_columns(Article.id)
        query = select(func.count()).select_from(pending.subquery())
        with self._session() as s:
            return s.scalar(query) or 0

    def pending_ids(
        self, version: str, *, limit: int | None = None, page: int = 1000, **filters: Any
    ) -> Iterator[int]:
        """Ids of the articles with no extraction by ``version``, ascending, read in pages.

        No transaction stays open between pages, so the caller may write while iterating.
        """
        last_id, given = 0, 0
        while limit is None or given < limit:
            size = page if limit is None else min(page, limit - given)
            query = (
                self._pending_query(version, **filters)
                .with_only_columns(Article.id)
                .where(Article.id > last_id)
                .order_by(Article.id)
                .limit(size)
            )
            try:
                with self.engine.connect() as conn:
                    ids = conn.execute(query).scalars().all()
            except DBAPIError as err:
                raise _translate(err, self.url) from err
            if not ids:
                return
            yield from ids
            given += len(ids)
            last_id = ids[-1]

    def pending_articles(
        self, version: str, *, limit: int | None = None, chunk_size: int = 100, **filters: Any
    ) -> Iterator[StoredArticle]:
        """Articles with no extraction by ``version``, oldest id first, read in chunks.

        No transaction stays open between chunks, so the caller may write while iterating;
        articles it records meanwhile are not yielded again.
        """
        ids = self.pending_ids(version, limit=limit, page=chunk_size, **filters)
        for chunk in batched(ids, chunk_size):
            yield from self.articles_by_id(chunk)

    @_guarded
    def articles_by_id(self, ids: Sequence[int]) -> list[StoredArticle]:
        """The articles with these ids, in the order given (ids not stored are left out)."""
        with self.engine.connect() as conn:
            return _read_articles(conn, ids)

    @property
    def shared_url(self) -> str | None:
        """The URL other processes open to read this store; None for in-memory SQLite."""
        parsed = make_url(self.url)
        if parsed.drivername.startswith("sqlite"):
            db = parsed.database or ""
            if db in ("", ":memory:") or "mode=memory" in self.url:
                return None
        return self.url

    @_guarded
    def start_run(self, version: str, params: dict | None = None) -> int:
        """Record the start of a run; runs of dead processes on this host become 'interrupted'."""
        host = socket.gethostname()
        with self._session.begin() as s:
            for run in s.scalars(
                select(ExtractionRun).where(
                    ExtractionRun.status == "running", ExtractionRun.host == host
                )
            ):
                if run.pid is None or not _pid_alive(run.pid):
                    run.status = "interrupted"
            run = ExtractionRun(
                extractor_version=version,
                started_at=_now(),
                status="running",
                host=host,
                pid=os.getpid(),
                params=params,
                articles_done=0,
                articles_failed=0,
                facts_count=0,
                officials_count=0,
            )
            s.add(run)
            s.flush()
            return run.id

    @_guarded
    def finish_run(self, run_id: int, status: str = "finished") -> RunRecord:
        """Close a run ('finished' or 'interrupted') and return its record."""
        with self._session.begin() as s:
            run = s.get_one(ExtractionRun, run_id)
            run.status = status
            run.finished_at = _now()
            return _run_record(run)

    @_guarded
    def record_extraction(
        self, run_id: int, article_id: int, version: str, extraction: Extraction
    ) -> tuple[int, int]:
        """Store one article's extraction atomically; it becomes the article's current one.

        Returns (facts, officials) written. A previous extraction of the same article by
        the same version (e.g. a failure being retried) is replaced.
        """
        with self.engine.begin() as conn:
            return _write_batch(conn, run_id, version, [(article_id, extraction)])

    @_guarded
    def record_failure(self, run_id: int, article_id: int, version: str, error: str) -> None:
        """Record that extracting an article failed; its current facts stay as they were."""
        with self.engine.begin() as conn:
            _write_batch(conn, run_id, version, [(article_id, error)])

    @_guarded
    def record_batch(
        self, run_id: int, version: str, results: Iterable[tuple[int, Extraction | str]]
    ) -> tuple[int, int]:
        """Store many (article_id, extraction or error) results in one transaction.

        Each behaves as ``record_extraction`` / ``record_failure`` would (for an article
        given twice, the last result counts), with a few set-based statements per batch.
        """
        with self.engine.begin() as conn:
            return _write_batch(conn, run_id, version, results)

    @_guarded
    def runs(self) -> list[RunRecord]:
        """Every run, newest first."""
        with self._session() as s:
            rows = s.scalars(select(ExtractionRun).order_by(ExtractionRun.id.desc()))
            return [_run_record(r) for r in rows]

    @_guarded
    def run(self, run_id: int) -> RunRecord | None:
        """One run, or None when there is no run with that id."""
        with self._session() as s:
            row = s.get(ExtractionRun, run_id)
            return _run_record(row) if row else None

    @_guarded
    def run_articles(self, run_id: int) -> dict[int, str]:
        """Article id -> status ('ok' or 'failed') of every extraction still stored for a run."""
        query = select(ArticleExtraction.article_id, ArticleExtraction.status).where(
            ArticleExtraction.run_id == run_id
        )
        with self._session() as s:
            return {article_id: status for article_id, status in s.execute(query)}

    @_guarded
    def failures(
        self, run: int | None = None, version: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Failed extractions (article, version, run, error), newest first."""
        query = (
            select(ArticleExtraction, Article)
            .join(Article, Article.id == ArticleExtraction.article_id)
            .where(ArticleExtraction.status == "failed")
            .order_by(ArticleExtraction.id.desc())
            .limit(limit)
        )
        if run is not None:
            query = query.where(ArticleExtraction.run_id == run)
        if version is not None:
            query = query.where(ArticleExtraction.extractor_version == version)
        with self._session() as s:
            return [
                {
                    "article_id": a.id,
                    "url": a.url,
                    "path": a.path,
                    "title": a.title,
                    "run_id": e.run_id,
                    "extractor_version": e.extractor_version,
                    "error": e.error,
                }
                for e, a in s.execute(query)
            ]

    @_guarded
    def prune(self, dry_run: bool = False) -> PruneReport:
        """Delete superseded extractions with their facts and officials; one transaction.

        Superseded: a successful extraction that is no longer its article's current one
        (a newer version replaced it), and a failure followed by a newer current extraction.
        Current extractions, and failures not yet followed by a success, are kept.
        ``dry_run`` only counts. Runs themselves stay listed (``spbe runs``).
        """
        ids = _superseded_extractions()
        with self._session.begin() as s:

            def count(model: Any, column: Any) -> int:
                return s.scalar(select(func.count(model.id)).where(column.in_(ids))) or 0

            report = PruneReport(
                extractions=count(ArticleExtraction, ArticleExtraction.id),
                facts=count(IndexFactRow, IndexFactRow.extraction_id),
                officials=count(OfficialRow, OfficialRow.extraction_id),
                runs=s.scalar(
                    select(func.count(func.distinct(ArticleExtraction.run_id))).where(
                        ArticleExtraction.id.in_(ids)
                    )
                )
                or 0,
                dry_run=dry_run,
            )
            if not dry_run and report.extractions:
                s.execute(delete(IndexFactRow).where(IndexFactRow.extraction_id.in_(ids)))
                s.execute(delete(OfficialRow).where(OfficialRow.extraction_id.in_(ids)))
                s.execute(delete(ArticleExtraction).where(ArticleExtraction.id.in_(ids)))
        return report

    # ------------------------------------------------------------ reads

    def _region_clause(self, region: str, name_col: Any, code_col: Any) -> Any:
        """Rows of the regions a query names: by code (indexed) where there is one, else name."""
        found = self.resolve_region(region)
        if not found:
            return func.lower(name_col).contains(region.strip().lower(), autoescape=True)
        codes = [r.code for r in found if r.code]
        names = [r.name for r in found if not r.code]
        if codes and names:
            return or_(code_col.in_(codes), name_col.in_(names))
        return code_col.in_(codes) if codes else name_col.in_(names)

    @staticmethod
    def _base(model: Any, run: int | None, by_article: bool = False) -> Select:
        """Rows with their article and extraction: the current extraction, or one run's.

        Flat columns, read back by position (``_row_parts``): named access to result rows
        costs ~1 µs a field, most of the time of a 5,000-fact region. ``by_article`` (a
        filter on the article) joins the article first, so SQLite reads it first and skips
        the extraction of rows it rejects.
        """
        joins = [
            (ArticleExtraction, ArticleExtraction.id == model.extraction_id),
            (Article, Article.id == model.article_id),
        ]
        query = select(*model.__table__.c, *_ARTICLE_INFO, ArticleExtraction.published)
        for table, on in reversed(joins) if by_article else joins:
            query = query.join(table, on)
        if run is not None:
            return query.where(model.run_id == run)
        return query.where(ArticleExtraction.current.is_(True))

    @_guarded
    def facts(
        self,
        region: str | None = None,
        year: int | None = None,
        kind: str | None = None,
        official: str | None = None,
        source: str | None = None,
        run: int | None = None,
        limit: int | None = None,
    ) -> list[FactRecord]:
        """Index facts matching every given filter (current extractions unless ``run``)."""
        f = IndexFactRow
        query = self._base(f, run, by_article=bool(source))
        # With a region, its (region_code, region, year, kind) index gives its rows in sort
        # order: `year + 0` and `kind || ''` keep SQLite from preferring the year or kind index
        # (1M facts: 500 ms -> 10 ms). Without a region, (year|kind, region, ...) indexes
        # give the first rows in sort order (migrations 0003, 0004).
        if year is not None:
            query = query.where((f.year + 0 if region else f.year) == year)
        if kind:
            query = query.where((f.kind + "" if region else f.kind) == kind)
        if source:
            query = query.where(_source_clause(source))
        order = (f.region, f.year, f.kind, Article.published, f.id)
        with self._session() as s:
            if official:
                query = query.where(_naming_clause(s, official, limit))
            if region:
                query = self._fact_region(query, region, order, limit)
            query = query.order_by(*order).limit(limit)
            return [_fact_record(row) for row in s.execute(query)]

    def _fact_region(self, query: Select, region: str, order: tuple, limit: int | None) -> Select:
        """``query`` restricted to the facts of ``region``.

        A page over several regions ('Gorontalo': province, kabupaten and kota) takes the
        first ``limit`` ids of each region, each read in order from its index, then sorts
        those few: one ``region_code IN (...)`` would sort every row of all of them.
        """
        f = IndexFactRow
        found = self.resolve_region(region)
        if limit is None or len(found) < 2:
            return query.where(self._region_clause(region, f.region, f.region_code))
        parts = [f.region_code == r.code if r.code else f.region == r.name for r in found]
        firsts = [
            query.where(part).with_only_columns(f.id).order_by(*order).limit(limit).subquery()
            for part in parts
        ]
        return query.where(f.id.in_(union_all(*(select(first.c.id) for first in firsts))))

    @_guarded
    def officials(
        self,
        name: str | None = None,
        position: str | None = None,
        region: str | None = None,
        source: str | None = None,
        run: int | None = None,
        limit: int | None = None,
    ) -> list[OfficialRecord]:
        """Mentions of officials matching every given filter, one per person per article."""
        o = OfficialRow
        query = self._base(o, run, by_article=bool(source))
        if name:
            query = query.where(o.name.in_(_names_containing(name)))
        if position:
            query = query.where(func.lower(o.position) == position.lower())
        if region:
            query = query.where(self._region_clause(region, o.region, o.region_code))
        if source:
            query = query.where(_source_clause(source))
        query = query.order_by(o.name, o.position, Article.published, o.id).limit(limit)
        with self._session() as s:
            return [_official_record(row) for row in s.execute(query)]

    @_guarded
    def articles(
        self,
        source: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> list[ArticleRecord]:
        """Stored articles with their current fact and official counts, oldest id first."""
        current = (
            select(
                ArticleExtraction.id,
                ArticleExtraction.article_id,
                ArticleExtraction.extractor_version,
                ArticleExtraction.published,
            )
            .where(ArticleExtraction.current.is_(True))
            .subquery()
        )
        published = func.coalesce(Article.published, current.c.published)
        n_facts = (
            select(func.count(IndexFactRow.id))
            .where(IndexFactRow.extraction_id == current.c.id)
            .scalar_subquery()
        )
        n_officials = (
            select(func.count(OfficialRow.id))
            .where(OfficialRow.extraction_id == current.c.id)
            .scalar_subquery()
        )
        query = (
            select(
                Article.id,
                Article.url,
                Article.source,
                Article.title,
                published,
                Article.path,
                Article.key,
                Article.ingested_at,
                func.coalesce(n_facts, 0),
                func.coalesce(n_officials, 0),
                current.c.extractor_version,
            )
            .outerjoin(current, current.c.article_id == Article.id)
            .order_by(Article.id)
            .limit(limit)
        )
        if source:
            query = query.where(_source_clause(source))
        if since:
            query = query.where(published >= since)
        if until:
            query = query.where(published <= until)
        with self._session() as s:
            return [ArticleRecord(*row) for row in s.execute(query)]

    @_guarded
    def counts(self) -> dict[str, int]:
        """Row counts: articles, runs, current facts and officials."""
        cur = ArticleExtraction.current.is_(True)
        with self._session() as s:

            def count(q: Select) -> int:
                return s.scalar(q) or 0

            return {
                "articles": count(select(func.count(Article.id))),
                "runs": count(select(func.count(ExtractionRun.id))),
                "facts": count(
                    select(func.count(IndexFactRow.id)).join(ArticleExtraction).where(cur)
                ),
                "officials": count(
                    select(func.count(OfficialRow.id)).join(ArticleExtraction).where(cur)
                ),
            }


# ---------------------------------------------------------------- row helpers


def _names_containing(text: str) -> Select:
    """Distinct official names containing ``text``, ignoring case (a scan of names only)."""
    n = OfficialName
    return select(n.name).where(func.lower(n.name).contains(text.lower(), autoescape=True))


# Fetching and sorting one fact costs about 2.5 times checking one on the way through a
# sort-order index (SQLite, 1M facts): sets where the plans of `_naming_clause` cross.
SORT_VS_WALK = 2.5


def _naming_clause(s: Session, official: str, limit: int | None) -> Any:
    """Facts of the extractions naming an official whose name contains ``official``.

    Names are matched in ``official_names``, mentions by exact name. Two plans, same rows:
    fetch and sort every fact of those extractions (few mentions, or no limit); or walk the
    facts in sort order, asking the (extraction_id, name) index of each one's extraction,
    until ``limit`` rows (a common name fills a page within a few thousand facts).
    """
    o, f = OfficialRow, IndexFactRow
    names = _names_containing(official)
    if limit is not None and _many_mentions(s, names, limit):
        # `name || ''`: one index probe per fact, not one per matching name
        naming = select(o.id).where(o.extraction_id == f.extraction_id, (o.name + "").in_(names))
        return naming.exists()
    return f.extraction_id.in_(select(o.extraction_id).where(o.name.in_(names)))


def _many_mentions(s: Session, names: Select, limit: int) -> bool:
    """Whether walking beats sorting for these names.

    With m matching facts out of N, sorting costs ~SORT_VS_WALK * m and walking ~limit * N / m.
    m is estimated from the mentions (counted up to where the plans cross) and the facts per
    mention (from the newest ids).
    """
    n_facts = s.scalar(select(func.max(IndexFactRow.id))) or 0
    n_mentions = s.scalar(select(func.max(OfficialRow.id))) or 0
    if not n_facts or not n_mentions:
        return False
    crossover = (limit * n_facts / SORT_VS_WALK) ** 0.5 * n_mentions / n_facts
    o = OfficialRow
    counted = select(o.extraction_id).where(o.name.in_(names)).limit(int(crossover) + 1)
    return (s.scalar(select(func.count()).select_from(counted.subquery())) or 0) > crossover


def _source_clause(source: str) -> Any:
    return func.lower(Article.source).contains(source.strip().lower(), autoescape=True)


def _article_row(item: ArticleInput) -> Article:
    published = item.published
    published_at = None
    if isinstance(published, datetime):
        published_at = published
        if published.tzinfo is not None:
            published_at = published.astimezone(UTC).replace(tzinfo=None)
        published = published.date()
    return Article(
        key=item.key,
        url=item.url,
        content_hash=item.content_hash,
        source=item.source,
        title=item.title,
        published=published,
        published_at=published_at,
        author=item.author,
        path=item.path,
        text=item.text,
        html=item.html,
        meta=item.meta or None,
        ingested_at=_now(),
    )


_ARTICLE_COLUMNS = (
    Article.id,
    Article.text,
    Article.title,
    Article.url,
    Article.published,
    Article.source,
    Article.key,
)
IN_CHUNK = 500  # values per IN (...) list: far below every backend's parameter limit
_ARTICLES_IN_RANGE = select(*_ARTICLE_COLUMNS).where(
    Article.id.between(bindparam("lo"), bindparam("hi"))
)


def _read_articles(conn: Connection, ids: Sequence[int]) -> list[StoredArticle]:
    """The articles with these ids, in the order given; ids not stored are left out.

    Dense ids (a chunk of pending ids mostly is) are read as one id range with a statement
    built once: a third of the cost of an ``IN (...)`` list, and at most twice the rows.
    """
    wanted = set(ids)
    if not wanted:
        return []
    lo, hi = min(wanted), max(wanted)
    if hi - lo < 2 * len(wanted):
        rows = conn.execute(_ARTICLES_IN_RANGE, {"lo": lo, "hi": hi})
        found = {row[0]: StoredArticle(*row) for row in rows if row[0] in wanted}
    else:
        found = {}
        for chunk in batched(ids, IN_CHUNK):
            rows = conn.execute(select(*_ARTICLE_COLUMNS).where(Article.id.in_(chunk)))
            found.update((row[0], StoredArticle(*row)) for row in rows)
    return [found[i] for i in ids if i in found]


class ArticleReader:
    """Read-only access to article texts for another process (an extraction worker).

    Opens its own engine on ``url`` without migrating or filling anything; each read is
    one short transaction, so it never holds the writer back.
    """

    def __init__(self, url: str, timeout: float | None = None) -> None:
        self.url = url
        self.engine = _make_engine(url, LOCK_TIMEOUT if timeout is None else timeout)

    @_guarded
    def read(self, ids: Sequence[int]) -> list[StoredArticle]:
        """The articles with these ids, in the order given (ids not stored are left out)."""
        with self.engine.connect() as conn:
            return _read_articles(conn, ids)

    def close(self) -> None:
        self.engine.dispose()


def _write_batch(
    conn: Connection, run_id: int, version: str, results: Iterable[tuple[int, Extraction | str]]
) -> tuple[int, int]:
    """Write outcomes set-wise; returns (facts, officials) written.

    Per batch: one look at the articles' extractions (by id range); previous extractions
    of these articles by ``version`` go (with their rows); successful articles' current
    extraction stops being current; the new extractions are inserted (current when
    successful) with the driver's executemany; then the facts and officials of those that
    have some, and the run's counters move once.
    """
    outcomes = dict(results)  # an article given twice: the last result counts
    if not outcomes:
        return 0, 0
    ok = {aid for aid, r in outcomes.items() if isinstance(r, Extraction)}
    previous, current = [], []
    for aid, extraction_id, ver, is_current in _extractions_of(conn, outcomes):
        if ver == version:
            previous.append(extraction_id)
        elif is_current and aid in ok:
            current.append({"eid": extraction_id})
    if previous:
        _delete_extractions(conn, previous)
    if current:
        conn.execute(_UNSET_CURRENT, current)
    _insert_extractions(conn, run_id, version, outcomes)
    rich = {
        aid: r
        for aid, r in outcomes.items()
        if isinstance(r, Extraction) and (r.index_facts or r.officials)
    }
    facts: list[dict[str, Any]] = []
    officials: list[dict[str, Any]] = []
    for aid, extraction_id, ver, _current in _extractions_of(conn, rich):
        if ver != version:
            continue
        common = {
            "extraction_id": extraction_id,
            "article_id": aid,
            "run_id": run_id,
            "extractor_version": version,
        }
        facts.extend(_fact_rows(common, rich[aid]))
        officials.extend(_official_rows(common, rich[aid]))
    _insert_rows(conn, "index_facts", facts)
    _insert_rows(conn, "officials", officials)
    _count_in_run(conn, run_id, len(ok), len(outcomes) - len(ok), len(facts), len(officials))
    return len(facts), len(officials)


def _extractions_of(conn: Connection, ids: Iterable[int]) -> list[Any]:
    """(article_id, id, extractor_version, current) of every extraction of these articles.

    Read by ranges of nearby ids rather than ``IN (...)`` lists: one short statement the
    driver has prepared already, instead of a new one with hundreds of parameters.
    """
    wanted = set(ids)
    rows: list[Any] = []
    for lo, hi in _id_ranges(wanted):
        found = conn.execute(_IN_RANGE, {"lo": lo, "hi": hi}).all()
        rows.extend(r for r in found if r[0] in wanted)
    return rows


def _id_ranges(ids: Iterable[int], gap: int = 1000) -> list[tuple[int, int]]:
    """Sorted ``ids`` as (first, last) ranges, a new range after every jump over ``gap``."""
    ordered = sorted(ids)
    if not ordered:
        return []
    ranges = []
    first = last = ordered[0]
    for i in ordered[1:]:
        if i - last > gap:
            ranges.append((first, last))
            first = i
        last = i
    ranges.append((first, last))
    return ranges


_INSERT_COLUMNS = (
    "article_id",
    "run_id",
    "extractor_version",
    "status",
    "error",
    "current",
    "published",
    "extracted_at",
)


def _insert_extractions(
    conn: Connection, run_id: int, version: str, outcomes: dict[int, Extraction | str]
) -> None:
    """INSERT one extraction row per outcome (see ``_driver_insert``).

    Values shared by the batch (run, version, time, booleans, dates) are converted once.
    """
    sql, order, convert = _driver_insert(conn.dialect, "article_extractions", _INSERT_COLUMNS)
    value = dict(zip(order or _INSERT_COLUMNS, convert, strict=True))
    ok, failed = value["current"](True), value["current"](False)
    date_of = value["published"]
    head = (value["run_id"](run_id), value["extractor_version"](version))
    now = value["extracted_at"](_now())
    dates: dict[date | None, Any] = {None: None}  # a corpus has few distinct dates
    rows: list[Any] = []
    for aid, r in outcomes.items():
        if isinstance(r, Extraction):
            published = dates.get(r.published)
            if published is None and r.published is not None:
                published = dates[r.published] = date_of(r.published)
            rows.append((aid, *head, "ok", None, ok, published, now))
        else:
            rows.append((aid, *head, "failed", str(r)[:4000], failed, None, now))
    if order != _INSERT_COLUMNS:  # named parameters (psycopg), or another order
        rows = [dict(zip(_INSERT_COLUMNS, row, strict=True)) for row in rows]
        if order is not None:
            rows = [tuple(row[name] for name in order) for row in rows]
    conn.exec_driver_sql(sql, rows)


def _insert_rows(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts with the same keys) into ``table`` (see ``_driver_insert``)."""
    if not rows:
        return
    columns = tuple(rows[0])
    sql, order, convert = _driver_insert(conn.dialect, table, columns)
    names = order or columns
    typed = [(i, f) for i, f in enumerate(convert) if f is not _same]
    take = itemgetter(*names)  # rows have many columns: a tuple
    values: list[Any] = []
    for row in rows:
        items = take(row)
        if typed:
            items = list(items)
            for i, f in typed:
                items[i] = f(items[i])
        values.append(tuple(items) if order else dict(zip(names, items, strict=True)))
    conn.exec_driver_sql(sql, values)


@functools.lru_cache(maxsize=32)
def _driver_insert(
    dialect: Any, table: str, columns: tuple[str, ...]
) -> tuple[str, tuple[str, ...] | None, tuple[Callable[[Any], Any], ...]]:
    """An INSERT for the driver's own executemany: (SQL, parameter order, converters).

    SQLAlchemy's per-row parameter handling costs more than SQLite's insert itself, so
    the statement is compiled once per dialect (without RETURNING) and run with
    ``exec_driver_sql``; values go through the column types' own bind processors.
    The order is that of positional parameters (None: named ones, pass dicts); the
    converters follow it (or ``columns`` when named).
    """
    target = Base.metadata.tables[table]
    compiled = target.insert().inline().compile(dialect=dialect, column_keys=list(columns))
    order = tuple(compiled.positiontup or ()) if compiled.positional else None
    if order is not None and set(order) != set(columns):
        raise StoreError(f"unexpected parameters in {compiled.string!r}")
    convert = tuple(
        target.c[name].type.dialect_impl(dialect).bind_processor(dialect) or _same
        for name in (order or columns)
    )
    return compiled.string, order, convert


def _same(value: Any) -> Any:
    return value


def _fact_rows(common: dict[str, Any], extraction: Extraction) -> list[dict[str, Any]]:
    return [
        {
            **common,
            "region": f.region,
            "region_code": f.region_code,
            "year": f.year,
            "kind": f.kind,
            "value": f.value,
            "relation": f.relation,
            "predicate": f.predicate,
            "year_inferred": f.year_inferred,
            "flags": list(f.flags) or None,
            "confidence": f.confidence,
            "evidence_sentence": f.evidence.sentence,
            "evidence_start": f.evidence.start,
            "evidence_end": f.evidence.end,
        }
        for f in extraction.index_facts
    ]


def _official_rows(common: dict[str, Any], extraction: Extraction) -> list[dict[str, Any]]:
    from spbe_extract import regions

    rows = []
    for o in extraction.officials:
        region = regions.by_name(o.region) if o.region else None
        rows.append(
            {
                **common,
                "name": o.name,
                "position": o.position,
                "acting": o.acting,
                "organization": o.organization,
                "region": o.region,
                "region_code": region.code if region else None,
                "confidence": o.confidence,
                "evidence_sentence": o.evidence.sentence,
                "evidence_start": o.evidence.start,
                "evidence_end": o.evidence.end,
            }
        )
    return rows


def _count_in_run(
    conn: Connection, run_id: int, done: int, failed: int, facts: int, officials: int
) -> None:
    params = {"rid": run_id, "d": done, "f": failed, "nf": facts, "no": officials}
    conn.execute(_COUNT_IN_RUN, params)


# The article columns shown beside a fact (not its text or html: those can be large).
_ARTICLE_INFO = (Article.id, Article.url, Article.title, Article.published, Article.source)
_EXTRACTIONS = ArticleExtraction.__table__
_RUNS = ExtractionRun.__table__
# Statements built once: building SQLAlchemy statements per article costs more than running them.
# Every extraction of a range of articles, filtered in Python: with the version in the
# WHERE clause SQLite would pick the (unselective) extractor_version index.
_IN_RANGE = select(
    _EXTRACTIONS.c.article_id,
    _EXTRACTIONS.c.id,
    _EXTRACTIONS.c.extractor_version,
    _EXTRACTIONS.c.current,
).where(_EXTRACTIONS.c.article_id.between(bindparam("lo"), bindparam("hi")))
_UNSET_CURRENT = (
    _EXTRACTIONS.update().where(_EXTRACTIONS.c.id == bindparam("eid")).values(current=False)
)
_COUNT_IN_RUN = (
    _RUNS.update()
    .where(_RUNS.c.id == bindparam("rid"))
    .values(
        articles_done=_RUNS.c.articles_done + bindparam("d"),
        articles_failed=_RUNS.c.articles_failed + bindparam("f"),
        facts_count=_RUNS.c.facts_count + bindparam("nf"),
        officials_count=_RUNS.c.officials_count + bindparam("no"),
    )
)


def _delete_extractions(conn: Connection, ids: list[int]) -> None:
    """Delete extractions and their rows explicitly (no reliance on ON DELETE CASCADE)."""
    for chunk in batched(ids, IN_CHUNK):
        conn.execute(delete(IndexFactRow).where(IndexFactRow.extraction_id.in_(chunk)))
        conn.execute(delete(OfficialRow).where(OfficialRow.extraction_id.in_(chunk)))
        conn.execute(delete(ArticleExtraction).where(ArticleExtraction.id.in_(chunk)))


def _superseded_extractions() -> Select:
    """Ids of extractions ``prune`` deletes (see ``Store.prune``)."""
    e = ArticleExtraction.__table__.alias("e")
    later = ArticleExtraction.__table__.alias("later")
    newer_current = select(later.c.id).where(
        later.c.article_id == e.c.article_id, later.c.current.is_(True), later.c.id > e.c.id
    )
    old_ok = (e.c.status == "ok") & e.c.current.is_(False)
    old_failure = (e.c.status == "failed") & exists(newer_current)
    return select(e.c.id).where(old_ok | old_failure)


def _row_parts(model: Any, row: Sequence[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A ``Store._base`` row as (the model's columns by name, its article's fields)."""
    keys = _COLUMN_KEYS[model]
    n = len(keys)
    a_id, url, title, published, source, read_date = row[n:]
    article = {
        "article_id": a_id,
        "article_url": url,
        "article_title": title,
        "published": published or read_date,
        "source": source,
    }
    return dict(zip(keys, row[:n], strict=True)), article


def _fact_record(row: Sequence[Any]) -> FactRecord:
    f, article = _row_parts(IndexFactRow, row)
    return FactRecord(
        region=f["region"],
        region_code=f["region_code"],
        year=f["year"],
        kind=f["kind"],
        value=f["value"],
        relation=f["relation"],
        predicate=f["predicate"],
        year_inferred=f["year_inferred"],
        confidence=f["confidence"],
        flags=list(f["flags"] or []),
        evidence_sentence=f["evidence_sentence"],
        evidence_start=f["evidence_start"],
        evidence_end=f["evidence_end"],
        run_id=f["run_id"],
        extractor_version=f["extractor_version"],
        **article,
    )


def _official_record(row: Sequence[Any]) -> OfficialRecord:
    o, article = _row_parts(OfficialRow, row)
    return OfficialRecord(
        name=o["name"],
        position=o["position"],
        acting=o["acting"],
        organization=o["organization"],
        region=o["region"],
        region_code=o["region_code"],
        confidence=o["confidence"],
        evidence_sentence=o["evidence_sentence"],
        evidence_start=o["evidence_start"],
        evidence_end=o["evidence_end"],
        run_id=o["run_id"],
        extractor_version=o["extractor_version"],
        **article,
    )


_COLUMN_KEYS = {
    model: tuple(c.key for c in model.__table__.c) for model in (IndexFactRow, OfficialRow)
}


def _run_record(r: ExtractionRun) -> RunRecord:
    return RunRecord(
        r.id,
        r.extractor_version,
        r.started_at,
        r.finished_at,
        r.status,
        r.articles_done,
        r.articles_failed,
        r.facts_count,
        r.officials_count,
        r.params,
    )
