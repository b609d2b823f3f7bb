"""Reading articles from files, folders, JSONL and HTML, and handing them to the store.

``read_paths`` streams ``ArticleInput`` items (or ``Skip`` with a one-line reason)
from ``.txt``, ``.html``/``.htm`` and ``.jsonl`` files and folders; crawlers build
items with ``article_from_html``; both go through ``ingest_articles`` into the
store. Bad input never stops a batch: it becomes a ``Skip``.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spbe_extract.model import ArticleInput, Skip

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
MIN_STOPWORD_RATIO = 0.06
_LANGUAGE_SAMPLE_WORDS = 3000
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.IGNORECASE)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))

Item = ArticleInput | Skip


class BadInput(ValueError):
    """An input that cannot become an article; the message is the one-line reason."""


@dataclass
class IngestReport:
    """What ``ingest_articles`` did."""

    added: int = 0
    known: int = 0
    skipped: list[Skip] = field(default_factory=list)

    @property
    def processed(self) -> int:
        """Inputs that are now in the store (new or already there)."""
        return self.added + self.known


# ---------------------------------------------------------------- checks shared by every input


@cache
def stopwords() -> frozenset[str]:
    """Common Indonesian function words (data/indonesian_stopwords.txt)."""
    text = (
        resources.files("spbe_extract.data")
        .joinpath("indonesian_stopwords.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def language_problem(text: str) -> str | None:
    """Why ``text`` does not look Indonesian, or None when it does (stopword ratio)."""
    words = [m.group().lower() for m in islice(_WORD.finditer(text), _LANGUAGE_SAMPLE_WORDS)]
    if not words:
        return "no words in the text"
    hits = sum(1 for w in words if w in stopwords())
    if hits / len(words) >= MIN_STOPWORD_RATIO or (len(words) < 20 and hits >= 1):
        return None
    return f"not Indonesian ({hits} of {len(words)} words are common Indonesian words)"


def text_problem(text: str, max_bytes: int = MAX_BYTES, check_language: bool = True) -> str | None:
    """Why an article text cannot be stored, or None: empty, binary, too big, not Indonesian."""
    if not text.strip():
        return "empty text"
    if "\x00" in text:
        return "binary content (NUL characters in the text)"
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return f"text is {_mb(size)}, over the {_mb(max_bytes)} limit"
    return language_problem(text) if check_language else None


def _mb(size: int) -> str:
    """A byte count for messages: '10.0 MB', or '2.5 kB' under a megabyte."""
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} kB"
    return f"{size / 1024 / 1024:.1f} MB"


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 5% control bytes, in the first 8 kB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    return len(head.translate(None, _CONTROL)) < len(head) * 0.95


def decode(
    data: bytes, guess_encoding: bool = False, declared: str | None = None, name: str = "input"
) -> str:
    """Bytes to text: UTF-8 (BOM dropped), else a declared charset, else (if allowed) a guess.

    Raises BadInput with the reason when the bytes are binary or not UTF-8.
    """
    if _looks_binary(data):
        raise BadInput("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BadInput("binary file, not text in any known encoding")
    if not guess_encoding:
        raise BadInput(
            f"not UTF-8 (looks like {best.encoding}); convert it to UTF-8 or pass --guess-encoding"
        )
    log.warning("%s: not UTF-8, decoded as %s", name, best.encoding)
    return str(best)


# ---------------------------------------------------------------- metadata helpers


def source_of(url: str | None, folder: str | None = None) -> str | None:
    """The host of ``url`` without ``www.``; else the folder name; else None."""
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return folder or None


def parse_published(value: Any) -> date | datetime | None:
    """A publication date from ISO text, Indonesian date text or a date; None if unreadable."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        import dateparser

        parsed = dateparser.parse(text, languages=["id", "en"], settings={"DATE_ORDER": "DMY"})
    if parsed is None:
        log.info("unreadable publication date %r", text)
        return None
    if len(text) == 10 and parsed.time() == datetime.min.time():
        return parsed.date()
    return parsed


def first_line(text: str) -> str | None:
    """The first non-empty line, stripped (a .txt article's title)."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:500]
    return None


def article_from_html(
    html: str,
    url: str | None = None,
    title: str | None = None,
    published: date | datetime | str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> ArticleInput:
    """An article from a raw page: main text by trafilatura, metadata filled where missing.

    Raises BadInput when the page yields no main text.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, favor_recall=True, include_comments=False
    )
    text = (doc.text or "") if doc is not None else ""
    if not _WORD.search(text):
        raise BadInput("HTML yields no main text (malformed or empty page)")
    url = url or (doc.url if doc.url and doc.url.startswith("http") else None)
    return ArticleInput(
        text=text,
        title=title or doc.title,
        url=url,
        published=parse_published(published) or parse_published(doc.date),
        source=source or source_of(url),
        html=html,
        key=key,
        author=doc.author,
    )


# ---------------------------------------------------------------- files and folders


def iter_files(path: Path) -> Iterator[Path | Skip]:
    """Files under ``path`` in sorted order, streamed; hidden files and folders are ignored."""
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        yield Skip(str(path), "no such file or directory")
        return
    for root, dirs, files in os.walk(path, onerror=lambda e: log.warning("%s", e)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


def _folder(path: Path) -> str | None:
    return path.resolve().parent.name or None


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = MAX_BYTES,
    guess_encoding: bool = False,
    check_language: bool = True,
) -> Iterator[Item]:
    """Stream articles (or skips with a reason) from files and folders, in sorted order."""
    for given in paths:
        for entry in iter_files(Path(given)):
            if isinstance(entry, Skip):
                yield entry
                continue
            yield from _read_file(entry, max_bytes, guess_encoding, check_language)


def _read_file(path: Path, max_bytes: int, guess: bool, check_language: bool) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield Skip(
            str(path),
            f"unsupported file type '{suffix or path.name}' (expected .txt, .html, .htm or .jsonl)",
        )
        return
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, max_bytes, guess, check_language)
            return
        item = _read_document(path, suffix, max_bytes, guess)
        reason = text_problem(item.text, max_bytes, check_language)
        yield Skip(str(path), reason) if reason else item
    except BadInput as err:
        yield Skip(str(path), str(err))
    except OSError as err:
        yield Skip(str(path), f"cannot read: {err.strerror or err}")


def _read_document(path: Path, suffix: str, max_bytes: int, guess: bool) -> ArticleInput:
    size = path.stat().st_size
    if size == 0:
        raise BadInput("empty file")
    if size > max_bytes:
        raise BadInput(f"file is {_mb(size)}, over the {_mb(max_bytes)} limit")
    data = path.read_bytes()
    folder = _folder(path)
    if suffix == ".txt":
        text = decode(data, guess, name=str(path))
        if not text.strip():
            raise BadInput("empty file (only whitespace)")
        return ArticleInput(text=text, title=first_line(text), source=folder, path=str(path))
    declared = _META_CHARSET.search(data[:4096])
    charset = declared.group(1).decode("ascii") if declared else None
    html = decode(data, guess, charset, name=str(path))
    item = article_from_html(html)
    item.path = str(path)
    item.source = item.source or folder
    return item


def _read_jsonl(path: Path, max_bytes: int, guess: bool, check_language: bool) -> Iterator[Item]:
    folder = _folder(path)
    seen_article = False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                record = _json_record(raw, max_bytes)
                if not seen_article and "text" not in record and "html" not in record:
                    yield Skip(
                        str(path),
                        "not an article file: its first record has no 'text' or 'html' field",
                    )
                    return
                seen_article = True
                item = _record_article(record, folder)
            except BadInput as err:
                yield Skip(where, str(err))
                continue
            item.path = where
            reason = text_problem(item.text, max_bytes, check_language)
            yield Skip(where, reason) if reason else item


def _json_record(raw: bytes, max_bytes: int) -> dict[str, Any]:
    if len(raw) > max_bytes:
        raise BadInput(f"record is {_mb(len(raw))}, over the {_mb(max_bytes)} limit")
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise BadInput("line is not UTF-8") from err
    except json.JSONDecodeError as err:
        raise BadInput(f"invalid JSON ({err.msg} at column {err.colno})") from err
    if not isinstance(record, dict):
        raise BadInput("line is not a JSON object")
    return record


def _record_article(record: dict[str, Any], folder: str | None) -> ArticleInput:
    text, html = record.get("text"), record.get("html")
    for name, value in (
        ("text", text),
        ("html", html),
        ("url", record.get("url")),
        ("title", record.get("title")),
    ):
        if value is not None and not isinstance(value, str):
            raise BadInput(f"field '{name}' is not a string")
    if not (text or "").strip() and not (html or "").strip():
        raise BadInput("no 'text' or 'html' in the record")
    url = record.get("url") or None
    key = record.get("key")
    source = record.get("source") or source_of(url, folder)
    if not (text or "").strip():
        return article_from_html(
            html,
            url=url,
            title=record.get("title"),
            published=record.get("published"),
            source=source,
            key=str(key) if key else None,
        )
    return ArticleInput(
        text=text,
        title=record.get("title") or None,
        url=url,
        published=parse_published(record.get("published")),
        source=source,
        html=html,
        key=str(key) if key else None,
        author=record.get("author"),
    )


# ---------------------------------------------------------------- into the store


def ingest_articles(
    store: Any,
    items: Iterable[Item],
    *,
    validate: bool = True,
    max_bytes: int = MAX_BYTES,
    on_skip: Callable[[Skip], None] | None = None,
    on_item: Callable[[Item], None] | None = None,
    chunk_size: int = 200,
) -> IngestReport:
    """Add articles to ``store``; skips are collected (and reported through ``on_skip``).

    With ``validate`` each article's text is checked first (empty, binary, too big,
    not Indonesian): crawlers leave it on; ``read_paths`` output is already checked.
    Articles already stored (same content hash, URL or key) count as ``known``.
    """
    report = IngestReport()

    def skip(item: Skip) -> None:
        report.skipped.append(item)
        if on_skip:
            on_skip(item)

    def articles() -> Iterator[ArticleInput]:
        for item in items:
            if on_item:
                on_item(item)
            if isinstance(item, Skip):
                skip(item)
                continue
            reason = text_problem(item.text, max_bytes) if validate else None
            if reason:
                skip(Skip(item.path or item.url or item.key or "(article)", reason))
                continue
            yield item

    added = store.add_articles(articles(), chunk_size=chunk_size)
    report.added, report.known = added.added, added.known
    return report
