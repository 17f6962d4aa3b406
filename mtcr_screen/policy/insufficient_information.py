"""POL301 insufficient-information

What it decides
    When the classification is **undetermined** (an entry that would raise the category
    can neither be confirmed nor ruled out with the data given) the recommendation is
    **insufficient information**. It names every fact still needed. The item is never
    cleared on missing data.

Why (Guidelines paragraph)
    Guidelines ¶1: restraint applies to every Annex transfer; an item whose entry cannot
    be ruled out cannot be treated as outside the Annex. This is the tool's fail-closed
    rule.

Example
    A rocket system with ``range: 800 km`` and no payload: 19.A.1 matches, 1.A.1 is
    possible, and ``payload`` is named as the missing fact. With ``payload: 100 kg`` it
    is still possible (range may be traded for payload), and ``payload_at_300km_range``
    is named.

Annex references
    Any entry left possible by the evaluation.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL301"
NAME = "insufficient-information"
PARAGRAPH = "1"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("result", "annex")


def question(key: str, ctx: RuleContext) -> str:
    """A readable question for a missing-fact key."""
    annex = ctx.annex
    if key in annex.parameters:
        p = annex.parameters[key]
        return f"{key}: {p.title} (in {p.unit} or another unit of {p.dimension})"
    if key.startswith("facts."):
        name = key.removeprefix("facts.")
        f = annex.facts.get(name)
        return f"{key}: {f.question}" if f else key
    if key.startswith("relations."):
        _, rest = key.split(".", 1)
        target, level = rest.rsplit(".", 1)
        words = {"usable": "usable in", "designed_or_modified": "designed or modified for",
                 "specially_designed": "specially designed for"}[level]
        return f"{key}: is the item {words} {target}?"
    if key == "cas":
        return "cas: the CAS number (or substance name) of the chemical"
    if key.startswith("supports"):
        return (f"{key}: for software or technology, which activities (development, "
                "production, use) and which Annex entries it is for")
    return key


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Insufficient information, naming the facts needed, when the category is undetermined."""
    res = ctx.result
    if res.category != "undetermined":
        return []
    possible = list(res.possible)
    higher = ", ".join(f"{r.id} (Category {r.entry.category})" for r in possible) or (
        "an incorporated item")
    definite = ", ".join(r.id for r in res.matches)
    msg = f"cannot rule out {higher} with the data given"
    if definite:
        msg += f"; it already matches {definite}"
    msg += ". Not cleared: supply the missing facts."
    return [reason(
        CODE, NAME, PARAGRAPH, msg,
        entry=possible[0].id if possible else None,
        recommendation=Recommendation.INSUFFICIENT_INFORMATION,
        details=tuple(f"needed: {question(k, ctx)}" for k in res.missing)
        + tuple(n for r in possible for n in r.notes),
    )]
