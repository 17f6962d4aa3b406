"""POL103 wmd-delivery-catch-all

What it decides
    Any item, listed or not, gives a **strong presumption of denial** when the exporter
    knows, suspects or has been informed that it is intended for delivering weapons of
    mass destruction (red flags ``wmd_delivery_known``, ``wmd_delivery_suspected``,
    ``wmd_delivery_informed``).

Why (Guidelines paragraph)
    Guidelines ¶2: particular restraint and a strong presumption to deny also apply to
    any Annex item, and to any missile whether or not in the Annex, judged intended for
    WMD delivery. ¶7: for items not in the Annex, an exporter *informed* by its
    authorities needs an authorisation, and one *aware* of such an intent must notify
    them.

Example
    Machine-tool spares (not listed) with ``red_flags: [wmd_delivery_known]``:
    presumption of denial.

Annex references
    None needed: the catch-all applies to unlisted items too.
"""

from __future__ import annotations

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.policy.base import RuleContext, reason
from mtcr_screen.specdata import WMD_FLAGS, RedFlag

CODE = "POL103"
NAME = "wmd-delivery-catch-all"
PARAGRAPH = "2, 7"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("transfer.red_flags", "profile", "result.category")

_WHY = {
    RedFlag.WMD_DELIVERY_KNOWN: "the exporter knows",
    RedFlag.WMD_DELIVERY_SUSPECTED: "the exporter suspects",
    RedFlag.WMD_DELIVERY_INFORMED: "the exporter has been informed by the authorities",
}


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Presumption of denial when a WMD-delivery red flag is raised."""
    flags = [f for f in ctx.transfer.red_flags if f in WMD_FLAGS]
    if not flags:
        return []
    if not ctx.profile.catch_all:
        return [reason(
            CODE, NAME, PARAGRAPH,
            f"a WMD-delivery red flag is raised ({', '.join(map(str, flags))}), but the "
            f"{ctx.profile.title.split(' (')[0]} had no catch-all; under the current "
            "Guidelines this transfer meets a strong presumption of denial.",
            details=tuple(str(f) for f in flags),
        )]
    who = "; ".join(_WHY[f] for f in flags)
    scope = {"I": "a listed item", "II": "a listed item",
             "undetermined": "an item that may be in the Annex (undetermined)"}.get(
        ctx.result.category,
        "an item not in the Annex (national catch-all: an informed exporter needs an "
        "authorisation, an aware exporter must notify, ¶7)")
    return [reason(
        CODE, NAME, PARAGRAPH,
        f"{who} that the transfer is intended for delivering weapons of mass destruction; "
        f"this is {scope}: strong presumption of denial.",
        recommendation=Recommendation.PRESUMPTION_OF_DENIAL,
        details=tuple(str(f) for f in flags),
    )]
