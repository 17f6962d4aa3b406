"""Precision and recall of the matcher on labelled name pairs (``tests/data/party_pairs.csv``).

Each pair is scored on its own: the list name becomes a one-entry :class:`PartyIndex`, so the
blocking stage is exercised too, and the query is screened against it with its country. A
pair counts as predicted-match when that screen returns a hit at the threshold.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mtcr_screen.parties.matcher import DEFAULT_THRESHOLD, PartyIndex
from mtcr_screen.parties.model import PartyEntry


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """One row of the labelled set."""

    query: str
    query_country: str | None
    list_name: str
    list_country: str | None
    label: bool
    category: str


@dataclass(frozen=True, slots=True)
class Quality:
    """Counts and rates at one threshold."""

    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when there are no positives."""
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0


def read_pairs(path: str | Path) -> list[LabelledPair]:
    """Read a labelled pair CSV (columns as written by ``make_party_pairs.py``)."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        return [
            LabelledPair(
                query=row["query"],
                query_country=row["query_country"] or None,
                list_name=row["list_name"],
                list_country=row["list_country"] or None,
                label=row["label"].strip() == "1",
                category=row["category"],
            )
            for row in csv.DictReader(fh)
        ]


def pair_score(pair: LabelledPair) -> float:
    """The screening score of the pair's query against its list name (0 when no hit)."""
    entry = PartyEntry(
        list_name="pairs", source="labelled", entry_id="1", name=pair.list_name,
        countries=(pair.list_country,) if pair.list_country else (),
    )
    hits = PartyIndex([entry]).screen(pair.query, country=pair.query_country, threshold=0.0)
    return hits[0].score if hits else 0.0


def quality(
    pairs: Sequence[LabelledPair], scores: Sequence[float], thresholds: Iterable[float]
) -> list[Quality]:
    """Precision/recall counts of ``scores`` against the labels at each threshold."""
    out = []
    for t in thresholds:
        tp = sum(1 for p, s in zip(pairs, scores, strict=True) if p.label and s >= t)
        fp = sum(1 for p, s in zip(pairs, scores, strict=True) if not p.label and s >= t)
        fn = sum(1 for p in pairs if p.label) - tp
        tn = sum(1 for p in pairs if not p.label) - fp
        out.append(Quality(t, tp, fp, fn, tn))
    return out


def evaluate(path: str | Path, threshold: float = DEFAULT_THRESHOLD) -> Quality:
    """Precision and recall of the default matcher on the pairs in ``path``."""
    pairs = read_pairs(path)
    return quality(pairs, [pair_score(p) for p in pairs], [threshold])[0]
