"""POL502 destination-embargo

What it decides
    An Annex item (Category I, Category II or undetermined) to a destination under an arms
    embargo, a comprehensive embargo or UN Security Council missile measures gives a
    **strong presumption of denial**. The effects are ``arms_embargo``, ``embargo`` (such
    as US EAR Country Groups E:1 and E:2) and ``un_missile_measure`` (DPRK resolution 1718;
    Iran resolutions 1737 and 1929, re-applied on 27 Sep 2025). An item that is not in the
    Annex is never cleared to a destination under UN missile measures: they reach beyond the
    Annex (the DPRK ban on ballistic-missile-related items; Iran resolution 1737 para 4,
    other items that could contribute to nuclear-weapon delivery systems), so it is **case by
    case**: refer it for catch-all and sanctions review. To a destination under an arms
    embargo or a comprehensive embargo only, an unlisted item gets a note (military and
    sanctions controls, and the EU embargo catch-all, may apply) and, when end-use doubts are
    raised, case by case. Every list is cited with its title, source, as-of date and, when not
    confirmed, its confidence.

Why (Guidelines paragraph)
    Guidelines ¶3.E: relevant multilateral agreements weigh on every application, and UN
    Security Council decisions bind every state; UNSCR 1540 obliges every state to control
    the means of delivery of WMD. ¶3.A and ¶3.F: proliferation and diversion
    concerns. EU Regulation 2021/821 Art. 4(1)(b) ties the catch-all for unlisted items to
    an EU, UN or OSCE arms embargo on the destination.

Example
    A rocket system with ``range: 1000 km``, ``payload: 300 kg`` and
    ``payload_at_300km_range: 400 kg`` (19.A.1, Category II) to ``LY`` (UN arms embargo,
    resolution 1970): presumption of denial. The same item to ``SA`` (US EAR D:4 only)
    stays case by case (POL501). A 250 km rocket system (not in the Annex) to ``KP``: case
    by case, never cleared; to ``LY``: cleared of MTCR controls, with the note.

Annex references
    Any Annex entry; for unlisted items, the national catch-all (Guidelines ¶7).
"""

from __future__ import annotations

from mtcr_screen.decision import Reason, Recommendation
from mtcr_screen.destinations import DENIAL_EFFECTS, destination_label, titles
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL502"
NAME = "destination-embargo"
PARAGRAPH = "3.A, 3.E, 3.F"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("destination_hits", "transfer.destination", "result.category",
         "transfer.red_flags")

_WHAT = {
    "I": "a Category I item",
    "II": "a Category II item",
    "undetermined": "an item that may be in the Annex (undetermined)",
}


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Presumption of denial for Annex items to an embargoed destination."""
    hits = [h for h in ctx.destination_hits if h.effect in DENIAL_EFFECTS]
    dest = ctx.transfer.destination
    if not hits or dest is None:
        return []
    cites = tuple(h.cite() for h in hits)
    where = f"destination {destination_label(dest)} is under {titles(hits)}"
    category = ctx.result.category
    if category in _WHAT:
        return [reason(
            CODE, NAME, PARAGRAPH,
            f"{where}: {_WHAT[category]} to it gives a strong presumption of denial, whatever "
            "its stated purpose.",
            recommendation=Recommendation.PRESUMPTION_OF_DENIAL,
            details=cites,
        )]
    flags = [str(f) for f in ctx.transfer.red_flags]
    missile = [h for h in hits if h.effect == "un_missile_measure"]
    # the EU catch-all for an informed military end use covers EU, UN and OSCE arms
    # embargoes, not a national embargo alone (US E:1, E:2)
    art4 = any(h.effect == "arms_embargo" for h in hits)
    if missile or flags:
        why = (f"end-use doubts are raised ({', '.join(flags)})" if flags else
               f"the {titles(missile)} reach beyond the Annex, to items that could "
               "contribute to the destination's missile or nuclear-weapon delivery "
               "programmes")
        notes = []
        if missile and flags:  # (without flags, the measures are the reason itself)
            notes.append(f"the {titles(missile)} reach beyond the Annex")
        if art4:
            notes.append("an informed military end use in an embargoed destination needs an "
                         "authorisation under EU Regulation 2021/821 Art. 4(1)(b)")
        return [reason(
            CODE, NAME, PARAGRAPH,
            f"{where}. The item is not in the Annex, but {why}: not cleared; refer for "
            "catch-all and sanctions review" + (f" ({'; '.join(notes)})." if notes else "."),
            recommendation=Recommendation.CASE_BY_CASE,
            details=cites,
        )]
    return [reason(
        CODE, NAME, PARAGRAPH,
        f"{where}. The item is not in the Annex: MTCR controls do not apply, but military and "
        "sanctions controls may" + (", and an exporter informed of a military end use needs "
                                    "an authorisation (EU Regulation 2021/821 Art. 4(1)(b))."
                                    if art4 else "."),
        details=cites,
    )]
