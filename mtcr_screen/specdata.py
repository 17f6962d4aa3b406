"""The item and transfer shapes the engine reads, without pydantic.

The engine needs only attribute access to an item (``kind``, ``parameters``, ``facts``...)
and a transfer (``destination``, ``items``...). Two things provide it:

* the pydantic models :class:`mtcr_screen.spec.ItemSpec` and ``Transfer``, which validate
  spec files and manifest rows; and
* the frozen dataclasses here, built by :func:`transfer_from_flags` for
  ``screen --kind ... --param ...``, whose values click has already split and whose checks
  are the same functions the pydantic validators call. Keeping pydantic's model machinery
  off this path is what keeps a one-item screen at start-up speed.

:func:`item_view` checks an item against the Annex vocabulary and converts its parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol, get_args

from mtcr_screen.annex.compiled import CompiledAnnex, Tri
from mtcr_screen.classify import ItemView
from mtcr_screen.errors import MtcrScreenError, SpecError
from mtcr_screen.units import parse_quantity

CAS = re.compile(r"^\d{2,7}-\d{2}-\d$")
TARGET = re.compile(r"^\d{1,2}(\.[A-E](\.[0-9a-z]{1,2})*)?$")
RelationWord = Literal[
    "usable",
    "designed_or_modified",
    "specially_designed",
    "not_usable",
    "not_designed_or_modified",
    "not_specially_designed",
]
RELATION_WORDS: tuple[str, ...] = get_args(RelationWord)
ACTIVITIES = ("development", "production", "use")


class RedFlag(StrEnum):
    """End-use red flags. The three WMD flags trigger the catch-all (Guidelines ¶2, ¶7);
    ``partner_denial``: an MTCR partner has denied an essentially identical transfer (the
    regime's "no undercut" practice)."""

    WMD_DELIVERY_KNOWN = "wmd_delivery_known"
    WMD_DELIVERY_SUSPECTED = "wmd_delivery_suspected"
    WMD_DELIVERY_INFORMED = "wmd_delivery_informed"
    MISSILE_END_USE = "missile_end_use"
    END_USE_UNCLEAR = "end_use_unclear"
    DIVERSION_RISK = "diversion_risk"
    PARTNER_DENIAL = "partner_denial"


WMD_FLAGS = frozenset(
    {RedFlag.WMD_DELIVERY_KNOWN, RedFlag.WMD_DELIVERY_SUSPECTED, RedFlag.WMD_DELIVERY_INFORMED}
)


# --------------------------------------------------------------------------- shared checks


def check_cas(value: str) -> str:
    """A CAS number such as 302-01-2, stripped; ValueError otherwise."""
    v = value.strip()
    if not CAS.match(v):
        raise ValueError(f"{value!r} is not a CAS number such as 302-01-2")
    return v


def check_target(value: str) -> str:
    """An Annex entry id or group such as 1.A or 2.A.1.c; ValueError otherwise."""
    if not TARGET.match(value):
        raise ValueError(f"{value!r} is not an Annex entry id or group such as 1.A")
    return value


def check_destination(value: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code, name or alias; ValueError otherwise."""
    from mtcr_screen.countries import resolve

    try:
        return resolve(value, field="destination")
    except MtcrScreenError as exc:
        raise ValueError(exc.one_line().removeprefix("destination: ")) from None


# --------------------------------------------------------------------------- protocols


class SupportsLike(Protocol):
    """What software or technology is for."""

    @property
    def activities(self) -> Sequence[str] | None: ...
    @property
    def targets(self) -> Sequence[str] | None: ...


class ItemLike(Protocol):
    """An item as the engine reads it."""

    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def parameters(self) -> dict[str, Any]: ...
    @property
    def facts(self) -> dict[str, bool]: ...
    @property
    def relations(self) -> dict[str, Any]: ...
    @property
    def cas(self) -> str | None: ...
    @property
    def substance(self) -> str | None: ...
    @property
    def supports(self) -> SupportsLike | None: ...
    @property
    def incorporates(self) -> Sequence[ItemLike]: ...


class TransferLike(Protocol):
    """A transfer as the engine reads it."""

    @property
    def destination(self) -> str | None: ...
    @property
    def end_user(self) -> str | None: ...
    @property
    def consignee(self) -> str | None: ...
    @property
    def intermediaries(self) -> Sequence[str]: ...
    @property
    def end_use(self) -> str | None: ...
    @property
    def red_flags(self) -> Sequence[RedFlag]: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def items(self) -> Sequence[ItemLike]: ...


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class SupportsData:
    """What software or technology is for (plain form)."""

    activities: tuple[str, ...] | None = None
    targets: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class ItemData:
    """An item (plain form)."""

    kind: str
    id: str | None = None
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, bool] = field(default_factory=dict)
    relations: dict[str, Any] = field(default_factory=dict)
    cas: str | None = None
    substance: str | None = None
    supports: SupportsData | None = None
    incorporates: tuple[ItemData, ...] = ()
    vehicle: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class TransferData:
    """A transfer (plain form)."""

    items: tuple[ItemData, ...]
    destination: str | None = None
    end_user: str | None = None
    consignee: str | None = None
    intermediaries: tuple[str, ...] = ()
    end_use: str | None = None
    red_flags: tuple[RedFlag, ...] = ()
    reference: str | None = None


# --------------------------------------------------------------------------- item views


def levels(word: Any) -> tuple[Tri, Tri, Tri]:
    """(usable, designed_or_modified, specially_designed) from a relation word or levels."""
    if isinstance(word, str):
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
    else:
        u, d, s = word.usable, word.designed_or_modified, word.specially_designed
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


def _near(name: str, options: Sequence[str], cutoff: float = 0.6) -> str | None:
    import difflib

    near = difflib.get_close_matches(name, list(options), n=3, cutoff=cutoff)
    return ("did you mean " + " or ".join(near) + "?") if near else None


def resolve_kind(kind: str, annex: CompiledAnnex) -> str:
    """The canonical kind name for a kind or alias, or SpecError naming the nearest."""
    if kind in annex.kinds:
        return kind
    if kind in annex.kind_aliases:
        return annex.kind_aliases[kind]
    hint = _by_keyword(kind, annex) or _near(kind, [*annex.kinds, *annex.kind_aliases]) or \
        "see `mtcr-screen kinds`"
    raise SpecError(f"unknown kind {kind!r}", hint=hint)


def _by_keyword(kind: str, annex: CompiledAnnex) -> str | None:
    """The kinds a generic name is a keyword of (``adc``: the ADC kinds, one per form), so
    that the user picks the form; None when there are none."""
    import difflib

    def plain(text: str) -> str:
        return "".join(c for c in text.lower() if c.isalnum())

    word = plain(kind)
    found = [k.name for k in annex.kinds.values()
             if any(plain(w) == word or (len(word) >= 8 and difflib.SequenceMatcher(
                 None, plain(w), word).ratio() >= 0.9) for w in k.keywords)]
    if not found:
        return None
    return "it names several kinds; use the one that fits: " + ", ".join(sorted(found)) \
        if len(found) > 1 else f"did you mean {found[0]}?"


def item_view(spec: ItemLike, annex: CompiledAnnex, *, path: str = "",
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


def _item_view(spec: ItemLike, annex: CompiledAnnex, path: str,
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
            hint = _near(name, kinfo.parameters, 0.5) or (
                f"parameters of {kind}: {', '.join(kinfo.parameters) or 'none'}")
            raise SpecError(f"{p}parameters.{name}: unknown parameter for kind {kind}",
                            hint=hint, path=(*at, "parameters", name), key=True)
        try:
            q = parse_quantity(raw, unit=info.unit, dimension=info.dimension,
                               name=f"{p}parameters.{name}", allow_negative=info.allow_negative)
        except SpecError as exc:
            exc.path = (*at, "parameters", name)
            raise
        params[name] = q.value
        given[name] = raw if isinstance(raw, str) else f"{raw}"
    for fact in spec.facts:
        if fact not in annex.facts:
            raise SpecError(f"{p}facts.{fact}: unknown fact",
                            hint=_near(fact, list(annex.facts))
                            or "see `mtcr-screen kinds --facts`",
                            path=(*at, "facts", fact), key=True)
    relations = {t: levels(w) for t, w in spec.relations.items()}
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


# --------------------------------------------------------------------------- flags


def parse_key_values(values: Sequence[str], option: str) -> dict[str, str]:
    """``("range=450km", "payload=600 kg")`` -> dict; SpecError on a malformed pair."""
    out: dict[str, str] = {}
    for v in values:
        k, sep, val = v.partition("=")
        k, val = k.strip(), val.strip()
        if not sep or not k or not val:
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


def _checked(fn: Any, value: str, where: str) -> Any:
    try:
        return fn(value)
    except ValueError as exc:
        raise SpecError(str(exc), location=where) from None


def transfer_from_flags(
    *,
    kind: str,
    params: Sequence[str] = (),
    facts: Sequence[str] = (),
    relations: Sequence[str] = (),
    destination: str | None = None,
    end_use: str | None = None,
    end_user: str | None = None,
    red_flags: Sequence[str] = (),
    cas: str | None = None,
    substance: str | None = None,
    description: str | None = None,
) -> tuple[TransferData, str, dict[str, Any]]:
    """Build a transfer from ``screen --kind ... --param ...``: (transfer, text, data)."""
    rel = parse_key_values(relations, "--relation")
    for target, word in rel.items():
        _checked(check_target, target, "--relation")
        if word not in RELATION_WORDS:
            raise SpecError(f"--relation {target}={word}: expected one of "
                            + ", ".join(RELATION_WORDS), location="--relation")
    flags = []
    for f in red_flags:
        try:
            flags.append(RedFlag(f))
        except ValueError:
            raise SpecError(f"--red-flag {f!r}: expected one of "
                            + ", ".join(x.value for x in RedFlag), location="--red-flag") from None
    item = ItemData(
        kind=kind,
        description=description,
        parameters=parse_key_values(params, "--param"),
        facts={k: _bool(v, f"--fact {k}") for k, v in parse_key_values(facts, "--fact").items()},
        relations=rel,
        cas=None if cas is None else _checked(check_cas, cas, "--cas"),
        substance=substance,
    )
    transfer = TransferData(
        items=(item,),
        destination=None if destination is None else _checked(check_destination, destination,
                                                               "--to"),
        end_use=end_use,
        end_user=end_user,
        red_flags=tuple(flags),
    )
    data: dict[str, Any] = {"kind": kind}
    for key, value in (("description", description), ("parameters", item.parameters),
                       ("facts", item.facts), ("relations", rel), ("cas", item.cas),
                       ("substance", substance), ("destination", transfer.destination),
                       ("end_use", end_use), ("end_user", end_user),
                       ("red_flags", [str(f) for f in flags])):
        if value:
            data[key] = value
    return transfer, json.dumps(data, sort_keys=True), data
