"""Wording shared by the rules: comparisons with units, entry summaries."""

from __future__ import annotations

from mtcr_screen.annex.compiled import Comparison
from mtcr_screen.classify import EntryResult
from mtcr_screen.units import format_quantity

_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "between": "between"}


def threshold_text(c: Comparison) -> str:
    """``≥ 300 km`` or ``between 12 mm and 50 mm``."""
    if c.op == "between":
        hi = c.threshold_high if c.threshold_high is not None else c.threshold
        return f"between {format_quantity(c.threshold, c.unit)} and {format_quantity(hi, c.unit)}"
    return f"{_SYMBOL[c.op]} {format_quantity(c.threshold, c.unit)}"


def comparison_text(c: Comparison) -> str:
    """``range 450 km meets ≥ 300 km`` (the value in the threshold's unit, as given too)."""
    if c.value is None:
        return f"{c.param} not given (the entry needs {threshold_text(c)})"
    shown = format_quantity(c.value, c.unit)
    if c.given and c.given.replace(" ", "") != shown.replace(" ", ""):
        shown += f" (given as {c.given})"
    verdict = "meets" if c.result else "does not meet"
    return f"{c.param} {shown} {verdict} {threshold_text(c)}"


def headroom_text(c: Comparison) -> str | None:
    """``payload 480 kg is 20 kg (4 %) below the 500 kg of 1.A.1``."""
    h = c.headroom()
    if h is None or c.value is None:
        return None
    margin = float(h["margin"])  # type: ignore[arg-type]
    pct = h["percent"]
    value = format_quantity(c.value, c.unit)
    limit = threshold_text(c)
    if margin == 0:
        return f"{c.param} {value} is exactly at the {limit.lstrip('≥≤<>= ')} of {c.entry}"
    size = format_quantity(abs(margin), c.unit)
    share = "" if pct is None else f" ({abs(float(pct)):.3g} %)"  # type: ignore[arg-type]
    if c.op in (">=", ">"):
        side = "above" if margin > 0 else "below"
    elif c.op in ("<=", "<"):
        side = "below" if margin > 0 else "above"
    else:
        side = "inside" if margin > 0 else "outside"
    meets = "meets" if c.result else "short of"
    return (f"{c.param} {value} is {size}{share} {side} the "
            f"{limit.lstrip('≥≤<>= ') if c.op != 'between' else limit} of {c.entry} "
            f"({meets} {limit})")


def entry_evidence(r: EntryResult) -> tuple[str, ...]:
    """Every comparison of one entry, then its notes."""
    seen: list[str] = []
    for c in r.comparisons:
        t = comparison_text(c) if c.entry == r.id else f"{c.entry}: {comparison_text(c)}"
        if t not in seen:
            seen.append(t)
    return tuple(seen) + tuple(n for n in r.notes if n not in seen)


def entry_label(r: EntryResult) -> str:
    """``1.A.1 (complete rocket systems ...)``."""
    return f"{r.id} ({r.entry.title})"


def provenance_caution(r: EntryResult) -> str | None:
    """A caution when an entry rests on secondary or reconstructed material."""
    if not r.entry.secondary:
        return None
    return (f"{r.id} is encoded from {r.entry.provenance_status} material "
            f"({r.entry.provenance_basis}); confirm against the official Annex")
