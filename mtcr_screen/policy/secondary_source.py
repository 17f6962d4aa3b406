"""POL601 secondary-source-caution

What it decides
    When a decision rests on an Annex entry whose encoding comes from secondary or
    reconstructed material (or whose sub-label was inferred), the rationale says so, so
    that the officer confirms the entry against the official Annex. It never changes the
    recommendation.

Why (Guidelines paragraph)
    Guidelines ¶1: the Annex is the basis of control, and the official text prevails
    over any encoding of it.

Example
    A thermal battery matched to 12.A.6, whose encoding rests on a secondary paraphrase:
    "12.A.6 is encoded from secondary material; confirm against the official Annex".

Annex references
    Entries with provenance ``secondary`` or ``reconstructed``, or ``label_inferred``.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason
from mtcr_screen.policy.base import RuleContext, reason
from mtcr_screen.policy.common import provenance_caution

CODE = "POL601"
NAME = "secondary-source-caution"
PARAGRAPH = "1"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("result.matches", "result.possible")


def evaluate(ctx: RuleContext) -> list[Reason]:
    """A caution per matched or possible entry that rests on secondary material."""
    out: list[Reason] = []
    for r in (*ctx.result.matches, *ctx.result.possible):
        text = provenance_caution(r)
        if text:
            out.append(reason(CODE, NAME, PARAGRAPH, text, entry=r.id))
    return out
