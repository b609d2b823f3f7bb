"""Generalisation cases of index facts (tables, series, namesakes, non-values), on
Indonesian sentences written for these tests."""

from __future__ import annotations

from datetime import date

from spbe_extract.nlp import extract


def facts(text: str, published: date | None = date(2024, 3, 5)) -> set[tuple]:
    """(region, year, kind, value, relation) of every fact extracted from ``text``."""
    return {(f.region, f.year, f.kind, f.value, f.relation)
            for f in extract(text, published=published).index_facts}


def test_index_name_inside_ministry_name_keeps_spbe_topic():
    text = ("Hasil evaluasi SPBE 2023 yang dirilis Kementerian Pendayagunaan Aparatur Negara dan "
            "Reformasi Birokrasi diterima daerah. Pemerintah Kabupaten Bantul memperoleh "
            "indeks 3,12 atau predikat Baik.")
    assert facts(text) == {("Kabupaten Bantul", 2023, "score", 3.12, "=")}


def test_pipe_table_rows_take_region_value_and_predicate():
    text = ("Hasil evaluasi SPBE tahun 2023 kabupaten/kota di Riau:\n\n"
            "No | Daerah | Indeks | Predikat\n"
            "1 | Kota Pekanbaru | 3,61 | Sangat Baik\n"
            "2 | Kab. Siak | 3,02 | Baik\n")
    result = {(f.region, f.year, f.value, f.predicate)
              for f in extract(text, published=date(2024, 2, 1)).index_facts}
    assert result == {("Kota Pekanbaru", 2023, 3.61, "Sangat Baik"),
                      ("Kabupaten Siak", 2023, 3.02, "Baik")}


def test_year_value_series_each_value_takes_its_own_year():
    text = ("Kepala Dinas merinci indeks SPBE Kabupaten Pidie dari tahun ke tahun: "
            "2019 1,40; 2021 1,98; 2022 2,37.")
    assert facts(text) == {("Kabupaten Pidie", 2019, "score", 1.40, "="),
                           ("Kabupaten Pidie", 2021, "score", 1.98, "="),
                           ("Kabupaten Pidie", 2022, "score", 2.37, "=")}


def test_points_of_an_increase_are_not_a_value():
    text = ("Indeks SPBE Kabupaten Bireuen tahun 2023 mencapai 2,90. "
            "Kenaikan terbesar terjadi tahun itu, yaitu 0,38 poin.")
    assert facts(text) == {("Kabupaten Bireuen", 2023, "score", 2.90, "=")}


def test_distance_to_a_band_and_band_threshold_are_not_values():
    text = ("Indeks SPBE Kabupaten Katingan tahun 2022 tercatat 2,48. Nilai itu kurang 0,12 "
            "dari predikat baik. Ambang batas predikat baik memang di angka 2,6.")
    assert facts(text) == {("Kabupaten Katingan", 2022, "score", 2.48, "=")}


def test_average_of_local_governments_is_not_a_fact():
    text = ("Indeks SPBE Kota Bukittinggi tahun 2023 adalah 3,30. Rata-rata indeks SPBE "
            "kabupaten/kota di Sumbar, menurut dia, hanya 2,71.")
    assert facts(text) == {("Kota Bukittinggi", 2023, "score", 3.30, "=")}


def test_value_anaphora_takes_the_previous_holder():
    text = ("Jakarta - Indeks SPBE nasional tahun 2022 mencapai 2,34 menurut Badan Pusat "
            "Statistik. Angka tersebut naik dari 2,24 pada tahun 2021.")
    assert facts(text, date(2023, 4, 6)) == {("Nasional", 2022, "score", 2.34, "="),
                                             ("Nasional", 2021, "score", 2.24, "=")}


def test_bare_value_follows_the_latest_levelled_namesake():
    text = ("Indeks SPBE Kabupaten Magelang dan Kota Magelang\n\n"
            "Pemerintah Kabupaten Magelang meraih indeks 3,05 pada evaluasi 2023. "
            "Bupati Magelang menyebut capaian itu berkat kerja OPD.\n\n"
            "Wali Kota Magelang mengatakan hal serupa di Balai Kota. "
            "\"Kami meraih 3,71,\" ujarnya.")
    assert facts(text) == {("Kabupaten Magelang", 2023, "score", 3.05, "="),
                           ("Kota Magelang", 2023, "score", 3.71, "=")}


def test_bound_after_a_target_verb_is_a_target():
    text = ("Bupati menargetkan pada evaluasi yang sedang berjalan, Kabupaten Dompu "
            "setidak-tidaknya memperoleh indeks 2,4 dalam evaluasi SPBE.")
    found = {(f.region, f.kind, f.value, f.relation)
             for f in extract(text, published=date(2022, 10, 1)).index_facts}
    assert found == {("Kabupaten Dompu", "target", 2.4, ">=")}


def test_negated_predicate_is_not_attached():
    text = ("Meski belum masuk predikat baik, indeks SPBE Kabupaten Seruyan tahun 2021 "
            "tercatat 1,93.")
    result = extract(text, published=date(2022, 5, 1)).index_facts
    assert [(f.region, f.value, f.predicate) for f in result] == [
        ("Kabupaten Seruyan", 1.93, None)]


def test_compared_value_after_sudah():
    text = ("Pada evaluasi SPBE 2023 Kabupaten Lanny Jaya baru 1,30. \"Kita jangan bandingkan "
            "diri dengan Kota Sorong yang sudah 3,10,\" katanya.")
    assert facts(text) == {("Kabupaten Lanny Jaya", 2023, "score", 1.30, "="),
                           ("Kota Sorong", 2023, "score", 3.10, "=")}
