"""read_paths and ingest_articles on real files: formats, bad input, idempotence."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from spbe_extract.ingest import (
    BadInput,
    article_from_html,
    ingest_articles,
    read_paths,
    source_of,
)
from spbe_extract.model import ArticleInput, Skip
from spbe_extract.store import Store
from tests.store_samples import ENGLISH, HTML_PAGE, article, make_bad_batch, write_jsonl


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, ArticleInput)], [
        i for i in items if isinstance(i, Skip)
    ]


def test_txt_keeps_whole_file_as_text_and_first_line_as_title(tmp_path: Path) -> None:
    body = "\n\n" + article(0)
    path = tmp_path / "berita" / "a.txt"
    path.parent.mkdir()
    path.write_text(body, encoding="utf-8")
    (item,) = read_paths([path])
    assert item.text == body  # offsets into the file are offsets into the text
    assert item.title == body.strip().splitlines()[0]
    assert item.source == "berita"
    assert item.path == str(path)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff".encode() + article(1).encode())
    (item,) = read_paths([path])
    assert item.text == article(1)


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    (item,) = read_paths([path])
    assert "Pemerintah Kota Bandung meraih indeks SPBE sebesar 3,9" in item.text
    assert "Beranda" not in item.text and "Hak cipta" not in item.text
    assert item.title.startswith("Indeks SPBE Kota Bandung Capai 3,9")
    assert item.url == "https://www.wartakota.example/berita/spbe-bandung"
    assert item.source == "wartakota.example"
    assert item.published == date(2024, 2, 14)
    assert item.html == HTML_PAGE


def test_article_from_html_for_crawlers() -> None:
    item = article_from_html(
        HTML_PAGE, url="https://berita.example/x/1", key="contoh:1", published="2024-02-15"
    )
    assert item.url == "https://berita.example/x/1"
    assert item.source == "berita.example"
    assert item.key == "contoh:1"
    assert item.published == date(2024, 2, 15)
    with pytest.raises(BadInput, match="no main text"):
        article_from_html("<html><body><div><<<</p></b>")


def test_jsonl_text_and_html_records(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "url": "https://www.kabar.example/1",
                "title": "Satu",
                "published": "2024-03-01",
                "text": article(0),
                "key": "kabar:1",
            },
            {
                "url": "https://kabar.example/2",
                "html": HTML_PAGE,
                "published": "Kamis, 31 Oktober 2024 | 06:27 WIB",
            },
        ],
    )
    first, second = read_paths([path])
    assert (first.title, first.key, first.source) == ("Satu", "kabar:1", "kabar.example")
    assert first.published == date(2024, 3, 1) and first.path == f"{path}:1"
    assert first.text == article(0)
    assert "Kota Bandung" in second.text and second.url == "https://kabar.example/2"
    assert isinstance(second.published, datetime) and second.published.date() == date(2024, 10, 31)


def test_folder_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b/2.txt", "a/z.txt", "a/sub/1.txt", ".hidden/x.txt", "c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(article(len(name)), encoding="utf-8")
    (tmp_path / "catatan.md").write_text("# catatan", encoding="utf-8")
    articles, skips = split(read_paths([tmp_path]))
    rel = [os.path.relpath(a.path, tmp_path) for a in articles]
    assert rel == ["c.txt", "a/z.txt", "a/sub/1.txt", "b/2.txt"]
    assert [s.reason for s in skips] == [
        "unsupported file type '.md' (expected .txt, .html, .htm or .jsonl)"
    ]


@pytest.fixture
def bad_batch(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    return make_bad_batch(tmp_path / "masuk")


def test_each_bad_input_is_skipped_with_its_reason(bad_batch) -> None:
    folder, expected = bad_batch
    articles, skips = split(read_paths([folder]))
    got = {os.path.relpath(s.path, folder): s.reason for s in skips}
    assert set(got) == set(expected)
    for name, start in expected.items():
        assert got[name].startswith(start), (name, got[name])
        assert "\n" not in got[name]
    assert [os.path.relpath(a.path, folder) for a in articles] == [
        "01_baik.txt",
        "09_baik.html",
        "10_campur.jsonl:1",
        "10_campur.jsonl:5",
    ]


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(article(0), encoding="utf-8")
    (skip,) = read_paths([path], max_bytes=512)
    assert skip.reason == f"file is {path.stat().st_size / 1024:.1f} kB, over the 0.5 kB limit"
    (item,) = read_paths([path], max_bytes=path.stat().st_size)
    assert item.text == article(0)


def test_guess_encoding_decodes_and_logs(tmp_path: Path, caplog) -> None:
    path = tmp_path / "latin.txt"
    text = article(1).replace("Pemerintah", "Pemerintah Bojonegoro é")
    path.write_bytes(text.encode("cp1252"))
    (item,) = read_paths([path], guess_encoding=True)
    assert item.text == text
    assert "not UTF-8, decoded as" in caplog.text


def test_missing_path_and_gold_like_jsonl(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "x", "index_facts": []}] * 3)
    skips = list(read_paths([tmp_path / "tidak-ada", gold]))
    assert [s.reason for s in skips] == [
        "no such file or directory",
        "not an article file: its first record has no 'text' or 'html' field",
    ]


def test_source_of() -> None:
    assert source_of("https://www.antaranews.com/berita/1") == "antaranews.com"
    assert source_of(None, "seeds") == "seeds"
    assert source_of(None) is None


def test_ingest_twice_adds_nothing(store_url: str, bad_batch) -> None:
    folder, expected = bad_batch
    with Store(store_url) as store:
        first = ingest_articles(store, read_paths([folder]))
        assert (first.added, first.known, len(first.skipped)) == (4, 0, len(expected))
        second = ingest_articles(store, read_paths([folder]))
        assert (second.added, second.known) == (0, 4)
        assert store.counts()["articles"] == 4


def test_identity_by_hash_url_and_key(store_url: str) -> None:
    text = article(0)
    with Store(store_url) as store:
        report = ingest_articles(
            store,
            [
                ArticleInput(text=text, url="https://x.example/1"),
                ArticleInput(text="  " + text.replace("\n", " \n")),  # same text, other spacing
                ArticleInput(text=article(1), url="https://x.example/1"),  # same URL, edited text
                ArticleInput(text=article(2), key="x:9"),
                ArticleInput(text=article(3), key="x:9"),
                ArticleInput(text=ENGLISH, url="https://x.example/en"),
            ],
        )
        assert (report.added, report.known) == (2, 3)
        assert [s.reason.split(" (")[0] for s in report.skipped] == ["not Indonesian"]
        assert store.known_keys(["x:9", "x:10"]) == {"x:9"}
        assert store.known_urls(["https://x.example/1"]) == {"https://x.example/1"}


def test_ingest_streams_in_chunks(store_url: str) -> None:
    """Items are consumed lazily: a chunk is stored before the next one is read."""
    seen: list[int] = []

    def items():
        for i in range(25):
            seen.append(i)
            yield ArticleInput(text=article(i), url=f"https://x.example/{i}")

    with Store(store_url) as store:
        counts_during: list[int] = []

        def watch(item):
            if len(seen) in (11, 21):
                counts_during.append(store.counts()["articles"])

        report = ingest_articles(store, items(), on_item=watch, chunk_size=10)
        assert report.added == 25
        assert counts_during == [10, 20]
