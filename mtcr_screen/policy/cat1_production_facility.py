"""POL101 cat1-production-facility-prohibited

What it decides
    A definite match with a Category I entry for production facilities (1.B.1, 2.B.1)
    gives **prohibited**. There is no exception path and no weighing of factors.

Why (Guidelines paragraph)
    Guidelines ¶2: until further notice, transfers of Category I production facilities
    will not be authorised. The bar holds whatever the destination and stated purpose,
    MTCR partners included.

Example
    A turnkey solid-motor production line specially designed for 2.A.1.c.1 motors
    (kind ``production_facility``, ``relations: {"2.A": specially_designed}``) matches
    2.B.1: prohibited.

Annex references
    1.B.1, 2.B.1 (Category I production facilities). Production *equipment* (2.B.2) is
    Category I but not a facility: POL102 applies to it.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.policy.base import RuleContext, reason
from mtcr_screen.policy.common import entry_label

CODE = "POL101"
NAME = "cat1-production-facility-prohibited"
PARAGRAPH = "2"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("result.matches",)


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Prohibited for each definite Category I production-facility match."""
    return [
        reason(
            CODE, NAME, PARAGRAPH,
            f"{entry_label(r)} is a Category I production facility: transfers of Category I "
            "production facilities are not authorised (Guidelines ¶2). No exception applies.",
            entry=r.id,
            recommendation=Recommendation.PROHIBITED,
        )
        for r in ctx.result.matches
        if r.category == "I" and r.entry.type == "production_facility"
    ]
