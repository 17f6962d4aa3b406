"""The engine: a plain function of (Annex, lists, transfer) -> Decision. No I/O, no printing.

    >>> from mtcr_screen import load_annex, screen
    >>> decision = screen(load_annex(), {"kind": "rocket_system",
    ...                                  "parameters": {"range": "450 km", "payload": "600 kg"}})
    >>> decision.recommendation.value
    'presumption_of_denial'

``Engine`` keeps the Annex, lists and profile for repeated use (batch, sweeps); its
``screen`` method is pure and safe to map over partitions in another process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.classify import Classification, EntryResult, ItemView, classify
from mtcr_screen.decision import (
    Decision,
    EntryEvaluation,
    ItemDecision,
    PossibleEntry,
    Reason,
    Recommendation,
    most_severe,
)
from mtcr_screen.destinations import DestinationLists, ListHit, default_lists
from mtcr_screen.policy import list_currency, run_rules
from mtcr_screen.policy.base import CURRENT, Profile, RuleContext
from mtcr_screen.policy.common import comparison_text, headroom_text
from mtcr_screen.specdata import ItemLike, TransferLike, item_view

if TYPE_CHECKING:
    from mtcr_screen.partyscreen import PartyCheck, PartyScreening

_RANK = {"not_listed": 0, "II": 1, "undetermined": 1.5, "I": 2}


def _status(r: EntryResult) -> str:
    if r.excluded_by:
        return "excluded"
    if r.superseded_by:
        return "superseded"
    return {True: "match", False: "no_match", None: "possible"}[r.status]


def _evaluation(r: EntryResult) -> EntryEvaluation:
    notes = list(r.notes)
    if r.superseded_by:
        notes.append(f"superseded by {r.superseded_by}")
    return EntryEvaluation(
        id=r.id,
        title=r.entry.title,
        category=r.category,
        status=_status(r),
        comparisons=tuple({**c.to_dict(), "text": comparison_text(c),
                           "headroom_text": headroom_text(c)} for c in r.comparisons),
        notes=tuple(notes),
        provenance=f"{r.entry.provenance_status}: {r.entry.provenance_basis}",
        secondary=r.entry.secondary,
    )


def item_recommendation(reasons: Iterable[Reason]) -> Recommendation:
    """The most severe recommendation an item's reasons give. Fail closed: a
    classification no rule decided is never cleared."""
    recs = [r.recommendation for r in reasons if r.recommendation is not None]
    return most_severe(recs) if recs else Recommendation.INSUFFICIENT_INFORMATION


@dataclass(frozen=True, slots=True)
class Around:
    """A transfer's setting for its items (:meth:`Engine.around`)."""

    hits: tuple[ListHit, ...]
    reasons: tuple[Reason, ...]  # transfer-level reasons (list currency, the caller's)
    checks: tuple[PartyCheck, ...]
    extra: dict[str, object]

    def overall(self, item_recommendations: list[Recommendation]) -> Recommendation:
        """The transfer's recommendation: the most severe of its items' and its own."""
        return most_severe(item_recommendations + [
            r.recommendation for r in self.reasons if r.recommendation is not None])


class Engine:
    """Screens transfers against one Annex, one set of destination lists, one profile."""

    def __init__(self, annex: CompiledAnnex, lists: DestinationLists | None = None,
                 profile: Profile = CURRENT, parties: PartyScreening | None = None) -> None:
        self.annex = annex
        self.lists = lists if lists is not None else default_lists()
        self._list_reasons = list_currency.reasons(self.lists)  # stale-list warnings
        self.profile = profile
        self.parties = parties
        #: runs the rules for one item (batch remembers results: policy.memo.RuleMemo)
        self.run_rules: Callable[[RuleContext], list[Reason]] = run_rules

    def classify(self, spec: ItemLike, *, at: tuple[str | int, ...] = ()) -> Classification:
        """Classify one item spec (no policy)."""
        return self.classify_item(spec, at)[1]

    def classify_item(self, spec: ItemLike,
                      at: tuple[str | int, ...]) -> tuple[ItemView, Classification]:
        """The item's view and classification: a pure function of the spec (batch memoises
        it by overriding this method)."""
        view = item_view(spec, self.annex, at=at)
        return view, classify(view, self.annex, tradeoff=self.profile.tradeoff,
                              exclude_items=self.profile.exclude_items)

    def screen_data(self, data: Mapping[str, Any], source: str = "<data>") -> Decision:
        """Screen a transfer given as plain data (as a spec file holds it), validated."""
        from mtcr_screen.spec import transfer_from_data

        return self.screen(transfer_from_data(dict(data), source))

    def around(self, transfer: TransferLike, extra_reasons: tuple[Reason, ...] = ()) -> Around:
        """What a transfer's items are screened in: its destination's list hits, the
        transfer-level reasons and the party checks (no item is read)."""
        hits: tuple[ListHit, ...] = self.lists.check(transfer.destination)
        if hits or transfer.destination is not None:
            extra_reasons = (*self._list_reasons, *extra_reasons)
        checks: tuple[PartyCheck, ...] = ()
        extra: dict[str, object] = {}
        if self.parties is not None:
            checks = self.parties.check(transfer)
            extra = {"party_checks": checks, "party_threshold": self.parties.threshold,
                     "party_lists": [pl.name for pl in self.parties.lists]}
        return Around(hits, extra_reasons, checks, extra)

    def decide_item(self, index: int, spec: ItemLike, view: ItemView, result: Classification,
                    transfer: TransferLike,
                    around: Around) -> tuple[Recommendation, tuple[Reason, ...]]:
        """One classified item's recommendation and reasons: every rule, then the most
        severe recommendation they give."""
        ctx = RuleContext(index, spec, view, result, transfer, self.annex, around.hits,
                          self.profile, around.extra)
        reasons = self.run_rules(ctx)
        return item_recommendation(reasons), tuple(reasons)

    def screen(self, transfer: TransferLike, *,
               item_paths: list[tuple[str | int, ...]] | None = None,
               extra_reasons: tuple[Reason, ...] = (), evaluations: bool = True) -> Decision:
        """Screen a whole transfer: each item, then the most severe outcome.

        ``evaluations=False`` leaves out the per-entry evaluation records (batch's compact
        results do not show them); everything else is the same.
        """
        around = self.around(transfer, extra_reasons)
        extra_reasons, checks = around.reasons, around.checks
        items: list[ItemDecision] = []
        for index, spec in enumerate(transfer.items):
            at = item_paths[index] if item_paths else ("items", index)
            view, result = self.classify_item(spec, at)
            rec, reasons = self.decide_item(index, spec, view, result, transfer, around)
            items.append(ItemDecision(
                index=index,
                id=spec.id,
                kind=view.kind,
                description=spec.description,
                category=result.category,
                recommendation=rec,
                entries=tuple(result.entry_ids),
                possible_entries=tuple(
                    PossibleEntry(r.id, r.entry.category, r.entry.title, r.missing)
                    for r in result.possible
                ),
                missing=result.missing,
                rationale=reasons,
                evaluations=tuple(_evaluation(r) for r in result.evaluated) if evaluations
                else (),
                parameters=dict(view.given),
            ))
        top = max(items, key=lambda i: _RANK[i.category]).category
        rec = around.overall([i.recommendation for i in items])
        from mtcr_screen.countries import name_of

        dest = transfer.destination
        return Decision(
            recommendation=rec,
            category=top,
            items=tuple(items),
            rationale=tuple(extra_reasons),
            destination=dest,
            destination_name=None if dest is None else name_of(dest),
            annex_edition=self.annex.edition,
            annex_sha256=self.annex.sha256,
            profile=self.profile.name,
            lists=self.lists.consulted() + (self.parties.consulted() if self.parties else ()),
            parties=tuple(c.to_dict() for c in checks),
            reference=transfer.reference,
        )


def screen(annex: CompiledAnnex, transfer: TransferLike | Mapping[str, Any],
           lists: DestinationLists | None = None, profile: Profile = CURRENT) -> Decision:
    """Screen a transfer (a Transfer, or a plain dict as a spec file would hold it)."""
    if isinstance(transfer, Mapping):
        from mtcr_screen.spec import transfer_from_data

        transfer = transfer_from_data(dict(transfer), "<data>")
    return Engine(annex, lists, profile).screen(transfer)
