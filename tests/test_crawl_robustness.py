"""Crawls that meet bad pages, crawl a second time, or are killed and resumed."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.plugins.http_server import REPO, crawl_args, stored_articles
from tests.test_crawl_spiders import summary_of

ARTICLES = {
    n: f"/berita/{n}/{slug}"
    for n, slug in [
        (227101, "indeks-spbe-pemprov-kaltim-naik-jadi-3-41"),
        (227102, "kukar-targetkan-predikat-baik-evaluasi-spbe"),
        (227103, "samarinda-gelar-bimtek-manajemen-risiko-spbe"),
        (227104, "balikpapan-raih-indeks-spbe-3-55"),
        (227105, "bontang-susun-masterplan-spbe"),
        (227106, "paser-perkuat-keamanan-siber-untuk-spbe"),
    ]
}
MALFORMED = (  # unclosed and misnested tags: lxml recovers the text
    b"<html><head><title>Bontang</title></head><body><div class='wrap__article-detail-title'><h1>"
    b"Bontang Susun Masterplan SPBE</h1><div class='wrap__article-detail-content'>"
    b"<p>Bontang (ANTARA) - Pemerintah Kota Bontang mulai menyusun rencana induk SPBE "
    b"<b>untuk lima tahun <i>ke depan.<p>Penyusunan melibatkan akademisi dan perangkat "
    b"daerah.</div></b><table><tr><td>sel tanpa penutup"
)
SMALL_BATCHES = ("-s", "SPBE_STORE_BATCH=2")  # so a hard kill finds some articles stored
UNREADABLE = b"<html><head><title>judul tanpa penutup</head><body><p>" + b"teks " * 50


def test_bad_pages_are_logged_and_skipped(serve_site, run_crawl, tmp_path: Path) -> None:
    site = serve_site("antara")
    site.behave("/berita/227151/borneo-fc-menang-tipis-di-kandang", status=404)
    site.behave(ARTICLES[227103], status=500)
    site.behave(ARTICLES[227102], delay=2.5)  # DOWNLOAD_TIMEOUT is 1 s in tests
    site.behave(ARTICLES[227104], redirect=ARTICLES[227104])  # redirects to itself
    site.behave(ARTICLES[227105], body=MALFORMED)
    site.behave(ARTICLES[227101], charset="windows-1252")
    site.behave("/berita/227150/banjir-rendam-tiga-kelurahan-di-samarinda", body=UNREADABLE)
    db = tmp_path / "bad.db"
    done = run_crawl("antara", site, db, "-a", "edition=kaltim", "-a", "queries=")
    assert done.returncode == 0, done.stderr[-3000:]
    articles = stored_articles(db)
    assert set(articles) == {"antara-kaltim:227101", "antara-kaltim:227105"}
    decoded = articles["antara-kaltim:227101"]["text"]
    assert "\u201cKami menargetkan indeks SPBE tahun depan bisa menembus 3,6" in decoded
    assert articles["antara-kaltim:227105"]["text"].startswith(
        "Bontang (ANTARA) - Pemerintah Kota Bontang mulai menyusun rencana induk SPBE"
    )
    assert summary_of(done.stderr)["errors"] == 5, done.stderr[-4000:]
    for reason in ("HTTP 404", "HTTP 500", "max redirections", "TimeoutError", "no main text"):
        assert reason in done.stderr, reason
    fetched = Counter(site.requested())
    assert fetched[ARTICLES[227103]] == 3  # tried, then retried twice with backoff
    assert fetched[ARTICLES[227102]] == 3


def test_second_crawl_fetches_no_known_article(serve_site, run_crawl, tmp_path: Path) -> None:
    site = serve_site("antara")
    db = tmp_path / "twice.db"
    first = run_crawl("antara", site, db, "-a", "edition=kaltim", "-a", "queries=SPBE")
    assert first.returncode == 0, first.stderr[-3000:]
    stored = stored_articles(db)
    site.clear_log()
    second = run_crawl("antara", site, db, "-a", "edition=kaltim", "-a", "queries=SPBE")
    assert second.returncode == 0, second.stderr[-3000:]
    fetched = site.requested()
    assert not [p for p in fetched if p in ARTICLES.values()], fetched
    assert {"/rss/terkini.xml", "/tag/spbe", "/search?q=SPBE"} <= set(fetched)
    assert "/tag/spbe/2" not in fetched  # page 1 held only known articles
    assert stored_articles(db).keys() == stored.keys()
    figures = summary_of(second.stderr)
    assert figures["articles stored"] == 0 and figures["skipped as known"] >= 4


def load_bench_site():
    spec = importlib.util.spec_from_file_location("bench_site", REPO / "crawlers/bench_site.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def big_site(serve_site, tmp_path: Path):
    """A generated ANTARA-style site of 40 articles (36 about SPBE), served slowly."""
    keys = load_bench_site().write_site(tmp_path / "site", 40)
    site = serve_site(tmp_path / "site")
    site.delay = 0.1
    return site, keys


def start_then_kill(site, db: Path, how: int, empty_store_file: Path) -> None:
    """Start ``spbe crawl`` and kill it with signal ``how`` after 8 article pages."""
    db.write_bytes(empty_store_file.read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "SPBE_DB"}
    args = crawl_args("antara", site, db, "-a", "queries=", *SMALL_BATCHES)
    proc = subprocess.Popen(args, env=env,
                            cwd=db.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while len(site.requested(lambda p: p.startswith("/berita/"))) < 8:
        assert proc.poll() is None and time.monotonic() < deadline, "crawl ended too early"
        time.sleep(0.05)
    proc.send_signal(how)
    proc.communicate(timeout=60)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_killed_crawl_resumes_without_duplicates(
    big_site, run_crawl, empty_store_file: Path, tmp_path: Path, how: int
) -> None:
    site, keys = big_site
    db = tmp_path / "resume.db"
    start_then_kill(site, db, how, empty_store_file)
    before = stored_articles(db)
    assert 0 < len(before) < len(keys)
    done = run_crawl("antara", site, db, "-a", "queries=", "--resume", *SMALL_BATCHES)
    assert done.returncode == 0, done.stderr[-3000:]
    after = stored_articles(db)
    assert sorted(after) == sorted(keys)  # every SPBE article, each once
    fetched = Counter(site.requested(lambda p: p.startswith("/berita/")))
    stored_paths = {"/" + str(r["url"]).split("/", 3)[3] for r in before.values()}
    assert all(fetched[p] == 1 for p in stored_paths)  # nothing stored was fetched again
    if how == signal.SIGINT:
        assert all(n == 1 for n in fetched.values()), fetched.most_common(3)
        assert "re-reading" not in done.stderr
    else:
        assert "killed hard" in done.stderr
