"""The public entry point: a ``vehicle:`` mapping in, a :class:`TradeoffResult` out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial
from typing import Any

from mtcr_screen.errors import SpecError
from mtcr_screen.tradeoff.breguet import AirVehicle, Propulsion, breguet_range_km
from mtcr_screen.tradeoff.curve import (
    CATEGORY_I_PAYLOAD_KG,
    CATEGORY_I_RANGE_KM,
    RECORDED_MODEL_ERROR_PCT,
    CurvePoint,
    DeclaredComparison,
    TradeoffResult,
    build_result,
)
from mtcr_screen.tradeoff.rocket import (
    MU_EARTH,
    R_EARTH,
    RocketVehicle,
    ballistic_range_km,
    ideal_delta_v,
    rocket_range_km,
)
from mtcr_screen.tradeoff.spec import (
    AirBreathingSpec,
    parse_vehicle,
    to_air_vehicle,
    to_rocket,
)


def analyse(
    vehicle: Mapping[str, Any],
    *,
    declared_range_km: float | None,
    declared_payload_kg: float | None,
    source: str = "<spec>",
) -> TradeoffResult:
    """Estimate range as a function of payload for ``vehicle`` and judge it against Category I.

    ``vehicle`` is the ``vehicle:`` block of an item spec (see :mod:`.spec`); the declared
    range and payload are the item's advertised figures, compared with the model. Raises
    :class:`mtcr_screen.errors.SpecError` (naming the field path) on bad input.
    """
    _check_declared("declared range", declared_range_km, source)
    _check_declared("declared payload", declared_payload_kg, source)
    spec = parse_vehicle(vehicle, source)
    if isinstance(spec, AirBreathingSpec):
        air = to_air_vehicle(spec, source)
        return build_result(
            model=f"breguet_{air.propulsion.value}",
            range_of=partial(breguet_range_km, air),
            max_payload_kg=air.max_payload_kg(),
            declared_range_km=declared_range_km,
            declared_payload_kg=declared_payload_kg,
            assumptions=_air_assumptions(air),
            model_error_pct=RECORDED_MODEL_ERROR_PCT["breguet"],
        )
    rocket = to_rocket(spec, source)
    if not rocket.payload_dependent:
        return _burnout_speed_only(rocket, declared_range_km, declared_payload_kg)
    return build_result(
        model="rocket",
        range_of=partial(rocket_range_km, rocket),
        max_payload_kg=None,
        declared_range_km=declared_range_km,
        declared_payload_kg=declared_payload_kg,
        assumptions=_rocket_assumptions(rocket),
        model_error_pct=RECORDED_MODEL_ERROR_PCT["rocket"],
    )


def _check_declared(name: str, value: float | None, source: str) -> None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise SpecError(f"{name}: {value!r} must be a finite number, zero or more", location=source)


def _earth_assumptions(rocket: RocketVehicle) -> list[str]:
    return [
        f"spherical, non-rotating Earth: radius {R_EARTH / 1000:.0f} km, GM {MU_EARTH:.6e} m^3/s^2",
        "after burnout: drag-free ballistic (Keplerian) arc at the range-maximising "
        "flight-path angle",
        f"burnout altitude {rocket.burnout_altitude / 1000:g} km; ground distance flown "
        "during the boost is not counted",
    ]


def _rocket_assumptions(rocket: RocketVehicle) -> tuple[str, ...]:
    lines = [
        f"Tsiolkovsky rocket equation over {len(rocket.stages)} stage(s), first stage first; "
        "the payload rides on the last stage to burnout",
        "specific impulse used as given (no correction for altitude or nozzle back-pressure)",
        rocket.losses.describe(),
        f"ideal delta-v with {CATEGORY_I_PAYLOAD_KG:.0f} kg payload: "
        f"{ideal_delta_v(rocket.stages, CATEGORY_I_PAYLOAD_KG):.0f} m/s",
    ]
    lines += _earth_assumptions(rocket)
    lines.append(f"model error ±{RECORDED_MODEL_ERROR_PCT['rocket']:g} % (validation set)")
    return tuple(lines)


def _air_assumptions(air: AirVehicle) -> tuple[str, ...]:
    if air.propulsion is Propulsion.JET:
        assert air.tsfc is not None
        assert air.cruise_speed is not None
        consumption = (
            f"jet Breguet range: cruise speed {air.cruise_speed * 3.6:.0f} km/h, "
            f"TSFC {air.tsfc * 3600:.4g} kg/(N*h), L/D {air.lift_to_drag:g}"
        )
    else:
        assert air.bsfc is not None
        assert air.propulsive_efficiency is not None
        consumption = (
            f"propeller Breguet range: BSFC {air.bsfc * 3.6e9:.4g} g/(kW*h), "
            f"propulsive efficiency {air.propulsive_efficiency:g}, L/D {air.lift_to_drag:g}"
        )
    if air.max_takeoff_mass is None:
        fuel = f"fuel fixed at {air.fuel_capacity:g} kg; payload added on top (no MTOW given)"
    else:
        fuel = (
            f"payload traded for fuel: fuel = min({air.fuel_capacity:g} kg, "
            f"{air.max_takeoff_mass:g} kg MTOW - {air.empty_mass:g} kg empty - payload)"
        )
    return (
        consumption,
        "constant L/D, speed and fuel consumption over the cruise (cruise-climb)",
        "one-way range; take-off, climb and descent not modelled (their fuel counts as cruise "
        "fuel), which tends to over-estimate range",
        fuel,
        f"reserve: {air.reserve_fraction * 100:g} % of fuel not used for range",
        f"model error ±{RECORDED_MODEL_ERROR_PCT['breguet']:g} % (validation set)",
    )


def _burnout_speed_only(
    rocket: RocketVehicle, declared_range_km: float | None, declared_payload_kg: float | None
) -> TradeoffResult:
    """A burnout speed given directly: one range, valid at the declared payload only.

    Range cannot be traded against payload without stage data. The verdict is still decided
    when monotonicity settles it: a declared payload of 500 kg or more flown 300 km or more
    reaches the box; one of 500 kg or less flown under 300 km does not. Otherwise None.
    """
    assert rocket.burnout_speed is not None
    reach = ballistic_range_km(rocket.burnout_speed, rocket.burnout_altitude)
    error = RECORDED_MODEL_ERROR_PCT["rocket"]
    reaches: bool | None = None
    points: tuple[CurvePoint, ...] = ()
    declared = DeclaredComparison(declared_range_km, declared_payload_kg, None, None, None)
    if declared_payload_kg is not None:
        points = (CurvePoint(declared_payload_kg, reach),)
        if declared_payload_kg >= CATEGORY_I_PAYLOAD_KG and reach >= CATEGORY_I_RANGE_KM:
            reaches = True
        elif declared_payload_kg <= CATEGORY_I_PAYLOAD_KG and reach < CATEGORY_I_RANGE_KM:
            reaches = False
        if declared_range_km:
            diff = 100.0 * (reach - declared_range_km) / declared_range_km
            declared = DeclaredComparison(
                declared_range_km, declared_payload_kg, reach, diff, abs(diff) <= error
            )
    lines = [
        f"burnout speed given directly: {rocket.burnout_speed:.0f} m/s, taken to hold at the "
        "declared payload; without stage data range cannot be traded against payload",
        *_earth_assumptions(rocket),
        f"model error ±{error:g} % (validation set)",
    ]
    return TradeoffResult(
        model="rocket_burnout_speed",
        points=points,
        payload_at_300km_kg=None,
        range_at_500kg_km=reach if declared_payload_kg == CATEGORY_I_PAYLOAD_KG else None,
        reaches_category_i=reaches,
        borderline=False,
        declared=declared,
        assumptions=tuple(lines),
        model_error_pct=error,
    )
