"""The quality bar of the NLP stage, measured on the shared real-article gold files."""

from __future__ import annotations

import importlib.util

import pytest

needs_eval = pytest.mark.skipif(importlib.util.find_spec("spbe_extract.evaluate") is None,
                                reason="spbe_extract.evaluate is not available")


@needs_eval
@pytest.mark.slow
@pytest.mark.parametrize(("gold", "corpus", "minimum"), [
    ("gold/seeds.jsonl", "corpus/seeds", 1.0),
    ("gold/dev.jsonl", "corpus/dev", 0.95),
])
def test_index_fact_f1_on_shared_gold(shared_dir, gold: str, corpus: str, minimum: float):
    from spbe_extract.evaluate import run_eval

    report = run_eval(shared_dir / gold, shared_dir / corpus)
    facts = report.to_dict()["index_facts"]
    assert not report.errors, report.errors
    assert facts["f1"] >= minimum, facts
