"""The people-facing summary of a run, written to stderr."""

from __future__ import annotations

from mtcr_screen.batch.results import Summary
from mtcr_screen.decision import Recommendation


def summary_text(summary: Summary, source: str) -> str:
    """A few lines: totals, counts per recommendation and category, rejected rows."""
    lines = [f"Summary: {source}: {summary.rows} rows, "
             f"{summary.rows - summary.rejected} screened, {summary.rejected} rejected, "
             f"{summary.not_cleared} not cleared"]
    width = max((len(r.label) for r in Recommendation), default=0)
    for rec in Recommendation:
        n = summary.by_recommendation.get(rec.value)
        if n:
            lines.append(f"  {rec.label:<{width}}  {n:>9,}")
    if summary.rejected:
        lines.append(f"  {'Rejected':<{width}}  {summary.rejected:>9,}")
    if summary.by_category:
        cats = ", ".join(f"{c} {summary.by_category[c]:,}"
                         for c in ("I", "II", "undetermined", "not_listed")
                         if summary.by_category.get(c))
        lines.append(f"  by category: {cats}")
    for r in summary.rejected_rows:
        col = f" column {r.column}:" if r.column else ""
        lines.append(f"  rejected row {r.row}:{col} {r.reason}")
    if summary.rejected > len(summary.rejected_rows):
        lines.append(f"  ... and {summary.rejected - len(summary.rejected_rows):,} more "
                     "rejected rows")
    return "\n".join(lines) + "\n"
