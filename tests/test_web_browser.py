"""`spbe serve` on a real port, driven by headless Chromium (Playwright).

The store holds the fixture articles (real `spbe ingest` + `spbe run`) and the official
results table. Set SPBE_SCREENSHOT=1 to copy the region page's screenshot to
docs/img/region-page.png (the one the README shows).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from spbe_extract.store import Store
from spbe_extract.store import reconcile_queries as q
from tests.facts_store import OFFICIAL_CSV, SPBE, spbe, store_copy

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("SPBE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "img" / "region-page.png"
INJECTIONS = ["' OR 1=1 --", "<script>window.__pwned = 1</script>", 'x" onmouseover="alert(1)']
REGION = "Kota Gorontalo"


@dataclass
class Site:
    base: str
    url: str  # the store's SQLAlchemy URL
    db_file: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(base: str, proc: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"spbe serve exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"spbe serve did not answer in {timeout} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("web")
    url = store_copy(root, "spbe.db")
    spbe("import-official", OFFICIAL_CSV, "--db", url)
    port, log = _free_port(), root / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [SPBE, "serve", "--db", url, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc, log)
        yield Site(base, url, root / "spbe.db")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def _reconciled(site: Site, **filters) -> list[dict]:
    with Store(site.url) as store:
        return q.reconciled_rows(store, **filters)


def _filter_facts(page, site: Site, region: str) -> None:
    page.goto(f"{site.base}/spbe/facts")
    page.fill("input[name=region]", region)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_facts_page_filters_to_one_region_and_links_evidence(page, site: Site):
    _filter_facts(page, site, REGION)
    regions = page.locator("td.col-region").all_inner_texts()
    expected = _reconciled(site, region=REGION)
    assert len(regions) == len(expected) > 0
    assert set(regions) == {REGION}
    values = page.locator("td.col-value a.evidence")
    assert values.count() == len(expected)
    for link, row in zip(values.all(), expected, strict=True):
        href = link.get_attribute("href")
        assert href == (
            f"/-/spbe/article/{row['evidence_article_id']}#fact-{row['evidence_fact_id']}"
        )
        assert float(link.inner_text()) == row["value"]
    sources = page.locator("td.col-value a.source")
    assert [a.get_attribute("href") for a in sources.all()] == [r["article_url"] for r in expected]

    # follow a number to its evidence sentence
    first = expected[0]
    values.first.click()
    page.wait_for_load_state()
    mark = page.locator(f"#fact-{first['evidence_fact_id']} + mark.evidence")
    assert mark.is_visible()
    assert first["evidence_sentence"] in page.locator("#article-body").inner_text()
    assert page.locator("#article-url").get_attribute("href") == first["article_url"]


def test_region_page_shows_chart_and_every_source(page, site: Site, tmp_path: Path):
    _filter_facts(page, site, REGION)
    page.locator("td.col-region a").first.click()
    page.wait_for_load_state()
    assert page.locator("#region-name").inner_text() == REGION
    chart = page.locator("svg.spbe-chart")
    assert chart.is_visible()
    with Store(site.url) as store:
        facts = store.facts(region=REGION)
        official = [k for k in q.official_values(store) if k[0] == REGION]
        values = q.reconciled_rows(store, region=REGION)
    points = chart.locator("a.point")
    n_values = sum(r["n_values"] for r in values)
    assert points.count() == n_values + len(official)
    years = {
        int(y)
        for y in chart.locator("a.point").evaluate_all(
            "els => els.map(e => e.getAttribute('data-year'))"
        )
    }
    assert years == {r["year"] for r in values}
    rows = page.locator("#sources-table tbody tr")
    assert rows.count() == len(facts)
    shown = {a.get_attribute("href") for a in page.locator("#sources-table a.source").all()}
    assert shown == {f.article_url for f in facts}
    assert page.locator("#per-year .conflict").count() == sum(r["conflict"] for r in values)

    shot = tmp_path / "region-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("SPBE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SCREENSHOT)

    # a chart point leads to the sentence behind it
    href = chart.locator("a.point-score").first.get_attribute("href")
    page.goto(site.base + href)
    anchor = href.split("#")[1]
    assert page.locator(f"#{anchor} + mark").is_visible()


def test_csv_download_matches_the_store(page, site: Site):
    _filter_facts(page, site, REGION)
    csv_href = page.locator("p.export-links a", has_text="CSV").get_attribute("href")
    response = page.request.get(site.base + csv_href + "&_dl=1")
    assert response.ok
    assert "attachment" in response.headers.get("content-disposition", "")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    expected = _reconciled(site, region=REGION)
    assert [
        (
            r["region"],
            int(r["year"]),
            r["kind"],
            float(r["value"]),
            int(r["n_articles"]),
            int(r["n_sources"]),
            r["conflict"],
            r["article_url"],
        )
        for r in rows
    ] == [
        (
            e["region"],
            e["year"],
            e["kind"],
            e["value"],
            e["n_articles"],
            e["n_sources"],
            str(int(e["conflict"])),
            e["article_url"],
        )
        for e in expected
    ]


def test_conflicts_only_and_mismatches(page, site: Site):
    page.goto(f"{site.base}/spbe/facts?conflicts_only=1")
    expected = _reconciled(site, conflicts_only=True)
    assert page.locator("td.col-region").count() == len(expected) > 0
    page.goto(f"{site.base}/spbe/mismatches")
    news = [float(t) for t in page.locator("td.col-news_value a.evidence").all_inner_texts()]
    official = page.locator("td.col-official_value").all_inner_texts()
    assert news and len(news) == len(official)
    assert all(abs(n - float(o)) >= 0.005 for n, o in zip(news, official, strict=True))


def test_officials_and_their_statements(page, site: Site):
    page.goto(f"{site.base}/spbe/officials")
    assert "Marten Taha" in page.locator("td.col-name").all_inner_texts()
    page.goto(f"{site.base}/spbe/statements?name=Marten")
    outcomes = page.locator("td.col-outcome").all_inner_texts()
    assert sorted(outcomes) == ["met", "unknown"]
    assert page.locator("td.col-target_value a.evidence").count() == 2


def test_search_highlights_evidence_sentences(page, site: Site):
    page.goto(f"{site.base}/-/spbe/search")
    page.fill("input[name=q]", "Bone Bolango")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".result").count() == 1
    assert page.locator(".result mark.evidence b.hit").first.inner_text() == "Bone Bolango"


def _store_digest(site: Site) -> str:
    return hashlib.sha256(site.db_file.read_bytes()).hexdigest()


def test_injection_strings_change_nothing_and_render_as_text(page, site: Site):
    before = _store_digest(site)
    total = len(_reconciled(site))
    for text in INJECTIONS:
        _filter_facts(page, site, text)
        assert page.locator("td.col-region").count() == 0
        assert page.input_value("input[name=region]") == text
        page.goto(f"{site.base}/spbe/facts")  # the unfiltered page still shows everything
        assert page.locator("td.col-region").count() == total
        page.goto(f"{site.base}/-/spbe/region?r={urllib.request.quote(text)}")
        assert text in page.locator("h1").inner_text()
        page.goto(f"{site.base}/-/spbe/search?q={urllib.request.quote(text)}")
        assert text in page.locator("#search-summary").inner_text()
        assert page.locator(".result").count() == 0
        assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert _store_digest(site) == before


def test_no_arbitrary_sql_and_no_writes(site: Site):
    def status(url: str, data: bytes | None = None) -> int:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as err:
            return err.code

    assert status(f"{site.base}/spbe.json?sql=select+1") == 403
    assert status(f"{site.base}/spbe/reconciled_facts.json?_where=1%3D1") in (400, 403)
    assert status(f"{site.base}/spbe/facts", data=b"region=x") == 405
    assert status(f"{site.base}/spbe.db") == 403
