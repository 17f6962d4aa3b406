"""POL701 historical-profile

What it decides
    Under a historical Guidelines profile (``--guidelines 1987``) it states plainly which
    profile was applied and what that profile leaves out, and compares the outcome with
    the current Guidelines. It never changes the recommendation of the profile in use.

Why (Guidelines paragraph)
    Guidelines ¶1 and ¶2 as revised in 1993 extended the regime from nuclear-capable
    systems (500 kg / 300 km) to all WMD delivery: Items 19 and 20, the catch-all and the
    range/payload trade-off came with it. The 1987 text is the yardstick some states
    pledged to follow.

Example
    A rocket system with 1,000 km range and 300 kg payload (400 kg to 300 km) is not listed
    under the 1987 profile, and Category II (19.A.1, case by case) under the current one.
    Without the payload carried to 300 km it is insufficient information under the
    current profile (range may be traded for payload: 1.A.1 not ruled out).

Annex references
    Items 19 and 20 (absent in 1987); 1.A.1 and 1.A.2 (no trade-off in 1987).
"""

from __future__ import annotations

from mtcr_screen.decision import Reason
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL701"
NAME = "historical-profile"
PARAGRAPH = "1, 2"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ("profile",)


def evaluate(ctx: RuleContext) -> list[Reason]:
    """A note per item when a historical profile is in use."""
    if ctx.profile.name == "current":
        return []
    return [reason(CODE, NAME, PARAGRAPH,
                   f"screened under the {ctx.profile.title}; the current Guidelines are the "
                   "default and prevail for licensing")]


def comparison(profile_title: str, old: tuple[str, str, list[str]],
               new: tuple[str, str, list[str]]) -> Reason:
    """The difference between the historical and the current outcome, as one reason."""
    (cat_h, rec_h, ent_h), (cat_c, rec_c, ent_c) = old, new
    same = (cat_h, rec_h) == (cat_c, rec_c)
    text = (f"under the current Guidelines: Category {cat_c}, {rec_c} "
            f"({', '.join(ent_c) or 'no entry'}); under the {profile_title.split(' (')[0]}: "
            f"Category {cat_h}, {rec_h} ({', '.join(ent_h) or 'no entry'})")
    text += " — the same outcome." if same else " — the outcomes differ."
    return reason(CODE, NAME, PARAGRAPH, text)
