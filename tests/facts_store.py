"""A real store built once per test process from the articles in tests/fixtures/web.

``built_store()`` runs the real ``spbe ingest`` and ``spbe run`` commands on small
Indonesian articles written for these tests (scores that agree and disagree, targets
met, missed and not yet known, officials stating them). Tests copy the file before
writing to it (``store_copy``), so they never change each other's data.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "web"
ARTICLES = FIXTURES / "berita_spbe.jsonl"
OFFICIAL_CSV = FIXTURES / "hasil_resmi.csv"
SPBE = str(Path(sys.executable).parent / "spbe")


def spbe(*args: object, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the ``spbe`` command line; fail the test with its stderr when it fails."""
    done = subprocess.run([SPBE, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"spbe {' '.join(map(str, args))} failed:\n{done.stderr}")
    return done


@cache
def built_store() -> Path:
    """Path of the SQLite store holding the fixture articles, ingested and extracted."""
    root = Path(tempfile.mkdtemp(prefix="spbe-facts-store-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    db = root / "berita.db"
    spbe("ingest", ARTICLES, "--db", f"sqlite:///{db}")
    spbe("run", "--db", f"sqlite:///{db}", "--quiet")
    return db


def store_copy(directory: Path, name: str = "berita.db") -> str:
    """A private copy of the built store; returns its SQLAlchemy URL."""
    target = directory / name
    shutil.copy(built_store(), target)
    return f"sqlite:///{target}"
