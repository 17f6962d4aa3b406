"""Quality on the labelled pairs: recall >= 0.95 and precision >= 0.9 at the default threshold."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

from mtcr_screen.parties import DEFAULT_THRESHOLD
from mtcr_screen.parties.evaluation import evaluate, read_pairs

PAIRS = Path(__file__).parent / "data" / "party_pairs.csv"


def test_labelled_set_is_large_and_varied() -> None:
    pairs = read_pairs(PAIRS)
    assert len(pairs) >= 300
    labels = Counter(p.label for p in pairs)
    assert labels[True] >= 150
    assert labels[False] >= 100
    categories = {p.category for p in pairs}
    assert {"typo", "typo+legal_form", "reordered", "transliteration_cyrillic", "accents",
            "legal_form", "abbreviation"} <= categories
    assert {"shared_industry_words", "different_city"} <= categories


def test_precision_and_recall_at_the_default_threshold() -> None:
    quality = evaluate(PAIRS, DEFAULT_THRESHOLD)
    assert quality.recall >= 0.95, quality
    assert quality.precision >= 0.9, quality


def test_committed_pairs_match_the_generator(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_party_pairs", PAIRS.with_name("make_party_pairs.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path / "pairs.csv")
    assert (tmp_path / "pairs.csv").read_bytes() == PAIRS.read_bytes()
