"""The compiled Annex: plain frozen objects the engine evaluates, cheap to cache and load.

Every criterion evaluates to ``True``, ``False`` or ``None`` (unknown) with Kleene logic,
and records what it compared. Thresholds are already converted to each parameter's
canonical unit, so evaluation is a float comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mtcr_screen.classify import EvalContext, ItemView

Tri = bool | None
Missing = tuple[str, ...]
NO_MISSING: Missing = ()

# Relation levels, from broadest to narrowest (Annex terminology (a)-(c)).
LEVELS = ("usable", "designed_or_modified", "specially_designed")
LEVEL_INDEX = {name: i for i, name in enumerate(LEVELS)}


def within(inner: str, outer: str) -> bool:
    """True when entry id or group ``inner`` lies inside ``outer`` (``2.A.1.c`` in ``2.A``)."""
    return inner == outer or inner.startswith(outer + ".")


class Node(Protocol):
    """A compiled criterion."""

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Three-valued result and the facts that would settle an unknown."""
        ...

    def describe(self) -> str:
        """A short human description of the criterion."""
        ...


@dataclass(frozen=True, slots=True)
class Comparison:
    """One parameter compared with one threshold, both with units."""

    entry: str
    param: str
    op: str
    threshold: float
    threshold_high: float | None
    unit: str
    value: float | None
    given: str | None
    result: Tri

    def headroom(self) -> dict[str, object] | None:
        """How far the value is from the threshold, in the unit and in percent.

        ``margin`` is positive when the value meets the threshold with room to spare and
        negative when it falls short (by that much, in ``unit``); for a window (``between``)
        it is the distance to the nearest edge, positive inside.
        """
        if self.value is None:
            return None
        v, t = self.value, self.threshold
        if self.op == "between":
            hi = self.threshold_high if self.threshold_high is not None else t
            margin = min(v - t, hi - v)
            ref = t if abs(v - t) <= abs(hi - v) else hi
        elif self.op in (">=", ">"):
            margin, ref = v - t, t
        elif self.op in ("<=", "<"):
            margin, ref = t - v, t
        else:
            margin, ref = -abs(v - t), t
        pct = None if ref == 0 else round(100.0 * margin / abs(ref), 6)
        return {"margin": round(margin, 9), "unit": self.unit, "percent": pct}

    def to_dict(self) -> dict[str, object]:
        """The JSON form."""
        d: dict[str, object] = {
            "entry": self.entry,
            "parameter": self.param,
            "value": self.value,
            "given": self.given,
            "op": self.op,
            "threshold": self.threshold,
            "unit": self.unit,
            "result": _tri_name(self.result),
            "headroom": self.headroom(),
        }
        if self.threshold_high is not None:
            d["threshold_high"] = self.threshold_high
        return d


def _tri_name(v: Tri) -> str:
    return "true" if v is True else "false" if v is False else "unknown"


def tri_and(values: list[tuple[Tri, Missing]]) -> tuple[Tri, Missing]:
    """Kleene AND; the missing facts are those of the unknown parts, if none is false."""
    missing: list[str] = []
    unknown = False
    for v, m in values:
        if v is False:
            return False, NO_MISSING
        if v is None:
            unknown = True
            missing.extend(m)
    return (None, tuple(dict.fromkeys(missing))) if unknown else (True, NO_MISSING)


def tri_or(values: list[tuple[Tri, Missing]]) -> tuple[Tri, Missing]:
    """Kleene OR; the missing facts are those of the unknown parts, if none is true."""
    missing: list[str] = []
    unknown = False
    for v, m in values:
        if v is True:
            return True, NO_MISSING
        if v is None:
            unknown = True
            missing.extend(m)
    return (None, tuple(dict.fromkeys(missing))) if unknown else (False, NO_MISSING)


@dataclass(frozen=True, slots=True)
class CAll:
    """All of the parts."""

    parts: tuple[Node, ...]

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Kleene AND; evaluates every part so the rationale shows every comparison."""
        return tri_and([p.evaluate(item, ctx) for p in self.parts])

    def describe(self) -> str:
        """All of the parts."""
        return "all of (" + "; ".join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True, slots=True)
class CAny:
    """Any of the parts."""

    parts: tuple[Node, ...]

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Kleene OR over every part."""
        return tri_or([p.evaluate(item, ctx) for p in self.parts])

    def describe(self) -> str:
        """Any of the parts."""
        return "any of (" + "; ".join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True, slots=True)
class CNot:
    """Not the part."""

    part: Node

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Kleene NOT."""
        v, m = self.part.evaluate(item, ctx)
        return (None, m) if v is None else (not v, NO_MISSING)

    def describe(self) -> str:
        """Not the part."""
        return f"not ({self.part.describe()})"


_OPS = {
    ">=": lambda v, t: v >= t - _tol(t),
    ">": lambda v, t: v > t + _tol(t),
    "<=": lambda v, t: v <= t + _tol(t),
    "<": lambda v, t: v < t - _tol(t),
    "==": lambda v, t: abs(v - t) <= _tol(t),
}


def _tol(t: float) -> float:
    # Conversions between units are exact only to ~1e-15; 1e-9 relative keeps a value given
    # in miles that equals 300 km on the threshold, without moving any real threshold.
    return abs(t) * 1e-9 + 1e-12


@dataclass(frozen=True, slots=True)
class CParam:
    """A parameter compared with a threshold in the parameter's canonical unit."""

    param: str
    op: str
    threshold: float
    threshold_high: float | None
    unit: str
    title: str

    def test(self, value: float) -> bool:
        """Compare a canonical value with the threshold."""
        if self.op == "between":
            hi = self.threshold_high if self.threshold_high is not None else self.threshold
            return value >= self.threshold - _tol(self.threshold) and value <= hi + _tol(hi)
        return bool(_OPS[self.op](value, self.threshold))

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Compare the item's value, or unknown when the item does not give it."""
        value = item.params.get(self.param)
        result: Tri = None if value is None else self.test(value)
        ctx.compare(self, value, item.given.get(self.param), result)
        return (None, (self.param,)) if result is None else (result, NO_MISSING)

    def describe(self) -> str:
        """``range >= 300 km``."""
        from mtcr_screen.units import format_quantity

        if self.op == "between":
            hi = self.threshold_high if self.threshold_high is not None else self.threshold
            return (f"{self.param} between {format_quantity(self.threshold, self.unit)} "
                    f"and {format_quantity(hi, self.unit)}")
        return f"{self.param} {self.op} {format_quantity(self.threshold, self.unit)}"


@dataclass(frozen=True, slots=True)
class CFact:
    """A yes/no fact."""

    fact: str
    expected: bool

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """True when the item states the fact as expected."""
        v = item.facts.get(self.fact)
        if v is None:
            return None, (f"facts.{self.fact}",)
        return v == self.expected, NO_MISSING

    def describe(self) -> str:
        """``fact civil_certified``."""
        return f"{self.fact}" if self.expected else f"not {self.fact}"


@dataclass(frozen=True, slots=True)
class CRelation:
    """Usable in / designed or modified for / specially designed for any of the targets."""

    level: str
    targets: tuple[str, ...]

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Look the relation up in what the item states, with containment of ids."""
        idx = LEVEL_INDEX[self.level]
        results: list[tuple[Tri, Missing]] = []
        for target in self.targets:
            value: Tri = None
            for stated, levels in item.relations.items():
                v = levels[idx]
                if v is True and within(stated, target):
                    value = True
                    break
                if v is False and within(target, stated):
                    value = False
            results.append((value, (f"relations.{target}.{self.level}",)))
        return tri_or(results)

    def describe(self) -> str:
        """``specially designed for 1.A``."""
        words = {"usable": "usable in", "designed_or_modified": "designed or modified for",
                 "specially_designed": "specially designed for"}[self.level]
        return f"{words} {' or '.join(self.targets)}"


@dataclass(frozen=True, slots=True)
class CSubstance:
    """A chemical by CAS number or name.

    A listed CAS number or name matches. A CAS number that is not listed rules the entry
    out; a name alone that is not listed leaves it unknown (the CAS number is asked for).
    """

    cas: frozenset[str]
    names: frozenset[str]

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """True on a CAS or name match; unknown when the item names no substance."""
        if item.cas is None and item.substance is None:
            return None, ("cas",)
        if item.cas is not None and item.cas in self.cas:
            return True, NO_MISSING
        if item.substance is not None and item.substance.casefold() in self.names:
            return True, NO_MISSING
        if item.cas is not None:
            return False, NO_MISSING  # a CAS number that is not listed rules the entry out
        # a name alone that is not listed settles nothing: names are not reliable
        # identifiers (trade names, mixtures), so the CAS number is asked for
        return None, ("cas",)

    def describe(self) -> str:
        """``CAS 302-01-2``."""
        labels = sorted(self.cas) + sorted(self.names)
        shown = ", ".join(labels[:4]) + (" ..." if len(labels) > 4 else "")
        return f"substance {shown}"


@dataclass(frozen=True, slots=True)
class CEntry:
    """The criteria of another entry (a sub-paragraph used as a condition)."""

    entry: str

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Evaluate the other entry's criteria on the same item."""
        return ctx.criteria_of(self.entry, item)

    def describe(self) -> str:
        """``meets 3.A.1.a.1``."""
        return f"meets {self.entry}"


@dataclass(frozen=True, slots=True)
class CKind:
    """The item is of one of the kinds."""

    kinds: frozenset[str]

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Kinds are always known."""
        return item.kind in self.kinds, NO_MISSING

    def describe(self) -> str:
        """``kind gyro``."""
        return "kind " + " or ".join(sorted(self.kinds))


@dataclass(frozen=True, slots=True)
class CCapability:
    """At least ``min_payload`` to at least ``min_range``, with the trade-off note.

    Evaluation (``annex/README.md`` explains the reasoning):

    1. A stated trade-off figure decides: the range reachable carrying ``min_payload``,
       or the payload that can be carried to ``min_range``.
    2. Otherwise the declared point (range, payload), read as the system's maximum
       capability under the Annex definitions, with a payload-range curve that falls as
       payload rises:

       * range >= min and payload >= min: true;
       * range < min and payload < min: false (more payload would only shorten the range);
       * payload < min and range > min (or not given): unknown, because range can be traded
         for payload; the payload carried to ``min_range`` settles it;
       * payload > min and range < min: unknown, because payload can be traded for range;
         the range with ``min_payload`` settles it;
       * exactly the minimum of one with the other short: false (nothing left to trade);
       * a missing figure is unknown.

    A minimum payload of zero means any payload (Item 19): the declared range decides when
    it reaches the minimum, or when nothing is carried; a system that carries a payload
    (or does not say) and falls short might reach the range with a lighter one, so it is
    unknown until the range with the lightest payload (``range_at_min_payload``) is stated.

    Under a profile without the trade-off (the 1987 Guidelines) only the declared point
    counts.
    """

    range_param: str
    payload_param: str
    min_range: CParam
    min_payload: CParam
    range_at_min_payload: CParam | None
    payload_at_min_range: CParam | None

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """See the class docstring."""
        params = item.params
        stated: list[Tri] = []
        for check in (self.range_at_min_payload, self.payload_at_min_range):
            if check is not None and check.param in params and ctx.tradeoff:
                v = check.test(params[check.param])
                ctx.compare(check, params[check.param], item.given.get(check.param), v)
                stated.append(v)
        r = params.get(self.range_param)
        p = params.get(self.payload_param)
        if self.any_payload:
            return self._any_payload(r, p, stated, item, ctx)
        if stated:
            return any(stated), NO_MISSING
        r_ok = None if r is None else self.min_range.test(r)
        p_ok = None if p is None else self.min_payload.test(p)
        ctx.compare(self.min_range, r, item.given.get(self.range_param), r_ok)
        ctx.compare(self.min_payload, p, item.given.get(self.payload_param), p_ok)
        if r_ok and p_ok:
            return True, NO_MISSING
        if p_ok is False:
            if r_ok is False or not ctx.tradeoff:
                return False, NO_MISSING  # both short: more payload would only cut the range
            if r is not None and self._exactly(self.min_range, r):
                return False, NO_MISSING  # exactly the minimum range: nothing left to trade
            from mtcr_screen.units import format_quantity

            payload, reach = self.min_payload, self.min_range
            if r is None:
                ctx.note(
                    "trade-off: the declared payload is below "
                    f"{format_quantity(payload.threshold, payload.unit)}, but with the range "
                    "not given, range may be traded for payload up to it; state the range, "
                    f"or {self._payload_at_name()}"
                )
                return None, (self.range_param, self._payload_at_name())
            ctx.note(
                "trade-off: the declared payload is below "
                f"{format_quantity(payload.threshold, payload.unit)} while the range exceeds "
                f"{format_quantity(reach.threshold, reach.unit)}; trading range for payload "
                f"may reach the payload, so state {self._payload_at_name()}"
            )
            return None, (self._payload_at_name(),)
        if not ctx.tradeoff:
            if r_ok is False:
                return False, NO_MISSING
            return None, tuple(n for n, v in ((self.range_param, r), (self.payload_param, p))
                               if v is None)
        if r is None and p is None:
            return None, (self.range_param, self.payload_param)
        if p is None:
            return None, (self.payload_param,)
        # payload at or above the minimum, range below it or unknown
        if r is None:
            return None, (self.range_param,)
        if self._exactly(self.min_payload, p):
            return False, NO_MISSING  # exactly the minimum payload: nothing left to trade
        ctx.note(
            "trade-off: the payload exceeds the minimum while the range falls short; "
            f"trading payload for range may reach the range, so state {self._range_at_name()}"
        )
        return None, (self._range_at_name(),)

    @property
    def any_payload(self) -> bool:
        """Whether the minimum payload is zero: any payload will do (Item 19)."""
        return self.min_payload.threshold == 0

    def _any_payload(self, r: float | None, p: float | None, stated: list[Tri],
                     item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Any payload to at least the minimum range (see the class docstring)."""
        r_ok = None if r is None else self.min_range.test(r)
        ctx.compare(self.min_range, r, item.given.get(self.range_param), r_ok)
        if r_ok or any(stated):
            return True, NO_MISSING  # the range is reached: no lighter payload can undo it
        if stated:
            return False, NO_MISSING  # the range with the lightest payload falls short
        if r is None:
            return None, (self.range_param,)
        if not ctx.tradeoff or p == 0:
            return False, NO_MISSING  # the declared point counts, or nothing is carried
        from mtcr_screen.units import format_quantity

        carried = ("an unstated payload" if p is None else
                   f"{format_quantity(p, self.min_payload.unit)} of payload")
        ctx.note(
            f"trade-off: the range falls short of "
            f"{format_quantity(self.min_range.threshold, self.min_range.unit)} carrying "
            f"{carried}; a lighter payload may reach it, so state {self._range_at_name()}"
        )
        return None, (self._range_at_name(),)

    @staticmethod
    def _exactly(minimum: CParam, value: float) -> bool:
        """Whether ``value`` is the minimum of an at-least threshold (to rounding)."""
        return minimum.op in (">=", ">") and abs(value - minimum.threshold) <= (
            1e-9 * minimum.threshold)

    def _range_at_name(self) -> str:
        return self.range_at_min_payload.param if self.range_at_min_payload else "range"

    def _payload_at_name(self) -> str:
        return self.payload_at_min_range.param if self.payload_at_min_range else "payload"

    def describe(self) -> str:
        """``payload >= 500 kg to range >= 300 km``; ``range >= 300 km with any payload``."""
        if self.any_payload:
            return f"{self.min_range.describe()} with any payload"
        return f"{self.min_payload.describe()} to {self.min_range.describe()}"


@dataclass(frozen=True, slots=True)
class CSupports:
    """Software or technology for an activity on an entry."""

    activities: frozenset[str]
    targets: tuple[str, ...]

    def evaluate(self, item: ItemView, ctx: EvalContext) -> tuple[Tri, Missing]:
        """Compare the item's stated activities and target entries."""
        if item.supports_targets is None and item.supports_activities is None:
            return None, ("supports",)
        act: Tri
        if item.supports_activities is None:
            act = None
        else:
            act = bool(item.supports_activities & self.activities)
        tgt: Tri
        if item.supports_targets is None:
            tgt = None
        else:
            tgt = False
            for stated in item.supports_targets:
                for t in self.targets:
                    if within(stated, t):
                        tgt = True
                        break
                    if within(t, stated) and tgt is False:
                        tgt = None
                if tgt is True:
                    break
        return tri_and([(act, ("supports.activities",)), (tgt, ("supports.targets",))])

    def describe(self) -> str:
        """``development/production/use of 2.A, 2.B``."""
        return f"{'/'.join(sorted(self.activities))} of {', '.join(self.targets)}"


def walk(node: Node | None) -> Iterator[Node]:
    """Every node of a criterion tree, depth first, the figures of a capability included
    (entries referenced with ``{entry: ...}`` are not followed)."""
    if node is None:
        return
    yield node
    if isinstance(node, CAll | CAny):
        for part in node.parts:
            yield from walk(part)
    elif isinstance(node, CNot):
        yield from walk(node.part)
    elif isinstance(node, CCapability):
        yield from (x for x in (node.min_range, node.min_payload, node.range_at_min_payload,
                                node.payload_at_min_range) if x is not None)


def thresholds(node: Node | None) -> list[CParam]:
    """Every threshold in a criterion tree, the trade-off figures of a capability included
    (entries referenced with ``{entry: ...}`` are not followed)."""
    return [n for n in walk(node) if isinstance(n, CParam)]


@dataclass(frozen=True, slots=True)
class CompiledExclusion:
    """An exclusion note, compiled."""

    id: str
    note: str
    when: Node
    source: str  # entry id, or the general note's id


@dataclass(frozen=True, slots=True)
class CompiledEntry:
    """An Annex entry as the engine sees it."""

    id: str
    title: str
    role: str
    type: str | None
    category: str
    parent: str | None
    kinds: frozenset[str]
    criteria: Node | None
    superseded_by: tuple[str, ...]
    exclusions: tuple[CompiledExclusion, ...]
    treatment: tuple[Node, str] | None
    provenance_status: str
    provenance_basis: str
    label_inferred: bool
    incomplete: str | None
    order: int
    scope: str | None = None
    notes: tuple[str, ...] = ()
    cross_references: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    item_title: str = ""

    @property
    def secondary(self) -> bool:
        """True when the encoding rests on secondary or reconstructed material only."""
        return self.provenance_status in ("secondary", "reconstructed") or self.label_inferred


@dataclass(frozen=True, slots=True)
class ParamInfo:
    """A parameter of the vocabulary, compiled."""

    name: str
    title: str
    unit: str
    dimension: str
    direction: str
    allow_negative: bool


@dataclass(frozen=True, slots=True)
class KindInfo:
    """A kind of the vocabulary, compiled."""

    name: str
    title: str
    parameters: tuple[str, ...]
    aliases: tuple[str, ...]
    description: str | None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FactInfo:
    """A fact of the vocabulary, compiled."""

    name: str
    title: str
    question: str


@dataclass(frozen=True, slots=True)
class CompiledAnnex:
    """Everything the engine needs, built once per Annex edition and cached."""

    edition: str
    date: str
    title: str
    sha256: str
    path: str
    entries: dict[str, CompiledEntry]
    by_kind: dict[str, tuple[str, ...]]
    general_exclusions: dict[str, tuple[CompiledExclusion, ...]]  # by entry type
    parameters: dict[str, ParamInfo]
    kinds: dict[str, KindInfo]
    kind_aliases: dict[str, str]
    facts: dict[str, FactInfo]
    warnings: tuple[str, ...] = field(default=())
    general_notes: tuple[tuple[str, str, str], ...] = ()  # (id, title, text)

    def candidates(self, kind: str) -> tuple[CompiledEntry, ...]:
        """The entries that can apply to an item of this kind, in Annex order."""
        return tuple(self.entries[i] for i in self.by_kind.get(kind, ()))
