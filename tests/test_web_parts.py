"""The web view's parts without a browser: highlighting, chart, filters, serving rules."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from spbe_extract.web.chart import Point, svg_chart
from spbe_extract.web.pages import Span, highlight, like_pattern, mark_terms, safe_url
from spbe_extract.web.readonly import read_only
from spbe_extract.web.serve import ServeError, datasette_args, metadata_for, sqlite_path
from spbe_extract.web.sqlfunctions import region_match


def test_highlight_marks_spans_escapes_text_and_anchors_each_fact():
    text = "Awal. Indeks <b>3,22</b> tahun 2023. Akhir."
    start = text.index("Indeks")
    end = text.index(" Akhir")
    html = highlight(
        text,
        [Span(start, end, "evidence", "fact-7"), Span(start, start + 6, "official", "official-2")],
    )
    assert '<span class="anchor" id="fact-7"></span>' in html
    assert '<mark class="evidence official">Indeks</mark>' in html
    assert "&lt;b&gt;3,22&lt;/b&gt;" in html and "<b>" not in html
    assert html.striptags() == text  # nothing lost, nothing added
    assert str(highlight(text, [Span(5, 999, "evidence", "x")])) == str(highlight(text, []))


def test_mark_terms_is_case_insensitive_and_escapes():
    html = mark_terms("Indeks <SPBE> naik; indeks turun", "indeks")
    assert html.count('<b class="hit">') == 2
    assert "&lt;SPBE&gt;" in html


def test_like_pattern_escapes_wildcards():
    assert like_pattern("50%_a\\") == "%50\\%\\_a\\\\%"


def test_only_http_urls_become_links():
    assert safe_url("https://a.id/x") == "https://a.id/x"
    assert safe_url("javascript:alert(1)") is None


def test_chart_has_one_linked_mark_per_point_and_escapes_labels():
    points = [
        Point(2022, 2.9, "score", "/a#fact-1", "2022 <x>"),
        Point(2023, 3.22, "score", "/a#fact-2", "2023"),
        Point(2023, 3.12, "competing", "/a#fact-3", "other"),
        Point(2024, 3.5, "target", "/a#fact-4", "target"),
    ]
    svg = str(svg_chart(points, "Kota <Gorontalo>"))
    assert svg.count('class="point ') == 4
    assert svg.count("<polyline") == 1
    assert "&lt;x&gt;" in svg and "Kota &lt;Gorontalo&gt;" in svg
    assert str(svg_chart([], "x")) == ""


@pytest.mark.parametrize(
    ("query", "name", "code", "hit"),
    [
        ("", "Kota Gorontalo", "75.71", 1),
        ("Kaltim", "Provinsi Kalimantan Timur", "64", 1),
        ("75.71", "Kota Gorontalo", "75.71", 1),
        ("Gorontalo", "Kabupaten Gorontalo", "75.01", 1),
        ("Kota Gorontalo", "Provinsi Gorontalo", "75", 0),
        ("' OR 1=1 --", "Kota Gorontalo", None, 0),
    ],
)
def test_region_match(query, name, code, hit):
    assert region_match(query, name, code) == hit


def test_region_match_works_as_a_bound_sqlite_filter():
    conn = sqlite3.connect(":memory:")
    conn.create_function("spbe_region_match", 3, region_match, deterministic=True)
    conn.execute("create table r (name text, code text)")
    conn.executemany(
        "insert into r values (?, ?)",
        [("Kota Gorontalo", "75.71"), ("Provinsi Kalimantan Timur", "64")],
    )
    sql = "select name from r where spbe_region_match(:q, name, code)"
    assert conn.execute(sql, {"q": "Kaltim"}).fetchall() == [("Provinsi Kalimantan Timur",)]
    assert conn.execute(sql, {"q": "x' or 1=1 --"}).fetchall() == []


def test_sqlite_path_refuses_other_databases_and_missing_files(tmp_path: Path):
    with pytest.raises(ServeError, match="SQLite"):
        sqlite_path("postgresql+psycopg://u@localhost/spbe")
    with pytest.raises(ServeError, match="no store"):
        sqlite_path(f"sqlite:///{tmp_path}/missing.db")
    db = tmp_path / "a.db"
    db.write_bytes(b"")
    assert sqlite_path(str(db)) == db


def test_datasette_is_immutable_local_and_without_sql_by_default(tmp_path: Path):
    args = datasette_args(tmp_path / "a.db", tmp_path / "m.json", "127.0.0.1", 8001)
    assert args[args.index("-i") + 1] == str(tmp_path / "a.db")
    assert args[args.index("--host") + 1] == "127.0.0.1"
    i = args.index("default_allow_sql")
    assert args[i + 1] == "off"
    allowed = datasette_args(tmp_path / "a.db", tmp_path / "m.json", "h", 1, allow_sql=True)
    assert allowed[allowed.index("default_allow_sql") + 1] == "on"


def test_metadata_is_keyed_by_the_served_file_and_queries_bind_parameters():
    meta = metadata_for("berita")
    queries = meta["databases"]["berita"]["queries"]
    assert {"facts", "officials", "statements", "mismatches"} <= queries.keys()
    for query in queries.values():
        for param in query.get("params", []):
            assert f":{param}" in query["sql"]
    assert "spbe" not in meta["databases"]
    json.dumps(meta)


def test_read_only_guard_refuses_post():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["method"])

    async def call(method: str) -> list[dict]:
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        await read_only(app)({"type": "http", "method": method}, None, send)
        return sent

    assert asyncio.run(call("POST"))[0]["status"] == 405
    assert asyncio.run(call("GET")) == [] and seen == ["GET"]
