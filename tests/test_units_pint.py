"""The unit tables against pint, and the cases where screening need not load pint."""

from __future__ import annotations

import math

import pint
import pytest

from mtcr_screen import units
from mtcr_screen.errors import UnitError

REG = pint.UnitRegistry()
PINT_DIMS = [d for d in units.DIMENSIONS.values() if d.pint_base is not None]


def _pint_reads(key: str) -> pint.Quantity | None:
    try:
        return REG.Quantity(1.0, key)
    except Exception:  # pint raises many types for units it cannot read
        return None


@pytest.mark.parametrize("dim", PINT_DIMS, ids=lambda d: d.name)
def test_dimensionality_table_matches_pint(dim: units.Dimension) -> None:
    assert units._PINT_DIMENSIONALITY[dim.name] == str(REG.Unit(dim.pint_base).dimensionality)


def test_every_pint_dimension_has_its_dimensionality() -> None:
    assert set(units._PINT_DIMENSIONALITY) == {d.name for d in PINT_DIMS}


@pytest.mark.parametrize("dim", PINT_DIMS, ids=lambda d: d.name)
def test_pint_reads_table_units_as_their_table_or_not_at_all(dim: units.Dimension) -> None:
    """The premise of units._pint_cannot: a unit of a pint dimension's table is, for
    pint, of that dimension (with the table's factor) or unknown."""
    base = REG.Unit(dim.pint_base)
    for key, (factor, offset) in dim.table.items():
        if key in units._AMBIGUOUS:
            continue
        q = _pint_reads(key)
        if q is None:
            continue
        assert q.dimensionality == base.dimensionality, key
        assert offset == 0.0
        assert math.isclose(q.to(base).magnitude, factor, rel_tol=1e-6), key


def test_pint_cannot_agrees_with_pint() -> None:
    """Wherever _pint_cannot says pint has no conversion, pint indeed has none."""
    keys = {k for d in units.DIMENSIONS.values() for k in d.table}
    for dim in PINT_DIMS:
        for key in sorted(keys):
            if key not in dim.table and units._pint_cannot(key, dim):
                assert units._pint_conversion(key, dim) is None, (key, dim.name)


@pytest.mark.parametrize(("text", "dimension", "message"), [
    ("500 km", "mass", "'500 km' is a length, but payload is a mass"),
    ("3 kN*s", "mass", "'3 kN*s' is an impulse, but payload is a mass"),
])
def test_wrong_unit_errors_without_pint(monkeypatch: pytest.MonkeyPatch, text: str,
                                        dimension: str, message: str) -> None:
    """The error is the one pint's answer gave, and pint is not asked (nor loaded)."""
    units.conversion.cache_clear()
    units._FAILED.clear()

    def no_pint(key: str, dim: units.Dimension) -> None:
        raise AssertionError(f"pint asked about {key!r} for {dim.name}")

    monkeypatch.setattr(units, "_pint_conversion", no_pint)
    unit = units.DIMENSIONS[dimension].base
    for _ in range(2):  # the second time from the cache of failures
        with pytest.raises(UnitError) as exc:
            units.parse_quantity(text, unit=unit, dimension=dimension, name="payload")
        assert message in exc.value.message


@pytest.mark.parametrize("text", ["0.55 ton", "1 tons", "2 TON", "0.55 ton.", "0.55 (ton)",
                                  "1 tons.", "10 cwt", "1 kiloton", "10 hundredweight",
                                  "5.5 dton", "1 dacwt", "1 ton*short_ton/short_ton"])
def test_a_ton_or_hundredweight_that_does_not_say_which_is_refused(text: str) -> None:
    """pint reads "ton" as a short ton (907 kg) and "cwt" as a US hundredweight (45 kg):
    0.55 ton would be under 500 kg although 0.55 tonne is over it, and 10 British cwt are
    508 kg. Which was meant is not guessed."""
    with pytest.raises(UnitError, match="is ambiguous") as info:
        units.parse_quantity(text, unit="kg", dimension="mass", name="payload")
    assert info.value.hint is not None
    assert "short_ton" in info.value.hint


def test_a_ton_force_that_does_not_say_which_is_refused() -> None:
    with pytest.raises(UnitError, match="is ambiguous"):
        units.parse_quantity("1 ton_force", unit="kN", dimension="force")
    assert units.parse_quantity("1000 newton", unit="kN", dimension="force").value == \
        pytest.approx(1.0)


@pytest.mark.parametrize(("text", "kg"), [("0.55 t", 550.0), ("0.55 tonne", 550.0),
                                          ("1 short_ton", 907.18474),
                                          ("1 long_ton", 1016.0469088),
                                          ("1 metric_ton", 1000.0),
                                          ("10 UK_hundredweight", 508.023454)])
def test_tonnes_and_named_tons_are_read(text: str, kg: float) -> None:
    assert units.parse_quantity(text, unit="kg", dimension="mass").value == \
        pytest.approx(kg)


def test_nm_for_a_range_is_refused_but_read_for_small_lengths() -> None:
    """300 nm as nanometres would clear a 300 nautical-mile missile."""
    for text in ("300 nm", "300 nm.", "300 (nm)", "300 nmile"):  # pint: nano-miles
        with pytest.raises(UnitError, match="a millionth of a km or less") as info:
            units.parse_quantity(text, unit="km", dimension="length", name="range")
        assert info.value.hint == "for nautical miles write nmi or NM"
    assert units.parse_quantity("300 NM", unit="km", dimension="length").value == \
        pytest.approx(555.6)
    assert units.parse_quantity("5 nm", unit="nm", dimension="length").value == \
        pytest.approx(5.0)
    assert units.parse_quantity("5000 nm", unit="um", dimension="length").value == \
        pytest.approx(5.0)


@pytest.mark.parametrize("text", ["-60 K", "-300 °C", "-460 °F"])
def test_a_temperature_below_absolute_zero_is_refused(text: str) -> None:
    with pytest.raises(UnitError, match="below absolute zero"):
        units.parse_quantity(text, unit="°C", dimension="temperature", allow_negative=True)


def test_temperatures_down_to_absolute_zero_are_read() -> None:
    assert units.parse_quantity("-55 °C", unit="°C", dimension="temperature",
                                allow_negative=True).value == pytest.approx(-55.0)
    assert units.parse_quantity("0 K", unit="°C", dimension="temperature",
                                allow_negative=True).value == pytest.approx(-273.15)


@pytest.mark.parametrize(("text", "dimension", "hint"), [("300 KM", "length", "km"),
                                                        ("500 KG", "mass", "kg")])
def test_a_unit_in_another_case_is_suggested_not_read(text: str, dimension: str,
                                                      hint: str) -> None:
    with pytest.raises(UnitError) as info:
        units.parse_quantity(text, unit=hint, dimension=dimension)
    assert info.value.hint == f"expected e.g. {hint}"
