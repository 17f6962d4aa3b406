"""What a batch run produces: one result per data row, and a summary.

* :class:`RejectedRow` is a row that could not be screened (``row``, ``column``,
  ``reason``), like pip-audit's ``SkippedDependency``. It counts as *not cleared*.
* :class:`Outcome` is the screening outcome of a row's content. Identical rows share one
  outcome object (the screener memoises them), so it holds nothing row-specific.
* :class:`RowResult` is the row itself: row number, file line, id, and either an outcome
  or a rejection.
* :class:`Summary` counts results per recommendation, per category and rejected rows.

Each has one dict form (``to_dict``), which every machine format uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mtcr_screen.decision import SCHEMA_VERSION, Reason, Recommendation

#: status of a row that was screened / could not be screened
SCREENED = "screened"
REJECTED = "rejected"
#: severity of a rejected row for the exit code: worse than any "cleared" outcome
REJECTED_SEVERITY = Recommendation.INSUFFICIENT_INFORMATION.severity


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A manifest row that could not be screened, and why (every output format shows it)."""

    row: int
    column: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(frozen=True, slots=True, eq=False)
class Outcome:
    """The screening outcome of one row's content, shared by identical rows.

    Compared and hashed by identity (``eq=False``): counting a chunk's results per
    outcome object is then a cheap dictionary operation.
    """

    kind: str
    destination: str | None
    recommendation: Recommendation
    category: str
    entries: tuple[str, ...]
    possible: tuple[str, ...]
    missing: tuple[str, ...]
    rationale: tuple[Reason, ...]
    #: the full decision dict (``--detail``), else None
    decision: dict[str, Any] | None = None

    @property
    def rules(self) -> tuple[str, ...]:
        """The codes of the rules that gave a reason, in order, without repeats."""
        return tuple(dict.fromkeys(r.code for r in self.rationale))

    def to_dict(self) -> dict[str, Any]:
        """The compact JSON form (no per-entry evaluations unless ``decision`` is kept)."""
        d: dict[str, Any] = {
            "kind": self.kind,
            "destination": self.destination,
            "category": self.category,
            "recommendation": str(self.recommendation),
            "entries": list(self.entries),
            "possible_entries": list(self.possible),
            "missing": list(self.missing),
            "rules": list(self.rules),
        }
        if self.decision is not None:
            d["decision"] = self.decision
        return d


class RowResult(NamedTuple):
    """One data row's result: exactly one per row, screened or rejected.

    Immutable like the other value objects; a named tuple because one is made per row
    and a tuple is the cheapest immutable object to build.
    """

    row: int
    line: int | None
    id: str
    description: str | None
    cells: Sequence[str]  # the row's cells as read (not copied)
    outcome: Outcome | None = None
    rejected: RejectedRow | None = None

    @property
    def status(self) -> str:
        """``screened`` or ``rejected``."""
        return REJECTED if self.rejected is not None else SCREENED

    @property
    def severity(self) -> int:
        """For the exit code: the recommendation's severity; a rejected row is not cleared."""
        if self.outcome is None:
            return REJECTED_SEVERITY
        return self.outcome.recommendation.severity

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: row, line, id, status, then the outcome or the rejection."""
        d: dict[str, Any] = {"row": self.row, "line": self.line, "id": self.id,
                             "status": self.status}
        if self.description is not None:
            d["description"] = self.description
        if self.outcome is not None:
            d.update(self.outcome.to_dict())
        elif self.rejected is not None:
            d["column"] = self.rejected.column
            d["reason"] = self.rejected.reason
        return d


#: id of each recommendation -> (its value, its severity)
_RECOMMENDATIONS = {id(r): (r.value, r.severity) for r in Recommendation}

#: how many rejected rows the summary lists by number (all are counted)
SUMMARY_REJECTED_LIMIT = 20


@dataclass(slots=True)
class Summary:
    """Counts over a whole run (mutable while it runs; merged from chunks)."""

    rows: int = 0
    by_recommendation: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    rejected: int = 0
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    worst: int = 0  # highest severity seen (0: all cleared)

    @classmethod
    def of(cls, results: Sequence[RowResult]) -> Summary:
        """The summary of a chunk of results (counted per distinct outcome object)."""
        s = cls()
        s.rows = len(results)
        outcomes = [r.outcome for r in results]
        counts = Counter(outcomes)
        s.rejected = counts.pop(None, 0)
        by_rec: dict[int, int] = {}
        for outcome, n in counts.items():
            assert outcome is not None
            key = id(outcome.recommendation)  # an enum's value and hash are slow to get
            by_rec[key] = by_rec.get(key, 0) + n
            s.by_category[outcome.category] += n
        for key, n in by_rec.items():
            value, severity = _RECOMMENDATIONS[key]
            s.by_recommendation[value] += n
            s.worst = max(s.worst, severity)
        if s.rejected:
            s.worst = max(s.worst, REJECTED_SEVERITY)
            at = -1
            for _ in range(min(s.rejected, SUMMARY_REJECTED_LIMIT)):
                at = outcomes.index(None, at + 1)
                rejected = results[at].rejected
                assert rejected is not None
                s.rejected_rows.append(rejected)
        return s

    def merge(self, other: Summary) -> None:
        """Add another (chunk) summary, in order."""
        self.rows += other.rows
        self.by_recommendation.update(other.by_recommendation)
        self.by_category.update(other.by_category)
        self.rejected += other.rejected
        room = SUMMARY_REJECTED_LIMIT - len(self.rejected_rows)
        if room > 0:
            self.rejected_rows.extend(other.rejected_rows[:room])
        self.worst = max(self.worst, other.worst)

    @property
    def cleared(self) -> bool:
        """True when every row was screened and needs no MTCR licence."""
        return self.worst == 0

    @property
    def not_cleared(self) -> int:
        """Rows that need attention: any recommendation but cleared, and rejected rows."""
        ok = self.by_recommendation.get(Recommendation.NO_MTCR_LICENCE_REQUIRED.value, 0)
        return self.rows - ok

    def to_dict(self, warnings: Sequence[str] = ()) -> dict[str, Any]:
        """The JSON form (recommendations and categories in a fixed order), with the run's
        ``warnings`` (out-of-date destination lists, say)."""
        recs = {r.value: self.by_recommendation[r.value] for r in Recommendation
                if self.by_recommendation.get(r.value)}
        cats = {c: self.by_category[c] for c in ("I", "II", "undetermined", "not_listed")
                if self.by_category.get(c)}
        return {
            "schema_version": SCHEMA_VERSION,
            "rows": self.rows,
            "screened": self.rows - self.rejected,
            "rejected": self.rejected,
            "not_cleared": self.not_cleared,
            "by_recommendation": recs,
            "by_category": cats,
            "rejected_rows": [r.to_dict() for r in self.rejected_rows],
            "warnings": list(warnings),
        }
