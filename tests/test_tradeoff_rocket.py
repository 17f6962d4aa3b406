"""Rocket model: Tsiolkovsky by hand, the ballistic range formula, and physical sanity."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtcr_screen.tradeoff.rocket import (
    MU_EARTH,
    R_EARTH,
    Losses,
    RocketVehicle,
    Stage,
    ballistic_range_km,
    burnout_speed,
    ideal_delta_v,
    max_range_angle_at_surface,
    range_angle,
    rocket_range_km,
    stage_delta_vs,
)


def test_single_stage_mass_ratio_two_gives_ve_ln2() -> None:
    # 2000 kg gross, 1000 kg propellant, no payload: m0/m1 = 2, dv = 3000 * ln 2.
    stage = Stage(gross_mass=2000.0, propellant_mass=1000.0, exhaust_velocity=3000.0)
    assert ideal_delta_v([stage], 0.0) == pytest.approx(2079.4415, abs=1e-3)


def test_two_stage_rocket_equation_by_hand() -> None:
    # Stage 1 ignites with 3000 + 1000 + 200 = 4200 kg and burns out at 2700 kg:
    #   2500 * ln(4200 / 2700) = 1104.58 m/s
    # Stage 2 ignites with 1000 + 200 = 1200 kg and burns out at 500 kg:
    #   3000 * ln(1200 / 500) = 2626.41 m/s
    stages = [Stage(3000.0, 1500.0, 2500.0), Stage(1000.0, 700.0, 3000.0)]
    dv1, dv2 = stage_delta_vs(stages, 200.0)
    assert dv1 == pytest.approx(1104.58, abs=0.01)
    assert dv2 == pytest.approx(2626.41, abs=0.01)
    assert ideal_delta_v(stages, 200.0) == pytest.approx(3730.99, abs=0.02)


def test_burnout_speed_subtracts_losses_and_never_goes_negative() -> None:
    vehicle = RocketVehicle(stages=(Stage(2000.0, 1000.0, 3000.0),), losses=Losses(500.0, 100.0))
    assert burnout_speed(vehicle, 0.0) == pytest.approx(2079.4415 - 600.0, abs=1e-3)
    weak = RocketVehicle(stages=(Stage(2000.0, 100.0, 1000.0),), losses=Losses(combined=900.0))
    assert burnout_speed(weak, 0.0) == 0.0
    assert rocket_range_km(weak, 0.0) == 0.0


def test_closed_form_range_angle_known_value() -> None:
    # nu = v^2 r / mu = 0.5  ->  psi = 2 asin(0.5 / 1.5) = 0.679674 rad
    speed = math.sqrt(0.5 * MU_EARTH / R_EARTH)
    assert max_range_angle_at_surface(speed) == pytest.approx(0.679674, abs=1e-6)
    assert ballistic_range_km(speed) == pytest.approx(0.679674 * 6371.0, rel=1e-6)


def test_orbital_speed_caps_range_at_half_the_circumference() -> None:
    orbital = math.sqrt(MU_EARTH / R_EARTH)
    assert ballistic_range_km(orbital * 1.01) == pytest.approx(math.pi * 6371.0)


def test_low_speed_tends_to_flat_earth_v_squared_over_g() -> None:
    g = MU_EARTH / R_EARTH**2
    speed = 300.0
    flat_km = speed**2 / g / 1000.0
    assert ballistic_range_km(speed) == pytest.approx(flat_km, rel=5e-3)
    assert ballistic_range_km(speed) > flat_km  # a curved Earth falls away beneath the arc


@pytest.mark.parametrize("speed", [800.0, 1700.0, 3000.0, 6000.0])
def test_numeric_optimum_matches_closed_form_at_the_surface(speed: float) -> None:
    best = max(range_angle(speed, math.radians(g / 20.0), R_EARTH) for g in range(1, 1800))
    assert best == pytest.approx(max_range_angle_at_surface(speed), rel=1e-6)
    assert ballistic_range_km(speed, 1e-3) == pytest.approx(ballistic_range_km(speed), rel=1e-6)


def test_burnout_altitude_adds_range() -> None:
    assert ballistic_range_km(1700.0, 30_000.0) > ballistic_range_km(1700.0) + 25.0


def test_stage_rejects_impossible_masses() -> None:
    with pytest.raises(ValueError, match="gross mass"):
        Stage(gross_mass=100.0, propellant_mass=100.0, exhaust_velocity=2000.0)
    with pytest.raises(ValueError, match="propellant"):
        Stage(gross_mass=100.0, propellant_mass=0.0, exhaust_velocity=2000.0)


masses = st.floats(min_value=100.0, max_value=50_000.0)
ve = st.floats(min_value=1500.0, max_value=4500.0)
payloads = st.floats(min_value=0.0, max_value=5000.0)


@given(dry=masses, prop=masses, exhaust=ve, p1=payloads, p2=payloads)
def test_more_payload_never_gives_more_range(
    dry: float, prop: float, exhaust: float, p1: float, p2: float
) -> None:
    vehicle = RocketVehicle(stages=(Stage(dry + prop, prop, exhaust),))
    light, heavy = sorted((p1, p2))
    assert rocket_range_km(vehicle, heavy) <= rocket_range_km(vehicle, light) + 1e-9


@given(dry=masses, prop=masses, extra=st.floats(1.0, 10_000.0), exhaust=ve, payload=payloads)
def test_more_first_stage_propellant_never_gives_less_range(
    dry: float, prop: float, extra: float, exhaust: float, payload: float
) -> None:
    upper = Stage(1500.0, 1000.0, 3000.0)
    small = RocketVehicle(stages=(Stage(dry + prop, prop, exhaust), upper))
    big = RocketVehicle(stages=(Stage(dry + prop + extra, prop + extra, exhaust), upper))
    assert rocket_range_km(big, payload) >= rocket_range_km(small, payload) - 1e-9


def test_higher_isp_and_lower_losses_give_more_range() -> None:
    base = RocketVehicle(stages=(Stage(5000.0, 3700.0, 2200.0),))
    better_isp = RocketVehicle(stages=(Stage(5000.0, 3700.0, 2500.0),))
    lower_loss = RocketVehicle(stages=base.stages, losses=Losses(combined=300.0))
    assert rocket_range_km(better_isp, 500.0) > rocket_range_km(base, 500.0)
    assert rocket_range_km(lower_loss, 500.0) > rocket_range_km(base, 500.0)


def test_staging_beats_one_stage_of_the_same_total_mass() -> None:
    one = RocketVehicle(stages=(Stage(20_000.0, 17_000.0, 2500.0),))
    two = RocketVehicle(stages=(Stage(15_000.0, 13_000.0, 2500.0), Stage(5000.0, 4000.0, 2500.0)))
    assert rocket_range_km(two, 500.0) > rocket_range_km(one, 500.0)
