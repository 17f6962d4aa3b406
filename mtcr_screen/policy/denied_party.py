"""POL801 denied-party-hold

What it decides
    When party lists are given (``--parties``), the end user, the consignee and every
    named intermediary are screened against them. A hit at or above the threshold gives
    **hold: possible denied party**, at least as severe as case by case, with the score,
    the matched name or alias, the list, its entry id and the features behind the score.
    Lists given but no party named gives **insufficient information**: screening that
    could not be done never looks like "no match".

Why (Guidelines paragraph)
    Guidelines ¶3.D (the end use and the recipient) and ¶3.F (the risk of controlled items
    falling into the hands of terrorist groups and individuals); national denied-party
    lists (the US Entity List, the Nonproliferation Sanctions list...) implement them.

Example
    End user "Zephyr Propulsion Tradng Ltd" against the example list entry "Zephyr
    Propulsion Trading Limited": score 98, hold.

Annex references
    None: the rule is about the parties.
"""

from __future__ import annotations

from typing import Any

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL801"
NAME = "denied-party-hold"
PARAGRAPH = "3.D, 3.F"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("index", "extra")


def _hit_details(hit: Any) -> tuple[str, ...]:
    d = hit.to_dict()
    alias = f" (alias {d['matched_alias']!r})" if d["matched_alias"] else ""
    feats = "; ".join(f"{k}: {v}" for k, v in d["explanation"].items())
    return (f"list {d['list']} ({d['source']}), entry {d['entry_id']}: {d['name']!r}{alias}",
            f"programs: {', '.join(d['programs']) or 'none given'}",
            f"score features: {feats}")


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Hold on a party hit; insufficient information when no party can be screened."""
    if ctx.index > 0 or "party_checks" not in ctx.extra:
        return []
    checks: tuple[Any, ...] = ctx.extra["party_checks"]  # type: ignore[assignment]
    threshold = ctx.extra.get("party_threshold")
    lists: list[str] = ctx.extra.get("party_lists", [])  # type: ignore[assignment]
    names = ", ".join(lists)
    if not checks:
        return [reason(CODE, NAME, PARAGRAPH,
                       f"party lists were given ({names}) but the transfer names no end user, "
                       "consignee or intermediary: denied-party screening was not done.",
                       recommendation=Recommendation.INSUFFICIENT_INFORMATION)]
    out: list[Reason] = []
    for c in checks:
        for h in c.hits:
            out.append(reason(
                CODE, NAME, PARAGRAPH,
                f"{c.role.replace('_', ' ')} {c.name!r} matches {h.matched_name!r} with score "
                f"{h.score:.1f} (threshold {threshold}): hold, possible denied party.",
                recommendation=Recommendation.HOLD_POSSIBLE_DENIED_PARTY,
                details=_hit_details(h),
            ))
    if not out:
        screened = "; ".join(f"{c.role.replace('_', ' ')} {c.name!r}" for c in checks)
        out.append(reason(CODE, NAME, PARAGRAPH,
                          f"screened {screened} against {names}: no hit at or above the "
                          f"threshold {threshold}."))
    return out
