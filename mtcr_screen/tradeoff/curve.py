"""Range as a function of payload, and the verdict against the 500 kg / 300 km box.

The MTCR Annex (Category I, item 1.A) controls a complete rocket or UAV "capable of
delivering at least a 500 kg payload to a range of at least 300 km". Capability means the
payload/range trade-off: the curve computed here is range(payload) for one vehicle, and the
vehicle reaches the box when ``range(500 kg) >= 300 km``. Range falls as payload rises, so
this is the same as ``payload reachable at 300 km >= 500 kg``; that payload is found by
bisection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mtcr_screen.annex.compiled import CompiledAnnex

CATEGORY_I_RANGE_KM = 300.0
"""Range threshold of MTCR Category I (km)."""

CATEGORY_I_PAYLOAD_KG = 500.0
"""Payload threshold of MTCR Category I (kg)."""

RECORDED_MODEL_ERROR_PCT: dict[str, float] = {"rocket": 4.0, "breguet": 5.0}
"""Model error recorded from the validation set (tests/data/tradeoff_validation.yaml, see
docs/tradeoff.md): the largest |model - published| / published range, rounded up to a whole
percent."""

CURVE_POINTS = 41
"""Number of points on a computed curve."""

_MAX_PAYLOAD_SEARCH_KG = 1.0e7
_BISECTION_STEPS = 200

RangeFunction = Callable[[float], float]


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """One point of the curve: payload (kg) and the range it can be carried (km)."""

    payload_kg: float
    range_km: float

    def to_dict(self) -> dict[str, float]:
        """JSON-safe form."""
        return {"payload_kg": _round(self.payload_kg), "range_km": _round(self.range_km)}


@dataclass(frozen=True, slots=True)
class DeclaredComparison:
    """The declared (range, payload) point set against the model.

    ``difference_pct`` is (model range at the declared payload - declared range) / declared
    range. ``consistent`` is True when that difference is within the recorded model error:
    a large positive difference means the vehicle can do much more than declared.
    """

    range_km: float | None
    payload_kg: float | None
    model_range_km: float | None
    difference_pct: float | None
    consistent: bool | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form, stable key order."""
        return {
            "range_km": _round_opt(self.range_km),
            "payload_kg": _round_opt(self.payload_kg),
            "model_range_km": _round_opt(self.model_range_km),
            "difference_pct": _round_opt(self.difference_pct),
            "consistent": self.consistent,
        }


@dataclass(frozen=True, slots=True)
class TradeoffResult:
    """The outcome of a trade-off analysis; see :func:`mtcr_screen.tradeoff.analyse`.

    ``reaches_category_i`` is True when the model puts 500 kg at 300 km or beyond, False when
    it does not, and None only when it cannot tell (a rocket given only a burnout speed, whose
    declared payload is below 500 kg). ``borderline`` is True when range(500 kg) is within the
    model error of 300 km, i.e. the verdict could flip within the model's accuracy.
    """

    model: str
    points: tuple[CurvePoint, ...]
    payload_at_300km_kg: float | None
    range_at_500kg_km: float | None
    reaches_category_i: bool | None
    borderline: bool
    declared: DeclaredComparison
    assumptions: tuple[str, ...]
    model_error_pct: float | None
    #: the range with no payload: the greatest with any payload (Items 19.A.1 and 19.A.2)
    range_no_payload_km: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form, stable key order."""
        return {
            "model": self.model,
            "reaches_category_i": self.reaches_category_i,
            "borderline": self.borderline,
            "payload_at_300km_kg": _round_opt(self.payload_at_300km_kg),
            "range_at_500kg_km": _round_opt(self.range_at_500kg_km),
            "range_no_payload_km": _round_opt(self.range_no_payload_km),
            "model_error_pct": self.model_error_pct,
            "declared": self.declared.to_dict(),
            "points": [p.to_dict() for p in self.points],
            "assumptions": list(self.assumptions),
        }


def _round(value: float) -> float:
    return round(value, 3)


def _round_opt(value: float | None) -> float | None:
    return None if value is None else _round(value)


def payload_for_range(
    range_of: RangeFunction, target_km: float, max_payload_kg: float | None
) -> float | None:
    """Heaviest payload (kg) still carried ``target_km`` or more; None if even 0 kg is not.

    ``range_of`` must not increase with payload. Bisection on [0, max_payload_kg], or on a
    bracket found by doubling when there is no payload limit.
    """
    if range_of(0.0) < target_km:
        return None
    if max_payload_kg is not None:
        hi = max_payload_kg
        if range_of(hi) >= target_km:
            return hi
    else:
        hi = 1000.0
        while range_of(hi) >= target_km:
            hi *= 2.0
            if hi > _MAX_PAYLOAD_SEARCH_KG:
                return _MAX_PAYLOAD_SEARCH_KG
    lo = 0.0
    for _ in range(_BISECTION_STEPS):
        mid = (lo + hi) / 2.0
        if range_of(mid) >= target_km:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-6:
            break
    return lo


def payload_span(
    range_of: RangeFunction, max_payload_kg: float | None, declared_payload_kg: float | None
) -> float:
    """Upper end of the plotted payload axis (kg).

    At least twice the 500 kg threshold and twice the declared payload, but no more than the
    vehicle can lift (a mass limit, or the payload at which the range falls to zero).
    """
    span = max(2.0 * CATEGORY_I_PAYLOAD_KG, 2.0 * (declared_payload_kg or 0.0))
    if max_payload_kg is not None:
        return min(span, max_payload_kg)
    zero_at = payload_for_range(range_of, 1e-3, None)
    return span if zero_at is None or zero_at < 1.0 else min(span, zero_at)


def curve_points(
    range_of: RangeFunction, span_kg: float, n: int = CURVE_POINTS
) -> tuple[CurvePoint, ...]:
    """``n`` evenly spaced points of range(payload) for payloads 0 .. ``span_kg``."""
    step = span_kg / (n - 1)
    return tuple(CurvePoint(i * step, range_of(i * step)) for i in range(n))


def compare_declared(
    range_of: RangeFunction | None,
    declared_range_km: float | None,
    declared_payload_kg: float | None,
    model_error_pct: float | None,
) -> DeclaredComparison:
    """Set the declared point against the model's range at the declared payload."""
    if range_of is None or declared_payload_kg is None:
        return DeclaredComparison(declared_range_km, declared_payload_kg, None, None, None)
    model = range_of(declared_payload_kg)
    if declared_range_km is None or declared_range_km <= 0:
        return DeclaredComparison(declared_range_km, declared_payload_kg, model, None, None)
    diff = 100.0 * (model - declared_range_km) / declared_range_km
    consistent = None if model_error_pct is None else abs(diff) <= model_error_pct
    return DeclaredComparison(declared_range_km, declared_payload_kg, model, diff, consistent)


def screening_figures(result: TradeoffResult) -> tuple[dict[str, str], tuple[str, ...]]:
    """The estimates to screen with, as parameters (``range_at_500kg_payload``,
    ``payload_at_300km_range``, ``range_with_any_payload``), and a note for each one not
    passed on as estimated. A range within the model's error of 300 km could fall on
    either side of it: the top of the error band is passed on instead (the vehicle may
    reach it), so the estimate never rules an entry out that the vehicle may meet. The
    payload at 300 km, the same point of the curve as the range at 500 kg, is then left
    out."""
    err = result.model_error_pct
    figures: dict[str, str] = {}
    notes: list[str] = []
    band = 0.0 if err is None else CATEGORY_I_RANGE_KM * err / 100.0
    at_500, longest = result.range_at_500kg_km, result.range_no_payload_km
    doubt_500 = is_borderline(at_500, err)
    for name, value, doubtful in (("range_at_500kg_payload", at_500, doubt_500),
                                  ("range_with_any_payload", longest,
                                   is_borderline(longest, err))):
        if value is None:
            continue
        if doubtful:
            top = value + band
            figures[name] = f"{top:.3f} km"
            notes.append(f"{name} {value:.3f} km is within the model error (±{err:g} %) of "
                         f"{CATEGORY_I_RANGE_KM:g} km: passed on as {top:.3f} km, the top of "
                         "the band")
        else:
            figures[name] = f"{value:.3f} km"
    if result.payload_at_300km_kg is not None:
        if doubt_500:
            notes.append(f"payload_at_300km_range {result.payload_at_300km_kg:.3f} kg not "
                         "passed on: the range at 500 kg decides (see above)")
        else:
            figures["payload_at_300km_range"] = f"{result.payload_at_300km_kg:.3f} kg"
    return figures, tuple(notes)


def more_capable(figures: dict[str, str], stated: Mapping[str, Any],
                 stated_values: Mapping[str, float], annex: CompiledAnnex) -> dict[str, str]:
    """For each estimated figure, the estimate or the figure the spec states (``stated``
    as written, ``stated_values`` as read in the canonical unit), whichever is the more
    capable (a larger range or payload): neither may make the screening less severe than
    the other would."""
    from mtcr_screen.units import parse_quantity

    out = dict(figures)
    for name, estimate in figures.items():
        if name in stated_values:
            info = annex.parameters[name]
            value = parse_quantity(estimate, unit=info.unit, dimension=info.dimension).value
            if stated_values[name] >= value:
                out[name] = str(stated[name])
    return out


def is_borderline(range_at_500kg_km: float | None, model_error_pct: float | None) -> bool:
    """True when range(500 kg) is within the model error of 300 km."""
    if range_at_500kg_km is None or model_error_pct is None:
        return False
    band = CATEGORY_I_RANGE_KM * model_error_pct / 100.0
    return abs(range_at_500kg_km - CATEGORY_I_RANGE_KM) <= band


def build_result(
    *,
    model: str,
    range_of: RangeFunction,
    max_payload_kg: float | None,
    declared_range_km: float | None,
    declared_payload_kg: float | None,
    assumptions: tuple[str, ...],
    model_error_pct: float | None,
) -> TradeoffResult:
    """The full result for a payload-dependent range function."""
    feasible_500 = max_payload_kg is None or max_payload_kg >= CATEGORY_I_PAYLOAD_KG
    at_500 = range_of(CATEGORY_I_PAYLOAD_KG) if feasible_500 else None
    at_300 = payload_for_range(range_of, CATEGORY_I_RANGE_KM, max_payload_kg)
    reaches = at_500 is not None and at_500 >= CATEGORY_I_RANGE_KM
    span = payload_span(range_of, max_payload_kg, declared_payload_kg)
    return TradeoffResult(
        model=model,
        points=curve_points(range_of, span),
        payload_at_300km_kg=at_300,
        range_at_500kg_km=at_500,
        reaches_category_i=reaches,
        borderline=is_borderline(at_500, model_error_pct),
        declared=compare_declared(
            range_of, declared_range_km, declared_payload_kg, model_error_pct
        ),
        assumptions=assumptions,
        model_error_pct=model_error_pct,
        range_no_payload_km=range_of(0.0),
    )
