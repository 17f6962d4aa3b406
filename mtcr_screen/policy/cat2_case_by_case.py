"""POL201 cat2-case-by-case

What it decides
    A Category II item (a definite match in Items 3-20, or an Item 2 sub-item treated as
    Category II under its note) gives **case by case**: a licence is needed and the
    application is weighed against the Guidelines' factors. The rationale lists each
    factor with what the transfer says about it.

Why (Guidelines paragraph)
    Guidelines ¶1: restraint applies to all Annex transfers, and all are considered case
    by case. ¶3 lists the factors (A-F); ¶5 the recipient-government assurances needed
    where a transfer could contribute to a WMD delivery system.

Example
    A rocket system with ``range: 350 km``, ``payload: 100 kg`` and
    ``payload_at_300km_range: 150 kg`` matches 19.A.1 (Category II): case by case.

Annex references
    Items 3-20; the Category II treatment notes of 2.A.1 and 2.D.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.destinations import DENIAL_EFFECTS, NOTE_EFFECTS
from mtcr_screen.policy.base import RuleContext, reason
from mtcr_screen.policy.common import entry_evidence, entry_label
from mtcr_screen.specdata import WMD_FLAGS, RedFlag

CODE = "POL201"
NAME = "cat2-case-by-case"
PARAGRAPH = "1, 3"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("result.matches", "transfer.destination", "destination_hits",
         "transfer.red_flags", "transfer.end_use", "transfer.end_user")


def factors(ctx: RuleContext) -> tuple[str, ...]:
    """The ¶3 factors A-F, each with what this transfer says about it."""
    red_flags = ctx.transfer.red_flags
    end_use, end_user = ctx.transfer.end_use, ctx.transfer.end_user
    flags = [str(f) for f in red_flags]
    diversion = [f for f in flags if f != RedFlag.PARTNER_DENIAL]
    wmd = [f for f in red_flags if f in WMD_FLAGS]
    dest = ctx.transfer.destination or "not given"
    concern = [h.short() for h in ctx.destination_hits if h.effect not in NOTE_EFFECTS]
    partner = [h.short() for h in ctx.destination_hits if h.effect in ("partner", "adherent")]
    embargo = [h.short() for h in ctx.destination_hits
               if h.effect in DENIAL_EFFECTS or h.effect == "arms_embargo_targeted"]
    entries = ", ".join(r.id for r in ctx.result.matches) or "none definite"
    return (
        "3.A concerns about WMD proliferation: "
        + ("WMD-delivery red flags raised: " + ", ".join(map(str, wmd)) if wmd
           else "no WMD-delivery red flag stated"),
        f"3.B the recipient's missile and space programmes: destination {dest}"
        + (f"; on {', '.join(concern)}" if concern else "")
        + (f"; {', '.join(partner)} (no exemption)" if partner else "")
        + ("" if ctx.transfer.destination is None or ctx.destination_hits
           else "; on no destination list consulted"),
        f"3.C significance for WMD delivery systems: Annex entries {entries}",
        "3.D end use and assurances: stated end use "
        + (repr(end_use) if end_use else "not given")
        + (f", end user {end_user!r}" if end_user else ", end user not given")
        + "; obtain the recipient government's ¶5 assurances (use only as stated, no "
          "modification or replication, no retransfer without consent)",
        "3.E relevant multilateral agreements: "
        + ("destination not given" if ctx.transfer.destination is None
           else f"destination on {', '.join(partner)} (noted, no exemption)" if partner
           else "destination neither an MTCR partner nor a listed adherent")
        + (f"; UN or other embargo measures: {', '.join(embargo)}" if embargo else "")
        + "; UNSCR 1540 binds every state to control WMD means of delivery"
        + ("; a partner has denied an essentially identical transfer: under the regime's "
           "no-undercut practice (1994) consult that partner before any approval, a strong "
           "negative factor" if RedFlag.PARTNER_DENIAL in red_flags else ""),
        "3.F risk of diversion to terrorists: "
        + ("red flags " + ", ".join(diversion) if diversion else "no red flag stated"),
    )


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Case by case for each Category II match."""
    out: list[Reason] = []
    for r in ctx.result.matches:
        if r.category != "II":
            continue
        extra = (" It is an Item 2 sub-item treated as Category II: export it only subject to "
                 "end-use statements and quantity limits appropriate to the excepted use."
                 if r.treated_as_ii else "")
        out.append(reason(
            CODE, NAME, PARAGRAPH,
            f"{entry_label(r)} is Category II: licence required, judged case by case against "
            f"the Guidelines' factors.{extra}",
            entry=r.id,
            recommendation=Recommendation.CASE_BY_CASE,
            details=entry_evidence(r) + factors(ctx),
        ))
    return out
