"""Screen manifest rows: cells -> transfer -> :class:`~mtcr_screen.engine.Engine` -> result.

The hot path is a dictionary look-up. Many manifests repeat the same item on many rows,
so the outcome of each distinct row content (every screening column, without ``id`` and
``description``) is computed once and kept in a bounded memo (first in, first out, so
memory stays flat). A memoised outcome is exactly what a fresh screening of the same cells
would give: the engine is a pure function of the Annex, the lists and the transfer.

Rows that differ go through the full, validating path: pydantic models, unit parsing
(each distinct unit string is resolved once, see :func:`mtcr_screen.units.conversion`)
and the engine. Nothing bypasses validation.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.batch.layout import Layout, RowProblem
from mtcr_screen.batch.results import Outcome, RejectedRow, RowResult
from mtcr_screen.classify import Classification, ItemView
from mtcr_screen.decision import Reason
from mtcr_screen.destinations import DestinationLists
from mtcr_screen.engine import Around, Engine
from mtcr_screen.errors import MtcrScreenError
from mtcr_screen.policy import RULES
from mtcr_screen.policy.base import CURRENT, Profile
from mtcr_screen.policy.memo import RuleMemo
from mtcr_screen.spec import ItemSpec, Transfer, resolve_kind
from mtcr_screen.specdata import ItemLike

if TYPE_CHECKING:
    from mtcr_screen.partyscreen import PartyScreening

#: the fields of a transfer besides its items
TRANSFER_FIELDS = tuple(name for name in Transfer.model_fields if name != "items")
#: an item that validates, to validate a transfer's own fields with
_PLACEHOLDER_ITEM = {"kind": "-"}


@dataclass(frozen=True, slots=True)
class _TransferPart:
    """A distinct transfer part of rows: its validated fields and its setting."""

    fields: dict[str, Any]
    around: Around
    reasons: tuple[Reason, ...]  # the setting's reasons, less list currency (POL505)


@dataclass(frozen=True, slots=True)
class _Early:
    """An item part rejected before anything of the transfer is looked at (its kind)."""

    rejection: tuple[str | None, str]


@dataclass(frozen=True, slots=True)
class _ItemPart:
    """A distinct item part of rows: validated and classified."""

    spec: ItemSpec
    view: ItemView
    result: Classification
    entries: tuple[str, ...]
    possible: tuple[str, ...]


#: a raw row as a reader gives it: (data row number, file line or None, cells)
RawRow = tuple[int, int | None, Sequence[str]]

#: distinct row contents remembered (an outcome is about 1-2 KB)
MEMO_SIZE = 20_000
#: distinct items whose classification is remembered (one is several KB: every entry's
#: evaluation); items repeat far more than whole rows do
ITEM_MEMO_SIZE = 2_048


def _reason(message: str, hint: str | None) -> str:
    text = f"{message} (hint: {hint})" if hint else message
    return " ".join(text.split())


class _MemoEngine(Engine):
    """The engine, with each distinct item's view and classification computed once, and
    each rule's reasons remembered by what the rule reads (:mod:`mtcr_screen.policy.memo`).

    The key is the item spec's JSON form, so two items share a classification only when
    every field is the same (the classification is a pure function of the spec).
    """

    def __init__(self, annex: CompiledAnnex, lists: DestinationLists | None,
                 profile: Profile, size: int, parties: PartyScreening | None = None) -> None:
        super().__init__(annex, lists, profile, parties)
        self._items: OrderedDict[str, tuple[ItemView, Classification]] = OrderedDict()
        self._size = size
        # identical items share classification objects, so rule results keyed by them
        # (and by the transfer fields each rule reads) serve many rows
        self.run_rules = RuleMemo(RULES).run

    def classify_item(self, spec: ItemLike,
                      at: tuple[str | int, ...]) -> tuple[ItemView, Classification]:
        """Memoised :meth:`Engine.classify_item` (errors are not memoised)."""
        key = spec.model_dump_json() if isinstance(spec, ItemSpec) else repr(spec)
        got = self._items.get(key)
        if got is None:
            got = super().classify_item(spec, at)
            self._items[key] = got
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return got


class RowScreener:
    """Turns the raw rows of one manifest into results, one per row, in order."""

    def __init__(self, annex: CompiledAnnex, lists: DestinationLists | None, layout: Layout,
                 *, detail: bool = False, profile: Profile = CURRENT,
                 memo_size: int = MEMO_SIZE, parties: PartyScreening | None = None) -> None:
        self.engine = _MemoEngine(annex, lists, profile, min(memo_size, ITEM_MEMO_SIZE),
                                  parties)
        self.annex = annex
        self.layout = layout
        self.detail = detail
        self.width = len(layout.columns)
        self._key = layout.key_getter(with_identity=detail)
        self._loose = layout.loose_getter(with_identity=detail)
        self._memo: OrderedDict[Any, Outcome | tuple[str | None, str]] = OrderedDict()
        self._cells: dict[str, str] = {}  # one copy of each cell text in the memo's keys
        self._memo_size = memo_size
        self._id = layout.id_index
        # per-string checks (bounded: cleared when large)
        self._kinds: dict[str, str] = {}
        self._destinations: dict[str, str] = {}
        # the parts of distinct rows: a row is often new only as a combination of an item
        # seen before and a transfer (destination, parties, end use) seen before
        self._item_part, self._transfer_part = layout.part_keys(with_identity=detail)
        self._items: dict[Any, _ItemPart | _Early | tuple[str | None, str]] = {}
        self._transfers: dict[Any, _TransferPart | tuple[str | None, str]] = {}
        self._desc = layout.description_index
        qty = layout.quantity
        self._qty = None if qty is None else qty.index
        self._qty_header = "" if qty is None else qty.header
        from mtcr_screen.yamlio import Limits

        #: the longest cell screened (the text-value limit of spec files, docs/limits.md)
        self.max_cell = Limits.from_env().max_string

    def screen(self, row: int, line: int | None, cells: Sequence[str]) -> RowResult:
        """One row's result; never raises for bad row content."""
        if len(cells) != self.width:
            reason = getattr(cells, "reason", None) or (
                f"the row has {len(cells)} cells but the header has {self.width} columns")
            return self._rejected(row, line, cells, getattr(cells, "column", None), reason)
        if max(map(len, cells), default=0) > self.max_cell:
            i = next(i for i, c in enumerate(cells) if len(c) > self.max_cell)
            return self._rejected(row, line, cells, self.layout.columns[i],
                                  f"a cell of {len(cells[i]):,} characters is over the limit "
                                  f"of {self.max_cell:,} (MTCR_SCREEN_MAX_STRING)")
        key = self._key(cells)
        found = self._memo.get(key)
        if found is None:
            found = self._evaluate(cells)
            # the memo keeps one copy of each cell text: comparing a row with a remembered
            # key then reads a few hot strings, not some 20 of its own (a smaller working
            # set, which two processes sharing a cache feel most)
            pool = self._cells
            if len(pool) > 4 * self._memo_size:
                pool.clear()  # (bounded: rows that are all different share few cells)
            self._memo[tuple(pool.setdefault(c, c) for c in key)] = found
            if len(self._memo) > self._memo_size:
                self._memo.popitem(last=False)
                if max(len(self._kinds), len(self._destinations),
                       len(self._transfers)) > self._memo_size:
                    self._kinds.clear()
                    self._destinations.clear()
                    self._transfers.clear()
        if self._qty is not None:
            q = cells[self._qty]
            if q and not q.strip().isdecimal() and q.strip():
                return self._rejected(row, line, cells, self._qty_header,
                                      f"expected a whole number, got {q.strip()!r}")
        ident = cells[self._id].strip() if self._id is not None else ""
        desc = cells[self._desc].strip() or None if self._desc is not None else None
        if isinstance(found, Outcome):
            return RowResult(row, line, ident or str(row), desc, cells, found)
        return RowResult(row, line, ident or str(row), desc, cells,
                         None, RejectedRow(row, found[0], found[1]))

    def screen_rows(self, rows: Iterable[RawRow]) -> Iterator[RowResult]:
        """Results for many rows, in order.

        The loop inlines :meth:`screen` for the common case (a well-formed row whose
        content was seen before) and hands every other row to it.
        """
        screen = self.screen
        width, key_of, get = self.width, self._key, self._memo.get
        idi, di, qi, longest, loose = self._id, self._desc, self._qty, self.max_cell, \
            self._loose
        new = tuple.__new__
        if idi is None or di is None:
            for row, line, cells in rows:
                yield screen(row, line, cells)
            return
        for row, line, cells in rows:
            if len(cells) != width:
                yield screen(row, line, cells)
                continue
            if qi is not None:
                q = cells[qi]
                if q and not q.isdecimal():
                    yield screen(row, line, cells)
                    continue
            found = get(key_of(cells))
            if found.__class__ is not Outcome or (
                    loose is not None and max(map(len, loose(cells))) > longest):
                # new content, or a cell of the row's own (id, description, an ignored
                # column) over the limit: the content's cells were checked when it was
                # first screened
                yield screen(row, line, cells)
                continue
            # RowResult(...), without the named tuple's Python-level __new__
            yield new(RowResult, (row, line, cells[idi].strip() or str(row),
                                  cells[di].strip() or None, cells, found, None))

    def _rejected(self, row: int, line: int | None, cells: Sequence[str], column: str | None,
                  reason: str) -> RowResult:
        cells = getattr(cells, "cells", cells)  # a BadRecord's cells, when it has them
        ident = ""
        if self._id is not None and self._id < len(cells):
            ident = cells[self._id].strip()
        return RowResult(row, line, ident or str(row), None, cells, None,
                         RejectedRow(row, column, reason))

    def _evaluate(self, cells: Sequence[str]) -> Outcome | tuple[str | None, str]:
        """The outcome of one row content, or (column, reason) when it is rejected."""
        if not self.detail:
            return self._combine(cells)
        try:
            data = self.layout.data(cells, with_identity=True)
        except RowProblem as exc:
            return exc.column, exc.reason
        bad = self._kind_problem(data["items"][0]["kind"]) or \
            self._destination_problem(data.get("destination"))
        if bad is not None:
            return bad
        try:
            transfer = Transfer.model_validate(data)
        except ValidationError as exc:
            return self._validation(exc)
        try:
            decision = self.engine.screen(transfer)
        except MtcrScreenError as exc:
            return self._engine_error(exc)
        item = decision.items[0]
        return Outcome(
            kind=item.kind,
            destination=decision.destination,
            recommendation=decision.recommendation,
            category=decision.category,
            entries=item.entries,
            possible=tuple(p.id for p in item.possible_entries),
            missing=item.missing,
            # list currency (POL505) is about the run, not the row: the batch reports it once
            rationale=tuple(r for r in decision.rationale + item.rationale
                            if r.code != "POL505"),
            decision=decision.to_dict(),
        )

    def _combine(self, cells: Sequence[str]) -> Outcome | tuple[str | None, str]:
        """A row's outcome from its transfer part and its item part, each checked,
        validated (and the item classified) once; exactly what validating the whole row
        and :meth:`Engine.screen` give, rejections included.

        The first reason for a rejection is the one the whole row gives: an unreadable
        cell or an unknown kind, then an unknown destination, then the transfer's fields,
        then the item's (pydantic reports fields in order), then its classification.
        """
        tkey = self._transfer_part(cells)
        ikey = self._item_part(cells)
        part = self._transfers.get(tkey)
        item = self._items.get(ikey)
        if part is None or item is None:
            try:
                data = self.layout.data(cells, with_identity=False)
            except RowProblem as exc:  # an item's cell (a fact, the kind): not kept
                return exc.column, exc.reason
            if item is None:
                if len(self._items) >= ITEM_MEMO_SIZE:
                    self._items.clear()
                item = self._items[ikey] = self._item_stage(data["items"][0])
            if part is None:
                part = self._transfers[tkey] = self._transfer_stage(data)
        if isinstance(item, _Early):
            return item.rejection
        if not isinstance(part, _TransferPart):
            return part
        if not isinstance(item, _ItemPart):
            return item
        transfer = Transfer.model_construct(items=[item.spec], **part.fields)
        rec, reasons = self.engine.decide_item(0, item.spec, item.view, item.result,
                                               transfer, part.around)
        return Outcome(
            kind=item.view.kind,
            destination=part.fields["destination"],
            recommendation=part.around.overall([rec]),
            category=item.result.category,
            entries=item.entries,
            possible=item.possible,
            missing=item.result.missing,
            # list currency (POL505) is about the run, not the row: the batch reports it once
            rationale=part.reasons + tuple(r for r in reasons if r.code != "POL505"),
        )

    def _transfer_stage(self, data: dict[str, Any]) -> _TransferPart | tuple[str | None, str]:
        """A row's transfer fields validated (beside a placeholder item, which cannot
        fail), and what the engine screens items in."""
        bad = self._destination_problem(data.get("destination"))
        if bad is not None:
            return bad
        fields = {k: v for k, v in data.items() if k != "items"}
        try:
            transfer = Transfer.model_validate({**fields, "items": [_PLACEHOLDER_ITEM]})
        except ValidationError as exc:
            return self._validation(exc)
        around = self.engine.around(transfer)
        return _TransferPart({name: getattr(transfer, name) for name in TRANSFER_FIELDS},
                             around, tuple(r for r in around.reasons if r.code != "POL505"))

    def _item_stage(self, data: dict[str, Any]) -> _ItemPart | _Early | tuple[str | None, str]:
        """A row's item checked, validated and classified."""
        bad = self._kind_problem(data["kind"])
        if bad is not None:
            return _Early(bad)
        try:
            spec = ItemSpec.model_validate(data)
        except ValidationError as exc:
            return self._validation(exc, ("items", 0))
        try:
            view, result = Engine.classify_item(self.engine, spec, ("items", 0))
        except MtcrScreenError as exc:
            return self._engine_error(exc)
        return _ItemPart(spec, view, result, tuple(result.entry_ids),
                         tuple(r.id for r in result.possible))

    def _engine_error(self, exc: MtcrScreenError) -> tuple[str | None, str]:
        column = self.layout.column_of(exc.path)
        message = exc.message
        if column is not None:
            # the column is named beside the reason: "range", not "parameters.range"
            message = _strip_path(message).replace("parameters.", "")
        return column, _reason(message, exc.hint)

    def _kind_problem(self, kind: str) -> tuple[str | None, str] | None:
        """Reject an unknown kind from a per-string cache: the message suggests near
        names, which is slow to work out for every row."""
        found = self._kinds.get(kind)
        if found is None:
            try:
                resolve_kind(kind, self.annex)
                found = ""
            except MtcrScreenError as exc:
                found = _reason(exc.message, exc.hint)
            self._kinds[kind] = found
        return (self.layout.column_of(("items", 0, "kind")), found) if found else None

    def _destination_problem(self, dest: str | None) -> tuple[str | None, str] | None:
        """Reject an unknown destination from a per-string cache (as for kinds)."""
        if dest is None:
            return None
        found = self._destinations.get(dest)
        if found is None:
            from mtcr_screen.countries import resolve

            try:
                resolve(dest, field="destination")
                found = ""
            except MtcrScreenError as exc:
                found = _reason(exc.one_line().removeprefix("destination: "), None)
            self._destinations[dest] = found
        return (self.layout.column_of(("destination",)), found) if found else None

    def _validation(self, exc: ValidationError,
                    at: tuple[str | int, ...] = ()) -> tuple[str | None, str]:
        first = exc.errors(include_url=False)[0]
        loc = (*at, *first.get("loc", ()))
        column = self.layout.column_of(loc)
        ctx = first.get("ctx") or {}
        inner = ctx.get("error") if isinstance(ctx, dict) else None
        if isinstance(inner, MtcrScreenError):
            return column, _reason(inner.message, inner.hint)
        msg = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        return column, _reason(msg, None)


def _strip_path(message: str) -> str:
    """``parameters.range: '4 kg' is a mass...`` -> ``'4 kg' is a mass...`` (column named)."""
    head, sep, rest = message.partition(": ")
    if sep and " " not in head and head.split(".")[0] in ("parameters", "facts", "relations",
                                                           "kind", "supports"):
        return rest
    return message
