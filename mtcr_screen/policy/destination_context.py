"""POL504 destination-context

What it decides
    A destination on a context list (effect ``context``) is noted once per transfer, with
    each list's source and as-of date. The shipped context lists are US EAR Country Groups
    D:1, D:2, D:3 and D:5. Context lists never change the recommendation; a user who
    wants one to count can replace it with a copy whose effect is ``concern`` or
    ``arms_embargo``.

Why (Guidelines paragraph)
    Guidelines ¶3.A and ¶3.B: concerns about WMD proliferation and the recipient's
    programmes; national groupings for nuclear, chemical and biological concern and arms
    embargoes inform that judgement without being MTCR measures.

Example
    A rocket system to ``CN``: "destination CN (China) is also on US EAR Country Group D:1
    (National Security) (as of 2026-07-08, partly verified); ...: context only".

Annex references
    Any; the rule is about the destination.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason
from mtcr_screen.destinations import destination_label, titles
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL504"
NAME = "destination-context"
PARAGRAPH = "3.A, 3.B"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("index", "transfer.destination", "destination_hits")


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Note context lists, once per transfer."""
    dest = ctx.transfer.destination
    if ctx.index > 0 or dest is None:
        return []
    hits = [h for h in ctx.destination_hits if h.effect == "context"]
    if not hits:
        return []
    return [reason(
        CODE, NAME, PARAGRAPH,
        f"destination {destination_label(dest)} is also on {titles(hits)}: context only, no "
        "effect on the recommendation.",
        details=tuple(h.cite() for h in hits),
    )]
