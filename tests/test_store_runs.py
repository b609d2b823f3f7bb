"""Runs and per-article extractions: pending work, replacement by a new version, failures."""

from __future__ import annotations

import re

import pytest

from spbe_extract.model import ArticleInput, Extraction
from spbe_extract.runner import run_pending
from spbe_extract.store import RecordError, Store
from tests.store_facts import A1, ev, extraction_1, fact, filled_store
from tests.store_samples import article

SCORE = re.compile(r"indeks Sistem Pemerintahan Berbasis Elektronik \(SPBE\) sebesar (\d),(\d+)")


def small_extract(text: str, published=None, url=None, title=None) -> Extraction:
    """A tiny stand-in extractor for runner bookkeeping tests (the real one is tested elsewhere).

    Articles containing 'RUSAK' raise, like an NLP crash on one article.
    """
    if "RUSAK" in text:
        raise ValueError("teks rusak")
    facts = []
    for m in SCORE.finditer(text):
        sentence = text[text.rfind("\n", 0, m.start()) + 1 : text.find("\n", m.end())]
        facts.append(fact(text, sentence, "Kota Contoh", None, 2023, float(f"{m[1]}.{m[2]}")))
    return Extraction(index_facts=facts)


def test_new_version_replaces_current_facts_and_old_run_stays_readable(store_url: str) -> None:
    store, run1, ids = filled_store(store_url, "v1")
    with store:
        assert store.pending_count("v1") == 0
        assert store.pending_count("v2") == 3
        run2 = store.start_run("v2")
        changed = extraction_1()
        changed.index_facts[0].value = 3.25
        del changed.index_facts[1]
        store.record_extraction(run2, ids["A1"], "v2", changed)
        store.finish_run(run2)
        current = store.facts(region="Gorontalo", source="kabar.example", year=2023)
        assert sorted((r.region, r.value, r.run_id) for r in current) == [
            ("Kabupaten Gorontalo", 2.48, run1),  # A3 is still on v1
            ("Provinsi Gorontalo", 3.25, run2),
        ]
        old = store.facts(run=run1, region="Provinsi Gorontalo")
        assert [(r.value, r.extractor_version) for r in old] == [(3.22, "v1")]
        assert store.pending_count("v2") == 2
        (a1,) = [a for a in store.articles() if a.id == ids["A1"]]
        assert (a1.facts, a1.extractor_version) == (1, "v2")


def test_replacement_is_atomic(store_url: str) -> None:
    store, run1, ids = filled_store(store_url, "v1")
    with store:
        run2 = store.start_run("v2")
        broken = extraction_1()
        broken.index_facts[1].region = None  # type: ignore[assignment]  # NOT NULL violation
        with pytest.raises(RecordError, match="record rejected by the database"):
            store.record_extraction(run2, ids["A1"], "v2", broken)
        rows = store.facts(region="Gorontalo", source="kabar.example", year=2023)
        assert {(r.region, r.run_id) for r in rows} >= {
            ("Provinsi Gorontalo", run1),
            ("Kota Gorontalo", run1),
        }
        assert store.pending_count("v2") == 3  # nothing half-written for A1


def test_failure_keeps_current_facts_and_is_listed(store_url: str) -> None:
    store, run1, ids = filled_store(store_url, "v1")
    with store:
        run2 = store.start_run("v2")
        store.record_failure(run2, ids["A1"], "v2", "ValueError: angka aneh")
        record = store.finish_run(run2)
        assert (record.articles_done, record.articles_failed) == (0, 1)
        assert [f["error"] for f in store.failures(run=run2)] == ["ValueError: angka aneh"]
        assert {r.run_id for r in store.facts(region="Provinsi Gorontalo")} == {run1}
        assert store.pending_count("v2") == 2
        assert store.pending_count("v2", retry_failed=True) == 3
        store.record_extraction(run2, ids["A1"], "v2", extraction_1())  # retry succeeds
        assert store.failures(run=run2) == []
        assert store.facts(region="75")[0].run_id == run2


def test_run_pending_records_failures_and_goes_on(store_url: str) -> None:
    texts = [article(i) for i in range(6)]
    texts.insert(2, article(40) + "\nRUSAK\n")
    with Store(store_url) as store:
        store.add_articles([ArticleInput(text=t) for t in texts])
        failures: list[str] = []
        report = run_pending(
            store,
            small_extract,
            "t1",
            progress=False,
            on_failure=lambda _id, msg: failures.append(msg),
        )
        assert (report.pending, report.done, report.failed) == (7, 6, 1)
        assert failures and failures[0].startswith("ValueError: teks rusak (at ")
        expected = sum(len(small_extract(t).index_facts) for t in texts if "RUSAK" not in t)
        assert report.facts == expected == len(store.facts())
        (run,) = store.runs()
        assert (run.status, run.articles_done, run.articles_failed, run.facts_count) == (
            "finished",
            6,
            1,
            expected,
        )
        again = run_pending(store, small_extract, "t1", progress=False)
        assert (again.pending, again.done, again.failed) == (0, 0, 0)
        retry = run_pending(store, small_extract, "t1", progress=False, retry_failed=True)
        assert (retry.pending, retry.failed) == (1, 1)


def test_run_pending_limit_and_continuation(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_articles([ArticleInput(text=article(i)) for i in range(9)])
        first = run_pending(store, small_extract, "t1", progress=False, limit=4)
        assert first.done == 4 and store.pending_count("t1") == 5
        rest = run_pending(store, small_extract, "t1", progress=False)
        assert rest.done == 5 and store.pending_count("t1") == 0
        assert len({r.article_id for r in store.facts()}) == len(
            [i for i in range(9) if small_extract(article(i)).index_facts]
        )


def test_evidence_offsets_point_into_stored_text(store_url: str) -> None:
    store, _run, ids = filled_store(store_url)
    with store:
        text = store.article_text(ids["A1"])
        assert text == A1
        for row in store.facts(source="kabar.example", region="Gorontalo"):
            stored = store.article_text(row.article_id)
            assert stored[row.evidence_start : row.evidence_end] == row.evidence_sentence
        assert ev(A1, "Kota Gorontalo mencatat nilai 2,90 pada tahun yang sama.").start > 0


def test_record_batch_writes_many_outcomes_in_one_go(store_url: str) -> None:
    with Store(store_url) as store:
        ids = store.add_articles([ArticleInput(text=article(i)) for i in range(3)]).added_ids
        run = store.start_run("b1")
        results = [
            (ids[0], small_extract(article(0))),
            (ids[1], "KeyError: 'x'"),
            (ids[2], small_extract(article(2))),
        ]
        facts, officials = store.record_batch(run, "b1", results)
        record = store.finish_run(run)
        assert (facts, officials) == (2, 0)
        assert (record.articles_done, record.articles_failed, record.facts_count) == (2, 1, 2)
        assert [f["article_id"] for f in store.failures()] == [ids[1]]
        assert sorted(r.article_id for r in store.facts()) == [ids[0], ids[2]]


def test_record_batch_replaces_set_wise_across_id_ranges(store_url: str) -> None:
    """A batch mixing new, re-extracted, retried and repeated articles, with ids far apart."""
    with Store(store_url) as store:
        texts = [article(i) for i in range(1300)]
        ids = store.add_articles([ArticleInput(text=t) for t in texts]).added_ids

        def n_facts(a: int) -> int:
            return len(small_extract(texts[a - 1]).index_facts)

        v1 = store.start_run("v1")
        store.record_batch(v1, "v1", [(a, small_extract(texts[a - 1])) for a in ids[:1200]])
        early, late = ids[:600:2], ids[1152:1300]  # every other article, and a block far away
        broken = late[0]  # read by v1 with a fact; v2 fails on it
        assert n_facts(broken) == 1
        v2 = store.start_run("v2")
        store.record_batch(v2, "v2", [(a, "TimeoutError") for a in early[:10]])  # to retry
        batch = [(a, small_extract(texts[a - 1])) for a in [*early, *late]]
        batch.append((broken, "ValueError: the last result counts"))
        facts, _ = store.record_batch(v2, "v2", batch)
        record = store.finish_run(v2)

        replaced = set(early) | set(late) - {broken}
        assert facts == sum(n_facts(a) for a in replaced)
        assert (record.articles_done, record.articles_failed) == (len(replaced), 10 + 1)
        assert [f["article_id"] for f in store.failures(version="v2")] == [broken]
        runs = {r.article_id: r.run_id for r in store.facts()}
        assert {a for a, run in runs.items() if run == v2} == {a for a in replaced if n_facts(a)}
        v1_kept = {a for a in ids[:1200] if n_facts(a)} - replaced
        assert broken in v1_kept
        assert {a for a, run in runs.items() if run == v1} == v1_kept
        assert all(  # each fact is attached to its own article's extraction
            r.evidence_sentence in texts[r.article_id - 1] for r in store.facts()
        )
        listed = store.articles()
        assert len(listed) == len(ids)  # one current extraction per article at most
        versions = {a.id: a.extractor_version for a in listed}
        assert {a for a, v in versions.items() if v == "v2"} == replaced
        assert store.pending_count("v2") == len(ids) - len(replaced) - 1
        assert len(store.facts(run=v1)) == sum(n_facts(a) for a in ids[:1200])  # still readable


@pytest.mark.parametrize(
    "pick",
    [
        lambda ids: ids[2:9],  # dense: read as one id range
        lambda ids: [ids[8], ids[3], ids[4]],  # dense, out of order
        lambda ids: [ids[0], ids[11]],  # sparse: an IN list
    ],
)
def test_articles_are_read_by_id_in_the_order_asked(store_url: str, pick) -> None:
    from datetime import date

    from spbe_extract.store import ArticleReader

    with Store(store_url) as store:
        items = [ArticleInput(text=article(i), title=f"Judul {i}", url=f"https://kabar.example/{i}",
                              published=date(2024, 1, 1 + i), source="kabar") for i in range(12)]
        ids = store.add_articles(items).added_ids
        wanted = [*pick(ids), max(ids) + 100]  # an id no longer stored is left out
        expected = [(i, items[ids.index(i)].text, items[ids.index(i)].title,
                     items[ids.index(i)].published) for i in wanted[:-1]]
        read = store.articles_by_id(wanted)
        reader = ArticleReader(store.shared_url or store.url)
        try:
            for got in (read, reader.read(wanted)):
                assert [(a.id, a.text, a.title, a.published) for a in got] == expected
        finally:
            reader.close()
