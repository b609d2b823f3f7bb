"""The officials extractor, one phenomenon per test, on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from spbe_extract.model import Official
from spbe_extract.nlp.officials import find_officials
from spbe_extract.nlp.officials_lexicon import lexicon
from spbe_extract.nlp.officials_phrase import may_name_title, title_lines
from spbe_extract.nlp.officials_text import lines_of


@pytest.fixture(scope="module")
def nlp() -> Language:
    blank = spacy.blank("id")
    blank.add_pipe("sentencizer")
    return blank


def officials(nlp: Language, text: str, home: str | None = None) -> list[Official]:
    return find_officials(nlp(text), home_region=home)


def only(nlp: Language, text: str, home: str | None = None) -> Official:
    found = officials(nlp, text, home)
    assert len(found) == 1, [o.name for o in found]
    return found[0]


# ---- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kepala Dinas Kominfo Kota Palu, Hj. Siti Nurjanah Lamato, SE.MM membuka acara.",
         "Siti Nurjanah Lamato"),
        ("Menurut Kepala Diskominfo Kota Bitung, Yopie Tangkilisan SE MM, rapat digelar.",
         "Yopie Tangkilisan"),
        ("Acara dibuka Kepala Dinas Kominfo Provinsi Bali Drs. Gede Pramana.", "Gede Pramana"),
        ("Bupati Sigi, Ir. H. Rahman Lapatta, M.Si., S.Kom., hadir di lokasi.", "Rahman Lapatta"),
        ("Pj Gubernur Sulteng, Brigjen TNI (Purn) Anwar Hafid, membuka rakor.", "Anwar Hafid"),
    ],
)
def test_honorifics_degrees_and_ranks_are_not_part_of_the_name(
    nlp: Language, text: str, name: str
) -> None:
    assert only(nlp, text).name == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kadis Kominfo Kaltim, Hasan R.A. Tamrin, mengatakan hal itu.", "Hasan R.A. Tamrin"),
        ("Sekda Kota Palu, Irwan M. Lahace, membuka kegiatan.", "Irwan M. Lahace"),
        ("Inspektur Kota Palu Moh. Nur Syamsu menyampaikan materi.", "Moh. Nur Syamsu"),
        ("Wali Kota Ternate M Tauhid Soleman meninjau lokasi.", "M Tauhid Soleman"),
    ],
)
def test_initials_and_abbreviated_given_names_stay_in_the_name(
    nlp: Language, text: str, name: str
) -> None:
    assert only(nlp, text).name == name


# ---- positions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("Sekdaprov Gorontalo Budi Hartono membuka rapat.", "Sekretaris Daerah"),
        ("Sekkot Palu Irwan Lahace membuka rapat.", "Sekretaris Daerah"),
        ("Kadis Kominfo Sigi Ahmad Fauzi membuka rapat.", "Kepala Dinas"),
        ("Kabid Aptika Diskominfo Sigi Rahmat Hidayat membuka rapat.", "Kepala Bidang"),
        ("Walkot Palu Hadi Rasyid membuka rapat.", "Wali Kota"),
        ("Wabup Sigi Samuel Pongi membuka rapat.", "Wakil Bupati"),
        ("Wagub Sulteng Reny Lamadjido membuka rapat.", "Wakil Gubernur"),
        ("Sekretaris Diskominfo Sigi Nur Aisyah membuka rapat.", "Sekretaris Dinas"),
        ("Kadiskominfo Sigi Ahmad Fauzi membuka rapat.", "Kepala Dinas"),
        ("Kepala Bappeda Sigi Andi Mappa membuka rapat.", "Kepala Badan"),
        ("Camat Palu Barat, Andi Yusuf, membuka rapat.", "Camat"),
        ("Ketua DPRD Sulteng Nilam Lawira membuka rapat.", "Ketua DPRD"),
    ],
)
def test_abbreviated_titles_map_to_the_spec_positions(
    nlp: Language, text: str, position: str
) -> None:
    assert only(nlp, text, home="Kabupaten Sigi").position == position


def test_an_office_outside_the_list_is_lainnya(nlp: Language) -> None:
    text = ("Ketua Subkelompok Evaluasi Bidang Tata Kelola Diskominfo Kota Palu, "
            "Dewi Anggraini, memandu diskusi.")
    found = only(nlp, text)
    assert (found.position, found.organization) == ("Lainnya", "Dinas Komunikasi dan Informatika")
    assert found.region == "Kota Palu"


@pytest.mark.parametrize(
    ("text", "acting"),
    [
        ("Plt. Kadis Kominfo Sigi Andi Rahma membuka rapat.", "Plt"),
        ("Pelaksana Tugas (Plt) Kepala Bappeda Sigi, Andi Rahma, membuka rapat.", "Plt"),
        ("Pj Wali Kota Palu Andi Rahma membuka rapat.", "Pj"),
        ("Penjabat Bupati Sigi Andi Rahma membuka rapat.", "Pj"),
        ("Plh Sekda Sigi Andi Rahma membuka rapat.", "Plh"),
        ("Sekda Sigi Andi Rahma membuka rapat.", None),
    ],
)
def test_acting_officials(nlp: Language, text: str, acting: str | None) -> None:
    assert only(nlp, text, home="Kabupaten Sigi").acting == acting


# ---- organisation and region ---------------------------------------------------------------


def test_unit_abbreviations_are_written_out(nlp: Language) -> None:
    found = only(nlp, "Kadis Kominfotik Provinsi Gorontalo, Hamka Dali, membuka rapat.")
    assert found.organization == "Dinas Komunikasi, Informatika, dan Statistik"
    assert found.region == "Provinsi Gorontalo"
    selayar = only(nlp, "Plt Kadis Kominfo SP Kabupaten Bone, Andi Tenri, membuka rapat.")
    assert selayar.organization == "Dinas Komunikasi, Informatika, Statistik dan Persandian"


def test_a_written_out_unit_is_split_from_its_region(nlp: Language) -> None:
    text = ("Kepala Dinas Komunikasi, Informatika, dan Persandian Provinsi Maluku Utara, "
            "Rudi Salim, mengatakan hal itu.")
    found = only(nlp, text)
    assert found.organization == "Dinas Komunikasi, Informatika, dan Persandian"
    assert found.region == "Provinsi Maluku Utara"


def test_a_unit_the_article_defines_itself_is_written_as_defined(nlp: Language) -> None:
    text = ("Dinas Komunikasi dan Persandian (Diskominfo) Kabupaten Sigi menggelar rapat.\n"
            "Sekretaris Diskominfo Sigi Nur Aisyah membuka rapat itu.")
    assert only(nlp, text).organization == "Dinas Komunikasi dan Persandian"


def test_a_bidang_head_gets_the_bidang_as_unit(nlp: Language) -> None:
    text = ("Kepala Bidang (Kabid) Persandian dan Statistik Dinas Kominfo Kota Palu "
            "Ahmad Rizal menjelaskan hal itu.")
    found = only(nlp, text)
    assert found.position == "Kepala Bidang"
    assert found.organization == "Bidang Persandian dan Statistik"
    assert found.region == "Kota Palu"


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Wali Kota Gorontalo Adhan Dambea membuka rapat.", "Kota Gorontalo"),
        ("Gubernur Gorontalo Rusli Habibie membuka rapat.", "Provinsi Gorontalo"),
        ("Bupati Gorontalo Nelson Pomalingo membuka rapat.", "Kabupaten Gorontalo"),
        ("Sekda Kota Gorontalo Ismail Mahmud membuka rapat.", "Kota Gorontalo"),
        ("Kepala Dinas Kominfo Kaltim, Faisal Rahman, membuka rapat.", "Provinsi Kalimantan Timur"),
    ],
)
def test_region_from_the_title_phrase_at_the_titles_level(
    nlp: Language, text: str, region: str
) -> None:
    assert only(nlp, text, home="Kota Palu").region == region


def test_local_office_without_region_serves_the_home_region(nlp: Language) -> None:
    text = "Kabid Aptika Andi Citra membuka bimtek itu."
    assert only(nlp, text, home="Kabupaten Kepulauan Selayar").region == (
        "Kabupaten Kepulauan Selayar")
    assert only(nlp, text).region is None


def test_a_governor_of_a_kota_article_serves_its_province(nlp: Language) -> None:
    assert only(nlp, "Gubernur Hamdan Saleh hadir.", home="Kota Palu").region == (
        "Provinsi Sulawesi Tengah")


def test_central_officials_have_no_region_and_their_ministry(nlp: Language) -> None:
    found = officials(nlp, "Menteri PAN-RB, Budi Santoso, menyerahkan penghargaan kepada "
                           "Wali Kota Palu Hadi Rasyid.", home="Kota Palu")
    minister, mayor = found
    assert (minister.position, minister.region) == ("Menteri", None)
    assert minister.organization == (
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi")
    assert (mayor.position, mayor.region) == ("Wali Kota", "Kota Palu")
    other = only(nlp, "Menteri Komunikasi dan Informatika Andi Lukman mengatakan hal itu.")
    assert other.organization == "Kementerian Komunikasi dan Informatika"
    assert only(nlp, "Hal itu arahan Presiden Joko Susilo.").position == "Presiden"


def test_a_unit_named_with_its_region_elsewhere_gives_the_region(nlp: Language) -> None:
    text = ("Tim Diskominfosan Provinsi Maluku Utara berkunjung ke Kota Palu.\n"
            "Kadis Kominfosan, Rudi Salim, menjelaskan tujuan kunjungan.")
    assert only(nlp, text, home="Kota Palu").region == "Provinsi Maluku Utara"


def test_a_deputy_takes_the_region_named_earlier_in_the_sentence(nlp: Language) -> None:
    text = "Wali Kota Palu Hadi Rasyid bersama Wakil Wali Kota Reni Lamadjido meninjau lokasi."
    mayor, deputy = officials(nlp, text, home="Kabupaten Sigi")
    assert (deputy.name, deputy.position, deputy.region) == (
        "Reni Lamadjido", "Wakil Wali Kota", "Kota Palu")


def test_wakilnya_names_the_deputy_of_the_head_before(nlp: Language) -> None:
    text = "Program itu prioritas Bupati Sigi Rahman Lapatta dan Wakilnya Samuel Pongi."
    head, deputy = officials(nlp, text)
    assert (head.name, head.position) == ("Rahman Lapatta", "Bupati")
    assert (deputy.name, deputy.position, deputy.region) == (
        "Samuel Pongi", "Wakil Bupati", "Kabupaten Sigi")


# ---- patterns and folding -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sekda Kota Palu, Irwan Lahace, membuka rapat.",
        "Irwan Lahace, Sekda Kota Palu, membuka rapat.",
        "Rapat dibuka Irwan Lahace selaku Sekda Kota Palu.",
        '"Kita siap," kata Sekda Kota Palu Irwan Lahace.',
    ],
)
def test_name_before_or_after_the_title(nlp: Language, text: str) -> None:
    found = only(nlp, text)
    assert (found.name, found.position, found.region) == (
        "Irwan Lahace", "Sekretaris Daerah", "Kota Palu")


def test_short_mentions_fold_into_one_record_with_the_fullest_name(nlp: Language) -> None:
    text = ("Sekda Sigi Sri Hartati Mokoginta membuka rapat. Menurut Sekda Sri, indeks naik. "
            '"Kami siap," kata Sri. Sekda Hartati Mokoginta juga meminta OPD berbenah.')
    found = only(nlp, text)
    assert found.name == "Sri Hartati Mokoginta"


def test_a_caption_initial_extends_the_body_name(nlp: Language) -> None:
    text = ("Pj Wali Kota Palu M Yusuf Tamrin\n\n"
            "Pj Wali Kota Yusuf Tamrin menyambut baik hasil evaluasi itu.")
    found = only(nlp, text, home="Kota Palu")
    assert (found.name, found.acting, found.region) == ("M Yusuf Tamrin", "Pj", "Kota Palu")


def test_two_people_stay_two_records(nlp: Language) -> None:
    text = ("Kadis Kominfo Sigi Andi Rahma dan Kabid Aptika Andi Yusuf hadir. "
            "Menurut Andi Rahma, evaluasi berjalan baik.")
    assert [o.name for o in officials(nlp, text)] == ["Andi Rahma", "Andi Yusuf"]


# ---- what is not an official --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Pewarta: Andi Saputra\nEditor: Budi Hartono\nRedaktur: Siti Rahma",
        "Baca juga: Wali Kota Palu Hadi Rasyid resmikan mal pelayanan publik",
        "Ketua Panitia Rakor, Dewi Lestari, melaporkan jumlah peserta.",
        "Ketua Tim Penggerak PKK Kota Palu, Ny. Rina Rasyid, hadir.",
        '"Kami siap," kata Rifai Lamato.',
        "Hal itu diatur Keputusan Menteri PANRB Nomor 13 Tahun 2024.",
        "SPBE Sulteng Naik Tajam, Gubernur Beri Apresiasi",
        "Sementara itu, Kepala Dinas Kominfo mengatakan hal serupa.",
        "Ujar Gubernur, Jumat (9/1/2026), di Palu.",
        "Menurut Ketua Tim Koordinasi SPBE Kabupaten Sigi, indeks terus naik.",
        "Direktur PT Telkom Indonesia, Budi Hartono, hadir.",
        "Rapat digelar di Ruang Rapat Bupati Sigi, Lantai II.",
        "Acara berlangsung di Rumah Dinas Wali Kota Palu, Senin (13/5/2024).",
        "Turnamen Piala Gubernur Sulteng resmi dibuka.",
    ],
)
def test_not_officials(nlp: Language, text: str) -> None:
    assert officials(nlp, text, home="Kota Palu") == []


def test_boilerplate_spans_from_the_pipeline_are_skipped(nlp: Language) -> None:
    text = "Gubernur Sulteng Anwar Hafid membuka rakor.\nBupati Sigi Rahman Lapatta hadir."
    doc = nlp(text)
    second = text.index("Bupati")
    doc.spans["boilerplate"] = [doc.char_span(second, len(text), alignment_mode="expand")]
    assert [o.name for o in find_officials(doc)] == ["Anwar Hafid"]


# ---- evidence and entities ----------------------------------------------------------------


def test_evidence_is_the_sentence_and_its_span_in_the_text(nlp: Language) -> None:
    text = "Indeks naik. Kadis Kominfo Sigi Ahmad Fauzi menjelaskan hal itu. Rapat selesai."
    evidence = only(nlp, text).evidence
    assert evidence.sentence == "Kadis Kominfo Sigi Ahmad Fauzi menjelaskan hal itu."
    assert text[evidence.start : evidence.end] == evidence.sentence


def test_a_person_entity_trims_the_name(nlp: Language) -> None:
    text = "Kabid Aplikasi Diskominfo Sigi Rahmat Hidayat Basri membuka bimtek."
    doc: Doc = nlp(text)
    start = text.index("Rahmat")
    end = text.index(" Basri")
    doc.ents = [Span(doc, doc.char_span(start, end).start, doc.char_span(start, end).end, "PER")]
    assert [o.name for o in find_officials(doc)] == ["Rahmat Hidayat"]
    assert [o.name for o in find_officials(nlp(text))] == ["Rahmat Hidayat Basri"]


# ---- the reader's shortcuts give what the full reading gives -------------------------------


def test_a_unit_far_back_in_a_long_line_still_gives_its_region(nlp: Language) -> None:
    # the words before a region mention are read from a short window, widened as needed
    text = ("Rombongan Tim Dinas Komunikasi, Informatika, Statistik dan Persandian "
            "Provinsi Maluku Utara berkunjung ke Sigi.\n"
            "Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian, Rudi Salim, "
            "menjelaskan tujuan kunjungan.")
    found = only(nlp, text, home="Kabupaten Sigi")
    assert found.organization == "Dinas Komunikasi, Informatika, Statistik dan Persandian"
    assert found.region == "Provinsi Maluku Utara"


@pytest.mark.parametrize(
    "line",
    [
        "Rapat dibuka pukul 09.00 di aula kantor.",
        "Hadir Kadis Kominfo Sigi dan jajaran.",
        "x-.Bupati Sigi hadir.",  # a word after '-.' is not a capitalised word of the line
        "Bu_pati Sigi hadir.",
        "Kabupaten Sigi menggelar rapat.",
        "Kadiskominfo Sigi hadir.",
        "Walikota Sigi hadir; Ş tidak.",  # a letter beyond ASCII: another word pattern
        "KEPALA DINAS KOMINFO hadir.",
    ],
)
def test_title_lines_agrees_with_the_line_test(line: str) -> None:
    lex = lexicon()
    text = f"Paragraf pembuka tanpa jabatan.\n{line}\n\nPenutup."
    lines = lines_of(text, lex.splitter)
    expected = [ln for ln in lines if may_name_title(ln.raw, lex, {})]
    assert title_lines(text, lines, lex, {}) == expected


def test_words_before_a_point_match_the_whole_line_split() -> None:
    lex = lexicon()
    raw = "Kata Drs. Budi-x.Sigi (Diskominfo),  R.A. Kadis\tKominfo Kabupaten Sigi."
    whole = lex.splitter.split(raw, 10)
    for end in range(10, 10 + len(raw) + 1):
        expected = [w for w, e in zip(whole[0], whole[2], strict=True) if e <= end]
        for width in (0, 4, 16, 200):
            words, complete = lines_of(raw, lex.splitter)[0].words_before(end - 10, width)
            assert words == expected[len(expected) - len(words) :]
            if complete:
                assert words == expected
