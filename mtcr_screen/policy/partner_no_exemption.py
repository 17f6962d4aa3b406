"""POL503 mtcr-partner-no-exemption

What it decides
    Being an MTCR partner or adherent is noted, but gives **no exemption**. The rationale
    cites the ``partner`` or ``adherent`` list with its source and as-of date, and says
    why: the Guidelines apply to transfers to partners too, so a Category I item keeps its
    presumption of denial and a Category II item stays case by case. Adherence is a
    political commitment, not partnership. The rule never changes the recommendation.

Why (Guidelines paragraph)
    Guidelines ¶1 and ¶2: restraint and the Category I presumption apply to all transfers,
    whatever the destination; ¶3.E: the recipient's multilateral commitments (partnership,
    adherence under ¶8) are a factor, not an exemption.

Example
    A 1.A.1 rocket system to ``FR``: presumption of denial (POL102), with "destination FR
    (France) is on MTCR partners (as of 2022-10-01, partly verified): noted; no exemption".

Annex references
    Any; the rule is about the destination.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason
from mtcr_screen.destinations import destination_label, titles
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL503"
NAME = "mtcr-partner-no-exemption"
PARAGRAPH = "1, 2, 3.E, 8"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("index", "transfer.destination", "destination_hits")


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Note partnership or adherence, once per transfer, without an exemption."""
    dest = ctx.transfer.destination
    if ctx.index > 0 or dest is None:
        return []
    out: list[Reason] = []
    partner = [h for h in ctx.destination_hits if h.effect == "partner"]
    adherent = [h for h in ctx.destination_hits if h.effect == "adherent"]
    if partner:
        since = next((h.since for h in partner if h.since), None)
        out.append(reason(
            CODE, NAME, PARAGRAPH,
            f"destination {destination_label(dest)} is on {titles(partner)}"
            + (f" (since {since})" if since else "")
            + ": noted, but being a partner gives no exemption. The Guidelines apply to "
              "transfers to partners too: Category I keeps its strong presumption of denial "
              "and Category II is still judged case by case.",
            details=tuple(h.cite() for h in partner),
        ))
    if adherent:
        out.append(reason(
            CODE, NAME, PARAGRAPH,
            f"destination {destination_label(dest)} is on {titles(adherent)}: noted. "
            "Adherence is a political commitment to follow the Guidelines, not partnership, "
            "and gives no exemption.",
            details=tuple(h.cite() for h in adherent),
        ))
    return out
