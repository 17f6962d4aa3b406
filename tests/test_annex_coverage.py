"""Coverage of the shipped Annex by the screening cases, Item by Item.

* every entry id of the reference checklist is encoded (``tests/data/annex-entry-ids.txt``);
* every ``item`` entry is a definite match of at least one case;
* every ``condition`` entry is true for at least one case's item;
* every threshold is tested at, just below and just above its value, and in another unit.

Run one Item with ``pytest tests/test_annex_coverage.py -k item-09``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from mtcr_screen.annex.compiled import CompiledAnnex, thresholds
from mtcr_screen.annex.loader import load_annex
from mtcr_screen.classify import EvalContext, classify
from mtcr_screen.engine import Engine
from mtcr_screen.spec import item_view, transfer_from_data
from mtcr_screen.units import normalise_unit, parse_quantity
from tests.conftest import ANNEX_DIR
from tests.test_cases import CASES

CHECKLIST = Path(__file__).parent / "data" / "annex-entry-ids.txt"
_ANNEX = load_annex(ANNEX_DIR, use_cache=False)
ITEMS = sorted({int(e.split(".", 1)[0]) for e in _ANNEX.entries})


def _item_of(entry_id: str) -> int:
    return int(entry_id.split(".", 1)[0])


def checklist() -> dict[int, list[str]]:
    """Reference entry ids by Item."""
    out: dict[int, list[str]] = defaultdict(list)
    for line in CHECKLIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            eid = line.split()[0]
            out[_item_of(eid)].append(eid)
    return out


def _views() -> list[tuple[str, Any]]:
    views = []
    for case_id, data, _ in CASES:
        transfer = transfer_from_data(data, case_id)
        for spec in transfer.items:
            views.append((case_id, item_view(spec, _ANNEX)))
    return views


VIEWS = _views()


def _matched_entries() -> set[str]:
    engine = Engine(_ANNEX)
    out: set[str] = set()
    for _, view in VIEWS:
        out.update(r.id for r in classify(view, _ANNEX).matches)
    del engine
    return out


MATCHED = _matched_entries()


@pytest.mark.parametrize("item", ITEMS, ids=[f"item-{i:02d}" for i in ITEMS])
def test_checklist_ids_encoded(item: int) -> None:
    """Every reference entry id of an encoded Item is in the Annex."""
    missing = [e for e in checklist().get(item, []) if e not in _ANNEX.entries]
    assert not missing, f"Item {item}: ids in the checklist but not encoded: {missing}"


@pytest.mark.parametrize("item", ITEMS, ids=[f"item-{i:02d}" for i in ITEMS])
def test_every_item_entry_matched_by_a_case(item: int) -> None:
    """A case matches every screenable entry of the Item."""
    entries = [e for e in _ANNEX.entries.values() if _item_of(e.id) == item and e.role == "item"]
    unmatched = [e.id for e in entries if e.id not in MATCHED]
    assert not unmatched, f"no case matches {unmatched}"


@pytest.mark.parametrize("item", ITEMS, ids=[f"item-{i:02d}" for i in ITEMS])
def test_every_condition_true_in_a_case(item: int) -> None:
    """Every condition sub-paragraph is met by some case's item."""
    conds = [e for e in _ANNEX.entries.values()
             if _item_of(e.id) == item and e.role == "condition"]
    never = []
    for e in conds:
        if not any(EvalContext(_ANNEX).criteria_of(e.id, v)[0] is True for _, v in VIEWS):
            never.append(e.id)
    assert not never, f"no case meets the conditions {never}"




def _varied_values(annex: CompiledAnnex) -> dict[str, list[tuple[float, str]]]:
    """Every value given for a parameter in a case, canonical, with the unit written."""
    import yaml

    from tests.test_cases import CASES_DIR

    out: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for path in CASES_DIR.glob("*.yaml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            items = [case["item"]] if "item" in case else case["transfer"]["items"]
            for it in items:
                for p, v in it.get("parameters", {}).items():
                    out[p].append((v, ""))
            for p, values in case.get("vary", {}).items():
                for v in values:
                    out[p].append((v, ""))
    canon: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for p, values in out.items():
        info = annex.parameters.get(p)
        if info is None:
            continue
        for v, _ in values:
            q = parse_quantity(v, unit=info.unit, dimension=info.dimension,
                               allow_negative=True)
            canon[p].append((q.value, normalise_unit(q.given_unit)))
    return canon


VALUES = _varied_values(_ANNEX)


@pytest.mark.parametrize("item", ITEMS, ids=[f"item-{i:02d}" for i in ITEMS])
def test_every_threshold_tested_at_below_above_and_in_another_unit(item: int) -> None:
    """Each threshold appears in the cases at, below and above its value, and in
    another unit than the canonical one."""
    problems = []
    for e in _ANNEX.entries.values():
        if _item_of(e.id) != item:
            continue
        nodes = [e.criteria] + [x.when for x in e.exclusions]
        if e.treatment:
            nodes.append(e.treatment[0])
        for node in nodes:
            for c in thresholds(node):
                vals = VALUES.get(c.param, [])
                ts = [c.threshold] + ([c.threshold_high] if c.threshold_high is not None else [])
                for t in ts:
                    tol = abs(t) * 1e-9 + 1e-12
                    at = any(abs(v - t) <= tol * 10 for v, _ in vals)
                    # a zero minimum (19.A: any payload) has no value below it: a negative
                    # quantity is rejected as input
                    below = (t == 0 and c.op == ">=") or any(v < t - tol for v, _ in vals)
                    above = any(v > t + tol for v, _ in vals)
                    other = any(u != normalise_unit(c.unit) for _, u in vals)
                    if not (at and below and above and other):
                        problems.append(f"{e.id} {c.param} {c.op} {t} {c.unit}: "
                                        f"at={at} below={below} above={above} other_unit={other}")
    assert not problems, "\n".join(problems)


def test_whole_checklist_encoded() -> None:
    """Every entry id of the reference checklist is in the shipped Annex."""
    missing = [e for ids in checklist().values() for e in ids if e not in _ANNEX.entries]
    assert not missing, missing


def test_annex_list_json_has_every_checklist_id() -> None:
    """`annex list --format json` names every checklist id with id, category and title."""
    from tests.conftest import run_cli

    data = run_cli("annex", "list", "--format", "json", expect=0).json()
    rows = {e["id"]: e for e in data["entries"]}
    for ids in checklist().values():
        for eid in ids:
            assert eid in rows, eid
            assert rows[eid]["category"] in ("I", "II")
            assert rows[eid]["title"]


def test_reserved_items_are_empty() -> None:
    """Items 5, 7 and 8 are reserved and have no entries."""
    assert not [e for e in _ANNEX.entries if _item_of(e) in (5, 7, 8)]
