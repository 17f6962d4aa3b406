"""Analyst features: headroom, what-if sweeps with exact flip points, the 1987 profile."""

from __future__ import annotations

import time

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.specdata import ItemData, TransferData
from mtcr_screen.whatif import Sweeper, Vary, sweep, thresholds_for
from tests.conftest import run_cli


def test_headroom_280km_480kg_is_20_short_of_each() -> None:
    """A rocket declared at 280 km / 480 kg: 20 km and 20 kg short of Category I."""
    out = run_cli("screen", "--kind", "rocket_system", "--param", "range=280km", "--param",
                  "payload=480kg", "--param", "range_with_any_payload=290km", "--headroom",
                  "--no-log", "--no-color", expect=0).stdout
    assert "range 280 km is 20 km (6.67 %) below the 300 km of 1.A.1" in out
    assert "payload 480 kg is 20 kg (4 %) below the 500 kg of 1.A.1" in out
    data = run_cli("screen", "--kind", "rocket_system", "--param", "range=280km", "--param",
                   "payload=480kg", "--param", "range_with_any_payload=290km", "--no-log", "-f",
                   "json").json()
    comps = {c["parameter"]: c["headroom"] for c in data["items"][0]["evaluations"][0]
             ["comparisons"]}
    assert comps["range"] == {"margin": -20.0, "unit": "km", "percent": -6.666667}
    assert comps["payload"] == {"margin": -20.0, "unit": "kg", "percent": -4.0}


def test_sweep_flips_at_exactly_300km_with_a_70km_step() -> None:
    """The flip to 19.A.1 is reported at exactly 300 km although no step lands on it."""
    res = run_cli("whatif", "--kind", "rocket_system", "--param", "range=90km", "--param",
                  "payload=100kg", "--vary", "range_with_any_payload=100km..1000km:70km", "-f",
                  "json", expect=0).json()
    assert [r["values"]["range_with_any_payload"] for r in res["rows"]][:4] == [100, 170, 240,
                                                                                310]
    [flip] = res["flip_points"]
    assert flip["value"] == 300.0
    assert flip["inclusive"] is True
    assert flip["to"]["entries"] == ["19.A.1"]
    assert flip["from"]["category"] == "not_listed"


def test_sweep_exclusive_threshold_is_just_above() -> None:
    """A '>' threshold flips just above its value (19.A.3: more than 20 litres)."""
    res = run_cli("whatif", "--kind", "uav_system", "--param", "range=50km", "--param",
                  "payload=30kg", "--fact", "autonomous_flight_control_and_navigation=true",
                  "--fact", "aerosol_dispensing_included=true", "--vary",
                  "aerosol_dispensing_capacity=5l..50l:7l", "-f", "json", expect=0).json()
    flip = next(f for f in res["flip_points"] if f["to"]["entries"] == ["19.A.3"])
    assert flip["value"] == 20.0
    assert flip["inclusive"] is False


def test_two_parameter_grid(annex: CompiledAnnex) -> None:
    """Two --vary options give a grid, and flips along both axes."""
    out = run_cli("whatif", "--kind", "rocket_system", "--vary", "range=100km..500km:100km",
                  "--vary", "payload=100kg..900kg:200kg", expect=0).stdout
    assert out.startswith("category by range (km, rows) and payload (kg, columns)")
    assert "payload at 500 kg (with range 300 km): II/case_by_case → I/presumption_of_denial" \
        in out


def test_ten_thousand_variants_under_a_second(annex: CompiledAnnex) -> None:
    """10,000 variants are screened quickly (the benchmark measures it; this only guards
    against a regression of an order of magnitude)."""
    item = ItemData(kind="rocket_system", parameters={"payload": "100 kg"})
    sweeper = Sweeper(annex, TransferData(items=(item,)), item)
    t0 = time.perf_counter()
    res = sweep(sweeper, [Vary("range", 1, 10000, 1, "km")])
    assert len(res.rows) == 10000
    assert time.perf_counter() - t0 < 10


def test_thresholds_for_kind(annex: CompiledAnnex) -> None:
    """The thresholds of a parameter across the entries of a kind."""
    assert thresholds_for(annex, "solid_rocket_motor", "total_impulse") == [841000.0, 1100000.0]


def test_bad_vary_is_one_line() -> None:
    """A malformed --vary is a one-line error, exit 2."""
    res = run_cli("whatif", "--kind", "rocket_system", "--vary", "range=100km-1000km", expect=2)
    assert res.stderr.startswith("Error: --vary: --vary 'range=100km-1000km': expected")
    res = run_cli("whatif", "--kind", "rocket_system", "--vary", "range=100kg..1000kg:10kg",
                  expect=2)
    assert "is a mass" in res.stderr


def test_1987_profile_differs_from_current() -> None:
    """1,000 km with 300 kg (400 kg to 300 km): not listed under 1987, Category II (19.A.1)
    now; both shown."""
    old = run_cli("screen", "--kind", "rocket_system", "--param", "range=1000km", "--param",
                  "payload=300kg", "--param", "payload_at_300km_range=400kg", "--guidelines",
                  "1987", "--no-log", "-f", "json", expect=0).json()
    assert old["guidelines_profile"] == "1987"
    assert old["category"] == "not_listed"
    note = next(r for r in old["rationale"] if r["code"] == "POL701")
    assert "under the current Guidelines: Category II, case_by_case (19.A.1)" in note["message"]
    assert "the outcomes differ" in note["message"]
    now = run_cli("screen", "--kind", "rocket_system", "--param", "range=1000km", "--param",
                  "payload=300kg", "--param", "payload_at_300km_range=400kg", "--no-log", "-f",
                  "json", expect=1).json()
    assert now["category"] == "II"
    assert now["entries"] == ["19.A.1"]
    assert now["guidelines_profile"] == "current"


def test_1987_profile_has_no_tradeoff_and_no_catch_all() -> None:
    """No trade-off: 250 km / 1000 kg is not listed; no catch-all, but the note says so."""
    d = run_cli("screen", "--kind", "rocket_system", "--param", "range=250km", "--param",
                "payload=1000kg", "--guidelines", "1987", "--no-log", "-f", "json").json()
    assert d["category"] == "not_listed"
    d = run_cli("screen", "--kind", "rocket_system", "--param", "range=100km", "--param",
                "payload=100kg", "--red-flag", "wmd_delivery_known", "--guidelines", "1987",
                "--no-log", "-f", "json").json()
    assert d["recommendation"] == "no_mtcr_licence_required"
    assert any("had no catch-all" in r["message"] for r in d["rationale"])
