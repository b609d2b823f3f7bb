#!/usr/bin/env python
"""Train the project's Indonesian NER (PER/ORG/LOC) from idner-news-2k and ship it.

    python models/train_ner.py --data ../shared/data/idner-news-2k

Reads the CoNLL-style files (``token POS tag`` lines, CRLF, blank line between sentences),
writes DocBins to a scratch directory (the data set is never copied into the repository),
trains with ``models/ner/config.cfg`` (CPU, fixed seed), scores the best model on the TEST
split and writes it, with sources, licence and per-label P/R/F1, to ``models/id_spbe_ner``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example, biluo_tags_to_spans, iob_to_biluo

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "ner" / "config.cfg"
OUTPUT = HERE / "id_spbe_ner"
MAX_MB = 20.0
SPLITS = ("train", "dev", "test")
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "%", "'s"}
NO_SPACE_AFTER = {"(", "["}

MODEL_META = {
    "name": "spbe_ner",
    "version": "1.0.0",
    "description": (
        "Indonesian news NER (PER, ORG, LOC): one spaCy 'ner' component with an inline CNN "
        "tok2vec, trained by spbe-extract's models/train_ner.py on idner-news-2k."
    ),
    "author": "spbe-extract",
    "license": "MIT",
    "sources": [
        {
            "name": "idner-news-2k",
            "url": "https://github.com/khairunnisaor/idner-news-2k",
            "license": "MIT",
            "author": "Khairunnisa, Imankulova, Komachi (AACL-IJCNLP SRW 2020)",
        }
    ],
}


def read_conll(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Yield (words, IOB tags) per sentence from a ``token POS tag`` file."""
    words: list[str] = []
    tags: list[str] = []
    text = path.read_text(encoding="utf-8")
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            if words:
                yield words, tags
            words, tags = [], []
            continue
        parts = line.split()
        if len(parts) < 2:
            raise ValueError(f"{path}:{lineno}: expected 'token POS tag', got {raw!r}")
        words.append(parts[0])
        tags.append(parts[-1])
    if words:
        yield words, tags


def spaces_for(words: list[str]) -> list[bool]:
    """Whitespace after each token, so the doc text reads like ordinary written text."""
    spaces = []
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        spaces.append(nxt is not None and nxt not in NO_SPACE_BEFORE and word not in NO_SPACE_AFTER)
    return spaces


def to_doc(nlp: Language, words: list[str], tags: list[str]) -> Doc:
    """A Doc with gold entities from IOB tags (stray I- tags are read as B-)."""
    doc = Doc(nlp.vocab, words=words, spaces=spaces_for(words))
    doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(tags))
    return doc


def convert(data: Path, work: Path) -> dict[str, Path]:
    """Write train/dev/test DocBins to ``work``; return their paths."""
    nlp = spacy.blank("id")
    paths = {}
    for split in SPLITS:
        src = data / f"{split}.txt"
        if not src.is_file():
            sys.exit(f"error: {src} not found (expected idner-news-2k's {split}.txt)")
        docs = [to_doc(nlp, w, t) for w, t in read_conll(src)]
        paths[split] = work / f"{split}.spacy"
        DocBin(docs=docs, store_user_data=False).to_disk(paths[split])
        n_ents = sum(len(d.ents) for d in docs)
        print(f"{split}: {len(docs)} sentences, {n_ents} entities")
    return paths


def evaluate(nlp: Language, docbin: Path) -> dict:
    """Entity P/R/F1 (overall and per label) of ``nlp`` on the gold docs in ``docbin``."""
    gold = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(d.text), d) for d in gold]
    scores = nlp.evaluate(examples)
    per_type = {
        label: {k: round(v, 4) for k, v in prf.items()}
        for label, prf in sorted(scores["ents_per_type"].items())
    }
    return {
        "ents_p": round(scores["ents_p"], 4),
        "ents_r": round(scores["ents_r"], 4),
        "ents_f": round(scores["ents_f"], 4),
        "ents_per_type": per_type,
        "sentences": len(gold),
    }


def print_scores(title: str, scores: dict) -> None:
    """Print a small per-label table."""
    print(f"\n{title} ({scores['sentences']} sentences)")
    print(f"{'label':<6} {'P':>6} {'R':>6} {'F1':>6}")
    for label, prf in scores["ents_per_type"].items():
        print(f"{label:<6} {prf['p']:>6.3f} {prf['r']:>6.3f} {prf['f']:>6.3f}")
    print(f"{'ALL':<6} {scores['ents_p']:>6.3f} {scores['ents_r']:>6.3f} {scores['ents_f']:>6.3f}")


def dir_mb(path: Path) -> float:
    """Total size of the files under ``path`` in MB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def ship(best: Path, test: Path, output: Path) -> dict:
    """Score ``best`` on the test split, add metadata, write it to ``output``."""
    nlp = spacy.load(best)
    test_scores = evaluate(nlp, test)
    nlp.meta.update(MODEL_META)
    nlp.meta["test_performance"] = {"split": "idner-news-2k test.txt", **test_scores}
    if output.exists():
        shutil.rmtree(output)
    nlp.to_disk(output)
    return test_scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="idner-news-2k folder")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where the model goes")
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--work", type=Path, help="keep DocBins and checkpoints here")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"error: data folder {args.data} not found")

    from spacy.cli.train import train

    with tempfile.TemporaryDirectory(prefix="spbe-ner-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus = convert(args.data, work)
        started = time.monotonic()
        overrides = {"paths.train": str(corpus["train"]), "paths.dev": str(corpus["dev"])}
        train(args.config, work / "training", use_gpu=-1, overrides=overrides)
        minutes = (time.monotonic() - started) / 60
        test_scores = ship(work / "training" / "model-best", corpus["test"], args.output)

    print(f"\ntraining took {minutes:.1f} min")
    print(json.dumps(spacy.load(args.output).meta["performance"], indent=None)[:300])
    print_scores("TEST split", test_scores)
    size = dir_mb(args.output)
    print(f"\nmodel written to {args.output} ({size:.1f} MB)")
    if size > MAX_MB:
        print(f"error: model is larger than {MAX_MB} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
