"""Indonesian sample articles written for the store and ingest tests (not copied from any site).

``article(i)`` gives distinct, realistic regional-news texts: SPBE scores, targets,
comparisons between years and unrelated news, over several regions.
"""

from __future__ import annotations

import json
from pathlib import Path

SPBE_SCORE = """Indeks SPBE {region} Naik Jadi {value}

{city}, {day} Maret 2024 - Pemerintah {region} meraih nilai indeks Sistem Pemerintahan \
Berbasis Elektronik (SPBE) sebesar {value} pada evaluasi tahun 2023 dengan predikat Baik.

Kepala Dinas Komunikasi dan Informatika {region}, {official}, mengatakan capaian itu naik \
dibandingkan tahun sebelumnya. "Kami bersyukur atas kerja keras seluruh perangkat daerah \
yang terus memperbaiki layanan digital bagi masyarakat," kata {short} di kantornya, Senin.

Menurut dia, pemerintah daerah akan terus memperkuat tata kelola data, keamanan informasi \
dan integrasi aplikasi agar nilai tersebut dapat dipertahankan pada tahun depan.
"""

SPBE_TARGET = """{region} Targetkan Indeks SPBE di Atas {value}

{city} - Sekretaris Daerah {region}, {official}, menargetkan indeks SPBE daerah itu \
berada di atas {value} pada evaluasi tahun 2024. Hal itu disampaikan {short} saat membuka \
rapat koordinasi bersama seluruh organisasi perangkat daerah di aula kantor gubernur, Rabu.

Ia meminta setiap dinas menyiapkan dokumen pendukung dengan baik dan tepat waktu, karena \
penilaian tahun ini akan dilakukan melalui wawancara dan visitasi oleh tim evaluator.
"""

OTHER_NEWS = """Pasar Murah Digelar di {city} Jelang Ramadan

{city} - Pemerintah {region} menggelar pasar murah di halaman kantor camat untuk membantu \
warga memenuhi kebutuhan pokok menjelang bulan Ramadan. Sebanyak {value} ton beras dan \
minyak goreng disediakan dengan harga di bawah harga pasar.

Warga tampak antusias dan antre sejak pagi. Menurut panitia, kegiatan serupa akan digelar \
lagi di kecamatan lain pada pekan depan agar semua warga mendapat kesempatan yang sama.
"""

PLACES = [
    ("Provinsi Gorontalo", "Gorontalo", "Sofyan Rahim", "Sofyan"),
    ("Kota Gorontalo", "Gorontalo", "Meity Lasut", "Meity"),
    ("Provinsi Kalimantan Timur", "Samarinda", "Hendra Wijaya", "Hendra"),
    ("Kabupaten Kepulauan Selayar", "Benteng", "Andi Musliana", "Andi"),
    ("Kota Bandung", "Bandung", "Rina Kartika", "Rina"),
    ("Kabupaten Lima Puluh Kota", "Sarilamak", "Yudi Pratama", "Yudi"),
]

TEMPLATES = [SPBE_SCORE, SPBE_TARGET, OTHER_NEWS]


def article(i: int) -> str:
    """The i-th sample article: template, place and value vary with i, so every text differs."""
    region, city, official, short = PLACES[i % len(PLACES)]
    template = TEMPLATES[(i // len(PLACES)) % len(TEMPLATES)]
    value = f"{2 + (i % 29) / 10 + (i // 29) / 1000:.2f}".replace(".", ",")
    return template.format(
        region=region, city=city, official=official, short=short, value=value, day=1 + i % 28
    )


ENGLISH = """City Council Approves New Budget

The city council approved the new budget on Monday after a long debate about public \
transport, schools and the maintenance of old bridges. The mayor said that the plan would \
be reviewed again in the autumn when the revenue figures are known.
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Indeks SPBE Kota Bandung Capai 3,9 | Warta Kota Contoh</title>
<meta property="article:published_time" content="2024-02-14T09:30:00+07:00">
<link rel="canonical" href="https://www.wartakota.example/berita/spbe-bandung">
</head><body>
<nav><a href="/">Beranda</a> <a href="/politik">Politik</a></nav>
<article><h1>Indeks SPBE Kota Bandung Capai 3,9</h1>
<p>Pemerintah Kota Bandung meraih indeks SPBE sebesar 3,9 pada evaluasi tahun 2023 dengan
predikat Sangat Baik. Capaian itu disampaikan Kepala Dinas Komunikasi dan Informatika Kota
Bandung, Rina Kartika, di Balai Kota, Rabu.</p>
<p>Menurut dia, nilai tersebut merupakan hasil kerja sama seluruh perangkat daerah yang
terus memperbaiki layanan digital untuk warga.</p></article>
<footer>Hak cipta Warta Kota Contoh</footer></body></html>
"""


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    """A JSONL file; string records are written as they are (to make bad lines)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_bad_batch(d: Path) -> tuple[Path, dict[str, str]]:
    """A folder of good and bad inputs, with the expected reason start per bad file."""
    d.mkdir()
    (d / "01_baik.txt").write_text(article(0), encoding="utf-8")
    (d / "02_kosong.txt").write_bytes(b"")
    (d / "03_spasi.txt").write_text("  \n\n ", encoding="utf-8")
    (d / "04_biner.txt").write_bytes(bytes(range(256)) * 20)
    (d / "05_latin1.txt").write_bytes(
        article(1).replace("Pemerintah", "Pemerintah é").encode("cp1252")
    )
    (d / "06_inggris.txt").write_text(ENGLISH, encoding="utf-8")
    (d / "07_besar.txt").write_text(article(2) * (11 * 1024 * 1024 // len(article(2)) + 1))
    (d / "08_rusak.html").write_text("<html><body><div><<<</p></b>", encoding="utf-8")
    (d / "09_baik.html").write_text(HTML_PAGE, encoding="utf-8")
    write_jsonl(
        d / "10_campur.jsonl",
        [
            {"url": "https://a.example/1", "text": article(3)},
            '{"url": "https://a.example/2", "text": "putus',
            "[1, 2]",
            {"url": "https://a.example/3"},
            {"url": "https://a.example/4", "text": article(4)},
        ],
    )
    expected = {
        "02_kosong.txt": "empty file",
        "03_spasi.txt": "empty file (only whitespace)",
        "04_biner.txt": "binary file",
        "05_latin1.txt": "not UTF-8 (looks like",
        "06_inggris.txt": "not Indonesian",
        "07_besar.txt": "file is 11.",
        "08_rusak.html": "HTML yields no main text",
        "10_campur.jsonl:2": "invalid JSON",
        "10_campur.jsonl:3": "line is not a JSON object",
        "10_campur.jsonl:4": "no 'text' or 'html' in the record",
    }
    return d, expected
