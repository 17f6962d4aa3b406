"""The manifest layout: what each column means, read by name from the header.

Columns (names are matched without surrounding spaces and, except for the entry id in
``relation.<entry>``, without regard to case):

* ``id``, ``kind``, ``description``, ``quantity``, ``destination``, ``end_use``,
  ``end_user``, ``consignee``, ``cas``, ``substance``;
* ``red_flags``, ``supports.activities``, ``supports.targets``: ``;``-separated lists;
* ``fact.<name>``: ``true``/``false`` (also yes/no, 1/0); empty is unknown;
* ``relation.<entry>``: ``usable``, ``specially_designed``... (e.g. ``relation.1.A``);
* any other column named as a parameter of the vocabulary: a value with its unit.

An empty cell means "not given". Any other column is unknown: :class:`Layout` lists them
so that the command can warn once; their cells are ignored.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.errors import ManifestError

SCALAR_ITEM = ("description", "quantity", "cas", "substance")
SCALAR_TRANSFER = ("destination", "end_use", "end_user", "consignee")
LISTS = ("red_flags", "supports.activities", "supports.targets")
IDENTITY = ("id", "description", "quantity")
FIXED = frozenset({"id", "kind", *SCALAR_ITEM, *SCALAR_TRANSFER, *LISTS})
TRUE = frozenset({"true", "yes", "y", "1"})
FALSE = frozenset({"false", "no", "n", "0"})


class RowProblem(Exception):
    """A cell that cannot be read; the row is rejected with this column and reason."""

    def __init__(self, column: str | None, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Field:
    """One known column: its index, its header as written, and what it feeds."""

    index: int
    header: str
    role: str  # "id", "kind", a SCALAR_*/LISTS name, "fact", "relation", "param"
    name: str  # the fact, relation target or parameter name; else the role


class Layout:
    """The columns of one manifest, classified once from its header."""

    def __init__(self, columns: Sequence[str], annex: CompiledAnnex, source: str) -> None:
        self.columns = tuple(columns)
        fields: list[Field] = []
        unknown: list[str] = []
        seen: dict[str, int] = {}
        for i, raw in enumerate(self.columns):
            name = raw.strip()
            key = name.lower()
            if not name:
                unknown.append(f"(column {i + 1}, no name)")
                continue
            dup = key if not key.startswith("relation.") else "relation." + name[9:]
            if dup in seen:
                raise ManifestError(f"column {name!r} appears twice (columns {seen[dup] + 1} "
                                    f"and {i + 1})", location=source)
            seen[dup] = i
            if key in FIXED:
                fields.append(Field(i, name, key, key))
            elif key.startswith("fact.") and key[5:] in annex.facts:
                fields.append(Field(i, name, "fact", key[5:]))
            elif key.startswith("relation.") and len(name) > 9:
                fields.append(Field(i, name, "relation", name[9:].strip()))
            elif key in annex.parameters:
                fields.append(Field(i, name, "param", key))
            else:
                unknown.append(name + _near(key, annex))
        if not any(f.role == "kind" for f in fields):
            raise ManifestError(self._no_kind(annex), location=source,
                                hint="the first row must name the columns: id, kind, "
                                "destination, description, then parameters such as range")
        self.fields = tuple(fields)
        self.unknown = tuple(unknown)
        self.id_index = next((f.index for f in fields if f.role == "id"), None)
        self.description_index = next((f.index for f in fields if f.role == "description"),
                                      None)
        self.kind_index = next(f.index for f in fields if f.role == "kind")
        self.quantity = next((f for f in fields if f.role == "quantity"), None)
        self._by_path: dict[tuple[str | int, ...], str] = {}
        for f in fields:
            self._by_path[self._path(f)] = f.header

    def _no_kind(self, annex: CompiledAnnex) -> str:
        names = {c.strip().lower() for c in self.columns}
        if names & (set(annex.kinds) | set(annex.kind_aliases)):
            return "no header row: the first row looks like data"
        return "no 'kind' column in the header row"

    @staticmethod
    def _path(f: Field) -> tuple[str | int, ...]:
        if f.role in SCALAR_TRANSFER or f.role == "red_flags":
            return (f.role,)
        if f.role == "param":
            return ("items", 0, "parameters", f.name)
        if f.role == "fact":
            return ("items", 0, "facts", f.name)
        if f.role == "relation":
            return ("items", 0, "relations", f.name)
        if f.role.startswith("supports."):
            return ("items", 0, "supports", f.role[9:])
        return ("items", 0, f.role)

    def key_getter(self, *, with_identity: bool) -> Any:
        """A fast function of a row's cells giving the tuple that decides its outcome.

        Identity columns (``id``, ``description``, ``quantity``: no rule reads them) are
        left out unless asked for, so identical items on different rows share one outcome.
        """
        skip = set() if with_identity else set(IDENTITY)
        return _tuple_getter([f.index for f in self.fields if f.role not in skip])

    def loose_getter(self, *, with_identity: bool) -> Any:
        """A fast function of a row's cells giving the cells outside :meth:`key_getter`'s
        tuple (identity and ignored columns), or None when there are none: rows with the
        same key share an outcome, but these cells are each row's own."""
        skip = set() if with_identity else set(IDENTITY)
        keyed = {f.index for f in self.fields if f.role not in skip}
        loose = [i for i in range(len(self.columns)) if i not in keyed]
        return _tuple_getter(loose) if loose else None

    def part_keys(self, *, with_identity: bool) -> tuple[Any, Any]:
        """Two fast functions of a row's cells: the tuple of its item columns and the tuple
        of its transfer columns (destination, parties, end use, red flags). Together they
        hold the cells of :meth:`key_getter`'s tuple."""
        skip = set() if with_identity else set(IDENTITY)
        transfer = {*SCALAR_TRANSFER, "red_flags"}
        return (_tuple_getter([f.index for f in self.fields
                               if f.role not in skip and f.role not in transfer]),
                _tuple_getter([f.index for f in self.fields if f.role in transfer]))

    def column_of(self, path: Sequence[str | int] | None) -> str | None:
        """The header of the column an error path points at (longest known prefix)."""
        if not path:
            return None
        p = tuple(path)
        while p:
            if p in self._by_path:
                return self._by_path[p]
            p = p[:-1]
        return None

    def data(self, cells: Sequence[str], *, with_identity: bool) -> dict[str, Any]:
        """The transfer data (as a spec file would hold it) for one row's cells."""
        item: dict[str, Any] = {}
        transfer: dict[str, Any] = {}
        params: dict[str, str] = {}
        facts: dict[str, bool] = {}
        relations: dict[str, str] = {}
        supports: dict[str, list[str]] = {}
        for f in self.fields:
            value = cells[f.index].strip()
            if not value:
                continue
            role = f.role
            if role == "param":
                params[f.name] = value
            elif role == "kind":
                item["kind"] = value
            elif role == "id" or role == "description":
                if with_identity:
                    item[role] = value
            elif role == "quantity":
                if with_identity:
                    item[role] = int(value) if value.isdecimal() else value
            elif role == "fact":
                low = value.lower()
                if low in TRUE:
                    facts[f.name] = True
                elif low in FALSE:
                    facts[f.name] = False
                else:
                    raise RowProblem(f.header, f"expected true or false (or empty for "
                                     f"unknown), got {value!r}")
            elif role == "relation":
                relations[f.name] = value.lower()
            elif role in SCALAR_TRANSFER:
                transfer[role] = value
            elif role == "red_flags":
                transfer[role] = _split(value)
            elif role.startswith("supports."):
                supports[role[9:]] = _split(value)
            else:
                item[role] = value
        if "kind" not in item:
            raise RowProblem(self.columns[self.kind_index].strip(), "no kind given")
        if params:
            item["parameters"] = params
        if facts:
            item["facts"] = facts
        if relations:
            item["relations"] = relations
        if supports:
            item["supports"] = supports
        transfer["items"] = [item]
        return transfer


def _tuple_getter(idx: list[int]) -> Any:
    """``cells -> tuple(cells[i] for i in idx)``, fast (itemgetter gives a bare value for
    one index and fails for none)."""
    if not idx:
        return lambda cells: ()
    if len(idx) == 1:
        i = idx[0]
        return lambda cells: (cells[i],)
    return itemgetter(*idx)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _near(key: str, annex: CompiledAnnex) -> str:
    known = [*FIXED, *annex.parameters, *(f"fact.{f}" for f in annex.facts)]
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return f" (did you mean {near[0]}?)" if near else ""
