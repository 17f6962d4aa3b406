"""POL102 cat1-presumption-of-denial

What it decides
    A Category I item (a definite match in Item 1 or 2, or a system that incorporates a
    separable Category I item) gives a **strong presumption of denial**, whatever the
    destination and stated purpose. The rationale lists what a rare exception would need.

Why (Guidelines paragraph)
    Guidelines ¶2: Category I transfers meet particular restraint and a strong
    presumption to deny, regardless of their purpose. A transfer is authorised only on
    rare occasions, and only where the supplier government obtains binding
    government-to-government undertakings embodying the ¶5 assurances and takes
    responsibility for all steps needed to ensure the stated end use. The Annex
    introduction extends Category I to systems that incorporate a Category I item, unless
    the item cannot be separated, removed or duplicated.

Example
    A rocket system with ``range: 300 km`` and ``payload: 500 kg`` matches 1.A.1:
    presumption of denial. So does a space launch vehicle with the same capability
    declared as civilian and bound for an MTCR partner.

Annex references
    Items 1 and 2 (1.A.1, 1.A.2, 2.A.1.a-f and their software and technology); the
    containment rule of the Annex introduction.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.policy.base import RuleContext, reason
from mtcr_screen.policy.common import entry_evidence, entry_label

CODE = "POL102"
NAME = "cat1-presumption-of-denial"
PARAGRAPH = "2"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("result.matches", "result.incorporations", "transfer.end_use")

EXCEPTION_NEEDS = (
    "authorised only on rare occasions (¶2)",
    "binding government-to-government undertakings embodying the recipient government's "
    "assurances (¶2, ¶5)",
    "the recipient government's assurance that the item is used only for the stated purpose "
    "and not modified or replicated without consent (¶5.A)",
    "the recipient government's assurance of no retransfer of the item, replicas or "
    "derivatives without consent (¶5.B)",
    "the supplier government takes responsibility for all steps needed to ensure the stated "
    "end use (¶2)",
)

_CIVIL_WORDS = ("civil", "space", "satellite", "scientific", "research", "peaceful", "launch")


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Presumption of denial for each Category I match and each incorporated Category I item."""
    out: list[Reason] = []
    purpose = (ctx.transfer.end_use or "").lower()
    civil = any(w in purpose for w in _CIVIL_WORDS)
    tail = ("A civilian or space purpose exempts nothing: the Category I rule holds whatever "
            "the purpose and destination, MTCR partners included." if civil else
            "The rule holds whatever the purpose and destination, MTCR partners included.")
    for r in ctx.result.matches:
        if r.category != "I" or r.entry.type == "production_facility":
            continue
        out.append(reason(
            CODE, NAME, PARAGRAPH,
            f"{entry_label(r)} is Category I: strong presumption of denial. {tail}",
            entry=r.id,
            recommendation=Recommendation.PRESUMPTION_OF_DENIAL,
            details=entry_evidence(r) + tuple(f"exception: {n}" for n in EXCEPTION_NEEDS),
        ))
    for inc in ctx.result.incorporations:
        if inc.category != "I" or inc.inseparable is True:
            continue
        entries = ", ".join(inc.entries) or "a Category I entry"
        why = ("it is not stated that the item cannot be separated, removed or duplicated"
               if inc.inseparable is None else
               "the item can be separated, removed or duplicated")
        out.append(reason(
            CODE, NAME, PARAGRAPH,
            f"the system incorporates '{inc.label}' ({entries}) and {why}, so the system is "
            "Category I under the containment rule: strong presumption of denial.",
            entry=inc.entries[0] if inc.entries else None,
            recommendation=Recommendation.PRESUMPTION_OF_DENIAL,
            details=tuple(f"exception: {n}" for n in EXCEPTION_NEEDS),
        ))
    return out
