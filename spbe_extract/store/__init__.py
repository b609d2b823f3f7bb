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
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, create_engine, delete, event, exists, func, or_, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
)
from sqlalchemy.orm import Bundle, Session, sessionmaker

from spbe_extract.model import ArticleInput, Extraction
from spbe_extract.store import migrate
from spbe_extract.store.schema import (
    Article,
    ArticleExtraction,
    ExtractionRun,
    IndexFactRow,
    OfficialRow,
    Region,
)

__all__ = [
    "AddReport",
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
    """Foreign keys on, WAL so readers (the web view) never block the writer."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
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

    def pending_articles(
        self, version: str, *, limit: int | None = None, chunk_size: int = 100, **filters: Any
    ) -> Iterator[StoredArticle]:
        """Articles with no extraction by ``version``, oldest id first, read in chunks.

        No transaction stays open between chunks, so the caller may write while iterating;
        articles it records meanwhile are not yielded again.
        """
        last_id, given = 0, 0
        while limit is None or given < limit:
            size = chunk_size if limit is None else min(chunk_size, limit - given)
            query = (
                self._pending_query(version, **filters)
                .where(Article.id > last_id)
                .order_by(Article.id)
                .limit(size)
            )
            try:
                with self._session() as s:
                    chunk = [_stored(a) for a in s.scalars(query)]
            except DBAPIError as err:
                raise _translate(err, self.url) from err
            if not chunk:
                return
            yield from chunk
            given += len(chunk)
            last_id = chunk[-1].id

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
        with self._session.begin() as s:
            return self._write_result(s, run_id, article_id, version, extraction)

    @_guarded
    def record_failure(self, run_id: int, article_id: int, version: str, error: str) -> None:
        """Record that extracting an article failed; its current facts stay as they were."""
        with self._session.begin() as s:
            self._write_result(s, run_id, article_id, version, error)

    @_guarded
    def record_batch(
        self, run_id: int, version: str, results: Iterable[tuple[int, Extraction | str]]
    ) -> tuple[int, int]:
        """Store many (article_id, extraction or error) results in one transaction."""
        facts = officials = done = failed = 0
        with self._session.begin() as s:
            for article_id, result in results:
                f, o = self._write_result(s, run_id, article_id, version, result, False)
                facts, officials = facts + f, officials + o
                ok = isinstance(result, Extraction)
                done, failed = done + int(ok), failed + int(not ok)
            _count_in_run(s, run_id, done, failed, facts, officials)
        return facts, officials

    def _write_result(
        self,
        s: Session,
        run_id: int,
        article_id: int,
        version: str,
        result: Extraction | str,
        count_in_run: bool = True,
    ) -> tuple[int, int]:
        """Write one outcome with prepared Core statements (the ORM is 5x slower here)."""
        previous = s.scalar(_PREVIOUS, {"aid": article_id, "ver": version})
        if previous is not None:
            _delete_extractions(s, [previous])
        ok = isinstance(result, Extraction)
        if ok:
            s.execute(_UNSET_CURRENT, {"aid": article_id})
        inserted = s.execute(
            _INSERT_EXTRACTION,
            {
                "article_id": article_id,
                "run_id": run_id,
                "extractor_version": version,
                "status": "ok" if ok else "failed",
                "error": None if ok else str(result)[:4000],
                "current": ok,
                "published": result.published if ok else None,
                "extracted_at": _now(),
            },
        )
        counts = (0, 0)
        if ok:
            common = {
                "extraction_id": inserted.inserted_primary_key[0],
                "article_id": article_id,
                "run_id": run_id,
                "extractor_version": version,
            }
            counts = _add_facts(s, common, result)
        if count_in_run:
            _count_in_run(s, run_id, int(ok), int(not ok), *counts)
        return counts

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
    def _base(model: Any, run: int | None) -> Select:
        """Rows with their article and extraction: the current extraction, or one run's."""
        query = (
            select(Bundle("row", *model.__table__.c), _ARTICLE_INFO, ArticleExtraction.published)
            .join(ArticleExtraction, ArticleExtraction.id == model.extraction_id)
            .join(Article, Article.id == model.article_id)
        )
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
        query = self._base(f, run)
        if region:
            query = query.where(self._region_clause(region, f.region, f.region_code))
        # With a region, its (region_code, year) index is the selective one: `year + 0` and
        # `kind || ''` keep SQLite from preferring the year or kind index for its sort order
        # (1M facts: 500 ms -> 10 ms). Without a region, (year|kind, region, ...) indexes
        # give the first rows in sort order (migration 0003).
        if year is not None:
            query = query.where((f.year + 0 if region else f.year) == year)
        if kind:
            query = query.where((f.kind + "" if region else f.kind) == kind)
        if source:
            query = query.where(_source_clause(source))
        if official:  # the extractions naming them first (one scan), then their facts
            naming = select(OfficialRow.extraction_id).where(
                func.lower(OfficialRow.name).contains(official.lower(), autoescape=True)
            )
            query = query.where(f.extraction_id.in_(naming))
        query = query.order_by(f.region, f.year, f.kind, Article.published, f.id).limit(limit)
        with self._session() as s:
            return [_fact_record(*row) for row in s.execute(query)]

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
        query = self._base(o, run)
        if name:
            query = query.where(func.lower(o.name).contains(name.lower(), autoescape=True))
        if position:
            query = query.where(func.lower(o.position) == position.lower())
        if region:
            query = query.where(self._region_clause(region, o.region, o.region_code))
        if source:
            query = query.where(_source_clause(source))
        query = query.order_by(o.name, o.position, Article.published, o.id).limit(limit)
        with self._session() as s:
            return [_official_record(*row) for row in s.execute(query)]

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


def _stored(a: Article) -> StoredArticle:
    return StoredArticle(a.id, a.text, a.title, a.url, a.published, a.source, a.key)


def _add_facts(s: Session, common: dict[str, Any], extraction: Extraction) -> tuple[int, int]:
    """Insert an extraction's facts and officials (executemany); returns their counts."""
    from spbe_extract import regions

    facts = [
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
    officials = []
    for o in extraction.officials:
        region = regions.by_name(o.region) if o.region else None
        officials.append(
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
    if facts:
        s.execute(IndexFactRow.__table__.insert(), facts)
    if officials:
        s.execute(OfficialRow.__table__.insert(), officials)
    return len(facts), len(officials)


def _count_in_run(
    s: Session, run_id: int, done: int, failed: int, facts: int, officials: int
) -> None:
    s.execute(_COUNT_IN_RUN, {"rid": run_id, "d": done, "f": failed, "nf": facts, "no": officials})


# The article columns shown beside a fact (not its text or html: those can be large).
_ARTICLE_INFO = Bundle(
    "article", Article.id, Article.url, Article.title, Article.published, Article.source
)
_EXTRACTIONS = ArticleExtraction.__table__
_RUNS = ExtractionRun.__table__
# Statements built once: building SQLAlchemy statements per article costs more than running them.
_PREVIOUS = select(_EXTRACTIONS.c.id).where(
    _EXTRACTIONS.c.article_id == bindparam("aid"),
    _EXTRACTIONS.c.extractor_version == bindparam("ver"),
)
_UNSET_CURRENT = (
    _EXTRACTIONS.update()
    .where(_EXTRACTIONS.c.article_id == bindparam("aid"), _EXTRACTIONS.c.current.is_(True))
    .values(current=False)
)
_INSERT_EXTRACTION = _EXTRACTIONS.insert()
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


def _delete_extractions(s: Session, ids: list[int]) -> None:
    """Delete extractions and their rows explicitly (no reliance on ON DELETE CASCADE)."""
    s.execute(delete(IndexFactRow).where(IndexFactRow.extraction_id.in_(ids)))
    s.execute(delete(OfficialRow).where(OfficialRow.extraction_id.in_(ids)))
    s.execute(delete(ArticleExtraction).where(ArticleExtraction.id.in_(ids)))


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


def _fact_record(f: Any, a: Any, read_date: date | None) -> FactRecord:
    return FactRecord(
        region=f.region,
        region_code=f.region_code,
        year=f.year,
        kind=f.kind,
        value=f.value,
        relation=f.relation,
        predicate=f.predicate,
        year_inferred=f.year_inferred,
        confidence=f.confidence,
        flags=list(f.flags or []),
        evidence_sentence=f.evidence_sentence,
        evidence_start=f.evidence_start,
        evidence_end=f.evidence_end,
        article_id=a.id,
        article_url=a.url,
        article_title=a.title,
        published=a.published or read_date,
        source=a.source,
        run_id=f.run_id,
        extractor_version=f.extractor_version,
    )


def _official_record(o: Any, a: Any, read_date: date | None) -> OfficialRecord:
    return OfficialRecord(
        name=o.name,
        position=o.position,
        acting=o.acting,
        organization=o.organization,
        region=o.region,
        region_code=o.region_code,
        confidence=o.confidence,
        evidence_sentence=o.evidence_sentence,
        evidence_start=o.evidence_start,
        evidence_end=o.evidence_end,
        article_id=a.id,
        article_url=a.url,
        article_title=a.title,
        published=a.published or read_date,
        source=a.source,
        run_id=o.run_id,
        extractor_version=o.extractor_version,
    )


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
