"""Pure three-valued classification: item x Annex -> matches, possible matches, missing facts.

No I/O and no printing. :func:`classify` evaluates every entry that can apply to the
item's kind, applies exclusions, general notes, Category II treatment notes and
supersession, and computes the category:

* the highest category among definite matches; or
* ``undetermined`` when a possible match could raise the category and nothing definite
  already gives that category.

A system that incorporates a Category I item is Category I, unless the incorporated item
cannot be separated, removed or duplicated (stated as the fact ``inseparable``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mtcr_screen.annex.compiled import (
    NO_MISSING,
    Comparison,
    CompiledAnnex,
    CompiledEntry,
    CParam,
    Missing,
    Tri,
)

Category = Literal["I", "II", "not_listed", "undetermined"]
RANK = {"not_listed": 0, "II": 1, "I": 2}
_NAME = {0: "not_listed", 1: "II", 2: "I"}


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item reduced to what the engine compares: canonical values and stated facts."""

    kind: str
    params: dict[str, float]
    given: dict[str, str]
    facts: dict[str, bool]
    relations: dict[str, tuple[Tri, Tri, Tri]]  # target -> (usable, designed, specially)
    cas: str | None = None
    substance: str | None = None
    supports_activities: frozenset[str] | None = None
    supports_targets: tuple[str, ...] | None = None
    incorporates: tuple[ItemView, ...] = ()
    label: str = ""


class EvalContext:
    """Per-item evaluation state: memoised entry criteria, comparisons and notes."""

    __slots__ = ("_memo", "annex", "comparisons", "current", "notes", "tradeoff")

    def __init__(self, annex: CompiledAnnex, *, tradeoff: bool = True) -> None:
        self.annex = annex
        self.tradeoff = tradeoff
        self.current = ""
        self.comparisons: list[Comparison] = []
        self.notes: list[tuple[str, str]] = []
        self._memo: dict[str, tuple[Tri, Missing]] = {}

    def compare(self, c: CParam, value: float | None, given: str | None, result: Tri) -> None:
        """Record one comparison for the entry being evaluated."""
        self.comparisons.append(
            Comparison(self.current, c.param, c.op, c.threshold, c.threshold_high, c.unit, value,
                       given, result)
        )

    def note(self, text: str) -> None:
        """Record a note for the entry being evaluated."""
        self.notes.append((self.current, text))

    def criteria_of(self, entry_id: str, item: ItemView) -> tuple[Tri, Missing]:
        """Evaluate another entry's criteria (memoised; its comparisons are kept)."""
        if entry_id in self._memo:
            return self._memo[entry_id]
        entry = self.annex.entries[entry_id]
        if entry.criteria is None:
            return None, NO_MISSING
        outer = self.current
        self.current = entry_id
        try:
            result = entry.criteria.evaluate(item, self)
        finally:
            self.current = outer
        self._memo[entry_id] = result
        return result


@dataclass(frozen=True, slots=True)
class EntryResult:
    """How one entry fared against the item."""

    entry: CompiledEntry
    status: Tri
    category: str
    missing: Missing
    comparisons: tuple[Comparison, ...]
    notes: tuple[str, ...]
    excluded_by: tuple[str, ...] = ()
    superseded_by: str | None = None
    treated_as_ii: bool = False

    @property
    def id(self) -> str:
        """The entry id."""
        return self.entry.id


@dataclass(frozen=True, slots=True)
class Incorporation:
    """A Category I item incorporated in the system under the containment rule."""

    label: str
    entries: tuple[str, ...]
    inseparable: Tri
    category: str


@dataclass(frozen=True, slots=True)
class Classification:
    """The result of classifying one item."""

    category: Category
    matches: tuple[EntryResult, ...]
    possible: tuple[EntryResult, ...]
    evaluated: tuple[EntryResult, ...]
    missing: Missing
    incorporations: tuple[Incorporation, ...] = ()

    @property
    def entry_ids(self) -> list[str]:
        """Ids of the definite matches."""
        return [r.id for r in self.matches]


def _evaluate_entry(entry: CompiledEntry, item: ItemView, ctx: EvalContext,
                    annex: CompiledAnnex) -> EntryResult:
    ctx.current = entry.id
    start_c, start_n = len(ctx.comparisons), len(ctx.notes)
    assert entry.criteria is not None
    status, missing = ctx.criteria_of(entry.id, item)
    notes: list[str] = []
    excluded: list[str] = []
    if status is not False:
        exclusions = entry.exclusions + annex.general_exclusions.get(entry.type or "", ())
        for ex in exclusions:
            v, m = ex.when.evaluate(item, ctx)
            if v is True:
                excluded.append(ex.id)
                notes.append(f"excluded: {ex.note}")
            elif v is None:
                facts = ", ".join(m)
                notes.append(f"exclusion '{ex.id}' ({ex.note}) not established; "
                             f"stating {facts} could release the item")
    category = entry.category
    treated = False
    if status is not False and not excluded and entry.treatment is not None:
        node, note = entry.treatment
        v, m = node.evaluate(item, ctx)
        if v is True:
            category, treated = "II", True
            notes.append(f"treated as Category II: {note}")
        elif v is None:
            notes.append(f"may be treated as Category II ({note}) if {', '.join(m)} "
                         "were stated; until then Category I")
    comps = tuple(ctx.comparisons[start_c:])
    notes = [t for (eid, t) in ctx.notes[start_n:] if eid == entry.id] + notes
    if excluded:
        status, missing = False, NO_MISSING
    return EntryResult(entry, status, category, missing if status is None else NO_MISSING,
                       comps, tuple(notes), tuple(excluded), None, treated)


def classify(item: ItemView, annex: CompiledAnnex, *, tradeoff: bool = True,
             exclude_items: frozenset[int] = frozenset()) -> Classification:
    """Classify one item against every entry that can apply to its kind."""
    ctx = EvalContext(annex, tradeoff=tradeoff)
    results: dict[str, EntryResult] = {}
    for entry in annex.candidates(item.kind):
        if entry.criteria is None or int(entry.id.split(".", 1)[0]) in exclude_items:
            continue
        results[entry.id] = _evaluate_entry(entry, item, ctx, annex)
    # supersession: an entry ("not specified in 1.A.1") gives way to a definite match of
    # the entry it defers to; this settles possible matches too
    for eid, r in list(results.items()):
        if r.status is not False and r.entry.superseded_by:
            for other in r.entry.superseded_by:
                o = results.get(other)
                if o is None and other in annex.entries:
                    o = _evaluate_entry(annex.entries[other], item, ctx, annex)
                if o is not None and o.status is True:
                    results[eid] = EntryResult(r.entry, False, r.category, NO_MISSING,
                                               r.comparisons, r.notes, r.excluded_by, other,
                                               r.treated_as_ii)
                    break
    evaluated = tuple(sorted(results.values(), key=lambda r: r.entry.order))
    matches = tuple(r for r in evaluated if r.status is True)
    possible = tuple(r for r in evaluated if r.status is None)
    definite = max((RANK[r.category] for r in matches), default=0)
    could = max((RANK[r.entry.category] for r in possible), default=0)

    incorporations: list[Incorporation] = []
    subs: list[Classification] = []
    for sub in item.incorporates:
        sc = classify(sub, annex, tradeoff=tradeoff, exclude_items=exclude_items)
        subs.append(sc)
        insep = sub.facts.get("inseparable")
        if sc.category == "I":
            incorporations.append(Incorporation(sub.label, tuple(sc.entry_ids), insep, "I"))
            if insep is not True:
                definite = max(definite, RANK["I"])
        elif sc.category == "undetermined" and insep is not True:
            could = max(could, RANK["I"])
            incorporations.append(Incorporation(sub.label, tuple(sc.entry_ids), insep,
                                                "undetermined"))

    category: Category = "undetermined" if could > definite else _NAME[definite]  # type: ignore[assignment]
    missing: list[str] = []
    for r in possible:
        if RANK[r.entry.category] > definite or category == "undetermined":
            missing.extend(r.missing)
    for sc in subs:
        if sc.category == "undetermined":
            missing.extend(sc.missing)
    return Classification(category, matches, possible, evaluated,
                          tuple(dict.fromkeys(missing)), tuple(incorporations))
