"""Index facts per phenomenon, on Indonesian sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from spbe_extract.nlp import extract


def facts(text: str, published: date | None = date(2024, 3, 5)) -> set[tuple]:
    """(region, year, kind, value, relation) of every fact extracted from ``text``."""
    return {(f.region, f.year, f.kind, f.value, f.relation)
            for f in extract(text, published=published).index_facts}


def test_single_score_with_year_and_predicate():
    text = ("Pemerintah Kabupaten Sleman meraih indeks SPBE 3,61 dengan predikat Sangat Baik "
            "pada evaluasi tahun 2023.")
    result = extract(text, published=date(2024, 2, 1)).index_facts
    assert [(f.region, f.region_code, f.year, f.value, f.predicate) for f in result] == [
        ("Kabupaten Sleman", "34.04", 2023, 3.61, "Sangat Baik")]
    assert result[0].evidence.sentence == text
    assert (result[0].evidence.start, result[0].evidence.end) == (0, len(text))


def test_decimal_point_and_comma_are_both_decimals():
    text = "Indeks SPBE Kota Bitung tahun 2022 tercatat 2.85, sedangkan Kota Manado 3,05."
    assert facts(text) == {("Kota Bitung", 2022, "score", 2.85, "="),
                           ("Kota Manado", 2022, "score", 3.05, "=")}


def test_list_of_regions_each_with_its_value():
    text = ("Hasil evaluasi SPBE 2023 di Provinsi Jambi: Kabupaten Kerinci 2,95, Kabupaten "
            "Merangin 2,88 dan Kota Sungai Penuh 2,59.")
    assert facts(text) == {("Kabupaten Kerinci", 2023, "score", 2.95, "="),
                           ("Kabupaten Merangin", 2023, "score", 2.88, "="),
                           ("Kota Sungai Penuh", 2023, "score", 2.59, "=")}


def test_numbered_list_items_are_not_broken_at_the_item_number():
    text = ("Lima besar indeks SPBE tahun 2022 tingkat kota:\n"
            "1. Kota Semarang dengan indeks 4,12\n"
            "2. Kota Madiun dengan indeks 3,98\n")
    assert facts(text) == {("Kota Semarang", 2022, "score", 4.12, "="),
                           ("Kota Madiun", 2022, "score", 3.98, "=")}


def test_masing_masing_pairs_regions_and_values_in_order():
    text = ("Pada evaluasi SPBE 2023, Kabupaten Bantul dan Kabupaten Kulon Progo masing-masing "
            "memperoleh indeks 3,40 dan 3,12.")
    assert facts(text) == {("Kabupaten Bantul", 2023, "score", 3.4, "="),
                           ("Kabupaten Kulon Progo", 2023, "score", 3.12, "=")}


def test_ranking_sentence_with_ordinals():
    text = ("Peringkat pertama diraih Provinsi Bali dengan indeks 3,95 predikat Sangat Baik; "
            "peringkat kedua, Provinsi Jawa Tengah dengan indeks 3,81 predikat Sangat Baik "
            "pada evaluasi SPBE 2022.")
    assert facts(text) == {("Provinsi Bali", 2022, "score", 3.95, "="),
                           ("Provinsi Jawa Tengah", 2022, "score", 3.81, "=")}


def test_comparison_yields_both_years():
    text = "Indeks SPBE Kota Palu naik dari 2,48 pada 2022 menjadi 3,22 pada 2023."
    assert facts(text) == {("Kota Palu", 2022, "score", 2.48, "="),
                           ("Kota Palu", 2023, "score", 3.22, "=")}


def test_difference_is_not_a_value():
    text = ("Indeks SPBE Kabupaten Pati tahun 2023 mencapai 2,71, naik 0,16 poin dibanding "
            "tahun sebelumnya, dengan kenaikan sebesar 0,2 poin pada aspek layanan.")
    assert facts(text) == {("Kabupaten Pati", 2023, "score", 2.71, "=")}


def test_target_with_relation_above():
    text = "Pemprov Sulawesi Barat menargetkan indeks SPBE tahun 2025 berada di atas 3,0."
    assert facts(text) == {("Provinsi Sulawesi Barat", 2025, "target", 3.0, ">")}


def test_target_number_words_and_more():
    text = ("Wali Kota Ambon berharap indeks SPBE Kota Ambon menyentuh angka tiga dan lebih "
            "pada 2024.")
    assert facts(text) == {("Kota Ambon", 2024, "target", 3.0, ">=")}


def test_number_words_with_decimal():
    text = "Bupati Sumba Timur menargetkan indeks SPBE 2024 mencapai tiga koma lima."
    assert facts(text) == {("Kabupaten Sumba Timur", 2024, "target", 3.5, "=")}


def test_vague_number_words_give_nothing():
    text = "Pada 2023 Kota Kendari berhasil mencapai skor SPBE di atas tiga koma."
    assert facts(text) == set()


def test_minimal_is_at_least():
    text = "Sekda Kabupaten Lombok Timur meminta indeks SPBE 2024 minimal 2,6 atau predikat Baik."
    assert facts(text) == {("Kabupaten Lombok Timur", 2024, "target", 2.6, ">=")}


def test_threshold_in_a_count_sentence_is_not_a_value():
    text = "Baru 30% kabupaten di Provinsi Papua yang indeks SPBE-nya di atas 2,6."
    assert facts(text) == set()


def test_band_and_scale_bounds_are_not_values():
    text = ("Predikat Baik diberikan untuk indeks SPBE 2,6 sampai 3,5, dari skala 1-5, "
            "sedangkan nilai maksimal 5.")
    assert facts(text) == set()


def test_other_indices_are_not_spbe():
    text = ("Selain indeks SPBE, Kota Kediri meraih Indeks Kepuasan Masyarakat 3,48 dan "
            "Indeks Pelayanan Publik 4,02 pada 2023.")
    assert facts(text) == set()


def test_other_index_next_to_spbe_value_in_one_sentence():
    text = ("Indeks SPBE Kota Blitar tahun 2023 sebesar 3,30, sementara indeks smart city "
            "mencapai 3,10.")
    assert facts(text) == {("Kota Blitar", 2023, "score", 3.3, "=")}


def test_article_without_spbe_yields_nothing():
    text = ("Indeks Pembangunan Statistik Kota Binjai tahun 2024 naik menjadi 2,94 dengan "
            "predikat Baik.")
    assert facts(text) == set()


def test_provisional_self_assessment_is_skipped():
    text = "Berdasarkan penilaian mandiri, indeks SPBE Kabupaten Gowa tahun 2024 sekitar 3,4."
    assert facts(text) == set()


def test_counts_ranks_percentages_and_money_are_not_values():
    text = ("Kabupaten Bone meraih peringkat 3 dari 24 daerah dalam evaluasi SPBE 2023 dengan "
            "4 domain, realisasi anggaran 2,5 miliar dan serapan 3,5 persen.")
    assert facts(text) == set()


def test_regulation_years_are_not_evaluation_years():
    text = ("Berdasarkan Keputusan Menteri PANRB Nomor 13 Tahun 2024, Kabupaten Klaten memperoleh "
            "indeks SPBE 3,05.")
    assert facts(text, published=date(2024, 2, 1)) == {
        ("Kabupaten Klaten", 2023, "score", 3.05, "=")}


def test_relative_year_against_article_date():
    text = "Tahun lalu indeks SPBE Kabupaten Magelang berada pada angka 2,77."
    assert facts(text, published=date(2024, 6, 1)) == {
        ("Kabupaten Magelang", 2023, "score", 2.77, "=")}


def test_relative_year_against_stated_year():
    text = ("Pada 2023 indeks SPBE Kota Kupang naik menjadi 2,66, dibanding tahun sebelumnya "
            "yang masih 1,98.")
    assert facts(text) == {("Kota Kupang", 2023, "score", 2.66, "="),
                           ("Kota Kupang", 2022, "score", 1.98, "=")}


def test_score_without_year_is_inferred_from_article_date():
    result = extract("Saat ini indeks SPBE Kabupaten Sinjai baru 1,93.",
                     published=date(2024, 10, 31)).index_facts
    assert [(f.year, f.year_inferred) for f in result] == [(2023, True)]


def test_target_without_year_is_next_evaluation():
    result = extract("Ke depan, Pemkab Sinjai menargetkan indeks SPBE 2,60.",
                     published=date(2024, 10, 31)).index_facts
    assert [(f.kind, f.year, f.year_inferred) for f in result] == [("target", 2024, True)]


def test_future_year_makes_a_target():
    text = "Pada tahun 2026 indeks SPBE Kabupaten Takalar diharapkan naik menjadi 3,10."
    assert facts(text, published=date(2025, 5, 1)) == {
        ("Kabupaten Takalar", 2026, "target", 3.1, "=")}


def test_central_institutions_and_national_average():
    text = ("Pada evaluasi SPBE 2021, Kementerian Keuangan memperoleh indeks 3,72, sedangkan "
            "rata-rata nasional sebesar 2,24.")
    result = extract(text, published=date(2022, 5, 1)).index_facts
    assert {(f.region, f.region_code, f.value) for f in result} == {
        ("Kementerian Keuangan", None, 3.72), ("Nasional", None, 2.24)}


def test_unknown_central_agency_keeps_its_written_name():
    text = "Dalam evaluasi SPBE 2022, Badan Narkotika Nasional meraih indeks 3,15."
    assert facts(text) == {("Badan Narkotika Nasional", 2022, "score", 3.15, "=")}


def test_compared_region_is_not_the_holder():
    text = ("Pemprov Sulawesi Tenggara berada di bawah Pemprov Sulawesi Selatan dengan indeks "
            "SPBE 2,47 pada 2022.")
    assert facts(text) == {("Provinsi Sulawesi Tenggara", 2022, "score", 2.47, "=")}


def test_locative_region_is_not_the_holder():
    text = ("Pemerintah Kabupaten Agam meraih peringkat dua di Sumatera Barat pada evaluasi SPBE "
            "tahun 2022 dengan poin 3,30.")
    assert facts(text) == {("Kabupaten Agam", 2022, "score", 3.3, "=")}


def test_shared_name_resolved_from_other_mentions():
    text = ("Pemerintah Kota Gorontalo menggelar rapat SPBE.\n"
            "Pada 2022 indeks SPBE Gorontalo tercatat 2,59.")
    assert facts(text) == {("Kota Gorontalo", 2022, "score", 2.59, "=")}


def test_home_region_for_a_value_without_region():
    text = ("Pemkab Wonosobo terus membenahi SPBE.\n"
            "Menurut Kepala Dinas, nilai indeks SPBE pada 2023 mencapai 2,80.")
    assert facts(text) == {("Kabupaten Wonosobo", 2023, "score", 2.8, "=")}


def test_related_article_list_yields_nothing():
    text = ("Pemkot Madiun menggelar sosialisasi SPBE.\n"
            "Baca juga: Indeks SPBE Kota Blitar 2023 capai 3,90\n"
            "Berita Terkait\n"
            "Indeks SPBE Kabupaten Ngawi Naik Jadi 2,75\n")
    assert facts(text) == set()


def test_repeated_article_text_gives_one_fact():
    paragraph = "Indeks SPBE Kabupaten Jepara tahun 2023 mencapai 3,14 dengan predikat Baik."
    result = extract(f"{paragraph}\n{paragraph}\n", published=date(2024, 3, 1)).index_facts
    assert len(result) == 1


def test_predicate_contradicting_band_is_flagged_not_dropped():
    text = "Indeks SPBE Kabupaten Nias tahun 2023 sebesar 1,40 dengan predikat Baik."
    result = extract(text, published=date(2024, 3, 1)).index_facts
    assert len(result) == 1
    assert "predicate_contradicts_band" in result[0].flags
    assert result[0].confidence < 0.9


def test_year_without_evaluation_is_flagged():
    text = "Indeks SPBE Kabupaten Alor tahun 2020 tercatat 1,75."
    result = extract(text, published=date(2021, 3, 1)).index_facts
    assert [f.flags for f in result] == [["no_evaluation_in_year"]]


def test_exceeded_target_belongs_to_the_year_of_the_result():
    text = ("Tahun 2023 indeks SPBE Kabupaten Pesisir Barat mencapai 2,91.\n"
            "Capaian itu melampaui target RPJMD yang dipatok pada poin 2,41.")
    result = extract(text, published=date(2024, 1, 20)).index_facts
    assert {(f.kind, f.year, f.value) for f in result} == {("score", 2023, 2.91),
                                                            ("target", 2023, 2.41)}


@pytest.mark.parametrize("sentence", [
    "Era Revolusi Industri 4.0 menuntut SPBE yang matang di Kabupaten Purworejo.",
    "Rapat SPBE Kabupaten Purworejo dimulai pukul 09.30 WIB.",
    "Kabupaten Purworejo memenuhi 47 indikator SPBE pada level 1 sampai level 5.",
])
def test_numbers_that_are_not_index_values(sentence: str):
    assert facts(sentence) == set()


def test_name_shared_by_two_governments_in_the_article_gives_nothing():
    text = ("Indeks SPBE 2023: Kabupaten Bekasi 3,62 dan Kota Bekasi 3,58.\n"
            "Kenaikan tertinggi dicatat Bekasi, yakni dari 1,95 menjadi 3,62.")
    assert facts(text) == {("Kabupaten Bekasi", 2023, "score", 3.62, "="),
                           ("Kota Bekasi", 2023, "score", 3.58, "=")}


def test_compared_region_with_relative_clause_holds_its_value():
    text = ("Pada evaluasi SPBE 2023, Kabupaten Balangan berada di bawah Kabupaten Tabalong yang "
            "meraih 3,15.")
    assert facts(text) == {("Kabupaten Tabalong", 2023, "score", 3.15, "=")}


def test_comparison_with_one_stated_year_dates_the_old_value_before_it():
    text = "Pada evaluasi SPBE 2023, indeks Kabupaten Bantul naik dari 2,95 menjadi 3,40."
    result = extract(text, published=date(2024, 3, 1)).index_facts
    assert {(f.year, f.value, f.year_inferred) for f in result} == {(2022, 2.95, True),
                                                                    (2023, 3.4, False)}


def test_current_value_is_the_latest_published_not_a_year_named_later():
    text = ("Kadis Kominfo Buton mengatakan saat ini indeks SPBE Kabupaten Buton masih 2,34.\n"
            "Pada evaluasi 2021, Kabupaten Buton hanya memperoleh 1,89.")
    result = extract(text, published=date(2024, 5, 14)).index_facts
    assert {(f.year, f.value, f.year_inferred) for f in result} == {(2023, 2.34, True),
                                                                    (2021, 1.89, False)}


NATIONAL_RELEASE = """Menpan RB Umumkan Indeks SPBE 2022, Rata-rata Nasional 2,34
Jakarta (ANTARA) - Kementerian PANRB mengumumkan hasil evaluasi SPBE tahun 2022 terhadap 576 \
instansi pemerintah. Indeks SPBE nasional mencapai 2,34 dengan predikat Cukup, naik dari 2,24 \
pada 2021.
Dari instansi pusat, Kementerian Keuangan menempati posisi teratas dengan indeks 4,21, disusul \
Kementerian Kesehatan 3,98 dan Badan Siber dan Sandi Negara 3,87.
Untuk pemerintah daerah, Pemprov Jawa Barat meraih 3,89, sedangkan Pemkot Semarang 4,08.
Sebanyak 36 instansi masih berpredikat kurang dengan nilai di bawah 1,8.
Baca juga: Indeks SPBE Kabupaten Kendal 2022 capai 3,01
Menteri PANRB berharap pada 2024 indeks SPBE nasional bisa mencapai 2,6 sesuai target RPJMN.
"""


def test_a_whole_national_release():
    result = extract(NATIONAL_RELEASE).index_facts
    assert {(f.region, f.year, f.kind, f.value) for f in result} == {
        ("Nasional", 2022, "score", 2.34), ("Nasional", 2021, "score", 2.24),
        ("Kementerian Keuangan", 2022, "score", 4.21),
        ("Kementerian Kesehatan", 2022, "score", 3.98),
        ("Badan Siber dan Sandi Negara", 2022, "score", 3.87),
        ("Provinsi Jawa Barat", 2022, "score", 3.89), ("Kota Semarang", 2022, "score", 4.08),
        ("Nasional", 2024, "target", 2.6)}
    first = next(f for f in result if f.value == 2.34)
    assert first.predicate == "Cukup"
    assert NATIONAL_RELEASE[first.evidence.start : first.evidence.end] == first.evidence.sentence


@pytest.mark.parametrize(("named_last", "expected"), [
    ("Indeks Kepuasan Masyarakat", set()),
    ("SPBE", {("Kota Kediri", 2023, "score", 3.48, "=")}),
])
def test_value_without_index_name_belongs_to_the_index_named_last(named_last: str,
                                                                   expected: set[tuple]):
    other = "Indeks Kepuasan Masyarakat" if named_last == "SPBE" else "SPBE"
    text = (f"Kota Kediri menerima hasil evaluasi {other} tahun 2023. "
            f"Hasil evaluasi {named_last} Kota Kediri juga sudah keluar. "
            "Penyerahan berlangsung di Surabaya. Kota Kediri meraih nilai 3,48 pada 2023.")
    assert facts(text) == expected


def test_value_without_year_takes_the_last_stated_year_before_the_articles_context():
    text = ("Hasil evaluasi SPBE tahun 2021 dibahas dalam rapat. Indeks SPBE Kota Madiun tahun "
            "2023 sebesar 3,10. Adapun Kabupaten Madiun memperoleh indeks 2,80.")
    assert facts(text) == {("Kota Madiun", 2023, "score", 3.1, "="),
                           ("Kabupaten Madiun", 2023, "score", 2.8, "=")}
    alone = "Hasil evaluasi SPBE tahun 2021 dibahas. Kabupaten Madiun memperoleh indeks SPBE 2,80."
    assert facts(alone) == {("Kabupaten Madiun", 2021, "score", 2.8, "=")}


def test_undated_article_infers_the_year_from_its_latest_date():
    result = extract("Rapat digelar Senin (4/3/2024). Saat ini indeks SPBE Kabupaten Sinjai "
                     "baru 1,93.").index_facts
    assert [(f.region, f.year, f.year_inferred) for f in result] == [
        ("Kabupaten Sinjai", 2023, True)]
