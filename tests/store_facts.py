"""Helpers for store tests: articles with hand-read extractions (real evidence offsets)."""

from __future__ import annotations

from datetime import date

from spbe_extract.model import ArticleInput, Evidence, Extraction, IndexFact, Official
from spbe_extract.store import Store

A1 = (
    "Indeks SPBE Gorontalo Membaik\n\n"
    "Pemerintah Provinsi Gorontalo meraih indeks SPBE 3,22 pada tahun 2023. "
    "Kota Gorontalo mencatat nilai 2,90 pada tahun yang sama. "
    "Sekretaris Daerah Provinsi Gorontalo, Sofyan Rahim, mengapresiasi capaian itu.\n"
)
A2 = (
    "Kaltim Bidik Indeks SPBE 4,0\n\n"
    "Provinsi Kalimantan Timur meraih indeks SPBE 3,50 pada evaluasi 2023. "
    "Gubernur Kalimantan Timur, Hendra Wijaya, menargetkan nilai di atas 4,0 pada 2024.\n"
)
A3 = (
    "Kabupaten Gorontalo Kejar Ketertinggalan\n\n"
    "Saat ini indeks SPBE Kabupaten Gorontalo baru 2,48. "
    "Kementerian Keuangan meraih nilai 4,10 pada tahun 2023 dan menjadi contoh bagi daerah.\n"
)


def ev(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def fact(
    text: str,
    sentence: str,
    region: str,
    code: str | None,
    year: int,
    value: float,
    kind: str = "score",
    **kw,
) -> IndexFact:
    return IndexFact(region, code, year, kind, value, ev(text, sentence), **kw)  # type: ignore[arg-type]


def extraction_1(text: str = A1) -> Extraction:
    s1 = "Pemerintah Provinsi Gorontalo meraih indeks SPBE 3,22 pada tahun 2023."
    s2 = "Kota Gorontalo mencatat nilai 2,90 pada tahun yang sama."
    s3 = "Sekretaris Daerah Provinsi Gorontalo, Sofyan Rahim, mengapresiasi capaian itu."
    return Extraction(
        index_facts=[
            fact(text, s1, "Provinsi Gorontalo", "75", 2023, 3.22, predicate="Baik"),
            fact(text, s2, "Kota Gorontalo", "75.71", 2023, 2.90),
        ],
        officials=[
            Official("Sofyan Rahim", "Sekretaris Daerah", ev(text, s3), region="Provinsi Gorontalo")
        ],
    )


def extraction_2() -> Extraction:
    s1 = "Provinsi Kalimantan Timur meraih indeks SPBE 3,50 pada evaluasi 2023."
    s2 = "Gubernur Kalimantan Timur, Hendra Wijaya, menargetkan nilai di atas 4,0 pada 2024."
    return Extraction(
        index_facts=[
            fact(A2, s1, "Provinsi Kalimantan Timur", "64", 2023, 3.5),
            fact(A2, s2, "Provinsi Kalimantan Timur", "64", 2024, 4.0, kind="target", relation=">"),
        ],
        officials=[
            Official("Hendra Wijaya", "Gubernur", ev(A2, s2), region="Provinsi Kalimantan Timur")
        ],
    )


def extraction_3() -> Extraction:
    s1 = "Saat ini indeks SPBE Kabupaten Gorontalo baru 2,48."
    s2 = "Kementerian Keuangan meraih nilai 4,10 pada tahun 2023 dan menjadi contoh bagi daerah."
    return Extraction(
        index_facts=[
            fact(A3, s1, "Kabupaten Gorontalo", "75.01", 2023, 2.48, year_inferred=True),
            fact(A3, s2, "Kementerian Keuangan", None, 2023, 4.10),
        ],
        published=date(2024, 5, 2),
    )


def filled_store(url: str, version: str = "v1") -> tuple[Store, int, dict[str, int]]:
    """A store with A1..A3 ingested and extracted by ``version``; returns (store, run, ids)."""
    store = Store(url)
    report = store.add_articles(
        [
            ArticleInput(
                text=A1,
                url="https://kabar.example/gorontalo",
                source="kabar.example",
                title="Indeks SPBE Gorontalo Membaik",
                published=date(2024, 3, 1),
            ),
            ArticleInput(
                text=A2,
                url="https://www.berita.example/kaltim",
                source="berita.example",
                published=date(2024, 4, 9),
            ),
            ArticleInput(text=A3, source="kabar.example"),
        ]
    )
    ids = dict(zip(("A1", "A2", "A3"), report.added_ids, strict=True))
    run = store.start_run(version)
    store.record_extraction(run, ids["A1"], version, extraction_1())
    store.record_extraction(run, ids["A2"], version, extraction_2())
    store.record_extraction(run, ids["A3"], version, extraction_3())
    store.finish_run(run)
    return store, run, ids
