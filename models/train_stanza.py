#!/usr/bin/env python
"""Train the project's stanza tokenizer for Indonesian from UD_Indonesian-CSUI and ship it.

    python models/train_stanza.py --data ../shared/data/UD_Indonesian-CSUI

Needs the stanza extra (``pip install 'spbe-extract[stanza]'``, CPU torch). CSUI has no dev
file, so stanza's own data preparation splits 20% of train off as dev (fixed seed); the
treebank's test file is scored too. Writes, under ``models/stanza/``:

* ``id/tokenize/spbe_csui.pt``   the tokenizer (no charlm, no pretrained vectors, small)
* ``id/tokenize/spbe_csui.json`` source, licence, dev/test scores, training settings
* ``resources.json``             the minimal stanza resources file naming it as default

so ``stanza.Pipeline('id', dir='models/stanza', processors='tokenize', download_method=None)``
loads it exactly as it loads stanza's official Indonesian models. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "stanza"
PACKAGE = "spbe_csui"
SHORT_NAME = "id_csui"
TREEBANK = "UD_Indonesian-CSUI"
SEED = 1234
EVAL_STEPS = 100  # one epoch of CSUI train is ~5 steps of 32 x 600 characters
SOURCE = {
    "name": "UD_Indonesian-CSUI",
    "url": "https://github.com/UniversalDependencies/UD_Indonesian-CSUI",
    "license": "CC BY-SA 4.0",
    "author": "Alfina et al.; Dinakaramani et al. (Universitas Indonesia)",
}


def import_stanza():
    """Import stanza or exit with the install command."""
    try:
        import stanza
    except ImportError:
        sys.exit(
            "error: stanza is not installed: pip install 'spbe-extract[stanza]' "
            "(CPU torch: pip install torch==2.13.0 first)"
        )
    return stanza


def prepare(data: Path, tokenize_dir: Path) -> None:
    """Split CSUI train into train/dev and write stanza's txt/label/mwt files."""
    from stanza.utils.datasets import common
    from stanza.utils.datasets.prepare_tokenizer_treebank import process_treebank

    if data.name != TREEBANK or not (data / "id_csui-ud-train.conllu").is_file():
        sys.exit(f"error: {data} is not a {TREEBANK} folder with id_csui-ud-train.conllu")
    paths = {
        "UDBASE": str(data.parent),
        "TOKENIZE_DATA_DIR": str(tokenize_dir),
        "HANDPARSED_DIR": str(tokenize_dir),
    }
    args = SimpleNamespace(augment=False, split_ratio=0.2, prepare_labels=True)
    if not process_treebank(TREEBANK, common.ModelType.TOKENIZER, paths, args):
        sys.exit(f"error: stanza could not prepare {data}")


def flags(**options: object) -> list[str]:
    """Command-line arguments for stanza's trainer from keyword options."""
    return [item for key, value in options.items() for item in (f"--{key}", str(value))]


def files(tokenize_dir: Path) -> dict[str, str]:
    """The prepared file names stanza's tokenizer trainer expects."""
    base = f"{tokenize_dir}/{SHORT_NAME}"
    out = {}
    for split in ("train", "dev", "test"):
        out[f"{split}_txt"] = f"{base}.{split}.txt"
        out[f"{split}_labels"] = f"{base}-ud-{split}.toklabels"
        out[f"{split}_gold"] = f"{base}.{split}.gold.conllu"
        out[f"{split}_mwt"] = f"{base}-ud-{split}-mwt.json"
    return out


def train(f: dict[str, str], save_dir: Path, steps: int) -> None:
    """Run stanza's tokenizer trainer (early stopping on the dev split)."""
    from stanza.models import tokenizer
    from stanza.utils.avg_sent_len import avg_sent_len

    seqlen = math.ceil(avg_sent_len(f["train_labels"]) * 3 / 100) * 100
    tokenizer.main(
        flags(
            mode="train",
            lang="id",
            shorthand=SHORT_NAME,
            label_file=f["train_labels"],
            txt_file=f["train_txt"],
            dev_txt_file=f["dev_txt"],
            dev_label_file=f["dev_labels"],
            dev_conll_gold=f["dev_gold"],
            mwt_json_file=f["dev_mwt"],
            max_seqlen=seqlen,
            steps=steps,
            eval_steps=EVAL_STEPS,
            seed=SEED,
            save_dir=save_dir,
            save_name=f"{PACKAGE}.pt",
        )
    )


def score(f: dict[str, str], split: str, model: Path) -> dict[str, float]:
    """Tokens/Sentences/Words F1 (UD eval script, in %) of ``model`` on a prepared split."""
    from stanza.models import tokenizer
    from stanza.models.common.doc import Document
    from stanza.utils.training.common import run_eval_script_tokens

    _, doc = tokenizer.main(
        flags(
            mode="predict",
            lang="id",
            shorthand=SHORT_NAME,
            txt_file=f[f"{split}_txt"],
            mwt_json_file=f[f"{split}_mwt"],
            load_name=model,
            save_dir=model.parent,
        )
    )
    pred = io.StringIO(f"{Document(doc):C}\n\n")
    names, values = run_eval_script_tokens(f[f"{split}_gold"], pred).splitlines()
    return {n: float(v) for n, v in zip(names.split(), values.split(), strict=True)}


def ship(model: Path, output: Path, scores: dict, settings: dict) -> Path:
    """Copy the model into ``output`` with its metadata and a resources.json."""
    target = output / "id" / "tokenize" / f"{PACKAGE}.pt"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model, target)
    meta = {
        "name": PACKAGE,
        "lang": "id",
        "processor": "tokenize",
        "license": SOURCE["license"],
        "sources": [SOURCE],
        "scores": scores,
        "training": settings,
        "note": "Trained by spbe-extract models/train_stanza.py; a derivative of "
        "UD_Indonesian-CSUI, shared under CC BY-SA 4.0.",
    }
    target.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    processors = {"tokenize": PACKAGE}
    resources = {
        "id": {
            "lang_name": "Indonesian",
            "tokenize": {PACKAGE: {}},
            "default_processors": processors,
            "packages": {"default": processors},
        }
    }
    (output / "resources.json").write_text(json.dumps(resources, indent=2) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="UD_Indonesian-CSUI folder")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="stanza model dir to write")
    parser.add_argument("--steps", type=int, default=1000, help="training steps (batch 32)")
    parser.add_argument("--work", type=Path, help="keep prepared data and checkpoints here")
    args = parser.parse_args(argv)
    import_stanza()
    import torch

    torch.set_num_threads(1)  # 2 threads stall badly when the 2 cores are shared
    logging.getLogger("stanza").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="spbe-stanza-") as tmp:
        work = args.work or Path(tmp)
        tokenize_dir = work / "tokenize"
        prepare(args.data.resolve(), tokenize_dir)
        f = files(tokenize_dir)
        started = time.monotonic()
        train(f, work / "saved", args.steps)
        minutes = (time.monotonic() - started) / 60
        model = work / "saved" / f"{PACKAGE}.pt"
        scores = {
            "dev (20% of CSUI train, seed 1234)": score(f, "dev", model),
            "test (CSUI test)": score(f, "test", model),
        }
        settings = {
            "steps": args.steps,
            "eval_steps": EVAL_STEPS,
            "seed": SEED,
            "charlm": None,
            "minutes": round(minutes),
        }
        target = ship(model, args.output, scores, settings)

    print(f"\ntraining took {minutes:.1f} min")
    for split, values in scores.items():
        print(f"{split}: " + ", ".join(f"{k} F1 {v:.2f}" for k, v in values.items()))
    print(f"model written to {target} ({target.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
