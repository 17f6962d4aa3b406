"""The batch screens a row from its transfer part and its item part, each validated once:
every row must come out exactly as validating and screening the whole row gives (the
``--detail`` path, which does that), rejections included, with the same first reason."""

from __future__ import annotations

import random

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.batch.layout import Layout
from mtcr_screen.batch.results import RowResult
from mtcr_screen.batch.screener import RowScreener
from mtcr_screen.partyscreen import PartyScreening
from tests.conftest import EXAMPLES

COLUMNS = ("id", "kind", "destination", "end_use", "end_user", "red_flags", "range",
           "payload", "relation.1.A", "cas", "fact.designed_for_satellite",
           "supports.activities", "supports.targets", "concentration")
CHOICES: dict[str, list[str]] = {
    "kind": ["rocket_system", "rocket_system", "uav_system", "chemical", "technology",
             "software", "guidance_set", "rocket_sytem"],
    "destination": ["FR", "Iran", "SA", "AF", "", "Atlantis", "KP"],
    "end_use": ["", "space launch", "research"],
    "end_user": ["", "Ministry of Defence", "Acme", "Zephyr Propulsion Trading Ltd",
                 "Nimbus Guidance Systems"],
    "red_flags": ["", "missile_end_use", "wmd_delivery_suspected", "not_a_flag",
                  "diversion_risk; end_use_unclear"],
    "range": ["", "450 km", "290 km", "300 km", "twelve km", "5 kg"],
    "payload": ["", "600 kg", "499 kg", "1 t", "500 km"],
    "relation.1.A": ["", "usable", "not_usable", "perhaps"],
    "cas": ["", "302-01-2", "12-3", "7727-37-9"],
    "fact.designed_for_satellite": ["", "true", "false", "maybe"],
    "supports.activities": ["", "development", "production; use", "sales"],
    "supports.targets": ["", "1.A", "2.A.1.c", "x.y"],
    "concentration": ["", "90 %", "50 %"],
}


def _rows(n: int) -> list[list[str]]:
    rng = random.Random(11)
    # few distinct item parts and transfer parts, so that rows recombine them
    items = [{c: rng.choice(CHOICES[c]) for c in (*COLUMNS[6:], "kind")} for _ in range(40)]
    transfers = [{c: rng.choice(CHOICES[c]) for c in COLUMNS[2:6]} for _ in range(25)]
    rows = []
    for i in range(n):
        cells = {"id": f"R-{i}", **rng.choice(items), **rng.choice(transfers)}
        rows.append([cells[c] for c in COLUMNS])
    return rows


def _view(r: RowResult) -> tuple[object, ...]:
    if r.outcome is None:
        assert r.rejected is not None
        return ("rejected", r.rejected.column, r.rejected.reason)
    o = r.outcome
    return ("screened", o.kind, o.destination, o.recommendation, o.category, o.entries,
            o.possible, o.missing, o.rationale)


def test_parts_give_what_the_whole_row_gives(annex: CompiledAnnex) -> None:
    layout = Layout(COLUMNS, annex, "<test>")
    rows = [(i + 1, i + 2, cells) for i, cells in enumerate(_rows(1500))]
    parts = [_view(r) for r in RowScreener(annex, None, layout).screen_rows(rows)]
    whole = [_view(r) for r in RowScreener(annex, None, layout, detail=True).screen_rows(rows)]
    assert parts == whole
    kinds = {v[0] for v in parts}
    reasons = {v[1] for v in parts if v[0] == "rejected"}
    # the mix exercises screened rows and rejections from both parts
    assert kinds == {"screened", "rejected"}
    assert {"destination", "red_flags", "kind", "relation.1.A", "cas", "range"} <= reasons


def test_parts_with_a_tiny_memo(annex: CompiledAnnex) -> None:
    """The part caches start again with the row memo; the results do not change."""
    layout = Layout(COLUMNS, annex, "<test>")
    rows = [(i + 1, i + 2, cells) for i, cells in enumerate(_rows(400))]
    small = [_view(r) for r in RowScreener(annex, None, layout, memo_size=3).screen_rows(rows)]
    whole = [_view(r) for r in RowScreener(annex, None, layout, detail=True).screen_rows(rows)]
    assert small == whole


def test_parts_with_party_lists(annex: CompiledAnnex) -> None:
    """With --parties, each transfer part's end user is screened once; the holds and the
    "no party named" reasons are those of the whole row."""
    parties = PartyScreening.load([str(EXAMPLES / "parties-example.csv")], 85.0)
    layout = Layout(COLUMNS, annex, "<test>")
    rows = [(i + 1, i + 2, cells) for i, cells in enumerate(_rows(600))]
    parts = [_view(r) for r in
             RowScreener(annex, None, layout, parties=parties).screen_rows(rows)]
    whole = [_view(r) for r in
             RowScreener(annex, None, layout, detail=True, parties=parties).screen_rows(rows)]
    assert parts == whole
    recommendations = {str(v[3]) for v in parts if v[0] == "screened"}
    assert "hold_possible_denied_party" in recommendations  # a listed end user was hit


def test_memo_keys_share_one_copy_of_each_cell(annex: CompiledAnnex) -> None:
    """The row memo keeps one string object per distinct cell text across its keys (a
    smaller working set), and that pool stays bounded when every row differs."""
    layout = Layout(COLUMNS, annex, "<test>")
    # fresh string objects for every row, as a CSV reader gives them
    rows = [(i + 1, i + 2, ["".join(c) for c in cells]) for i, cells in enumerate(_rows(600))]
    screener = RowScreener(annex, None, layout)
    list(screener.screen_rows(rows))
    texts: dict[str, set[int]] = {}
    for key in screener._memo:
        for cell in key:
            texts.setdefault(cell, set()).add(id(cell))
    assert len(screener._memo) > 50
    assert all(len(ids) == 1 for ids in texts.values())
    small = RowScreener(annex, None, layout, memo_size=3)
    unique = [(i + 1, i + 2, [f"R-{i}", "rocket_system", "FR", "", "", "", f"{i} km", "",
                              "", "", "", "", "", ""]) for i in range(200)]
    list(small.screen_rows(unique))
    assert len(small._cells) <= 4 * 3 + len(COLUMNS)
