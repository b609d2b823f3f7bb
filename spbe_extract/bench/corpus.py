"""A synthetic corpus for the benchmark, from the project's own templates (``templates.json``).

Most articles are unrelated regional news (floods, harvests, schools, health, roads,
festivals, small business, sport, police, council, environment, religion); a few percent
carry SPBE scores, targets or lists, mention SPBE without a value, or report another
index (IPM, SAKIP). Regions come from the Kemendagri gazetteer; numbers, names, dates and
paragraph choice vary with a seeded random generator, so the same seed gives the same
corpus. Lengths are those of regional news: about 1.2 to 3 kB, 2 kB on average.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from spbe_extract import regions

BANDS = ((4.2, "Memuaskan"), (3.5, "Sangat Baik"), (2.6, "Baik"), (1.8, "Cukup"), (0.0, "Kurang"))


@dataclass(frozen=True)
class SyntheticArticle:
    """One generated article: what a crawler or a .txt file would give."""

    text: str
    title: str
    url: str
    source: str
    published: date
    kind: str  # the template family: a topic name, or spbe_score, spbe_target, ...


@cache
def templates() -> dict[str, Any]:
    """The template data (titles, paragraphs, names, mix)."""
    text = resources.files("spbe_extract.bench").joinpath("templates.json").read_text("utf-8")
    return json.loads(text)


@cache
def _places() -> tuple[list[regions.Region], list[regions.Region]]:
    """(kabupaten and kota, provinces) of the gazetteer."""
    local = [r for r in regions.all_regions() if r.level in ("kabupaten", "kota") and r.code]
    provinces = [r for r in regions.all_regions() if r.level == "provinsi" and r.code]
    return local, provinces


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def predicate(value: float) -> str:
    """The SPBE predicate of an index value."""
    return next(name for bound, name in BANDS if value >= bound)


def articles(n: int, seed: int = 7) -> Iterator[SyntheticArticle]:
    """``n`` generated articles, deterministic for a seed."""
    rng = random.Random(seed)
    data = templates()
    mix = list(data["mix"].items())
    topics = list(data["topics"])
    start = date(2021, 1, 1)
    for i in range(n):
        draw, kind = rng.random(), None
        for name, share in mix:
            if draw < share:
                kind = name
                break
            draw -= share
        kind = kind or rng.choice(topics)
        published = start + timedelta(days=rng.randrange(4 * 365))
        yield _article(rng, data, kind, i, published)


def _article(
    rng: random.Random, data: dict[str, Any], kind: str, i: int, published: date
) -> SyntheticArticle:
    family = data["spbe"][kind] if kind in data["spbe"] else data["topics"][kind]
    slots = _slots(rng, data, published)
    title = rng.choice(family["titles"]).format_map(slots)
    paragraphs = family["paragraphs"]
    if kind in data["spbe"]:
        body = list(paragraphs[: 2 + rng.randrange(len(paragraphs) - 1)])
        body += rng.sample(data["topics"][rng.choice(list(data["topics"]))]["paragraphs"], 2)
    else:
        body = rng.sample(paragraphs, rng.randint(4, len(paragraphs)))
    body += rng.sample(data["generic"], rng.randint(1, 3))
    dateline = f"{slots['city'].upper()}, {slots['date_text']} - "
    text_body = [p.format_map(slots) for p in body]
    text_body[0] = dateline + text_body[0]
    if rng.random() < 0.3:
        other = rng.choice(data["topics"][rng.choice(list(data["topics"]))]["titles"])
        text_body.insert(rng.randrange(1, len(text_body)), data["related"].format(
            title_other=other.format_map(_slots(rng, data, published))))  # fmt: skip
    source = rng.choice(data["sources"])
    text = title + "\n\n" + "\n\n".join(text_body) + "\n"
    url = f"https://{source}/berita/{published:%Y/%m/%d}/{i}"
    return SyntheticArticle(text, title, url, source, published, kind)


def _slots(rng: random.Random, data: dict[str, Any], published: date) -> dict[str, Any]:
    local, provinces = _places()
    place = rng.choice(local)
    province = regions.by_code(place.parent_code) if place.parent_code else None
    province = province or rng.choice(provinces)
    year = published.year - rng.choice((0, 1))
    value = round(rng.uniform(1.6, 4.6), 2)
    before = round(max(1.0, value - rng.uniform(0.05, 0.9)), 2)
    ipm = round(rng.uniform(62, 82), 2)
    slots: dict[str, Any] = {
        "region": place.name,
        "bare": place.bare,
        "city": place.bare,
        "province": province.name,
        "province_bare": province.bare,
        "official": _person(rng, data),
        "official2": _person(rng, data),
        "position": "Wali Kota" if place.level == "kota" else rng.choice(data["positions"]),
        "day": rng.choice(data["days"]),
        "date_text": f"{published.day} {data['months'][published.month - 1]} {published.year}",
        "year": year,
        "prev_year": year - 1,
        "value": _decimal(value),
        "value_prev": _decimal(before),
        "predikat": predicate(value),
        "predikat_prev": predicate(before),
        "ipm": _decimal(ipm),
        "ipm_prev": _decimal(ipm - rng.uniform(0.2, 1.5)),
        "pct": _decimal(rng.uniform(5, 30)).rstrip("0").rstrip(","),
        "n1": rng.randint(3, 60),
        "n2": rng.randint(10, 300),
        "n3": rng.randint(20, 900),
        "n4": rng.randint(4, 9),
        "n5": f"{rng.randint(1, 999)}.{rng.randint(0, 999):03d}",
    }
    slots["short"] = slots["official"].split()[-1]
    slots.update(_list_slots(rng, province, local))
    return slots


def _list_slots(
    rng: random.Random, province: regions.Region, local: list[regions.Region]
) -> dict[str, str]:
    members = [r for r in local if r.parent_code == province.code] or local
    chosen = rng.sample(members, min(len(members), rng.randint(3, 8)))
    values = sorted((round(rng.uniform(1.5, 4.5), 2) for _ in chosen), reverse=True)
    parts = [f"{r.name} {_decimal(v)}" for r, v in zip(chosen, values, strict=True)]
    return {"list": "; ".join(parts), "list_first": f"{chosen[0].name} ({_decimal(values[0])})"}


def _person(rng: random.Random, data: dict[str, Any]) -> str:
    return f"{rng.choice(data['first_names'])} {rng.choice(data['last_names'])}"


def write_folder(folder: Path, n: int, seed: int = 7, per_folder: int = 1000) -> tuple[int, int]:
    """Write ``n`` articles as .txt files (title on the first line), in sub-folders of
    ``per_folder`` files; returns (files, bytes)."""
    total = 0
    for i, article in enumerate(articles(n, seed)):
        sub = folder / f"part{i // per_folder:04d}"
        if i % per_folder == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = article.text.encode("utf-8")
        (sub / f"{i:07d}.txt").write_bytes(data)
        total += len(data)
    return n, total
