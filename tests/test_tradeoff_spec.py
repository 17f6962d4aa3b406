"""Bad vehicle data gives a SpecError that names the field path, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest

from mtcr_screen.errors import SpecError, UnitError
from mtcr_screen.tradeoff import analyse
from mtcr_screen.tradeoff.spec import parse_vehicle, to_air_vehicle, to_rocket

STAGE = {"propellant_mass": "3700 kg", "dry_mass": "1300 kg", "isp": "225 s"}
JET = {
    "type": "air_breathing",
    "empty_mass": "890 kg",
    "fuel_mass": "410 kg",
    "lift_to_drag": 5.8,
    "tsfc": "3 lb/(lbf*h)",
    "cruise_speed": "640 km/h",
}


def rocket(**stage: Any) -> dict[str, Any]:
    """A one-stage rocket with ``stage`` overriding (None removes a field)."""
    merged = {k: v for k, v in {**STAGE, **stage}.items() if v is not None}
    return {"type": "rocket", "stages": [merged]}


def jet(**fields: Any) -> dict[str, Any]:
    """The jet with ``fields`` overriding (None removes a field)."""
    return {k: v for k, v in {**JET, **fields}.items() if v is not None}


CASES = [
    pytest.param(
        rocket(dry_mass=None),
        "vehicle.stages[0]: give dry_mass or gross_mass",
        id="stage-without-dry-or-gross-mass",
    ),
    pytest.param(
        rocket(propellant_mass=None),
        "vehicle.stages[0].propellant_mass: missing",
        id="stage-without-propellant",
    ),
    pytest.param(
        rocket(dry_mass="-1300 kg"),
        "vehicle.stages[0].dry_mass: '-1300 kg' is negative",
        id="negative-dry-mass",
    ),
    pytest.param(
        rocket(propellant_mass="0 kg"),
        "vehicle.stages[0].propellant_mass: '0 kg' must be more than zero",
        id="zero-propellant",
    ),
    pytest.param(
        rocket(propellant_mass="3700 m"),
        "vehicle.stages[0].propellant_mass: '3700 m' is a length, but",
        id="mass-in-metres",
    ),
    pytest.param(
        rocket(isp="2200 m/s"), "vehicle.stages[0].isp: '2200 m/s' is a speed", id="isp-as-a-speed"
    ),
    pytest.param(rocket(isp=225), "vehicle.stages[0].isp: 225 has no unit", id="isp-without-unit"),
    pytest.param(
        rocket(gross_mass="5000 kg"),
        "give dry_mass or gross_mass, not both",
        id="dry-and-gross-mass",
    ),
    pytest.param(
        rocket(dry_mass=None, gross_mass="3000 kg"),
        "vehicle.stages[0].gross_mass: '3000 kg' must exceed propellant_mass",
        id="gross-below-propellant",
    ),
    pytest.param(
        rocket(thrust="130 kN"), "vehicle.stages[0].thrust: unknown field", id="unknown-stage-field"
    ),
    pytest.param(
        {"type": "rocket", "stages": []}, "vehicle.stages: must not be empty", id="no-stages"
    ),
    pytest.param({"type": "rocket"}, "vehicle: give stages or burnout_speed", id="nothing-to-fly"),
    pytest.param(
        {"type": "missile", "stages": [STAGE]}, "vehicle.type: type must be", id="unknown-type"
    ),
    pytest.param({"stages": [STAGE]}, "vehicle.type: type must be", id="missing-type"),
    pytest.param(
        {**rocket(), "losses": {"delta_v": "900 m/s", "drag": "100 m/s"}},
        "vehicle.losses: give delta_v (combined) or gravity/drag",
        id="losses-both-forms",
    ),
    pytest.param(
        {**rocket(), "losses": {"delta_v": "900 kg"}},
        "vehicle.losses.delta_v: '900 kg' is a mass",
        id="loss-in-kg",
    ),
    pytest.param(
        {**rocket(), "burnout_altitude": "30 s"},
        "vehicle.burnout_altitude: '30 s' is a time",
        id="altitude-in-seconds",
    ),
    pytest.param(
        jet(lift_to_drag="5.8 kg"),
        "vehicle.lift_to_drag: '5.8 kg' must be a plain number",
        id="lift-to-drag-with-unit",
    ),
    pytest.param(
        jet(cruise_speed=None), "vehicle: a jet needs tsfc and cruise_speed", id="jet-without-speed"
    ),
    pytest.param(
        jet(fuel_mass="-5 kg"), "vehicle.fuel_mass: '-5 kg' is negative", id="negative-fuel"
    ),
    pytest.param(jet(tsfc="3 km"), "vehicle.tsfc: '3 km' is a length", id="tsfc-in-km"),
    pytest.param(
        jet(max_takeoff_mass="800 kg"),
        "vehicle.max_takeoff_mass: '800 kg' must exceed empty_mass",
        id="mtow-below-empty",
    ),
    pytest.param(
        jet(reserve_fraction="100 %"),
        "vehicle.reserve_fraction: '100 %' must be",
        id="reserve-everything",
    ),
    pytest.param(
        jet(tsfc=None, cruise_speed=None, bsfc="300 g/(kW*h)", propulsive_efficiency=1.5),
        "vehicle.propulsive_efficiency: 1.5 must be",
        id="efficiency-above-one",
    ),
    pytest.param(
        jet(tsfc=None, bsfc="300 g/(kW*h)", propulsive_efficiency=0.8),
        "vehicle: cruise_speed is not used by a propeller aircraft",
        id="propeller-with-cruise-speed",
    ),
    pytest.param(
        jet(tsfc=None, cruise_speed=None, bsfc="300 g/(N*h)", propulsive_efficiency=0.8),
        "vehicle.bsfc: unknown unit 'g/(N*h)'",
        id="bsfc-unknown-unit",
    ),
    pytest.param(
        jet(tsfc=None, cruise_speed=None, bsfc=0.3, propulsive_efficiency=0.8),
        "vehicle.bsfc: 0.3 has no unit",
        id="bsfc-without-unit",
    ),
    pytest.param(
        jet(bsfc="300 g/(kW*h)"), "vehicle: give tsfc or bsfc, not both", id="tsfc-and-bsfc"
    ),
]


@pytest.mark.parametrize(("vehicle", "expected"), CASES)
def test_bad_vehicle_data_names_the_field(vehicle: dict[str, Any], expected: str) -> None:
    with pytest.raises(SpecError) as info:
        analyse(vehicle, declared_range_km=280, declared_payload_kg=480, source="item.yaml")
    line = info.value.one_line()
    assert line.startswith("item.yaml: "), line
    assert expected in line, line
    assert "more problem" not in line, line  # one problem each: no pydantic echoes


def test_several_problems_are_counted() -> None:
    vehicle = {"type": "rocket", "stages": [{"isp": "225 s"}], "colour": "green"}
    with pytest.raises(
        SpecError, match=r"propellant_mass: missing \(required\) \(and 1 more problem\)"
    ):
        analyse(vehicle, declared_range_km=None, declared_payload_kg=None)


def test_wrong_dimension_is_a_unit_error_with_a_hint() -> None:
    with pytest.raises(UnitError) as info:
        analyse(rocket(dry_mass="1300 N"), declared_range_km=None, declared_payload_kg=None)
    assert info.value.hint is not None
    assert "kg" in info.value.hint


def test_not_a_mapping() -> None:
    with pytest.raises(SpecError, match="vehicle: expected a mapping"):
        analyse(["rocket"], declared_range_km=None, declared_payload_kg=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("range_km", "payload_kg"),
    [pytest.param(-1.0, 480.0, id="negative-range"), pytest.param(280.0, float("nan"), id="nan")],
)
def test_declared_figures_must_be_sensible(range_km: float, payload_kg: float) -> None:
    with pytest.raises(SpecError, match="declared"):
        analyse(rocket(), declared_range_km=range_km, declared_payload_kg=payload_kg)


def test_units_are_converted() -> None:
    spec = parse_vehicle(
        {
            "type": "rocket",
            "stages": [
                {
                    "propellant_mass": "8.157 t",
                    "gross_mass": "22000 lb",
                    "exhaust_velocity": "2.2 km/s",
                }
            ],
            "burnout_altitude": "10 km",
            "losses": {"gravity": "400 m/s"},
        }
    )
    vehicle = to_rocket(spec)  # type: ignore[arg-type]
    stage = vehicle.stages[0]
    assert stage.propellant_mass == pytest.approx(8157.0)
    assert stage.gross_mass == pytest.approx(22000 * 0.45359237)
    assert stage.exhaust_velocity == pytest.approx(2200.0)
    assert vehicle.burnout_altitude == pytest.approx(10_000.0)
    assert vehicle.losses.gravity == pytest.approx(400.0)
    assert vehicle.losses.drag == pytest.approx(150.0)  # default kept


def test_propeller_units_and_inferred_propulsion() -> None:
    spec = parse_vehicle(
        jet(
            tsfc=None,
            cruise_speed=None,
            bsfc="0.5 lb/(hp*h)",
            propulsive_efficiency="80 %",
            reserve_fraction="5 %",
        )
    )
    air = to_air_vehicle(spec)  # type: ignore[arg-type]
    assert air.propulsion.value == "propeller"
    assert air.bsfc == pytest.approx(0.5 * 0.45359237 / (745.6998715822702 * 3600.0))
    assert air.propulsive_efficiency == pytest.approx(0.8)
    assert air.reserve_fraction == pytest.approx(0.05)


def test_spec_models_are_frozen_and_strict() -> None:
    spec = parse_vehicle(rocket())
    with pytest.raises(Exception, match="frozen"):
        spec.type = "air_breathing"  # type: ignore[misc]
