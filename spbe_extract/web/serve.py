"""``spbe serve``: Datasette over the SQLite store, read-only, with the project's pages.

Datasette opens the file in immutable mode (``-i``): nothing can write to it through
the web. Arbitrary SQL is off unless ``allow_sql`` is asked for; the canned queries in
``metadata.json`` bind their parameters. Templates and the plugin live beside this file.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

HERE = Path(__file__).resolve().parent
METADATA = HERE / "metadata.json"
TEMPLATES = HERE / "templates"
PLUGINS = HERE / "plugins"
TEMPLATE_DB = "spbe"  # the database key used in metadata.json


class ServeError(Exception):
    """The store cannot be served; ``str(err)`` is a one-line message."""


def sqlite_path(url: str) -> Path:
    """The SQLite file behind a store URL (or plain path); other databases are refused."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise ServeError(f"not a database URL: {url}") from err
    if (
        not parsed.drivername.startswith("sqlite")
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        raise ServeError(
            "the web view serves an SQLite store file; for PostgreSQL, "
            "`spbe export` the facts or copy them to SQLite first"
        )
    path = Path(parsed.database)
    if not path.is_file():
        raise ServeError(f"no store at {path}: run `spbe ingest` and `spbe run` first")
    return path


def metadata_for(db_name: str) -> dict[str, Any]:
    """The project's metadata with its database block under the served file's name."""
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if TEMPLATE_DB in databases:
        databases[db_name] = databases.pop(TEMPLATE_DB)
    return metadata


def datasette_args(
    path: Path, metadata_file: Path, host: str, port: int, allow_sql: bool = False
) -> list[str]:
    """Arguments of ``datasette serve`` for the read-only web view."""
    return [
        "serve",
        "-i",
        str(path),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(metadata_file),
        "--template-dir",
        str(TEMPLATES),
        "--plugins-dir",
        str(PLUGINS),
        "--setting",
        "default_allow_sql",
        "on" if allow_sql else "off",
        "--setting",
        "allow_download",
        "off",
        "--setting",
        "truncate_cells_html",
        "300",
        "--setting",
        "max_returned_rows",
        "10000",
        "--setting",
        "sql_time_limit_ms",
        "5000",
    ]


def run_datasette(path: Path, host: str, port: int, allow_sql: bool = False) -> None:
    """Serve ``path`` until interrupted (blocks)."""
    from datasette.cli import cli

    with tempfile.TemporaryDirectory(prefix="spbe-web-") as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata_for(path.stem)), encoding="utf-8")
        cli.main(
            args=datasette_args(path, metadata_file, host, port, allow_sql),
            prog_name="spbe serve",
            standalone_mode=True,
        )
