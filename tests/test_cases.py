"""Screening cases are data: every block of tests/cases/*.yaml is one test.

A case gives an item (or a whole transfer) and what to expect::

    - name: 1.A.1-at-thresholds
      item: {kind: rocket_system, parameters: {range: 300 km, payload: 500 kg}}
      transfer: {destination: FR}          # optional: transfer fields
      expect:
        category: I
        recommendation: presumption_of_denial
        entries: [1.A.1]                   # the exact set of definite entries
        possible: [1.A.1]                  # optional: the exact set of possible entries
        missing: [payload]                 # optional: the exact set of missing facts
        rules: [POL102]                    # optional: these rule codes fired (subset)
        not_rules: [POL601]                # optional: these did not fire

``vary`` expands one case into several, one per value of one parameter (at, just below,
just above a threshold, and in another unit), each with its own expectation::

      vary:
        total_impulse:
          "1.1e6 N*s": {category: I, entries: [2.A.1.c.1]}
          "1099999 N*s": {category: II, entries: [20.A.1.b.1]}

Test ids are ``<file>-<name>[param=value]``, so ``pytest -k 2.A.1.c`` selects by entry.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.destinations import DestinationLists
from mtcr_screen.engine import screen

CASES_DIR = Path(__file__).parent / "cases"
EXPECT_KEYS = {"category", "recommendation", "entries", "possible", "missing", "rules",
               "not_rules"}


def load_cases() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(test id, transfer data, expectation) for every case and variant."""
    out: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            base = {**case.get("transfer", {}), "items": [case["item"]]} if "item" in case \
                else case["transfer"]
            name = f"{path.stem}-{case['name']}"
            if "expect" in case:
                out.append((name, base, case["expect"]))
            for param, values in case.get("vary", {}).items():
                for value, expect in values.items():
                    variant = copy.deepcopy(base)
                    variant["items"][0].setdefault("parameters", {})[param] = value
                    out.append((f"{name}[{param}={value}]", variant, expect))
    return out


CASES = load_cases()


@pytest.mark.parametrize(("data", "expect"), [(d, e) for _, d, e in CASES],
                         ids=[i for i, _, _ in CASES])
def test_case(data: dict[str, Any], expect: dict[str, Any], annex: CompiledAnnex,
              lists: DestinationLists) -> None:
    """One screening case."""
    assert set(expect) <= EXPECT_KEYS, f"unknown expectation keys {set(expect) - EXPECT_KEYS}"
    decision = screen(annex, data, lists)
    item = decision.items[0]
    got = {
        "category": decision.category,
        "recommendation": decision.recommendation.value,
        "entries": sorted(decision.entries),
        "possible": sorted(p.id for i in decision.items for p in i.possible_entries),
        "missing": sorted(decision.missing),
    }
    fired = {r.code for i in decision.items for r in i.rationale} | {
        r.code for r in decision.rationale}
    for key in ("category", "recommendation"):
        if key in expect:
            assert got[key] == expect[key], (key, got, [r.message for r in item.rationale])
    for key in ("entries", "possible", "missing"):
        if key in expect:
            assert got[key] == sorted(expect[key]), (key, got)
    for code in expect.get("rules", []):
        assert code in fired, (code, fired)
    for code in expect.get("not_rules", []):
        assert code not in fired, (code, fired)


def test_cases_exist() -> None:
    """The collection is not empty (a broken glob would silently test nothing)."""
    assert len(CASES) > 50
