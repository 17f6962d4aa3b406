"""What an officer describes: items (kind, parameters, facts) and the transfer around them.

``ItemSpec`` and ``Transfer`` are pydantic models (extra keys forbidden). They are checked
against the Annex vocabulary by :func:`item_view`, which converts every parameter to its
canonical unit. Constructors read a YAML or JSON spec file, CLI flags, or a manifest row.

A spec file holds either one item with the transfer fields beside it::

    kind: rocket_system
    parameters: {range: 450 km, payload: 600 kg}
    destination: FR

or a transfer with ``items: [...]``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from mtcr_screen.errors import Location, SpecError
from mtcr_screen.specdata import (
    RELATION_WORDS,
    WMD_FLAGS,
    RedFlag,
    RelationWord,
    check_cas,
    check_destination,
    check_target,
    item_view,
    levels,
    parse_key_values,
    resolve_kind,
    transfer_from_flags,
)

if TYPE_CHECKING:
    from mtcr_screen.yamlio import Marks

__all__ = [
    "RELATION_WORDS",
    "WMD_FLAGS",
    "ItemSpec",
    "RedFlag",
    "Transfer",
    "item_view",
    "levels",
    "parse_key_values",
    "read_spec_file",
    "resolve_kind",
    "transfer_from_data",
    "transfer_from_flags",
]

TRANSFER_KEYS = frozenset(
    {"destination", "end_user", "consignee", "intermediaries", "end_use", "red_flags",
     "reference", "items"}
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RelationLevels(_Strict):
    """Explicit answers for the three relation levels (omit a level to leave it unknown)."""

    usable: bool | None = None
    designed_or_modified: bool | None = None
    specially_designed: bool | None = None


class Supports(_Strict):
    """For software and technology: which activities, for which Annex entries."""

    activities: list[Literal["development", "production", "use"]] | None = None
    targets: list[str] | None = None

    @field_validator("targets")
    @classmethod
    def _targets(cls, v: list[str] | None) -> list[str] | None:
        for t in v or []:
            check_target(t)
        return v


class ItemSpec(_Strict):
    """One item: its kind, parameters with units, and the facts entries hinge on."""

    kind: str = Field(min_length=1)
    id: str | None = None
    description: str | None = None
    quantity: int | None = Field(default=None, ge=0)
    parameters: dict[str, StrictStr | StrictFloat | StrictInt] = Field(default_factory=dict)
    facts: dict[str, bool] = Field(default_factory=dict)
    relations: dict[str, RelationWord | RelationLevels] = Field(default_factory=dict)
    cas: str | None = None
    substance: str | None = None
    supports: Supports | None = None
    incorporates: list[ItemSpec] = Field(default_factory=list)
    vehicle: dict[str, Any] | None = None

    @field_validator("cas")
    @classmethod
    def _cas(cls, v: str | None) -> str | None:
        return None if v is None else check_cas(v)

    @field_validator("relations")
    @classmethod
    def _relations(cls, v: dict[str, Any]) -> dict[str, Any]:
        for target in v:
            check_target(target)
        return v


class Transfer(_Strict):
    """A proposed transfer: destination, parties, end use, red flags and items."""

    destination: str | None = None
    end_user: str | None = None
    consignee: str | None = None
    intermediaries: list[str] = Field(default_factory=list)
    end_use: str | None = None
    red_flags: list[RedFlag] = Field(default_factory=list)
    reference: str | None = None
    items: list[ItemSpec] = Field(min_length=1)

    @field_validator("destination")
    @classmethod
    def _destination(cls, v: str | None) -> str | None:
        return None if v is None else check_destination(v)


# --------------------------------------------------------------------------- constructors


def _split_single(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(transfer fields, the single item's fields or None when ``items`` is given)."""
    if "items" in data:
        return data, None
    transfer = {k: v for k, v in data.items() if k in TRANSFER_KEYS}
    item = {k: v for k, v in data.items() if k not in TRANSFER_KEYS}
    return transfer, item


def transfer_from_data(data: Any, source: str, marks: Any = None) -> Transfer:
    """Validate parsed spec data (one item, or a transfer with items) into a Transfer."""
    from mtcr_screen import yamlio

    if not isinstance(data, dict):
        where = marks.location(()) if marks is not None else Location(source)
        raise SpecError("a spec must be a mapping with at least 'kind', or 'items'",
                        location=where)
    from mtcr_screen.yamlio import Limits

    items = data.get("items")
    max_items = Limits.from_env().max_items
    if isinstance(items, list) and len(items) > max_items:
        where = marks.location(("items",)) if marks is not None else Location(source)
        raise SpecError(f"items: {len(items):,} items, over the limit of {max_items:,}",
                        location=where, hint="raise MTCR_SCREEN_MAX_ITEMS if this is intended")
    transfer_data, item_data = _split_single(data)
    full = {**transfer_data, "items": [item_data]} if item_data is not None else transfer_data
    try:
        return Transfer.model_validate(full)
    except ValidationError as exc:
        if item_data is not None:
            # report paths as the user wrote them: not items[0].x but x
            first = exc.errors(include_url=False)[0]
            loc = tuple(first.get("loc", ()))
            if loc[:2] == ("items", 0):
                err = yamlio.pydantic_error(_Reloc(exc, 2), item_data, marks, source, SpecError)
            else:
                err = yamlio.pydantic_error(exc, full, marks, source, SpecError)
        else:
            err = yamlio.pydantic_error(exc, full, marks, source, SpecError)
        raise err from None


class _Reloc:
    """A pydantic error list with its locations shortened (single-item spec form)."""

    def __init__(self, exc: ValidationError, drop: int) -> None:
        self._errors = exc.errors(include_url=False)
        self._drop = drop

    def errors(self, include_url: bool = False) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for err in self._errors:
            e: dict[str, Any] = dict(err)
            loc = tuple(e.get("loc", ()))
            if loc[:2] == ("items", 0):
                e["loc"] = loc[self._drop:]
            out.append(e)
        return out


def read_spec_file(path: str) -> tuple[Transfer, str, Any, Marks | None]:
    """Read a YAML or JSON spec file (``-`` for stdin): (transfer, text as given, raw data,
    YAML node marks; None for JSON)."""
    import sys

    from mtcr_screen import yamlio

    if path == "-":
        raw = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise SpecError("no such file", location=path) from None
        except IsADirectoryError:
            raise SpecError("is a folder, not a spec file", location=path) from None
        except OSError as exc:
            raise SpecError(f"cannot read: {exc.strerror}", location=path) from None
        source = path
    if path.endswith(".json"):
        limits = yamlio.Limits.from_env()
        if len(raw) > limits.max_bytes:
            raise SpecError(f"input is {len(raw):,} bytes, over the limit of "
                            f"{limits.max_bytes:,}", location=source)
        try:
            text = raw.decode("utf-8-sig")
            data = json.loads(text, parse_constant=_reject_constant,
                              object_pairs_hook=_no_duplicates)
        except UnicodeDecodeError as exc:
            raise SpecError(f"not UTF-8 text (byte {exc.start})", location=source) from None
        except json.JSONDecodeError as exc:
            raise SpecError(f"malformed JSON: {exc.msg}",
                            location=Location(source, exc.lineno, exc.colno)) from None
        except _DuplicateKey as exc:
            raise SpecError(f"duplicate key {exc.args[0]!r}",
                            location=_duplicate_location(text, exc.args[0], source)) from None
        except RecursionError:
            raise SpecError("malformed JSON: nesting too deep", location=source) from None
        except ValueError as exc:
            raise SpecError(f"malformed JSON: {exc}", location=source) from None
        yamlio.check_tree(data, source, limits)
        marks = None
    else:
        data, marks = yamlio.load(raw, source)
        text = raw.decode("utf-8-sig", errors="replace")
    if data is None:
        raise SpecError("the spec is empty", location=source,
                        hint="give at least 'kind' and 'parameters'")
    return transfer_from_data(data, source, marks), text, data, marks


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _duplicate_location(text: str, key: str, source: str) -> Location:
    """Where a duplicate JSON key is written the second time (best effort: line, column)."""
    import re

    hits = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    if len(hits) < 2:
        return Location(source)
    pos = hits[1]
    line = text.count("\n", 0, pos) + 1
    return Location(source, line, pos - (text.rfind("\n", 0, pos) + 1) + 1)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def input_digest(text: str) -> str:
    """sha256 of the input as given."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
