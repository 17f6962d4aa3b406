"""Denied-party screening of a transfer: the end user, the consignee and intermediaries.

``PartyScreening.load(paths)`` reads one or more party lists (Consolidated Screening List
CSV or JSON, or OpenSanctions ``targets.simple.csv``) and builds one fuzzy-matching index
(see :mod:`mtcr_screen.parties`). The index is cached on disk by the lists' content.
``check(transfer)`` screens every named party; a hit at or above the threshold makes the
recommendation "hold: possible denied party" (rule POL801).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtcr_screen.errors import ListError, UsageError
from mtcr_screen.parties import DEFAULT_THRESHOLD, PartyHit, PartyIndex, PartyList


@dataclass(frozen=True, slots=True)
class PartyCheck:
    """One named party of a transfer and the list entries it matched."""

    role: str  # end_user | consignee | intermediary
    name: str
    hits: tuple[PartyHit, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"role": self.role, "name": self.name, "hits": [h.to_dict() for h in self.hits]}


class PartyScreening:
    """Party lists, their index and the threshold, for one screening run."""

    def __init__(self, lists: Sequence[PartyList], index: PartyIndex,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0 <= threshold <= 100:
            raise UsageError(f"party threshold {threshold} is not between 0 and 100",
                             location="--party-threshold")
        self.lists = tuple(lists)
        self.index = index
        self.threshold = threshold

    @classmethod
    def load(cls, paths: Sequence[str | Path], threshold: float = DEFAULT_THRESHOLD
             ) -> PartyScreening:
        """Load the lists (an empty or unreadable list is a ListError) and index them."""
        import hashlib

        from mtcr_screen.cache import cached
        from mtcr_screen.parties import load_party_list

        files = [Path(p) for p in paths]
        lists = [load_party_list(p) for p in files]
        for pl in lists:
            if len(pl) == 0:
                raise ListError("the party list has no entries: it would screen every name "
                                "as 'no match'", location=pl.path)
        entries = [e for pl in lists for e in pl.entries]
        # the loader hashed each file as it read it: the index is keyed by those hashes
        digest = hashlib.sha256("".join(f"{pl.path}\0{pl.sha256}\0" for pl in lists)
                                .encode()).hexdigest()
        index = cached("parties", digest, lambda: PartyIndex(entries),
                       lambda v: isinstance(v, PartyIndex) and len(v.entries) == len(entries))
        return cls(lists, index, threshold)

    def check(self, transfer: Any) -> tuple[PartyCheck, ...]:
        """Screen the end user, the consignee and each intermediary."""
        named: list[tuple[str, str]] = []
        if transfer.end_user:
            named.append(("end_user", transfer.end_user))
        if transfer.consignee:
            named.append(("consignee", transfer.consignee))
        named.extend(("intermediary", n) for n in transfer.intermediaries if n)
        country = transfer.destination
        return tuple(
            PartyCheck(role, name, tuple(self.index.screen(name, country=country,
                                                           threshold=self.threshold)))
            for role, name in named
        )

    def consulted(self) -> tuple[dict[str, str], ...]:
        """Each party list as recorded in a decision."""
        return tuple(
            {"id": pl.name, "title": f"party list {pl.name}", "effect": "denied_parties",
             "as_of": pl.as_of.isoformat() if pl.as_of else "unknown",
             "as_of_basis": pl.as_of_basis.value if pl.as_of_basis else "unknown",
             "format": pl.format.value, "entries": str(len(pl)), "origin": pl.path,
             "sha256": pl.sha256, "threshold": f"{self.threshold:g}"}
            for pl in self.lists
        )
