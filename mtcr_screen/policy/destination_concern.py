"""POL501 destination-of-concern

What it decides
    A destination of missile-proliferation concern raises the risk. Such a destination is
    on a ``concern`` list (US EAR Country Group D:4, or a concern list of your own) or
    under an arms embargo that targets non-state armed groups or listed parties rather than
    the government (``arms_embargo_targeted``). The rationale cites each list with its
    title, source, as-of date and, when not confirmed, its confidence. A Category II
    item gives a **raised case by case** (¶3.B weighs heavily), an unlisted item with
    end-use doubts is **referred** (case by case), and for a targeted embargo the rationale
    asks who the end user is. It never lowers an outcome: a Category I item keeps its
    presumption of denial.

Why (Guidelines paragraph)
    Guidelines ¶3.B: the capabilities and objectives of the recipient State's missile and
    space programmes weigh on every application; ¶3.F: the risk of diversion to
    terrorists or non-state groups; ¶7: the national catch-all for unlisted items (the US
    EAR applies 15 CFR 744.3(a)(1) and (a)(3) to rocket and UAV end uses in or by D:4
    countries).

Example
    A 19.A.1 rocket system (``range: 1000 km``, ``payload: 300 kg``,
    ``payload_at_300km_range: 400 kg``) to ``SA``: case by case, with "destination SA
    (Saudi Arabia) is on US EAR Country Group D:4 (missile technology) (source: 15 CFR
    Part 740 Supp. No. 1 ...; as of 2026-07-08, partly verified)" in the rationale.

Annex references
    Any; the rule is about the destination.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.destinations import ListHit, destination_label, titles
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL501"
NAME = "destination-of-concern"
PARAGRAPH = "3.B, 3.F, 7"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("transfer.destination", "destination_hits", "result.category",
         "transfer.red_flags", "transfer.end_user")


def _concern(ctx: RuleContext, dest: str, hits: list[ListHit]) -> Reason:
    where = (f"destination {destination_label(dest)} is on {titles(hits)}: a destination of "
             "missile-proliferation concern")
    d4 = any(h.list_id == "us-ear-d4" for h in hits)
    catch_all = (" For a D:4 destination the US EAR requires a licence for any item the "
                 "exporter knows is for rocket systems or UAVs of 300 km or more in or by it "
                 "(15 CFR 744.3(a)(1)), or for any rocket system or UAV there whose range or "
                 "use the exporter cannot determine ((a)(3))." if d4 else "")
    category = ctx.result.category
    flags = [str(f) for f in ctx.transfer.red_flags]
    rec: Recommendation | None = None
    if category == "II":
        text = (f"{where}. The Category II case is raised: weigh ¶3.B (the recipient's "
                "missile and space programmes) heavily and obtain the ¶5 assurances.")
        rec = Recommendation.CASE_BY_CASE
    elif category == "I":
        text = f"{where}; the Category I presumption of denial stands."
    elif category == "undetermined":
        text = (f"{where}. Settle the missing facts: if the item is Category II, the case is "
                "raised.")
    elif flags:
        text = (f"{where}. The item is not in the Annex, but end-use doubts are raised "
                f"({', '.join(flags)}): refer it for national catch-all review (¶7).{catch_all}")
        rec = Recommendation.CASE_BY_CASE
    else:
        text = (f"{where}. The item is not in the Annex; the national catch-all (¶7) applies "
                f"if the exporter learns of a missile end use.{catch_all}")
    return reason(CODE, NAME, PARAGRAPH, text, recommendation=rec,
                  details=tuple(h.cite() for h in hits))


def _targeted(ctx: RuleContext, dest: str, hits: list[ListHit]) -> Reason:
    end_user = ctx.transfer.end_user
    who = (f"confirm that the end user ({end_user!r}) is the government or its security "
           "forces and not an embargoed group or listed party" if end_user else
           "the end user is not given, and the embargo turns on who receives the item: name "
           "the end user")
    category = ctx.result.category
    flags = [str(f) for f in ctx.transfer.red_flags]
    rec: Recommendation | None = None
    if category in ("I", "II", "undetermined"):
        rec = Recommendation.CASE_BY_CASE if category == "II" else None
        tail = "The risk of diversion (¶3.F) is raised."
    elif flags:
        rec = Recommendation.CASE_BY_CASE
        tail = (f"The item is not in the Annex, but end-use doubts are raised "
                f"({', '.join(flags)}): refer it for catch-all and sanctions review.")
    else:
        tail = "The item is not in the Annex; military and sanctions controls may still apply."
    return reason(
        CODE, NAME, PARAGRAPH,
        f"destination {destination_label(dest)} is on {titles(hits)}: an arms embargo on "
        f"non-state armed groups or listed parties in the country, not on its government; "
        f"{who}. {tail}",
        recommendation=rec,
        details=tuple(h.cite() for h in hits),
    )


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Cite every concern list and targeted embargo the destination is on; raise the case."""
    dest = ctx.transfer.destination
    if dest is None:
        return []
    out: list[Reason] = []
    concern = [h for h in ctx.destination_hits if h.effect == "concern"]
    targeted = [h for h in ctx.destination_hits if h.effect == "arms_embargo_targeted"]
    if concern:
        out.append(_concern(ctx, dest, concern))
    if targeted:
        out.append(_targeted(ctx, dest, targeted))
    return out
