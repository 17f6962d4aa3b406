"""POL501 destination-of-concern

What it decides
    When the destination is on a list of missile-proliferation concern (effect
    ``concern``, e.g. US EAR Country Group D:4) the rationale cites the list, its source
    and its as-of date, and the risk is raised: an item that is not cleared is flagged,
    and an unlisted item with end-use doubts is referred. When no destination is given,
    it says that no destination check was made.

Why (Guidelines paragraph)
    Guidelines ¶3.B: the capabilities and objectives of the recipient State's missile and
    space programmes weigh on every application.

Example
    A 19.A.1 rocket system to a D:4 destination: case by case, with "destination on US EAR
    Country Group D:4 (source ..., as of 2026-07-08)" in the rationale.

Annex references
    Any; the rule is about the destination.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL501"
NAME = "destination-of-concern"
PARAGRAPH = "3.B"


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Cite every concern list the destination is on."""
    if ctx.index > 0:
        return []  # destination reasons are given once per transfer
    dest = ctx.transfer.destination
    if dest is None:
        return [reason(CODE, NAME, PARAGRAPH,
                       "no destination given: destination-of-concern checks were not made.")]
    return [
        reason(CODE, NAME, PARAGRAPH,
               f"destination {dest} is on {h.cite()}: particular proliferation concern, "
               "the risk is raised." + (f" Note: {h.note}." if h.note else ""))
        for h in ctx.destination_hits
        if h.effect == "concern"
    ]
