"""Guidelines profiles: the current regime (default) and the original 1987 regime.

The 1987 Guidelines covered only nuclear-capable systems, at 500 kg and 300 km: there was
no Item 19 or 20 for lighter payloads, no catch-all for chemical or biological delivery
(nor for unlisted items at all), and no range/payload trade-off. One commentator reads
China's 1992 pledge as following only the 1987 Guidelines (a claim, not confirmed). Analysts
use it to see what the 1993 revision changed; the output always names the profile.
"""

from __future__ import annotations

from mtcr_screen.errors import UsageError
from mtcr_screen.policy.base import CURRENT, Profile

G1987 = Profile(
    name="1987",
    title="original 1987 Guidelines (nuclear-capable systems only: no Items 19-20, no "
          "range/payload trade-off, no catch-all)",
    tradeoff=False,
    catch_all=frozenset(),
    exclude_items=frozenset({19, 20}),
)

PROFILES: dict[str, Profile] = {p.name: p for p in (CURRENT, G1987)}


def get_profile(name: str) -> Profile:
    """A profile by name, or UsageError."""
    try:
        return PROFILES[name]
    except KeyError:
        raise UsageError(f"no such Guidelines profile: {name!r}",
                         hint="one of " + ", ".join(PROFILES)) from None
