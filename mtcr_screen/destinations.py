"""Destination lists as data: each YAML file names a list, its source, its as-of date,
its effect under the policy, and its members (ISO 3166-1 alpha-2 codes).

The policy (not the list) decides what an effect means; see ``mtcr_screen/policy``.
Effects: ``partner`` (noted, no exemption), ``concern`` (raises the risk),
``arms_embargo`` and ``un_missile_measure`` (presumption of denial).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mtcr_screen.errors import ListError

Effect = Literal["partner", "adherent", "concern", "arms_embargo", "un_missile_measure",
                 "embargo", "context"]


@dataclass(frozen=True, slots=True)
class DestinationList:
    """One list of destinations and what it means."""

    id: str
    title: str
    effect: str
    source: str
    as_of: dt.date
    confidence: str
    members: dict[str, str | None]
    path: str

    def to_dict(self) -> dict[str, str]:
        """``{id, title, as_of}`` as named in decisions."""
        return {"id": self.id, "title": self.title, "as_of": self.as_of.isoformat(),
                "effect": self.effect}


@dataclass(frozen=True, slots=True)
class ListHit:
    """A destination found on a list."""

    list_id: str
    title: str
    effect: str
    source: str
    as_of: dt.date
    confidence: str
    note: str | None

    def cite(self) -> str:
        """``US EAR Country Group D:4 (source ..., as of 2026-07-08)``."""
        extra = "" if self.confidence == "confirmed" else f", {self.confidence.replace('_', ' ')}"
        return f"{self.title} (source: {self.source}; as of {self.as_of.isoformat()}{extra})"


@dataclass(frozen=True, slots=True)
class DestinationLists:
    """Every list consulted for a screening run."""

    lists: tuple[DestinationList, ...]

    def check(self, code: str | None) -> tuple[ListHit, ...]:
        """The lists the destination is on."""
        if code is None:
            return ()
        return tuple(
            ListHit(dl.id, dl.title, dl.effect, dl.source, dl.as_of, dl.confidence,
                    dl.members[code])
            for dl in self.lists
            if code in dl.members
        )

    def consulted(self) -> tuple[dict[str, str], ...]:
        """The lists consulted, with as-of dates (for the decision record)."""
        return tuple(dl.to_dict() for dl in self.lists)


def shipped_lists_dir() -> Path:
    """The default lists that ship with the tool."""
    return Path(__file__).parent / "data" / "lists"


def load_lists(dirs: Sequence[Path] | None = None) -> DestinationLists:
    """Load every ``*.yaml`` list from the given folders (default: the shipped lists)."""
    from mtcr_screen import yamlio

    folders = list(dirs) if dirs else [shipped_lists_dir()]
    by_id: dict[str, DestinationList] = {}
    for folder in folders:
        if not folder.is_dir():
            raise ListError("no such lists folder", location=str(folder))
        files = sorted(folder.glob("*.yaml"))
        if not files:
            raise ListError("no *.yaml destination lists in this folder", location=str(folder))
        for f in files:
            data, marks = yamlio.load(f.read_bytes(), str(f), error=ListError)
            from pydantic import ValidationError

            from mtcr_screen.destinations_schema import ListFile

            try:
                lf = ListFile.model_validate(data)
            except ValidationError as exc:
                raise yamlio.pydantic_error(exc, data, marks, str(f), ListError) from None
            by_id[lf.id] = DestinationList(
                lf.id, lf.title, lf.effect, lf.source, lf.as_of, lf.confidence,
                {m.code: m.note for m in lf.members}, str(f),
            )
    return DestinationLists(tuple(by_id.values()))
