"""What-if sweeps: screen every variant of an item over one or two parameter ranges.

Flip points come from the thresholds themselves, not from the step: every threshold of
every entry that can apply to the item's kind, and that falls inside the range, is
evaluated exactly and just either side of it, so a flip between two steps is reported at
the threshold's exact value.

Each variant is classified (pure, fast); the Guidelines rules run once per distinct
classification, since a recommendation depends on the classification and the transfer,
not on the figures behind it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mtcr_screen.annex.compiled import CEntry, CompiledAnnex, CParam, Node, walk
from mtcr_screen.classify import Classification, classify
from mtcr_screen.decision import Recommendation
from mtcr_screen.engine import item_recommendation
from mtcr_screen.errors import SpecError
from mtcr_screen.policy import run_rules
from mtcr_screen.policy.base import CURRENT, Profile, RuleContext
from mtcr_screen.specdata import ItemLike, TransferLike, item_view
from mtcr_screen.units import format_quantity, parse_quantity

_VARY = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*=\s*(.+?)\s*\.\.\s*(.+?)\s*:\s*(.+?)\s*$")
MAX_VARIANTS = 1_000_000


@dataclass(frozen=True, slots=True)
class Vary:
    """One swept parameter, in its canonical unit."""

    param: str
    start: float
    stop: float
    step: float
    unit: str

    def values(self) -> list[float]:
        """start, start+step, ... up to stop (included when it falls on a step)."""
        n = int((self.stop - self.start) / self.step + 1e-9)
        vals = [self.start + i * self.step for i in range(n + 1)]
        if vals[-1] < self.stop - 1e-9 * max(1.0, abs(self.stop)):
            vals.append(self.stop)
        return vals


def parse_vary(text: str, kind: str, annex: CompiledAnnex) -> Vary:
    """``range=100km..1000km:50km`` for an item of ``kind``; SpecError when malformed."""
    m = _VARY.match(text)
    if not m:
        raise SpecError(f"--vary {text!r}: expected NAME=START..STOP:STEP, e.g. "
                        "range=100km..1000km:50km", location="--vary")
    name, a, b, c = m.groups()
    info = annex.parameters.get(name)
    if info is None or name not in annex.kinds[kind].parameters:
        raise SpecError(f"--vary {name}: not a parameter of kind {kind}", location="--vary",
                        hint="parameters: " + ", ".join(annex.kinds[kind].parameters))
    vals = [parse_quantity(x, unit=info.unit, dimension=info.dimension, name=f"--vary {name}",
                           allow_negative=info.allow_negative).value for x in (a, b, c)]
    start, stop, step = vals
    if step <= 0 or stop < start:
        raise SpecError(f"--vary {name}: need START <= STOP and a STEP above zero",
                        location="--vary")
    if (stop - start) / step > MAX_VARIANTS:
        raise SpecError(f"--vary {name}: more than {MAX_VARIANTS:,} steps", location="--vary")
    return Vary(name, start, stop, step, info.unit)


def thresholds_for(annex: CompiledAnnex, kind: str, param: str) -> list[float]:
    """Every threshold on ``param`` in the entries that can apply to ``kind``."""
    seen: set[str] = set()
    out: set[float] = set()

    def collect(tree: Node | None) -> None:
        for node in walk(tree):
            if isinstance(node, CParam) and node.param == param:
                out.add(node.threshold)
                if node.threshold_high is not None:
                    out.add(node.threshold_high)
            elif isinstance(node, CEntry) and node.entry not in seen:
                seen.add(node.entry)
                collect(annex.entries[node.entry].criteria)

    for e in annex.candidates(kind):
        collect(e.criteria)
        for x in e.exclusions:
            collect(x.when)
        if e.treatment:
            collect(e.treatment[0])
    return sorted(out)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The screening outcome of one variant."""

    category: str
    recommendation: Recommendation
    entries: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        """What a flip is about: category and recommendation."""
        return (self.category, self.recommendation.value)


@dataclass(frozen=True, slots=True)
class Flip:
    """Where the outcome changes along one parameter."""

    param: str
    at: float
    unit: str
    inclusive: bool  # the threshold value itself belongs to the new outcome
    before: Outcome
    after: Outcome
    other: dict[str, float]
    other_units: dict[str, str] = dataclasses.field(default_factory=dict)

    def text(self) -> str:
        """``range at 300 km: not_listed → II (19.A.1), case_by_case``."""
        where = "at" if self.inclusive else "just above"
        ctx = "".join(f" (with {k} {format_quantity(v, self.other_units.get(k, ''))})"
                      for k, v in self.other.items())
        return (f"{self.param} {where} {format_quantity(self.at, self.unit)}{ctx}: "
                f"{self.before.category}/{self.before.recommendation.value} → "
                f"{self.after.category}/{self.after.recommendation.value} "
                f"({', '.join(self.after.entries) or 'no entry'})")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"parameter": self.param, "value": self.at, "unit": self.unit,
                "inclusive": self.inclusive,
                "other": {k: {"value": v, "unit": self.other_units.get(k, "")}
                          for k, v in self.other.items()},
                "from": {"category": self.before.category,
                         "recommendation": self.before.recommendation.value,
                         "entries": list(self.before.entries)},
                "to": {"category": self.after.category,
                       "recommendation": self.after.recommendation.value,
                       "entries": list(self.after.entries)}}


class Sweeper:
    """Screens variants of one item in one transfer, memoising the policy step."""

    def __init__(self, annex: CompiledAnnex, transfer: TransferLike, spec: ItemLike,
                 lists: Any = None, profile: Profile = CURRENT) -> None:
        self.annex = annex
        self.transfer = transfer
        self.spec = spec
        self.profile = profile
        self.base = item_view(spec, annex)
        self.hits = () if lists is None else lists.check(transfer.destination)
        self._memo: dict[tuple[Any, ...], Outcome] = {}
        self._seen: dict[tuple[tuple[str, float], ...], Outcome] = {}

    def outcome(self, values: dict[str, float]) -> Outcome:
        """Classify one variant (once per set of values); run the rules once per distinct
        classification."""
        key = tuple(sorted(values.items()))
        done = self._seen.get(key)
        if done is not None:
            return done
        done = self._outcome(values)
        self._seen[key] = done
        return done

    def _outcome(self, values: dict[str, float]) -> Outcome:
        view = dataclasses.replace(self.base, params={**self.base.params, **values},
                                   given={k: v for k, v in self.base.given.items()
                                          if k not in values})
        res = classify(view, self.annex, tradeoff=self.profile.tradeoff,
                       exclude_items=self.profile.exclude_items)
        sig = _signature(res)
        hit = self._memo.get(sig)
        if hit is None:
            ctx = RuleContext(0, self.spec, view, res, self.transfer, self.annex, self.hits,
                              self.profile)
            hit = Outcome(res.category, item_recommendation(run_rules(ctx)),
                          tuple(res.entry_ids))
            self._memo[sig] = hit
        return hit


def _signature(res: Classification) -> tuple[Any, ...]:
    return (res.category,
            tuple((r.id, r.status, r.category) for r in res.evaluated),
            tuple((i.entries, i.inseparable, i.category) for i in res.incorporations))


def _axis_points(v: Vary, thresholds: Sequence[float]) -> tuple[list[float], set[float]]:
    pts = set(v.values())
    inside = [t for t in thresholds if v.start <= t <= v.stop]
    for t in inside:
        eps = max(abs(t) * 1e-6, 1e-9)
        pts.update({t, t - eps, t + eps})
    return sorted(p for p in pts if v.start - 1e-12 <= p <= v.stop + 1e-12), set(inside)


def flips_along(sweeper: Sweeper, v: Vary, fixed: dict[str, float]) -> list[Flip]:
    """Every change of outcome along ``v`` with the other parameters ``fixed``."""
    thresholds = thresholds_for(sweeper.annex, sweeper.base.kind, v.param)
    pts, exact = _axis_points(v, thresholds)
    outs = [(p, sweeper.outcome({**fixed, v.param: p})) for p in pts]
    flips: list[Flip] = []
    for (p0, o0), (p1, o1) in itertools.pairwise(outs):
        if o0.key == o1.key:
            continue
        if p1 in exact:
            at, inclusive = p1, True
        elif p0 in exact:
            at, inclusive = p0, False
        else:
            at, inclusive = p1, True  # a change between steps with no threshold: report the step
        units = {k: sweeper.annex.parameters[k].unit for k in fixed}
        flips.append(Flip(v.param, at, v.unit, inclusive, o0, o1, dict(fixed), units))
    return flips


@dataclass(frozen=True, slots=True)
class SweepResult:
    """A one- or two-parameter sweep."""

    varies: tuple[Vary, ...]
    rows: list[tuple[tuple[float, ...], Outcome]]
    flips: list[Flip]
    variants: int
    distinct_classifications: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "schema_version": "1",
            "parameters": [{"name": v.param, "start": v.start, "stop": v.stop,
                            "step": v.step, "unit": v.unit} for v in self.varies],
            "variants": self.variants,
            "rows": [{"values": dict(zip([v.param for v in self.varies], vals, strict=True)),
                      "category": o.category, "recommendation": o.recommendation.value,
                      "entries": list(o.entries)} for vals, o in self.rows],
            "flip_points": [f.to_dict() for f in self.flips],
        }


def sweep(sweeper: Sweeper, varies: Sequence[Vary]) -> SweepResult:
    """Screen the grid of ``varies`` (one or two) and find the flip points."""
    if not 1 <= len(varies) <= 2:
        raise SpecError("give one or two --vary options", location="--vary")
    if len(varies) == 2 and varies[0].param == varies[1].param:
        raise SpecError("the two --vary options name the same parameter", location="--vary")
    axes = [v.values() for v in varies]
    total = len(axes[0]) * (len(axes[1]) if len(axes) == 2 else 1)
    if total > MAX_VARIANTS:
        raise SpecError(f"{total:,} variants: more than {MAX_VARIANTS:,}", location="--vary")
    rows: list[tuple[tuple[float, ...], Outcome]] = []
    flips: list[Flip] = []
    if len(varies) == 1:
        v = varies[0]
        rows = [((x,), sweeper.outcome({v.param: x})) for x in axes[0]]
        flips = flips_along(sweeper, v, {})
    else:
        a, b = varies
        for x in axes[0]:
            for y in axes[1]:
                rows.append(((x, y), sweeper.outcome({a.param: x, b.param: y})))
        seen: set[tuple[Any, ...]] = set()
        for fixed_axis, moving, other in ((axes[1], a, b), (axes[0], b, a)):
            for val in fixed_axis:
                for f in flips_along(sweeper, moving, {other.param: val}):
                    key = (f.param, f.at, f.inclusive, f.before.key, f.after.key)
                    if key not in seen:
                        seen.add(key)
                        flips.append(f)
    return SweepResult(tuple(varies), rows, flips, len(sweeper._seen), len(sweeper._memo))


_CAT = {"I": "I", "II": "II", "not_listed": "-", "undetermined": "?"}


def render_text(res: SweepResult) -> str:
    """A table (one parameter) or a grid (two), then the flip points."""
    lines: list[str] = []
    if len(res.varies) == 1:
        v = res.varies[0]
        lines.append(f"{v.param + ' (' + v.unit + ')':>16}  category      recommendation"
                     "               entries")
        for (x,), o in res.rows:
            lines.append(f"{format_quantity(x, ''):>16}  {o.category:<12}  "
                         f"{o.recommendation.value:<27}  {', '.join(o.entries)}")
    else:
        a, b = res.varies
        xs = sorted({vals[0] for vals, _ in res.rows})
        ys = sorted({vals[1] for vals, _ in res.rows})
        grid = dict(res.rows)
        lines.append(f"category by {a.param} ({a.unit}, rows) and {b.param} ({b.unit}, "
                     "columns); I, II, - not listed, ? undetermined")
        lines.append(f"{'':>10} " + " ".join(f"{format_quantity(y, ''):>7}" for y in ys))
        for x in xs:
            lines.append(f"{format_quantity(x, ''):>10} " + " ".join(
                f"{_CAT[grid[(x, y)].category]:>7}" for y in ys))
    lines.append("")
    if res.flips:
        lines.append("flip points (exact, from the Annex thresholds):")
        lines.extend("  " + f.text() for f in res.flips)
    else:
        lines.append("no flip point in the range")
    lines.append(f"{res.variants:,} variants screened "
                 f"({res.distinct_classifications} distinct classifications)")
    return "\n".join(lines) + "\n"
