"""`spbe import-official`: bad rows reported one per line, good rows load, re-import is safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from spbe_extract.official_results import read_table
from spbe_extract.store import Store
from spbe_extract.store import reconcile_queries as q
from tests.facts_store import OFFICIAL_CSV, spbe, store_copy


def test_import_reports_each_bad_row_and_loads_the_good_ones(tmp_path: Path):
    url = store_copy(tmp_path)
    done = spbe("import-official", OFFICIAL_CSV, "--db", url)
    bad = done.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in bad] == [
        f"skipped hasil_resmi.csv line {n}" for n in (5, 6, 7, 8, 9)
    ]
    assert "ambiguous region 'Gorontalo'" in bad[0]
    assert "unknown region 'Negeri Antah Berantah'" in bad[1]
    assert "2020" in bad[2]
    assert "'tujuh'" in bad[3]
    assert "'Sangat Baik' does not fit value 2.9" in bad[4]
    assert "3 rows loaded (3 new, 0 updated, 0 unchanged), 5 bad rows skipped" in done.stdout
    with Store(url) as store:
        loaded = {(k, v.value, v.predicate) for k, v in q.official_values(store).items()}
    assert loaded == {
        (("Kota Gorontalo", 2023), 3.22, "Baik"),
        (("Kabupaten Bone Bolango", 2023), 2.8, "Baik"),
        (("Provinsi Kalimantan Timur", 2023), 3.55, "Sangat Baik"),
    }

    again = spbe("import-official", OFFICIAL_CSV, "--db", url)
    assert "3 rows loaded (0 new, 0 updated, 3 unchanged)" in again.stdout
    with Store(url) as store:
        assert len(q.official_values(store)) == 3


def test_official_results_show_where_news_disagrees_and_judge_targets(tmp_path: Path):
    url = store_copy(tmp_path)
    spbe("import-official", OFFICIAL_CSV, "--db", url)
    with Store(url) as store:
        [bone] = q.reconciled_rows(store, region="Bone Bolango", year=2023, kind="score")
        [gorontalo] = q.reconciled_rows(store, region="Kota Gorontalo", year=2023, kind="score")
        [kaltim_target] = q.reconciled_rows(store, region="Kaltim", year=2023, kind="target")
    assert (bone["value"], bone["official_value"], bone["official_mismatch"]) == (2.75, 2.8, True)
    assert (gorontalo["official_value"], gorontalo["official_mismatch"]) == (3.22, False)
    # the news said 3.41 (target 3.5 missed); the official table says 3.55: met
    assert (
        kaltim_target["outcome"],
        kaltim_target["outcome_score"],
        kaltim_target["outcome_basis"],
    ) == ("met", 3.55, "official")


def test_changed_value_updates_the_row(tmp_path: Path):
    url = store_copy(tmp_path)
    first = tmp_path / "a.csv"
    first.write_text("Kota Gorontalo;2023;3,22\n", encoding="utf-8")  # no header, semicolons
    spbe("import-official", first, "--db", url)
    first.write_text("Kota Gorontalo;2023;3,25\n", encoding="utf-8")
    done = spbe("import-official", first, "--db", url)
    assert "(0 new, 1 updated, 0 unchanged)" in done.stdout
    with Store(url) as store:
        assert store and q.official_values(store)[("Kota Gorontalo", 2023)].value == 3.25


def test_nothing_loadable_exits_non_zero_with_one_line_per_row(tmp_path: Path):
    url = store_copy(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "region,year,value\nAtlantis,2023,3.0\nKota Gorontalo,20x3,3.0\n", encoding="utf-8"
    )
    done = spbe("import-official", bad, "--db", url, check=False)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 2
    missing = spbe("import-official", tmp_path / "nope.csv", "--db", url, check=False)
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: cannot read")


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_file_is_one_clear_error(tmp_path: Path, text: str):
    path = tmp_path / "empty.csv"
    path.write_text(text, encoding="utf-8")
    from spbe_extract.official_results import OfficialTableError

    with pytest.raises(OfficialTableError, match="empty"):
        read_table(path)


def test_read_table_accepts_codes_aliases_and_decimal_commas(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text(
        "Tahun;Kode Wilayah;Indeks SPBE;Predikat\n2023;75.71;3,22;baik\n2022;Kaltim;2,87;\n",
        encoding="utf-8",
    )
    good, bad = read_table(path)
    assert bad == []
    assert [(r.region, r.region_code, r.year, r.value, r.predicate) for r in good] == [
        ("Kota Gorontalo", "75.71", 2023, 3.22, "Baik"),
        ("Provinsi Kalimantan Timur", "64", 2022, 2.87, None),
    ]
