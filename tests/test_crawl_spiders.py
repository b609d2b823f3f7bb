"""Each spider crawls its fixture site for real (Scrapy, HTTP on 127.0.0.1, a SQLite store)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from tests.plugins.http_server import FAST_CRAWL, REPO, stored_articles

ANTARA_SPBE = {f"antara-kaltim:{n}" for n in (227101, 227102, 227103, 227104, 227105, 227106)}


def offset(record: dict) -> str:
    """The UTC offset of the stored, timezone-aware publication time."""
    return datetime.fromisoformat(record["meta"]["published_at"]).strftime("%z")


def test_antara_stores_spbe_articles_only(serve_site, run_crawl, tmp_path: Path) -> None:
    site = serve_site("antara")
    db = tmp_path / "antara.db"
    done = run_crawl("antara", site, db, "-a", "edition=kaltim", "-a", "queries=SPBE")
    assert done.returncode == 0, done.stderr[-3000:]
    articles = stored_articles(db)
    assert set(articles) == ANTARA_SPBE
    first = articles["antara-kaltim:227101"]
    assert first["title"] == "Indeks SPBE Pemprov Kaltim Naik Jadi 3,41"
    assert first["url"] == (
        "https://kaltim.antaranews.com/berita/227101/indeks-spbe-pemprov-kaltim-naik-jadi-3-41"
    )
    assert first["author"] == "Rahmat Hidayat"
    assert first["source"] == "antara-kaltim"
    assert first["meta"]["published_at"] == "2024-11-04T10:30:00+08:00"  # WITA kept
    assert str(first["published_at"]).startswith("2024-11-04 02:30")  # stored as UTC
    assert "<div class=\"wrap__article-detail-content" in first["html"]
    for record in articles.values():
        text = str(record["text"])
        assert "Baca juga" not in text and "Pewarta" not in text and "Editor:" not in text
        assert "COPYRIGHT" not in text and "Terpopuler" not in text
        assert offset(record) == "+0800"
    assert articles["antara-kaltim:227103"]["text"].startswith("Samarinda (ANTARA) - Pemerintah")
    # the old layout without the known selectors went through the generic extractor
    old = articles["antara-kaltim:227104"]
    assert old["text"].startswith("Balikpapan (ANTARA)") and old["author"] == "Dewi Lestari"
    # AMP links fold into the article; robots.txt forbids 227199
    fetched = site.requested()
    assert not [p for p in fetched if p.startswith("/amp/")]
    assert sum(p.startswith("/berita/227102/") for p in fetched) == 1
    assert not [p for p in fetched if "227199" in p]
    assert "/robots.txt" in fetched
    summary = summary_of(done.stderr)
    assert summary["articles stored"] == 6
    assert summary["skipped as irrelevant"] == 2
    assert summary["not fetched (robots.txt)"] == 1
    assert summary["errors"] == 0


def summary_of(stderr: str) -> dict[str, int]:
    """The figures of the final summary table printed by ``spbe crawl``."""
    figures = {}
    for line in stderr.splitlines():
        cells = [c.strip() for c in line.strip("│ \n").split("│")]
        if len(cells) == 2 and cells[1].isdigit():
            figures[cells[0]] = int(cells[1])
    return figures


def test_antara_since_stops_before_old_pages(serve_site, run_crawl, tmp_path: Path) -> None:
    site = serve_site("antara")
    db = tmp_path / "since.db"
    done = run_crawl("antara", site, db, "-a", "edition=kaltim", "-a", "queries=",
                     "--since", "2024-01-01")
    assert done.returncode == 0, done.stderr[-3000:]
    skipped = {"antara-kaltim:227105", "antara-kaltim:227106"}  # too old; only found by search
    assert set(stored_articles(db)) == ANTARA_SPBE - skipped
    assert "/tag/spbe/3" in site.requested()  # page 2 still held new articles
    assert not [p for p in site.requested() if "227105" in p]  # dated 2022 on its card
    assert summary_of(done.stderr)["skipped as older than --since"] == 1


def test_max_articles_bounds_the_crawl(serve_site, run_crawl, tmp_path: Path) -> None:
    site = serve_site("antara")
    db = tmp_path / "max.db"
    done = run_crawl("antara", site, db, "-a", "edition=kaltim", "--max-articles", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert len([p for p in site.requested() if p.startswith("/berita/")]) == 2


def test_infopublik_channels_and_search(serve_site, run_crawl, tmp_path: Path) -> None:
    site = serve_site("infopublik")
    db = tmp_path / "infopublik.db"
    done = run_crawl("infopublik", site, db, "-a", "channels=nusantara", "-a", "queries=SPBE")
    assert done.returncode == 0, done.stderr[-3000:]
    articles = stored_articles(db)
    assert set(articles) == {f"infopublik:{n}" for n in (880101, 880102, 880103, 880104)}
    jayapura = articles["infopublik:880101"]
    assert jayapura["title"] == "Pemkab Jayapura Lakukan Evaluasi Mandiri SPBE"
    assert jayapura["meta"]["published_at"] == "2024-11-04T09:15:00+09:00"  # WIT
    assert jayapura["author"] == "MC KAB JAYAPURA"
    assert offset(articles["infopublik:880103"]) == "+0800"  # WITA
    assert offset(articles["infopublik:880104"]) == "+0700"  # WIB
    for record in articles.values():
        assert "Berita Terkait" not in record["text"] and "Foto:" not in record["text"]
    assert "/kategori/nusantara?page=2" in site.requested()
    assert summary_of(done.stderr)["skipped as irrelevant"] == 1


def test_wordpress_rest_api(serve_site, run_crawl, tmp_path: Path) -> None:
    site = serve_site("wordpress")
    db = tmp_path / "wp.db"
    done = run_crawl("wordpress", site, db, "-a", "site=kabardaerah.example", "-a", "per_page=2")
    assert done.returncode == 0, done.stderr[-3000:]
    articles = stored_articles(db)
    assert set(articles) == {"kabardaerah.example:501", "kabardaerah.example:502",
                             "kabardaerah.example:503"}
    post = articles["kabardaerah.example:501"]
    assert post["url"] == "https://kabardaerah.example/2024/10/28/kendari-kejar-indeks-spbe-3-2/"
    assert post["meta"]["post_id"] == 501
    assert post["meta"]["date_gmt"] == "2024-10-28T01:30:00"
    assert post["meta"]["modified_gmt"] == "2024-10-29T02:00:00"
    assert post["meta"]["published_at"] == "2024-10-28T09:30:00+08:00"
    assert post["author"] == "Redaksi Kabar Daerah"
    assert "Baca Juga" not in post["text"] and "Terkait" not in post["text"]
    assert post["text"].endswith("tentang manajemen data.")
    assert not [p for p in site.requested() if p.startswith(("/feed", "/sitemap"))]


def test_wordpress_without_api_reads_feed_and_sitemap(
    serve_site, run_crawl, tmp_path: Path
) -> None:
    site = serve_site("wordpress")
    site.behave("/wp-json/wp/v2/posts?search=SPBE&per_page=2&page=1"
                "&_fields=id,link,date,date_gmt,modified_gmt", status=404)
    db = tmp_path / "wp-fallback.db"
    done = run_crawl("wordpress", site, db, "-a", "site=kabardaerah.example", "-a", "per_page=2")
    assert done.returncode == 0, done.stderr[-3000:]
    articles = stored_articles(db)
    assert set(articles) == {"kabardaerah.example:501", "kabardaerah.example:502",
                             "kabardaerah.example:503"}  # 503 only in the sitemap
    post = articles["kabardaerah.example:503"]
    assert post["title"] == "Bombana Ikuti Asistensi Evaluasi SPBE"
    assert post["meta"]["post_id"] == 503
    assert post["meta"]["modified_gmt"] == "2024-09-13T01:00:00"
    assert offset(post) == "+0800"
    assert "Bagikan" not in post["text"] and "Terkait" not in post["text"]
    fetched = site.requested()
    assert "/feed/" in fetched and "/post-sitemap.xml" in fetched
    assert "/page-sitemap.xml" not in fetched
    assert summary_of(done.stderr)["skipped as irrelevant"] == 1  # the festival post


def test_sitemap_spider(serve_site, run_crawl, tmp_path: Path) -> None:
    site = serve_site("sitemap")
    db = tmp_path / "sitemap.db"
    done = run_crawl("sitemap", site, db, "-a", "url=https://kominfo.sultra.example/sitemap.xml")
    assert done.returncode == 0, done.stderr[-3000:]
    articles = stored_articles(db)
    prefix = "kominfo.sultra.example:/berita/"
    assert set(articles) == {prefix + "2024/11/wakatobi-raih-predikat-baik-spbe",
                             prefix + "2024/10/muna-siapkan-peta-rencana-spbe",
                             prefix + "2023/02/buton-bahas-integrasi-aplikasi"}
    wakatobi = articles[prefix + "2024/11/wakatobi-raih-predikat-baik-spbe"]
    assert wakatobi["title"] == "Wakatobi Raih Predikat Baik dalam Evaluasi SPBE"
    assert wakatobi["text"].startswith("Pemerintah Kabupaten Wakatobi meraih predikat baik")
    assert "Berita Terkait" not in wakatobi["text"] and "Pengumuman" not in wakatobi["text"]
    assert wakatobi["meta"]["published_at"] == "2024-11-02T08:00:00+08:00"
    assert summary_of(done.stderr)["skipped as irrelevant"] == 1


def test_sitemap_spider_reads_feeds_and_skips_old_sitemaps(
    serve_site, run_crawl, tmp_path: Path
) -> None:
    site = serve_site("sitemap")
    db = tmp_path / "feed.db"
    done = run_crawl("sitemap", site, db, "--since", "2024-06-01", "-a",
                     "url=https://kominfo.sultra.example/sitemap.xml,"
                     "https://kominfo.sultra.example/rss.xml")
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(stored_articles(db)) == 2
    assert "/rss.xml" in site.requested()
    assert "/sitemap-berita-2023.xml" not in site.requested()


def test_scrapy_crawl_works_from_the_crawlers_folder(
    serve_site, empty_store_file: Path, tmp_path: Path
) -> None:
    site = serve_site("infopublik")
    db = tmp_path / "scrapy.db"
    shutil.copyfile(empty_store_file, db)
    settings = [arg for k, v in FAST_CRAWL.items() for arg in ("-s", f"{k}={v}")]
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "infopublik", "-a", f"base_url={site.url}",
         "-a", "channels=nusantara", "-a", "queries=", "-s", f"SPBE_DB=sqlite:///{db}",
         "-O", str(tmp_path / "items.jsonl"), *settings],
        cwd=REPO / "crawlers", capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert set(stored_articles(db)) == {"infopublik:880101", "infopublik:880102",
                                        "infopublik:880103"}
    lines = (tmp_path / "items.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 3 and '"published": "2024-' in lines[0]
    assert "crawl finished: pages fetched" in done.stderr
