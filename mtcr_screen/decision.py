"""Recommendations, reasons and decisions: frozen value objects with one dict form.

The dict form (``to_dict``) feeds every machine-readable output and carries
``schema_version``. It is documented in the README ("JSON output").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SCHEMA_VERSION = "1"
NOTICE = (
    "This is a screening recommendation for a licensing officer, not a licence decision. "
    "The official MTCR Annex and national law prevail."
)


class Recommendation(StrEnum):
    """What the Guidelines point to, in increasing order of severity."""

    NO_MTCR_LICENCE_REQUIRED = "no_mtcr_licence_required"
    CASE_BY_CASE = "case_by_case"
    INSUFFICIENT_INFORMATION = "insufficient_information"
    HOLD_POSSIBLE_DENIED_PARTY = "hold_possible_denied_party"
    PRESUMPTION_OF_DENIAL = "presumption_of_denial"
    PROHIBITED = "prohibited"

    @property
    def severity(self) -> int:
        """0 (cleared) to 5 (prohibited)."""
        return _SEVERITY[self]

    @property
    def cleared(self) -> bool:
        """True only for 'no MTCR licence required'."""
        return self is Recommendation.NO_MTCR_LICENCE_REQUIRED

    @property
    def label(self) -> str:
        """The people-facing wording."""
        return _LABELS[self]


_ORDER = list(Recommendation)
_SEVERITY = {r: i for i, r in enumerate(_ORDER)}
_LABELS = {
    Recommendation.NO_MTCR_LICENCE_REQUIRED: "No MTCR licence required",
    Recommendation.CASE_BY_CASE: "Case by case (licence required)",
    Recommendation.INSUFFICIENT_INFORMATION: "Insufficient information",
    Recommendation.HOLD_POSSIBLE_DENIED_PARTY: "Hold: possible denied party",
    Recommendation.PRESUMPTION_OF_DENIAL: "Strong presumption of denial",
    Recommendation.PROHIBITED: "Prohibited (not authorised)",
}


def most_severe(recs: list[Recommendation]) -> Recommendation:
    """The most severe of several recommendations (cleared when there are none)."""
    return max(recs, key=lambda r: r.severity, default=Recommendation.NO_MTCR_LICENCE_REQUIRED)


@dataclass(frozen=True, slots=True)
class Reason:
    """One rationale line: which rule, which entry, which Guidelines paragraph, and why."""

    code: str
    rule: str
    message: str
    paragraph: str | None = None
    entry: str | None = None
    recommendation: Recommendation | None = None
    details: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "code": self.code,
            "rule": self.rule,
            "entry": self.entry,
            "paragraph": self.paragraph,
            "recommendation": None if self.recommendation is None else str(self.recommendation),
            "message": self.message,
            "details": list(self.details),
        }


@dataclass(frozen=True, slots=True)
class PossibleEntry:
    """An entry that could still match, and the facts that would settle it."""

    id: str
    category: str
    title: str
    missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.id, "category": self.category, "title": self.title,
                "missing": list(self.missing)}


@dataclass(frozen=True, slots=True)
class EntryEvaluation:
    """The record of one entry's evaluation: status, comparisons, notes, provenance."""

    id: str
    title: str
    category: str
    status: str  # match | possible | no_match | excluded | superseded
    comparisons: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    provenance: str
    secondary: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "status": self.status,
            "comparisons": list(self.comparisons),
            "notes": list(self.notes),
            "provenance": self.provenance,
            "secondary_source": self.secondary,
        }


@dataclass(frozen=True, slots=True)
class ItemDecision:
    """The decision for one item of a transfer."""

    index: int
    id: str | None
    kind: str
    description: str | None
    category: str
    recommendation: Recommendation
    entries: tuple[str, ...]
    possible_entries: tuple[PossibleEntry, ...]
    missing: tuple[str, ...]
    rationale: tuple[Reason, ...]
    evaluations: tuple[EntryEvaluation, ...]
    parameters: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "index": self.index,
            "id": self.id,
            "kind": self.kind,
            "description": self.description,
            "parameters": dict(sorted(self.parameters.items())),  # any input order
            "category": self.category,
            "recommendation": str(self.recommendation),
            "entries": list(self.entries),
            "possible_entries": [p.to_dict() for p in self.possible_entries],
            "missing": list(self.missing),
            "rationale": [r.to_dict() for r in self.rationale],
            "evaluations": [e.to_dict() for e in self.evaluations],
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """The decision for a whole transfer: the most severe item outcome, and why."""

    recommendation: Recommendation
    category: str
    items: tuple[ItemDecision, ...]
    rationale: tuple[Reason, ...]
    destination: str | None
    destination_name: str | None
    annex_edition: str
    annex_sha256: str
    profile: str
    lists: tuple[dict[str, str], ...] = ()
    reference: str | None = None
    parties: tuple[dict[str, Any], ...] = ()

    @property
    def entries(self) -> list[str]:
        """Every definite entry across items, in order, without repeats."""
        return list(dict.fromkeys(e for i in self.items for e in i.entries))

    @property
    def missing(self) -> list[str]:
        """Every missing fact across items."""
        return list(dict.fromkeys(m for i in self.items for m in i.missing))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, with ``schema_version``."""
        possible: dict[str, dict[str, Any]] = {}
        for it in self.items:
            for p in it.possible_entries:
                possible.setdefault(p.id, p.to_dict())
        return {
            "schema_version": SCHEMA_VERSION,
            "notice": NOTICE,
            "category": self.category,
            "recommendation": str(self.recommendation),
            "entries": self.entries,
            "possible_entries": list(possible.values()),
            "missing": self.missing,
            "rationale": [r.to_dict() for r in self.rationale]
            + [r.to_dict() for it in self.items for r in it.rationale],
            "destination": self.destination,
            "destination_name": self.destination_name,
            "reference": self.reference,
            "lists": [dict(x) for x in self.lists],
            "parties": [dict(p) for p in self.parties],
            "annex": {"edition": self.annex_edition, "sha256": self.annex_sha256},
            "guidelines_profile": self.profile,
            "items": [i.to_dict() for i in self.items],
        }
