"""Breguet model: exact values by hand, and physical sanity."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtcr_screen.tradeoff.breguet import G0, AirVehicle, Propulsion, breguet_range_km


def _jet(**overrides: float | None) -> AirVehicle:
    values: dict[str, float | None] = {
        "empty_mass": 1000.0,
        "fuel_capacity": 1000.0 * (math.e - 1.0),  # m0 / m1 = e with no payload
        "lift_to_drag": 10.0,
        "tsfc": 1e-4 / G0,  # c_T * g0 = 1e-4 per second
        "cruise_speed": 200.0,
    }
    values.update(overrides)
    return AirVehicle(propulsion=Propulsion.JET, **values)  # type: ignore[arg-type]


def test_jet_breguet_by_hand() -> None:
    # R = V / (c_T g0) * L/D * ln(m0/m1) = 200 / 1e-4 * 10 * 1 = 20,000 km
    assert breguet_range_km(_jet(), 0.0) == pytest.approx(20_000.0, rel=1e-12)


def test_propeller_breguet_by_hand() -> None:
    # eta 0.8, BSFC 0.3 kg/kWh, L/D 15, m0/m1 = 1500/1000:
    # R = 0.8 / (0.3 / 3.6e6 * 9.80665) * 15 * ln 1.5 = 978.926 km * 15 * 0.405465 = 5,953.8 km
    prop = AirVehicle(
        empty_mass=900.0,
        fuel_capacity=500.0,
        lift_to_drag=15.0,
        propulsion=Propulsion.PROPELLER,
        bsfc=0.3 / 3.6e6,
        propulsive_efficiency=0.8,
    )
    assert breguet_range_km(prop, 100.0) == pytest.approx(5953.8, abs=0.1)


def test_reserve_fraction_keeps_fuel_back() -> None:
    # 10 % reserve: m1 = 1000 + 0.1 * fuel
    vehicle = _jet(reserve_fraction=0.1)
    fuel = 1000.0 * (math.e - 1.0)
    expected = 20_000.0 * math.log((1000.0 + fuel) / (1000.0 + 0.1 * fuel))
    assert breguet_range_km(vehicle, 0.0) == pytest.approx(expected, rel=1e-12)
    assert breguet_range_km(vehicle, 0.0) < breguet_range_km(_jet(), 0.0)


def test_mtow_trades_payload_for_fuel() -> None:
    vehicle = _jet(fuel_capacity=800.0, max_takeoff_mass=2000.0)
    assert vehicle.fuel_for_payload(100.0) == 800.0  # tanks full, under MTOW
    assert vehicle.fuel_for_payload(500.0) == 500.0  # MTOW limits fuel
    assert vehicle.fuel_for_payload(1000.0) == 0.0
    assert breguet_range_km(vehicle, 1000.0) == 0.0
    assert vehicle.max_payload_kg() == 1000.0


@given(
    fuel=st.floats(10.0, 5000.0),
    mtow_extra=st.floats(10.0, 5000.0),
    p1=st.floats(0.0, 6000.0),
    p2=st.floats(0.0, 6000.0),
)
def test_more_payload_never_gives_more_range(
    fuel: float, mtow_extra: float, p1: float, p2: float
) -> None:
    vehicle = _jet(fuel_capacity=fuel, max_takeoff_mass=1000.0 + mtow_extra)
    light, heavy = sorted((p1, p2))
    assert breguet_range_km(vehicle, heavy) <= breguet_range_km(vehicle, light) + 1e-9


@given(fuel=st.floats(10.0, 5000.0), extra=st.floats(1.0, 5000.0), payload=st.floats(0.0, 3000.0))
def test_more_fuel_gives_more_range(fuel: float, extra: float, payload: float) -> None:
    assert breguet_range_km(_jet(fuel_capacity=fuel + extra), payload) > breguet_range_km(
        _jet(fuel_capacity=fuel), payload
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"lift_to_drag": 0.0}, "lift-to-drag", id="zero-L/D"),
        pytest.param({"reserve_fraction": 1.0}, "reserve", id="reserve-100pct"),
        pytest.param({"cruise_speed": None}, "cruise speed", id="jet-without-speed"),
        pytest.param({"max_takeoff_mass": 900.0}, "take-off", id="mtow-below-empty"),
    ],
)
def test_air_vehicle_rejects_nonsense(overrides: dict[str, float | None], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _jet(**overrides)
