"""POL505 destination-list-currency

What it decides
    A destination list older than the maximum age, or dated in the future, gives a
    warning once per transfer. The maximum age is 365 days unless
    ``MTCR_SCREEN_LIST_MAX_AGE_DAYS`` or ``--list-max-age`` says otherwise; the warning
    says the list may miss a destination added since, so check it against its source.
    The warning is also printed on stderr for text output, and each stale list is marked
    with a ``warning`` in the decision's ``lists``. It never changes the recommendation:
    a stale list is still used, and said to be stale.

Why (Guidelines paragraph)
    Guidelines ¶3.B and ¶3.E: a destination judgement is only as good as the data behind
    it; officers need to see how current each list is.

Example
    With the UN missile list as of 2025-09-28 and today 2026-11-27: "warning: 1 destination
    list consulted is out of date ...", detail "destination list un-sc-missile-measures is
    425 days old (as of 2025-09-28; limit 365 days): check it against its source".

Annex references
    None; the rule is about the destination data. It is evaluated by the engine from the
    lists' metadata, not per item (``evaluate`` returns nothing).
"""

from __future__ import annotations

from mtcr_screen.decision import Reason
from mtcr_screen.destinations import DestinationLists
from mtcr_screen.policy.base import RuleContext, reason

CODE = "POL505"
NAME = "destination-list-currency"
PARAGRAPH = "3.B, 3.E"
#: the context paths it reads (see mtcr_screen.policy.memo)
READS: tuple[str, ...] = ()


def reasons(lists: DestinationLists) -> tuple[Reason, ...]:
    """One warning reason naming every stale or future-dated list (computed once per Engine)."""
    if not lists.warnings:
        return ()
    n = len(lists.warnings)
    return (reason(
        CODE, NAME, PARAGRAPH,
        f"warning: {n} destination list{'s' if n > 1 else ''} consulted "
        f"{'are' if n > 1 else 'is'} out of date (older than {lists.max_age_days} days, or "
        "dated in the future): a destination added since may be missing. Check "
        f"{'them' if n > 1 else 'it'} against the sources.",
        details=lists.warnings,
    ),)


def evaluate(ctx: RuleContext) -> list[Reason]:
    """Nothing per item: see :func:`reasons`."""
    return []
