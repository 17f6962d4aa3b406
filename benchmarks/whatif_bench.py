"""What-if sweep speed: 10,000 variants of one item, against a floor in the same run.

Target (issue: analysts): 10,000 variants take under a second. The floor is classifying
the same 10,000 item views directly (no sweep bookkeeping, no policy), so the ratio shows
what the sweep adds on top of the engine's own classification.

    python benchmarks/whatif_bench.py
"""

from __future__ import annotations

import dataclasses
import time

from mtcr_screen.annex.loader import load_annex
from mtcr_screen.classify import classify
from mtcr_screen.destinations import load_lists
from mtcr_screen.specdata import ItemData, TransferData
from mtcr_screen.whatif import Sweeper, Vary, sweep


def main() -> int:
    """Print variants/s, the time for 10,000 variants and the ratio to the floor."""
    annex = load_annex()
    lists = load_lists()
    item = ItemData(kind="rocket_system", parameters={"payload": "100 kg"})
    transfer = TransferData(items=(item,), destination="FR")
    for label, varies in (
        ("1 parameter: range 1..10000 km step 1 km", [Vary("range", 1, 10000, 1, "km")]),
        ("2 parameters: range 10..1000 km x payload 10..1000 kg (100 x 100)",
         [Vary("range", 10, 1000, 10, "km"), Vary("payload", 10, 1000, 10, "kg")]),
    ):
        sweeper = Sweeper(annex, transfer, item, lists)
        t0 = time.perf_counter()
        res = sweep(sweeper, varies)
        elapsed = time.perf_counter() - t0
        grid_views = [dict(zip([v.param for v in varies], vals, strict=True))
                      for vals, _ in res.rows]
        base = sweeper.base
        t1 = time.perf_counter()
        for values in grid_views:
            classify(dataclasses.replace(base, params={**base.params, **values}), annex)
        floor = time.perf_counter() - t1
        print(f"{label}")
        print(f"  variants screened (incl. flip probes): {res.variants:,}; grid rows "
              f"{len(res.rows):,}; flips {len(res.flips)}")
        print(f"  sweep: {elapsed:.3f} s ({res.variants / elapsed:,.0f} variants/s); "
              f"target < 1 s for 10,000: {'met' if elapsed < 1.0 else 'NOT met'}")
        print(f"  floor (classify the grid only): {floor:.3f} s; ratio {elapsed / floor:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
