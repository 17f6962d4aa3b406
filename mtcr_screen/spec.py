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
import re
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

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

from mtcr_screen.annex.compiled import CompiledAnnex, Tri
from mtcr_screen.classify import ItemView
from mtcr_screen.errors import Location, MtcrScreenError, SpecError, UnitError
from mtcr_screen.units import parse_quantity

CAS = re.compile(r"^\d{2,7}-\d{2}-\d$")
TRANSFER_KEYS = frozenset(
    {"destination", "end_user", "consignee", "intermediaries", "end_use", "red_flags",
     "reference", "items"}
)


class RedFlag(StrEnum):
    """End-use red flags. The three WMD flags trigger the catch-all (Guidelines ¶2, ¶7)."""

    WMD_DELIVERY_KNOWN = "wmd_delivery_known"
    WMD_DELIVERY_SUSPECTED = "wmd_delivery_suspected"
    WMD_DELIVERY_INFORMED = "wmd_delivery_informed"
    MISSILE_END_USE = "missile_end_use"
    END_USE_UNCLEAR = "end_use_unclear"
    DIVERSION_RISK = "diversion_risk"


WMD_FLAGS = frozenset(
    {RedFlag.WMD_DELIVERY_KNOWN, RedFlag.WMD_DELIVERY_SUSPECTED, RedFlag.WMD_DELIVERY_INFORMED}
)

RelationWord = Literal[
    "usable",
    "designed_or_modified",
    "specially_designed",
    "not_usable",
    "not_designed_or_modified",
    "not_specially_designed",
]


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
            if not re.match(r"^\d{1,2}(\.[A-E](\.[0-9a-z]{1,2})*)?$", t):
                raise ValueError(f"{t!r} is not an Annex entry id such as 2.A.1.c")
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
        if v is not None and not CAS.match(v.strip()):
            raise ValueError(f"{v!r} is not a CAS number such as 302-01-2")
        return None if v is None else v.strip()

    @field_validator("relations")
    @classmethod
    def _relations(cls, v: dict[str, Any]) -> dict[str, Any]:
        for target in v:
            if not re.match(r"^\d{1,2}(\.[A-E](\.[0-9a-z]{1,2})*)?$", target):
                raise ValueError(f"{target!r} is not an Annex entry id or group such as 1.A")
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
        if v is None:
            return None
        from mtcr_screen.countries import resolve

        try:
            return resolve(v, field="destination")
        except MtcrScreenError as exc:
            raise ValueError(exc.one_line().removeprefix("destination: ")) from None


# --------------------------------------------------------------------------- item views


def _levels(word: str | RelationLevels) -> tuple[Tri, Tri, Tri]:
    if isinstance(word, RelationLevels):
        u, d, s = word.usable, word.designed_or_modified, word.specially_designed
    else:
        u = d = s = None
        if word == "usable":
            u = True
        elif word == "designed_or_modified":
            u = d = True
        elif word == "specially_designed":
            u = d = s = True
        elif word == "not_usable":
            u = d = s = False
        elif word == "not_designed_or_modified":
            d = s = False
        elif word == "not_specially_designed":
            s = False
    # the levels nest: specially -> designed -> usable, and the negations run the other way
    if s is True:
        d = True
    if d is True:
        u = True
    if u is False:
        d = False
    if d is False:
        s = False
    return (u, d, s)


def resolve_kind(kind: str, annex: CompiledAnnex) -> str:
    """The canonical kind name for a kind or alias, or SpecError naming the nearest."""
    if kind in annex.kinds:
        return kind
    if kind in annex.kind_aliases:
        return annex.kind_aliases[kind]
    import difflib

    near = difflib.get_close_matches(kind, [*annex.kinds, *annex.kind_aliases], n=3, cutoff=0.6)
    hint = ("did you mean " + " or ".join(near) + "?") if near else "see `mtcr-screen kinds`"
    raise SpecError(f"unknown kind {kind!r}", hint=hint)


def item_view(spec: ItemSpec, annex: CompiledAnnex, *, path: str = "",
              at: tuple[str | int, ...] = ()) -> ItemView:
    """Check an item against the vocabulary and convert its parameters; SpecError if bad.

    ``path`` prefixes messages (``incorporates[0].``); ``at`` is the item's position in
    the input document, carried on the error as ``path`` so the caller can name a line.
    """
    try:
        return _item_view(spec, annex, path, at)
    except SpecError as exc:
        if exc.path is None:
            exc.path = at
        raise


def _item_view(spec: ItemSpec, annex: CompiledAnnex, path: str,
               at: tuple[str | int, ...]) -> ItemView:
    p = f"{path}." if path else ""
    try:
        kind = resolve_kind(spec.kind, annex)
    except SpecError as exc:
        raise SpecError(f"{p}kind: {exc.message}", hint=exc.hint, path=(*at, "kind")) from None
    kinfo = annex.kinds[kind]
    params: dict[str, float] = {}
    given: dict[str, str] = {}
    for name, raw in spec.parameters.items():
        info = annex.parameters.get(name)
        if info is None or name not in kinfo.parameters:
            import difflib

            near = difflib.get_close_matches(name, kinfo.parameters, n=3, cutoff=0.5)
            hint = ("did you mean " + " or ".join(near) + "?") if near else (
                f"parameters of {kind}: {', '.join(kinfo.parameters) or 'none'}"
            )
            raise SpecError(f"{p}parameters.{name}: unknown parameter for kind {kind}",
                            hint=hint, path=(*at, "parameters", name))
        try:
            q = parse_quantity(raw, unit=info.unit, dimension=info.dimension,
                               name=f"{p}parameters.{name}", allow_negative=info.allow_negative)
        except UnitError as exc:
            exc.path = (*at, "parameters", name)
            raise
        params[name] = q.value
        given[name] = raw if isinstance(raw, str) else f"{raw}"
    for fact in spec.facts:
        if fact not in annex.facts:
            import difflib

            near = difflib.get_close_matches(fact, list(annex.facts), n=3, cutoff=0.6)
            raise SpecError(f"{p}facts.{fact}: unknown fact",
                            hint=("did you mean " + " or ".join(near) + "?") if near
                            else "see `mtcr-screen kinds --facts`",
                            path=(*at, "facts", fact))
    relations = {t: _levels(w) for t, w in spec.relations.items()}
    subs = tuple(
        item_view(s, annex, path=f"{p}incorporates[{i}]", at=(*at, "incorporates", i))
        for i, s in enumerate(spec.incorporates)
    )
    sup = spec.supports
    return ItemView(
        kind=kind,
        params=params,
        given=given,
        facts=dict(spec.facts),
        relations=relations,
        cas=spec.cas,
        substance=spec.substance,
        supports_activities=None if sup is None or sup.activities is None
        else frozenset(sup.activities),
        supports_targets=None if sup is None or sup.targets is None else tuple(sup.targets),
        incorporates=subs,
        label=spec.id or spec.description or kind,
    )


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


def read_spec_file(path: str) -> tuple[Transfer, str, Any]:
    """Read a YAML or JSON spec file (``-`` for stdin): (transfer, text as given, raw data)."""
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
            data = json.loads(text, parse_constant=_reject_constant)
        except UnicodeDecodeError as exc:
            raise SpecError(f"not UTF-8 text (byte {exc.start})", location=source) from None
        except json.JSONDecodeError as exc:
            raise SpecError(f"malformed JSON: {exc.msg}",
                            location=Location(source, exc.lineno, exc.colno)) from None
        except RecursionError:
            raise SpecError("malformed JSON: nesting too deep", location=source) from None
        except ValueError as exc:
            raise SpecError(f"malformed JSON: {exc}", location=source) from None
        marks = None
    else:
        data, marks = yamlio.load(raw, source)
        text = raw.decode("utf-8-sig", errors="replace")
    if data is None:
        raise SpecError("the spec is empty", location=source,
                        hint="give at least 'kind' and 'parameters'")
    return transfer_from_data(data, source, marks), text, data


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def parse_key_values(values: tuple[str, ...], option: str) -> dict[str, str]:
    """``("range=450km", "payload=600 kg")`` -> dict; SpecError on a malformed pair."""
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise SpecError(f"{option} {v!r}: expected NAME=VALUE", location=option)
        k, _, val = v.partition("=")
        k, val = k.strip(), val.strip()
        if not k or not val:
            raise SpecError(f"{option} {v!r}: expected NAME=VALUE", location=option)
        if k in out:
            raise SpecError(f"{option} {k!r} given twice", location=option)
        out[k] = val
    return out


def _bool(text: str, where: str) -> bool:
    t = text.strip().lower()
    if t in ("true", "yes", "y", "1"):
        return True
    if t in ("false", "no", "n", "0"):
        return False
    raise SpecError(f"{where}: expected true or false, got {text!r}", location=where)


def transfer_from_flags(
    *,
    kind: str,
    params: tuple[str, ...],
    facts: tuple[str, ...],
    relations: tuple[str, ...],
    destination: str | None,
    end_use: str | None,
    end_user: str | None,
    red_flags: tuple[str, ...],
    cas: str | None,
    substance: str | None,
    description: str | None,
) -> tuple[Transfer, str, dict[str, Any]]:
    """Build a transfer from ``screen --kind ... --param ...`` flags."""
    data: dict[str, Any] = {"kind": kind}
    if description:
        data["description"] = description
    p = parse_key_values(params, "--param")
    if p:
        data["parameters"] = p
    f = {k: _bool(v, f"--fact {k}") for k, v in parse_key_values(facts, "--fact").items()}
    if f:
        data["facts"] = f
    r = parse_key_values(relations, "--relation")
    if r:
        data["relations"] = r
    if cas:
        data["cas"] = cas
    if substance:
        data["substance"] = substance
    if destination:
        data["destination"] = destination
    if end_use:
        data["end_use"] = end_use
    if end_user:
        data["end_user"] = end_user
    if red_flags:
        data["red_flags"] = list(red_flags)
    text = json.dumps(data, sort_keys=True)
    return transfer_from_data(data, "command line"), text, data


def input_digest(text: str) -> str:
    """sha256 of the input as given."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
