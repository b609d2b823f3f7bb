"""Reading phenomena that generalise beyond the sample articles (round 2), on sentences
written for these tests: appositives, narrative relative years, lists of institutions,
non-values, target relations and predicates stated apart from their values."""

from __future__ import annotations

from datetime import date

from spbe_extract.nlp import extract


def facts(text: str, published: date | None = date(2024, 3, 5)) -> set[tuple]:
    """(region, year, kind, value, relation) of every fact extracted from ``text``."""
    return {(f.region, f.year, f.kind, f.value, f.relation)
            for f in extract(text, published=published).index_facts}


def predicates(text: str, published: date | None = date(2024, 3, 5)) -> dict[tuple, str | None]:
    """(region, year, kind, value) -> predicate of every fact extracted from ``text``."""
    return {(f.region, f.year, f.kind, f.value): f.predicate
            for f in extract(text, published=published).index_facts}


# ---- region attribution ---------------------------------------------------------------


def test_appositive_province_after_a_kabupaten_is_only_its_location():
    text = ("Pemerintah Kabupaten Sintang, Kalimantan Barat, mencatat kenaikan indeks SPBE "
            "dari 2,14 pada 2022 menjadi 2,66 pada 2023.")
    assert facts(text) == {("Kabupaten Sintang", 2022, "score", 2.14, "="),
                           ("Kabupaten Sintang", 2023, "score", 2.66, "=")}


def test_appositive_province_with_a_kota_and_an_inferred_year():
    text = ("Pemerintah Kota Ternate, Maluku Utara, meraih indeks SPBE 2,93 dengan predikat "
            "Baik.")
    assert facts(text) == {("Kota Ternate", 2023, "score", 2.93, "=")}


def test_explicit_kabupaten_in_a_comparison_keeps_its_level():
    text = ("Kota Bukittinggi memperoleh indeks SPBE 3,12 pada evaluasi 2023, lebih tinggi "
            "dibanding Kabupaten Agam yang memperoleh 2,47.")
    assert facts(text) == {("Kota Bukittinggi", 2023, "score", 3.12, "="),
                           ("Kabupaten Agam", 2023, "score", 2.47, "=")}


def test_same_name_kota_and_kabupaten_each_hold_their_value():
    text = ("Indeks SPBE Kota Kupang pada evaluasi 2023 mencapai 2,81, dibanding Kabupaten "
            "Kupang yang memperoleh 1,97.")
    assert facts(text) == {("Kota Kupang", 2023, "score", 2.81, "="),
                           ("Kabupaten Kupang", 2023, "score", 1.97, "=")}


# ---- relative years ------------------------------------------------------------------


def test_year_before_is_relative_to_the_stated_year_of_the_previous_sentence():
    text = ("Kupang, 5 Maret 2024\n\nIndeks SPBE Kabupaten Kupang pada evaluasi 2023 tercatat "
            "2,41. Capaian itu naik dibanding tahun sebelumnya yang hanya 1,88.")
    assert facts(text) == {("Kabupaten Kupang", 2023, "score", 2.41, "="),
                           ("Kabupaten Kupang", 2022, "score", 1.88, "=")}


def test_year_before_after_a_value_in_the_same_sentence():
    text = ("Pemerintah Provinsi Riau memperoleh indeks SPBE 3,08 pada evaluasi 2023, naik "
            "dibanding tahun sebelumnya yang hanya 2,77.")
    assert facts(text) == {("Provinsi Riau", 2023, "score", 3.08, "="),
                           ("Provinsi Riau", 2022, "score", 2.77, "=")}


def test_naik_dari_pada_tahun_sebelumnya():
    text = ("Pemerintah Kota Cilegon meraih indeks SPBE tahun 2023 sebesar 3,33. "
            "Nilai itu naik dari 3,01 pada tahun sebelumnya.")
    assert facts(text, date(2024, 1, 20)) == {("Kota Cilegon", 2023, "score", 3.33, "="),
                                              ("Kota Cilegon", 2022, "score", 3.01, "=")}


# ---- lists of central institutions ---------------------------------------------------


def test_list_of_ministries_with_verbs():
    text = ("Hasil evaluasi SPBE 2023 menempatkan Kementerian Perhubungan di posisi teratas "
            "dengan indeks 4,41, disusul Badan Kepegawaian Negara dengan 4,30 dan Kementerian "
            "Sosial dengan 4,12.")
    got = facts(text)
    assert ("Kementerian Perhubungan", 2023, "score", 4.41, "=") in got
    assert ("Badan Kepegawaian Negara", 2023, "score", 4.3, "=") in got
    assert ("Kementerian Sosial", 2023, "score", 4.12, "=") in got
    assert len(got) == 3


def test_national_average_is_not_a_fact_of_the_evaluating_ministry():
    text = ("JAKARTA - Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
            "(PANRB) mengumumkan rata-rata indeks SPBE nasional tahun 2023 mencapai 2,79 dengan "
            "predikat Baik.")
    assert predicates(text) == {("Nasional", 2023, "score", 2.79): "Baik"}


# ---- not facts -----------------------------------------------------------------------


def test_band_definition_is_not_a_value():
    text = ("Indeks SPBE Kota Bitung 2023 sebesar 2,95. Sesuai peraturan, predikat Baik "
            "diberikan untuk indeks 2,6 sampai kurang dari 3,5, sedangkan Cukup untuk 1,8 "
            "sampai kurang dari 2,6.")
    assert facts(text) == {("Kota Bitung", 2023, "score", 2.95, "=")}


def test_domain_score_named_with_spbe_is_not_the_index():
    text = ("Indeks SPBE Kabupaten Tegal 2023 mencapai 2,72. \"Kami membenahi domain tata "
            "kelola SPBE yang nilainya masih 1,6,\" ujarnya.")
    assert facts(text) == {("Kabupaten Tegal", 2023, "score", 2.72, "=")}


def test_difference_noun_far_from_the_value():
    text = ("Indeks SPBE Kota Jambi 2023 mencapai 3,01 dan Kabupaten Muaro Jambi 2,64. "
            "Selisih indeks kedua daerah itu sebesar 0,37 poin.")
    assert facts(text) == {("Kota Jambi", 2023, "score", 3.01, "="),
                           ("Kabupaten Muaro Jambi", 2023, "score", 2.64, "=")}


def test_provisional_assessor_value_is_not_a_fact():
    text = ("Pemerintah Kota Batam meraih indeks SPBE 3,4 pada 2023. Berdasarkan penilaian "
            "sementara tim asesor, indeks tahun 2024 berada di kisaran 3,71.")
    assert facts(text) == {("Kota Batam", 2023, "score", 3.4, "=")}


# ---- targets -------------------------------------------------------------------------


def test_target_paling_tidak_with_verb_between():
    text = ("Ke depan, Bupati meminta seluruh OPD bekerja keras agar indeks SPBE Kabupaten "
            "Klaten paling tidak mencapai 3,2.")
    assert facts(text) == {("Kabupaten Klaten", 2024, "target", 3.2, ">=")}


def test_target_paling_tidak_in_a_quote_without_value_noun():
    text = ("Indeks SPBE dibahas. \u201cKami minta pada evaluasi 2024 paling tidak 2,8 supaya "
            "Kabupaten Dompu masuk predikat Baik,\u201d kata Wakil Bupati.")
    assert facts(text) == {("Kabupaten Dompu", 2024, "target", 2.8, ">=")}


def test_target_more_than_a_whole_number():
    text = ("Bupati mengatakan ke depan indeks SPBE Kabupaten Mimika harus lebih dari 3 agar "
            "sejajar dengan daerah lain.")
    assert facts(text) == {("Kabupaten Mimika", 2024, "target", 3.0, ">")}


def test_target_must_touch_a_number_word():
    text = ("Paling tidak indeks SPBE Kota Tegal tahun 2024 harus menyentuh angka tiga, kata "
            "Wali Kota.")
    assert facts(text) == {("Kota Tegal", 2024, "target", 3.0, ">=")}


def test_current_result_in_a_request_sentence_is_a_score():
    text = ("Wali Kota meminta seluruh OPD berbenah karena hasil evaluasi SPBE tahun 2023 "
            "menempatkan Kota Tual pada indeks 2,05 dengan predikat Cukup.")
    assert facts(text) == {("Kota Tual", 2023, "score", 2.05, "=")}


# ---- predicates ----------------------------------------------------------------------


def test_target_does_not_take_the_predicate_of_another_region():
    text = ("Pemkab menargetkan indeks SPBE Kabupaten Kendal pada evaluasi 2024 minimal 3,0 agar "
            "bisa menyusul Kota Semarang yang sudah berada pada predikat Sangat Baik.")
    assert predicates(text) == {("Kabupaten Kendal", 2024, "target", 3.0): None}


def test_all_of_them_share_a_stated_predicate():
    text = ("Pada evaluasi SPBE, Kota Pariaman memperoleh 2,44 dan Kabupaten Pesisir Selatan "
            "2,12 pada evaluasi 2023, keduanya masih berpredikat Cukup.")
    assert predicates(text) == {("Kota Pariaman", 2023, "score", 2.44): "Cukup",
                                ("Kabupaten Pesisir Selatan", 2023, "score", 2.12): "Cukup"}


def test_predicates_stated_in_the_next_sentence_by_region():
    text = ("Kota Tidore Kepulauan, Kabupaten Halmahera Barat dan Kabupaten Halmahera Timur "
            "masing-masing memperoleh indeks SPBE 2023 sebesar 2,77, 2,31 dan 2,05. "
            "Kota Tidore Kepulauan meraih predikat Baik, sedangkan Halmahera Barat dan "
            "Halmahera Timur masih berada pada predikat Cukup.")
    assert predicates(text) == {
        ("Kota Tidore Kepulauan", 2023, "score", 2.77): "Baik",
        ("Kabupaten Halmahera Barat", 2023, "score", 2.31): "Cukup",
        ("Kabupaten Halmahera Timur", 2023, "score", 2.05): "Cukup"}


def test_numbered_list_items_take_their_own_predicate():
    text = ("Hasil evaluasi SPBE 2023 di Nusa Tenggara Barat:\n"
            "1. Kota Bima: 2,71 (Baik)\n2. Kabupaten Sumbawa: 2,43 (Cukup)\n")
    assert predicates(text) == {("Kota Bima", 2023, "score", 2.71): "Baik",
                                ("Kabupaten Sumbawa", 2023, "score", 2.43): "Cukup"}


# ---- article structure ---------------------------------------------------------------


def test_dateline_place_is_not_the_holder_of_a_national_average():
    text = ("MAKASSAR, Kamis, 23 Januari 2025 | 10:00 WIB – Kementerian PANRB mengumumkan "
            "rerata indeks SPBE nasional tahun 2024 mencapai 3,04 dengan predikat Baik.")
    assert predicates(text, date(2025, 1, 23)) == {("Nasional", 2024, "score", 3.04): "Baik"}


def test_bare_baca_juga_line_marks_the_headlines_under_it():
    text = ("Pemerintah Kota Mataram meraih indeks SPBE 2023 sebesar 3,52.\n\nBaca juga:\n"
            "Indeks SPBE Lombok Barat Naik Jadi 2,91\nPemprov NTB Targetkan Indeks SPBE 3,6\n\n"
            "Wali Kota Mataram mengapresiasi seluruh OPD.")
    assert facts(text) == {("Kota Mataram", 2023, "score", 3.52, "=")}


def test_value_of_an_institution_described_by_an_aspect_in_a_relative_clause():
    text = ("Pada evaluasi SPBE 2023, Badan Pusat Statistik, yang juga dinilai pada aspek "
            "keamanan, memperoleh indeks 4,15.")
    assert facts(text) == {("Badan Pusat Statistik", 2023, "score", 4.15, "=")}


def test_a_later_mention_with_a_relation_refines_the_headline_target():
    text = ("Bupati Pasang Target Indeks SPBE Kabupaten Sidoarjo Angka Empat\n\n"
            "\"Paling tidak indeks SPBE Sidoarjo tahun 2024 harus menyentuh angka empat,\" "
            "kata Bupati.")
    assert facts(text) == {("Kabupaten Sidoarjo", 2024, "target", 4.0, ">=")}


def test_predicate_after_a_comparison_belongs_to_the_new_value():
    text = ("Indeks SPBE Kabupaten Lebak naik dari 2,48 pada 2022 menjadi 2,83 pada 2023 dan "
            "kini berpredikat Baik.")
    assert predicates(text) == {("Kabupaten Lebak", 2022, "score", 2.48): None,
                                ("Kabupaten Lebak", 2023, "score", 2.83): "Baik"}


# ---- officials' organisations ------------------------------------------------------


def officials(text: str) -> dict[str, tuple]:
    return {o.name: (o.position, o.organization, o.region)
            for o in extract(text, published=date(2024, 3, 5)).officials}


def test_assistant_of_the_regional_secretariat_and_a_written_out_agency():
    text = ("Rapat SPBE dibuka Asisten Perekonomian Setda Kabupaten Blora, Drs. Hari Santosa, "
            "M.Si. Kepala Badan Perencanaan Pembangunan Daerah (Bappeda) Kabupaten Blora, "
            "Ir. Wening Pratiwi, menambahkan penjelasan.")
    got = officials(text)
    assert got["Hari Santosa"] == ("Asisten", "Sekretariat Daerah", "Kabupaten Blora")
    assert got["Wening Pratiwi"][1] == "Badan Perencanaan Pembangunan Daerah"


def test_deputy_of_a_ministry_and_a_ministry_unit():
    text = ("Deputi Bidang Pelayanan Publik Kementerian PANRB, Agus Wirawan, hadir di rapat SPBE. "
            "Kepala Pusat Data dan Informasi Kemenkeu, Lina Marlina, menjelaskan.")
    got = officials(text)
    assert got["Agus Wirawan"][1] == (
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi")
    assert got["Lina Marlina"][1] == "Pusat Data dan Informasi"
