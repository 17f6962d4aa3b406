"""The curve, the 500 kg / 300 km verdict, the declared point and the result's dict form."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mtcr_screen.tradeoff import analyse
from mtcr_screen.tradeoff.curve import (
    RECORDED_MODEL_ERROR_PCT,
    compare_declared,
    is_borderline,
    payload_for_range,
)

# The brief's example: advertised at 280 km with 480 kg, stage data says more.
SRBM: dict[str, Any] = {
    "type": "rocket",
    "stages": [{"propellant_mass": "3700 kg", "dry_mass": "1300 kg", "isp": "225 s"}],
}
# A third of the propellant: a short-range rocket well below the box.
SMALL: dict[str, Any] = {
    "type": "rocket",
    "stages": [{"propellant_mass": "1200 kg", "dry_mass": "600 kg", "isp": "225 s"}],
}


def test_declared_280_km_480_kg_but_capable_of_500_kg_to_300_km() -> None:
    result = analyse(SRBM, declared_range_km=280, declared_payload_kg=480)
    assert result.reaches_category_i is True
    assert result.range_at_500kg_km is not None
    assert result.range_at_500kg_km > 300.0
    assert result.payload_at_300km_kg is not None
    assert result.payload_at_300km_kg > 500.0
    # The declared point understates the capability by more than the model error.
    assert result.declared.difference_pct is not None
    assert result.declared.difference_pct > RECORDED_MODEL_ERROR_PCT["rocket"]
    assert result.declared.consistent is False


def test_smaller_vehicle_does_not_reach_the_box() -> None:
    result = analyse(SMALL, declared_range_km=100, declared_payload_kg=300)
    assert result.reaches_category_i is False
    assert result.borderline is False
    assert result.range_at_500kg_km is not None
    assert result.range_at_500kg_km < 300.0
    assert result.payload_at_300km_kg is not None
    assert result.payload_at_300km_kg < 500.0  # it gets to 300 km only with a light payload


def test_no_payload_at_300_km_when_even_the_empty_rocket_falls_short() -> None:
    tiny = {
        "type": "rocket",
        "stages": [
            {"propellant_mass": "300 kg", "gross_mass": "600 kg", "exhaust_velocity": "2.2 km/s"}
        ],
    }
    result = analyse(tiny, declared_range_km=None, declared_payload_kg=None)
    assert result.payload_at_300km_kg is None
    assert result.reaches_category_i is False


def test_payload_at_300_km_is_where_the_curve_crosses_300_km() -> None:
    result = analyse(SRBM, declared_range_km=None, declared_payload_kg=None)
    assert result.payload_at_300km_kg is not None
    from mtcr_screen.tradeoff.rocket import rocket_range_km
    from mtcr_screen.tradeoff.spec import parse_vehicle, to_rocket

    vehicle = to_rocket(parse_vehicle(SRBM))  # type: ignore[arg-type]
    assert rocket_range_km(vehicle, result.payload_at_300km_kg) == pytest.approx(300.0, abs=1e-3)


def test_bisection_on_a_straight_line() -> None:
    assert payload_for_range(lambda p: 600.0 - 0.5 * p, 300.0, None) == pytest.approx(600.0)
    assert payload_for_range(lambda p: 600.0 - 0.5 * p, 300.0, 400.0) == 400.0  # capped
    assert payload_for_range(lambda p: 200.0 - p, 300.0, None) is None


def test_curve_points_fall_monotonically_from_zero_payload() -> None:
    result = analyse(SRBM, declared_range_km=280, declared_payload_kg=480)
    payloads = [p.payload_kg for p in result.points]
    ranges = [p.range_km for p in result.points]
    assert payloads[0] == 0.0
    assert payloads == sorted(payloads)
    assert ranges == sorted(ranges, reverse=True)
    assert payloads[-1] == pytest.approx(1000.0)  # twice the 500 kg threshold


def test_borderline_band_is_the_model_error_around_300_km() -> None:
    assert is_borderline(310.0, 4.0)
    assert is_borderline(288.0, 4.0)
    assert not is_borderline(313.0, 4.0)
    assert not is_borderline(None, 4.0)


def test_declared_point_comparison() -> None:
    same = compare_declared(lambda p: 300.0, 300.0, 985.0, 4.0)
    assert same.difference_pct == 0.0
    assert same.consistent is True
    none = compare_declared(lambda p: 300.0, None, None, 4.0)
    assert none.model_range_km is None
    assert none.consistent is None


def test_uav_heavier_than_its_mtow_allows_cannot_reach() -> None:
    uav = {
        "type": "air_breathing",
        "empty_mass": "200 kg",
        "fuel_mass": "150 kg",
        "max_takeoff_mass": "600 kg",
        "lift_to_drag": 15,
        "bsfc": "300 g/(kW*h)",
        "propulsive_efficiency": "80 %",
    }
    result = analyse(uav, declared_range_km=None, declared_payload_kg=None)
    assert result.model == "breguet_propeller"
    assert result.range_at_500kg_km is None  # 200 kg empty + 500 kg payload > 600 kg MTOW
    assert result.reaches_category_i is False
    assert result.points[-1].payload_kg == pytest.approx(400.0)


def test_long_range_uav_with_small_payload_room_to_spare() -> None:
    uav = {
        "type": "air_breathing",
        "empty_mass": "900 kg",
        "fuel_mass": "600 kg",
        "lift_to_drag": 18,
        "bsfc": "0.25 kg/kWh",
        "propulsive_efficiency": 0.8,
    }
    result = analyse(uav, declared_range_km=250, declared_payload_kg=450)
    assert result.reaches_category_i is True
    assert result.range_at_500kg_km is not None
    assert result.range_at_500kg_km > 2000.0


@pytest.mark.parametrize(
    ("speed", "payload", "expected"),
    [
        pytest.param("1.9 km/s", 600.0, True, id="heavy-and-far"),
        pytest.param("1.2 km/s", 400.0, False, id="light-and-short"),
        pytest.param("1.9 km/s", 400.0, None, id="light-and-far-undecided"),
    ],
)
def test_burnout_speed_only(speed: str, payload: float, expected: bool | None) -> None:
    result = analyse(
        {"type": "rocket", "burnout_speed": speed},
        declared_range_km=280,
        declared_payload_kg=payload,
    )
    assert result.model == "rocket_burnout_speed"
    assert result.reaches_category_i is expected
    assert len(result.points) == 1


def test_to_dict_is_json_safe_with_a_stable_key_order() -> None:
    data = analyse(SRBM, declared_range_km=280, declared_payload_kg=480).to_dict()
    assert list(data) == [
        "model",
        "reaches_category_i",
        "borderline",
        "payload_at_300km_kg",
        "range_at_500kg_km",
        "range_no_payload_km",
        "model_error_pct",
        "declared",
        "points",
        "assumptions",
    ]
    assert list(data["declared"]) == [
        "range_km",
        "payload_kg",
        "model_range_km",
        "difference_pct",
        "consistent",
    ]
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    again = analyse(SRBM, declared_range_km=280, declared_payload_kg=480).to_dict()
    assert again == data
