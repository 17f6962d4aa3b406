"""POL401 not-listed

What it decides
    An item that every applicable Annex entry has ruled out, with no WMD-delivery red
    flag, gives **no MTCR licence required**, with a note that other control lists and
    national catch-all rules may still apply. If other end-use doubts are raised
    (``missile_end_use``, ``end_use_unclear``, ``diversion_risk``, or ``partner_denial``: a
    partner has denied an essentially identical transfer) it gives **case by case**
    instead: refer the transfer for national catch-all review.

Why (Guidelines paragraph)
    Guidelines ¶1 and ¶2 define the Annex as the basis of control; ¶7 asks governments to
    control unlisted items when the exporter is informed or aware of a missile-delivery
    end use.

Example
    A rocket system with ``range: 250 km``, ``payload: 500 kg`` and
    ``range_with_any_payload: 290 km``: 1.A.1 (range 250 km does not meet ≥ 300 km) and
    19.A.1 (range_with_any_payload 290 km does not meet ≥ 300 km) are ruled out; no MTCR
    licence required.

Annex references
    Every entry indexed for the item's kind (all were evaluated and ruled out). The details
    give, for each entry, the values that fell short of its thresholds (with units), the
    note that released the item, or the stated facts, relations or purpose that ruled it
    out.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.policy.base import RuleContext, reason
from mtcr_screen.policy.common import comparison_text
from mtcr_screen.specdata import WMD_FLAGS

CODE = "POL401"
NAME = "not-listed"
PARAGRAPH = "1, 7"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("result", "item.kind", "transfer.red_flags", "profile.catch_all")


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Clear a not-listed item, or refer it when end-use doubts are raised."""
    if ctx.result.category != "not_listed":
        return []
    # under a profile without a catch-all (1987) red flags play no part in the listing
    flags = ctx.transfer.red_flags if ctx.profile.catch_all else ()
    if any(f in WMD_FLAGS for f in flags):
        return []  # POL103 decides
    ruled_out = [r.id for r in ctx.result.evaluated]
    # the notes that released the item (GTN, GSN, GMSN or an entry's own exclusion)
    released = tuple(
        f"{r.id} does not apply: "
        + "; ".join(n.removeprefix("excluded: ") for n in r.notes if n.startswith("excluded: "))
        + f" ({', '.join(r.excluded_by)})"
        for r in ctx.result.evaluated if r.excluded_by
    )
    # why each other entry is out: the values that fell short of its thresholds
    short: list[str] = []
    otherwise: list[str] = []
    for r in ctx.result.evaluated:
        if r.excluded_by:
            continue
        failed = [comparison_text(c) for c in r.comparisons
                  if c.entry == r.id and c.result is False]
        if failed:
            short.append(f"{r.id} ruled out: {'; '.join(failed)}")
        else:
            otherwise.append(r.id)
    if otherwise:
        # which of an entry's conditions decided is in its evaluation (--format json),
        # not guessed here: a figure short of one branch may not have mattered
        short.append(f"{', '.join(otherwise)} ruled out by the facts, relations or purpose "
                     "stated, or by the conditions they use (see each entry's evaluation)")
    scope = (f"all {len(ruled_out)} Annex entries for kind {ctx.item.kind} were evaluated and "
             f"ruled out ({', '.join(ruled_out)})" if ruled_out else
             f"no Annex entry applies to kind {ctx.item.kind}")
    if flags:
        return [reason(
            CODE, NAME, PARAGRAPH,
            f"not in the Annex ({scope}), but end-use doubts are raised "
            f"({', '.join(map(str, flags))}): refer for national catch-all review (¶7).",
            recommendation=Recommendation.CASE_BY_CASE,
        )]
    return [reason(
        CODE, NAME, PARAGRAPH,
        f"not in the Annex: {scope}. The item itself needs no MTCR licence. Other control lists "
        "(dual-use, military) and national catch-all rules may still apply, and the catch-all "
        "applies if the exporter learns of a WMD-delivery end use.",
        recommendation=Recommendation.NO_MTCR_LICENCE_REQUIRED,
        details=released + tuple(short),
    )]
