"""Boilerplate spans (spbe_extract.nlp.boilerplate) on texts written for these tests."""

from __future__ import annotations

from spbe_extract.nlp.boilerplate import find_boilerplate

ARTICLE = """Pemkab Sidrap Gelar Bimtek SPBE

Oleh Humas Sidrap, Senin, 4 Maret 2024 | 10:00 WITA - Redaktur: Andi

Sidrap - Pemkab Sidrap gelar bimtek SPBE. Baca juga: Bupati resmikan pasar Kata dia, dua hari.
Oleh karena itu, semua OPD diminta hadir.
Baca juga: Indeks SPBE Pinrang naik
Pewarta: Rahmat
COPYRIGHT © Contoh News 2024

Berita Terkait
  • Kamis, 1 Februari 2024 | 09:00 WIB
Pemkot Parepare Raih Indeks SPBE 3,1
Tinggalkan Balasan
"""


def labels(text: str) -> list[tuple[str, str]]:
    return [(b.label, text[b.start : b.end]) for b in find_boilerplate(text)]


def test_markers_and_lists():
    found = labels(ARTICLE)
    byline = "Oleh Humas Sidrap, Senin, 4 Maret 2024 | 10:00 WITA - Redaktur: Andi"
    assert ("byline", byline) in found
    assert ("related", "Baca juga: Indeks SPBE Pinrang naik") in found
    assert ("byline", "Pewarta: Rahmat") in found
    assert ("copyright", "COPYRIGHT © Contoh News 2024") in found
    assert ("related", "Pemkot Parepare Raih Indeks SPBE 3,1") in found
    assert not any(text.startswith("Oleh karena") for _, text in found)


def test_inline_related_link_runs_to_the_end_of_its_sentence():
    found = labels(ARTICLE)
    assert ("related", "Baca juga: Bupati resmikan pasar Kata dia, dua hari.") in found


def test_repeated_paragraph_is_marked_once_seen():
    paragraph = "Pemerintah Kota Palopo terus memperkuat penerapan SPBE di semua perangkat daerah."
    text = f"{paragraph}\n{paragraph}\n"
    assert labels(text) == [("repeat", paragraph)]
