"""POL500 destination-check

What it decides
    States, once per transfer, whether the destination was checked against the destination
    lists and which lists it is on, so that "on no list" is an explicit finding and never
    the silent result of a missing check. With no destination, it says that no destination
    check was made. It never changes the recommendation by itself.

Why (Guidelines paragraph)
    Guidelines ¶3.B and ¶3.E: the recipient State's missile programmes and its multilateral
    commitments weigh on every application, so the record must show what was consulted.

Example
    A rocket system to ``FR``: "destination FR (France) was checked against the destination
    lists: on 1 of them (mtcr-partners); each is cited below".

Annex references
    Any; the rule is about the destination.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason
from mtcr_screen.destinations import destination_label
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL500"
NAME = "destination-check"
PARAGRAPH = "3.B, 3.E"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("index", "transfer.destination", "destination_hits")


def evaluate(ctx: RuleContext) -> list[Reason]:
    """One line per transfer: checked, and on which lists."""
    if ctx.index > 0:
        return []  # destination reasons are given once per transfer
    dest = ctx.transfer.destination
    if dest is None:
        return [reason(CODE, NAME, PARAGRAPH,
                       "no destination given: destination-list checks were not made; give "
                       "the destination to screen it.")]
    hits = ctx.destination_hits
    ids = ", ".join(h.list_id for h in hits)
    where = (f"on {len(hits)} of them ({ids}); each is cited below" if hits else
             "on none of them (the lists consulted and their as-of dates are in the record)")
    return [reason(CODE, NAME, PARAGRAPH,
                   f"destination {destination_label(dest)} was checked against the destination "
                   f"lists: {where}.")]
