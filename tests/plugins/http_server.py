"""A real HTTP server on 127.0.0.1 serving a fixture site, with per-path misbehaviour.

``serve_site("antara")`` (a pytest fixture factory) serves ``tests/fixtures/sites/antara``
on a free port from a thread. A site directory maps URL paths to files:

- ``/a/b`` is served from ``a/b``, ``a/b/index.html``, ``a/b.html`` or ``a/b.xml``;
- ``_routes.json`` maps exact ``path?query`` strings (query parameters sorted) to a file and
  optional headers, for API-style URLs such as ``/wp-json/wp/v2/posts?page=1&search=SPBE``.

Tests change behaviour per path with ``site.behave(path, status=404)``, ``delay=3``,
``redirect="/loop"``, ``charset="windows-1252"`` or ``body=b"..."``; every request is logged
in ``site.log`` so a test can count which article pages were fetched.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


DELAYED = 0  # status logged for a delayed request, recorded when it arrives


@dataclass
class Behaviour:
    """What the server does for one path instead of serving the file."""

    status: int | None = None
    delay: float = 0.0
    redirect: str | None = None
    charset: str | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def normalise_target(target: str) -> str:
    """``path?query`` with the query parameters sorted, so routes do not depend on their order."""
    parts = urlsplit(target)
    if not parts.query:
        return parts.path
    return parts.path + "?" + urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))


class FixtureSite:
    """One served directory: its base URL, its request log and its per-path behaviours."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.behaviours: dict[str, Behaviour] = {}
        self.log: list[tuple[str, int]] = []
        self.stamps: list[float] = []  # time.monotonic() of each logged request
        self.delay = 0.0  # seconds every response without its own behaviour waits
        self._lock = threading.Lock()
        routes = self.root / "_routes.json"
        raw = json.loads(routes.read_text("utf-8")) if routes.is_file() else {}
        self.routes = {normalise_target(k): v for k, v in raw.items()}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FixtureSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def behave(self, path: str, **kwargs: object) -> None:
        """Make ``path`` (with its query, if any) misbehave; see :class:`Behaviour`."""
        self.behaviours[normalise_target(path)] = Behaviour(**kwargs)  # type: ignore[arg-type]

    def record(self, target: str, status: int) -> None:
        with self._lock:
            self.log.append((target, status))
            self.stamps.append(time.monotonic())

    def requested(self, predicate: Callable[[str], bool] | None = None) -> list[str]:
        """Paths requested so far (optionally only those matching ``predicate``)."""
        with self._lock:
            paths = [t for t, _ in self.log]
        return [p for p in paths if predicate is None or predicate(p)]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.stamps.clear()

    def resolve(self, target: str) -> tuple[Path | None, dict[str, str]]:
        """The file serving ``target`` and extra headers, or ``(None, {})``."""
        route = self.routes.get(normalise_target(target))
        if route is not None:
            return self.root / route["file"], dict(route.get("headers", {}))
        path = urlsplit(target).path.lstrip("/")
        base = (self.root / path).resolve()
        if not base.is_relative_to(self.root):
            return None, {}
        for candidate in (
            base,
            base / "index.html",
            base / "index.xml",
            base.with_name(base.name + ".html"),
            base.with_name(base.name + ".xml"),
        ):
            if candidate.is_file():
                return candidate, {}
        return None, {}


def _content_type(path: Path, charset: str | None) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "text/html"
    if path.suffix == ".json":
        kind = "application/json"
    elif path.suffix in ("", ".html"):
        kind = "text/html"
    if kind.startswith("text/") or kind.endswith(("json", "xml")):
        return f"{kind}; charset={charset or 'utf-8'}"
    return kind


def _make_handler(site: FixtureSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the request log is ``site.log``."""

        def handle(self) -> None:
            """A client that gave up (timeouts in tests) is not an error of the server."""
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().handle()

        def do_GET(self) -> None:  # noqa: N802
            target = self.path
            behaviour = site.behaviours.get(normalise_target(target), Behaviour(delay=site.delay))
            if behaviour.delay:
                # logged on arrival: a client that times out never sees the response
                site.record(target, DELAYED)
                time.sleep(behaviour.delay)
            if behaviour.redirect:
                self._send(302, b"", {"Location": behaviour.redirect}, target)
                return
            if behaviour.status and behaviour.body is None:
                self._send(behaviour.status, b"error", {"Content-Type": "text/plain"}, target)
                return
            file, headers = site.resolve(target)
            if behaviour.body is not None:
                body = behaviour.body
            elif file is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"}, target)
                return
            else:
                body = file.read_bytes()
            if file is not None and behaviour.charset:
                body = body.decode("utf-8").encode(behaviour.charset)
            headers.setdefault(
                "Content-Type", _content_type(file or Path("x.html"), behaviour.charset)
            )
            headers.update(behaviour.headers)
            self._send(behaviour.status or 200, body, headers, target)

        def _send(self, status: int, body: bytes, headers: dict[str, str], target: str) -> None:
            if not behaviour_delayed(target):
                site.record(target, status)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def behaviour_delayed(target: str) -> bool:
        behaviour = site.behaviours.get(normalise_target(target), Behaviour(delay=site.delay))
        return bool(behaviour.delay)

    return Handler


def serve_directory(root: Path) -> FixtureSite:
    """Start serving ``root`` in a background thread (call ``stop()`` when done)."""
    return FixtureSite(root).start()


@pytest.fixture
def serve_site() -> Iterator[Callable[[str | Path], FixtureSite]]:
    """Factory: ``serve_site("antara")`` or ``serve_site(path)`` -> a running FixtureSite."""
    started: list[FixtureSite] = []

    def start(site: str | Path) -> FixtureSite:
        root = SITES / site if isinstance(site, str) else site
        if not root.is_dir():
            raise FileNotFoundError(f"no fixture site at {root}")
        served = serve_directory(root)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


# ------------------------------------------------------------------ running crawls in tests

REPO = Path(__file__).resolve().parents[2]
FAST_CRAWL = {
    # politeness stays on (robots.txt, AutoThrottle, 2 per domain) but with tiny delays
    "AUTOTHROTTLE_START_DELAY": "0.01",
    "AUTOTHROTTLE_MAX_DELAY": "0.05",
    "DOWNLOAD_DELAY": "0",
    "DOWNLOAD_TIMEOUT": "1",
    "RETRY_BACKOFF_BASE": "0.05",
    "LOGSTATS_INTERVAL": "60",
}


def spbe_command() -> list[str]:
    """The ``spbe`` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("spbe")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from spbe_extract.cli import main; main()"]


def crawl_args(spider: str, site: FixtureSite, db: Path, *extra: str) -> list[str]:
    settings = [arg for k, v in FAST_CRAWL.items() for arg in ("-s", f"{k}={v}")]
    return [
        *spbe_command(),
        "crawl",
        spider,
        "--base-url",
        site.url,
        "--db",
        f"sqlite:///{db}",
        "--jobs",
        str(db.parent / "jobs"),
        *settings,
        *extra,
    ]


@pytest.fixture(scope="session")
def empty_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite store made once; crawl tests start from copies of it."""
    from spbe_extract.store import Store

    path = tmp_path_factory.mktemp("store") / "empty.db"
    Store(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def run_crawl(
    tmp_path: Path, empty_store_file: Path
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_crawl("antara", site, db, "-a", "edition=kaltim")`` runs ``spbe crawl`` for real
    (into ``db``, which starts as a copy of an empty store when it does not exist)."""

    def run(
        spider: str, site: FixtureSite, db: Path, *extra: str, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        if not db.exists():
            shutil.copyfile(empty_store_file, db)
        env = {k: v for k, v in os.environ.items() if k != "SPBE_DB"}
        return subprocess.run(
            crawl_args(spider, site, db, *extra),
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


def stored_articles(db: Path) -> dict[str, dict[str, object]]:
    """Every stored article by key, as a dict of its columns (read with plain sqlite3)."""
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("select * from articles").fetchall()
    out = {}
    for row in rows:
        record = dict(row)
        record["meta"] = json.loads(record["meta"]) if record.get("meta") else {}
        out[str(record["key"])] = record
    return out
