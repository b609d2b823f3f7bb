"""Crawl speed on a local ANTARA-style site of N generated articles (default 1,000).

    .venv/bin/python crawlers/bench_site.py [--articles 1000] [--concurrency 2] [--keep DIR]

Writes the site (tag pages of 20 articles with pagination, an RSS feed, article pages in
ANTARA markup; one article in ten is not about SPBE), serves it on 127.0.0.1, runs
``spbe crawl antara`` over it into a fresh SQLite store with delays off, and prints pages
per second of the full crawl with extraction and storage. Compare with ``scrapy bench``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PER_PAGE = 20
REGIONS = ["Kabupaten Berau", "Kota Tarakan", "Kabupaten Sigi", "Kota Palu", "Kabupaten Nabire",
           "Kota Ternate", "Kabupaten Sumba Timur", "Kota Bima", "Kabupaten Kapuas", "Kota Dumai"]
SPBE_SENTENCES = [
    "Pemerintah {r} mencatat indeks SPBE sebesar {v} pada evaluasi tahun {y}.",
    "Kepala Diskominfo {r} menyebut layanan daring terus ditambah agar nilai SPBE naik.",
    "Evaluasi Sistem Pemerintahan Berbasis Elektronik di {r} melibatkan seluruh perangkat daerah.",
    "Target indeks SPBE {r} tahun depan ditetapkan {v2} dengan memperkuat keamanan informasi.",
]
OTHER_SENTENCES = [
    "Warga {r} memadati pasar murah yang digelar menjelang hari raya.",
    "Harga beras di {r} relatif stabil dalam sepekan terakhir.",
    "Panitia lomba lari di {r} menyiapkan rute sepanjang sepuluh kilometer.",
]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def article_html(n: int, relevant: bool, rng: random.Random) -> tuple[str, str, str]:
    """(slug, title, page) of generated article number ``n``."""
    region = rng.choice(REGIONS)
    day, month = 1 + n % 28, MONTHS[n % 12]
    if relevant:
        title = f"{region} Perkuat Penerapan SPBE ({n})"
        pool = SPBE_SENTENCES
    else:
        title = f"Kabar Warga {region} ({n})"
        pool = OTHER_SENTENCES
    value = f"{rng.uniform(1.5, 4.2):.2f}".replace(".", ",")
    target = f"{rng.uniform(2.5, 4.5):.1f}".replace(".", ",")
    paras = [s.format(r=region, v=value, v2=target, y=2023 + n % 2)
             for s in rng.sample(pool, len(pool))] * 3
    body = "<br><br>\n".join(escape(p) for p in paras)
    slug = f"artikel-{n}-{'spbe' if relevant else 'warga'}"
    page = f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>{escape(title)} - ANTARA</title></head><body><nav><a href="/">Beranda</a></nav>
<div class="wrap__article-detail">
<div class="wrap__article-detail-title"><h1>{escape(title)}</h1></div>
<div class="wrap__article-detail-info">
<span>Senin, {day} {month} 2024 10:{n % 60:02d} WIB</span></div>
<div class="wrap__article-detail-content post-content">{body}<br><br>
<span class="baca-juga">Baca juga: <a href="/berita/1/x">Berita lain</a></span>
<p class="text-muted">Pewarta: Tim Redaksi<br>Editor: Redaktur</p></div></div>
<aside><a href="/berita/1/populer">Terpopuler</a></aside></body></html>
"""
    return slug, title, page


def write_site(root: Path, articles: int, seed: int = 7) -> list[str]:
    """Write the site under ``root``; returns the keys of the SPBE articles."""
    rng = random.Random(seed)
    cards, links, keys = [], [], []
    for n in range(1, articles + 1):
        relevant = n % 10 != 0
        ident = 500000 + n
        slug, title, page = article_html(n, relevant, rng)
        path = root / "berita" / str(ident) / f"{slug}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, "utf-8")
        links.append(f"/berita/{ident}/{slug}")
        cards.append(f'<div class="card__post"><h3><a href="{links[-1]}">'
                     f"{escape(title)}</a></h3></div>")
        if relevant:
            keys.append(f"antara:{ident}")
    pages = [cards[i:i + PER_PAGE] for i in range(0, len(cards), PER_PAGE)]
    for i, chunk in enumerate(pages, start=1):
        nxt = f'<a rel="next" href="/tag/spbe/{i + 1}">berikutnya</a>' if i < len(pages) else ""
        target = root / "tag" / "spbe" / ("index.html" if i == 1 else f"{i}.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"<html><body><div class='latest__news-list'>{''.join(chunk)}</div>"
                          f"{nxt}</body></html>", "utf-8")
    (root / "rss").mkdir(exist_ok=True)
    items = "".join(f"<item><link>https://www.antaranews.com{link}</link></item>"
                    for link in links[-PER_PAGE:])
    (root / "rss" / "terkini.xml").write_text(
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Terkini</title>{items}"
        "</channel></rss>", "utf-8",
    )
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", "utf-8")
    (root / "_routes.json").write_text(json.dumps({}), "utf-8")
    return keys


def spbe_command() -> list[str]:
    script = Path(sys.executable).with_name("spbe")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from spbe_extract.cli import main; main()"]


def fast_settings(concurrency: int) -> list[str]:
    """Scrapy settings for a local site: no politeness delays, ``concurrency`` per domain."""
    pairs = {"AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_DELAY": "0",
             "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
             "CONCURRENT_REQUESTS": str(max(concurrency, 8)), "LOGSTATS_INTERVAL": "5"}
    return [arg for name, value in pairs.items() for arg in ("-s", f"{name}={value}")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write the site and store here, and keep them")
    opts = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.plugins.http_server import serve_directory

    work = opts.keep or Path(tempfile.mkdtemp(prefix="spbe-bench-"))
    site_dir, db = work / "site", work / "bench.db"
    db.unlink(missing_ok=True)
    keys = write_site(site_dir, opts.articles)
    site = serve_directory(site_dir)
    try:
        started = time.perf_counter()
        done = subprocess.run(
            [*spbe_command(), "crawl", "antara", "--base-url", site.url, "-a", "feeds=terkini",
             "-a", "queries=", "--db", f"sqlite:///{db}", "--log-level", "WARNING",
             "--jobs", str(work / "jobs"), *fast_settings(opts.concurrency)],
            capture_output=True, text=True, check=False,
        )
        seconds = time.perf_counter() - started
    finally:
        site.stop()
    print(done.stderr[-1500:], file=sys.stderr)
    stored = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
    pages = len(site.log)
    crawling = site.stamps[-1] - site.stamps[0] if len(site.stamps) > 1 else seconds
    print(f"articles on the site: {opts.articles} ({len(keys)} about SPBE); stored: {stored}")
    print(f"pages fetched: {pages}; first to last request {crawling:.1f} s = "
          f"{pages / crawling:.1f} pages/s; whole command {seconds:.1f} s = "
          f"{pages / seconds:.1f} pages/s ({opts.concurrency} concurrent requests per domain)")


if __name__ == "__main__":
    main()
