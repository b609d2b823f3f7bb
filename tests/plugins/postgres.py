"""A real PostgreSQL server for the store tests, and the ``store_url`` fixture.

``postgres_server`` starts a throw-away cluster (initdb + pg_ctl from
/usr/lib/postgresql/*/bin, as the ``postgres`` user when the tests run as root),
listening on 127.0.0.1 on a free port and on a socket in its own temp dir, and
stops it at the end of the session. Set ``SPBE_TEST_POSTGRES_URL`` to use an
existing server instead. When no server can be started, the PostgreSQL variants
are skipped with the reason.

``store_url`` is parametrized over ``sqlite`` (a real file in tmp_path) and
``postgres`` (a fresh database per test), so every store test runs twice.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_counter = itertools.count()


def _pg_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the ``postgres`` user when we are root."""
    if os.geteuid() != 0:
        return argv
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *argv]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(argv)]


def _start_server() -> tuple[str, Path, list[str]]:
    """Start a cluster; returns (base URL, data dir, stop command). Raises RuntimeError."""
    bindir = _pg_bin()
    if bindir is None:
        raise RuntimeError("no initdb/pg_ctl found (apt-get install postgresql)")
    workdir = Path(tempfile.mkdtemp(prefix="spbe-pg-"))
    if os.geteuid() == 0:
        try:
            shutil.chown(workdir, user="postgres", group="postgres")
        except (LookupError, OSError) as err:
            raise RuntimeError(f"running as root and no usable 'postgres' user: {err}") from err
    data, port = workdir / "data", _free_port()
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")

    def call(argv: list[str]) -> None:
        done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, timeout=120)
        if done.returncode:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:]
            raise RuntimeError(f"{Path(argv[0]).name} failed: {' '.join(last)}")

    call(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            user,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ]
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={workdir}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    call(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(workdir / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ]
    )
    stop = _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
    return f"postgresql+psycopg://{user}@127.0.0.1:{port}", workdir, stop


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base URL (no database) of a running PostgreSQL server; skips when none can start."""
    external = os.environ.get("SPBE_TEST_POSTGRES_URL")
    if external:
        yield external.rstrip("/").rsplit("/", 1)[0] if external.count("/") > 2 else external
        return
    try:
        base, workdir, stop = _start_server()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as err:
        pytest.skip(f"PostgreSQL server could not be started: {err}")
    try:
        yield base
    finally:
        subprocess.run(stop, capture_output=True, timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)


def _admin(base: str, sql: str) -> None:
    import psycopg

    dsn = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def new_postgres_url(postgres_server: str) -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty databases on the session's server; all dropped after."""
    made: list[str] = []

    def make() -> str:
        name = f"spbe_test_{os.getpid()}_{next(_counter)}"
        _admin(postgres_server, f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{postgres_server}/{name}"

    yield make
    for name in made:
        _admin(postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(new_postgres_url: Callable[[], str]) -> str:
    """SQLAlchemy URL of a fresh, empty database on the session's server, dropped after."""
    return new_postgres_url()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store database: a real SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")
