"""Quantities with units: parse ``"450 km"``, check the dimension, convert to a canonical unit.

Design:

* Every parameter of the Annex vocabulary has a canonical unit (``km``, ``kg``, ``N*s``...).
  Its *dimension* is found from that unit in the tables below.
* Common spellings of each dimension are in a hand-checked table of factors, so screening
  needs no units library at start-up. ``tests/test_units.py`` checks every table entry
  against pint.
* A unit outside the table is handed to pint (imported lazily, ``UnitRegistry()`` costs
  about 0.2 s) for the dimensions where pint can tell dimensions apart. Angles, angular
  rates, ratios, radiation dose and acceleration in ``g`` are table-only, because pint
  treats radians as dimensionless and reads ``g`` as gram and ``rad`` as radian.
* Every (unit string, dimension) pair is resolved once and cached.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mtcr_screen.errors import UnitError

# (factor, offset) such that value_in_base = value * factor + offset
_Conv = tuple[float, float]

_LBF = 4.4482216152605  # N
_LB = 0.45359237  # kg
_G0 = 9.80665  # m/s^2
_DEG_PER_RAD = 180.0 / math.pi


@dataclass(frozen=True, slots=True)
class Dimension:
    """A physical dimension: its base unit, its table of spellings, and pint's view of it."""

    name: str
    base: str
    table: dict[str, _Conv]
    pint_base: str | None = None  # None: table only, pint is never consulted
    example: str = ""


def _scaled(pairs: dict[str, float]) -> dict[str, _Conv]:
    return {k: (v, 0.0) for k, v in pairs.items()}


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "length",
            "m",
            _scaled(
                {
                    "m": 1.0, "km": 1e3, "cm": 1e-2, "mm": 1e-3, "um": 1e-6, "micron": 1e-6,
                    "nm": 1e-9, "angstrom": 1e-10, "Å": 1e-10, "A": 1e-10,
                    "mi": 1609.344, "mile": 1609.344, "miles": 1609.344,
                    "nmi": 1852.0, "NM": 1852.0, "ft": 0.3048, "feet": 0.3048,
                    "in": 0.0254, "inch": 0.0254, "inches": 0.0254, "yd": 0.9144,
                    "meter": 1.0, "metre": 1.0, "meters": 1.0, "metres": 1.0,
                    "kilometer": 1e3, "kilometre": 1e3, "kilometers": 1e3, "kilometres": 1e3,
                }
            ),
            "meter",
            "km",
        ),
        Dimension(
            "mass",
            "kg",
            _scaled(
                {
                    "kg": 1.0, "g": 1e-3, "mg": 1e-6, "t": 1e3, "tonne": 1e3, "tonnes": 1e3,
                    "lb": _LB, "lbs": _LB, "lbm": _LB, "pound": _LB, "pounds": _LB,
                    "oz": _LB / 16.0, "kilogram": 1.0, "kilograms": 1.0,
                }
            ),
            "kilogram",
            "kg",
        ),
        Dimension(
            "impulse",
            "N*s",
            _scaled(
                {
                    "N*s": 1.0, "Ns": 1.0, "N.s": 1.0, "kN*s": 1e3, "kNs": 1e3,
                    "MN*s": 1e6, "MNs": 1e6, "lbf*s": _LBF, "kgf*s": _G0,
                    "kg*m/s": 1.0,
                }
            ),
            "newton * second",
            "N*s",
        ),
        Dimension(
            "force",
            "N",
            _scaled({"N": 1.0, "kN": 1e3, "MN": 1e6, "lbf": _LBF, "kgf": _G0, "klbf": 1e3 * _LBF}),
            "newton",
            "kN",
        ),
        Dimension(
            "angular_rate",
            "deg/h",
            _scaled(
                {
                    "deg/h": 1.0, "deg/hr": 1.0, "°/h": 1.0, "°/hr": 1.0, "degree/hour": 1.0,
                    "deg/s": 3600.0, "°/s": 3600.0, "degree/second": 3600.0,
                    "deg/min": 60.0, "rad/s": _DEG_PER_RAD * 3600.0,
                    "rad/h": _DEG_PER_RAD, "mrad/s": _DEG_PER_RAD * 3.6,
                }
            ),
            None,
            "deg/h",
        ),
        Dimension(
            "angle",
            "deg",
            _scaled(
                {
                    "deg": 1.0, "°": 1.0, "degree": 1.0, "degrees": 1.0,
                    "arcmin": 1.0 / 60.0, "arcsec": 1.0 / 3600.0, "arc_second": 1.0 / 3600.0,
                    "arc_seconds": 1.0 / 3600.0, '"': 1.0 / 3600.0,
                    "rad": _DEG_PER_RAD, "mrad": _DEG_PER_RAD / 1e3, "urad": _DEG_PER_RAD / 1e6,
                }
            ),
            None,
            "deg",
        ),
        Dimension(
            "acceleration",
            "m/s**2",
            _scaled(
                {
                    "m/s**2": 1.0, "m/s2": 1.0, "ft/s**2": 0.3048, "g": _G0, "g0": _G0,
                    "gn": _G0, "G": _G0, "mg": _G0 * 1e-3, "ug": _G0 * 1e-6,
                    "micro_g": _G0 * 1e-6, "Gal": 1e-2, "gal": 1e-2, "mGal": 1e-5,
                    "mgal": 1e-5, "uGal": 1e-8,
                }
            ),
            None,
            "g",
        ),
        Dimension(
            "temperature",
            "K",
            {
                "K": (1.0, 0.0),
                "degC": (1.0, 273.15),
                "°C": (1.0, 273.15),
                "C": (1.0, 273.15),
                "celsius": (1.0, 273.15),
                "degF": (5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0),
                "°F": (5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0),
                "F": (5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0),
                "kelvin": (1.0, 0.0),
            },
            None,
            "°C",
        ),
        Dimension(
            "pressure",
            "Pa",
            _scaled(
                {
                    "Pa": 1.0, "kPa": 1e3, "MPa": 1e6, "GPa": 1e9, "hPa": 1e2, "bar": 1e5,
                    "mbar": 1e2, "psi": 6894.757293168361, "ksi": 6894757.293168361,
                    "atm": 101325.0, "Torr": 101325.0 / 760.0, "torr": 101325.0 / 760.0,
                    "mmHg": 133.322387415, "N/m**2": 1.0,
                }
            ),
            "pascal",
            "MPa",
        ),
        Dimension(
            "power",
            "W",
            _scaled({"W": 1.0, "kW": 1e3, "MW": 1e6, "GW": 1e9, "hp": 745.6998715822702}),
            "watt",
            "kW",
        ),
        Dimension(
            "speed",
            "m/s",
            _scaled(
                {
                    "m/s": 1.0, "km/s": 1e3, "km/h": 1.0 / 3.6, "kph": 1.0 / 3.6,
                    "kn": 1852.0 / 3600.0, "kt": 1852.0 / 3600.0, "knot": 1852.0 / 3600.0,
                    "knots": 1852.0 / 3600.0, "mph": 1609.344 / 3600.0, "ft/s": 0.3048,
                }
            ),
            "meter / second",
            "m/s",
        ),
        Dimension(
            "frequency",
            "Hz",
            _scaled({"Hz": 1.0, "kHz": 1e3, "MHz": 1e6, "GHz": 1e9}),
            "hertz",
            "kHz",
        ),
        Dimension(
            "rotational_speed",
            "rpm",
            _scaled({"rpm": 1.0, "r/min": 1.0, "rev/min": 1.0, "rev/s": 60.0}),
            None,
            "rpm",
        ),
        Dimension(
            "time",
            "s",
            _scaled(
                {"s": 1.0, "ms": 1e-3, "us": 1e-6, "min": 60.0, "h": 3600.0, "hr": 3600.0,
                 "day": 86400.0, "second": 1.0, "seconds": 1.0, "minute": 60.0,
                 "minutes": 60.0, "hour": 3600.0, "hours": 3600.0}
            ),
            "second",
            "s",
        ),
        Dimension(
            "volume",
            "l",
            _scaled(
                {"l": 1.0, "L": 1.0, "litre": 1.0, "liter": 1.0, "litres": 1.0, "liters": 1.0,
                 "ml": 1e-3, "mL": 1e-3, "m**3": 1e3, "m3": 1e3, "gal": 3.785411784,
                 "USgal": 3.785411784, "cm**3": 1e-3}
            ),
            "liter",
            "l",
        ),
        Dimension(
            "volume_flow",
            "l/min",
            _scaled(
                {"l/min": 1.0, "L/min": 1.0, "l/s": 60.0, "L/s": 60.0, "m**3/s": 6e4,
                 "m**3/h": 1e3 / 60.0, "gal/min": 3.785411784, "gpm": 3.785411784}
            ),
            "liter / minute",
            "l/min",
        ),
        Dimension(
            "ratio",
            "%",
            _scaled({"%": 1.0, "percent": 1.0, "pct": 1.0, "ppm": 1e-4, "ppb": 1e-7}),
            None,
            "%",
        ),
        Dimension(
            "density",
            "kg/m**3",
            _scaled({"kg/m**3": 1.0, "kg/m3": 1.0, "g/cm**3": 1e3, "g/cm3": 1e3, "g/cc": 1e3,
                     "g/ml": 1e3, "kg/l": 1e3, "lb/in**3": 27679.9047102}),
            "kilogram / meter ** 3",
            "g/cm**3",
        ),
        Dimension(
            "specific_energy",
            "J/kg",
            _scaled({"J/kg": 1.0, "kJ/kg": 1e3, "MJ/kg": 1e6}),
            "joule / kilogram",
            "MJ/kg",
        ),
        Dimension(
            "energy_density",
            "J/m**3",
            _scaled({"J/m**3": 1.0, "J/m3": 1.0, "MJ/m**3": 1e6, "GJ/m**3": 1e9, "MJ/l": 1e9,
                     "MJ/L": 1e9, "J/l": 1e3}),
            "joule / meter ** 3",
            "J/m**3",
        ),
        Dimension(
            "areal_energy",
            "J/m**2",
            _scaled({"J/m**2": 1.0, "J/m2": 1.0, "kJ/m**2": 1e3, "MJ/m**2": 1e6,
                     "J/cm**2": 1e4, "cal/cm**2": 41840.0}),
            "joule / meter ** 2",
            "J/m**2",
        ),
        Dimension(
            "absorbed_dose",
            "rad(Si)",
            _scaled({"rad(Si)": 1.0, "rads(Si)": 1.0, "rad": 1.0, "rads": 1.0,
                     "krad(Si)": 1e3, "krad": 1e3, "Mrad(Si)": 1e6, "Mrad": 1e6,
                     "Gy(Si)": 100.0, "Gy": 100.0, "kGy": 1e5}),
            None,
            "rad(Si)",
        ),
        Dimension(
            "particle_energy",
            "MeV",
            _scaled({"eV": 1e-6, "keV": 1e-3, "MeV": 1.0, "GeV": 1e3}),
            None,
            "MeV",
        ),
        Dimension(
            "specific_fuel_consumption",
            "kg/(N*h)",
            _scaled({"kg/(N*h)": 1.0, "kg/N/h": 1.0, "kg*N**-1*h**-1": 1.0,
                     "lb/(lbf*h)": _LB / _LBF, "lb/lbf/h": _LB / _LBF,
                     "kg/(kN*h)": 1e-3, "g/(kN*s)": 3.6e-3}),
            "kilogram / newton / hour",
            "kg/(N*h)",
        ),
        Dimension(
            "specific_unbalance",
            "g*mm/kg",
            _scaled({"g*mm/kg": 1.0, "gmm/kg": 1.0, "g*mm per kg": 1.0}),
            "gram * millimeter / kilogram",
            "g*mm/kg",
        ),
        Dimension(
            "sound_level",
            "dB",
            _scaled({"dB": 1.0, "dBSPL": 1.0}),
            None,
            "dB",
        ),
        Dimension("mach", "Mach", _scaled({"Mach": 1.0, "M": 1.0, "mach": 1.0}), None, "Mach"),
        Dimension(
            "count",
            "1",
            _scaled({"1": 1.0, "": 1.0, "axes": 1.0, "axis": 1.0, "planes": 1.0,
                     "plane": 1.0, "shafts": 1.0, "shaft": 1.0}),
            None,
            "1",
        ),
    )
}

# Ambiguous unit spellings that must not be used to *infer* a dimension.
_AMBIGUOUS = frozenset({"g", "mg", "ug", "rad", "M", "A", "C", "F", "t", "G", ""})

_NUMBER = re.compile(
    r"""^\s*(?P<num>[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
        (?:\s*(?:x|×|\*)\s*10\s*(?:\^|\*\*)\s*(?P<exp>[+-]?\d+))?
        \s*(?P<unit>.*?)\s*$""",
    re.VERBOSE,
)


def normalise_unit(text: str) -> str:
    """Fold the many ways people write one unit into one spelling (case is kept: mN ≠ MN)."""
    u = text.strip()
    u = u.replace("µ", "u").replace("μ", "u").replace("·", "*").replace("⋅", "*")
    u = u.replace("²", "**2").replace("³", "**3").replace("^", "**").replace("⁻¹", "**-1")
    u = u.replace("° C", "°C").replace("° F", "°F")
    u = re.sub(r"\s*\(\s*Si\s*\)", "(Si)", u)
    u = re.sub(r"\s+rms$", "", u)  # "10 g rms": rms is how the level is stated, not a unit
    u = re.sub(r"\s*/\s*", "/", u)
    u = re.sub(r"\s*\*\s*", "*", u)
    u = re.sub(r"\s+", "*", u)  # "N s" -> "N*s"
    return u


def dimension_of_unit(unit: str) -> Dimension:
    """The dimension a canonical unit belongs to (used when the vocabulary is loaded)."""
    key = normalise_unit(unit)
    found = [d for d in DIMENSIONS.values() if key in d.table]
    if len(found) == 1 and key not in _AMBIGUOUS:
        return found[0]
    if not found:
        raise UnitError(f"unknown unit {unit!r}", hint="use a unit such as km, kg, N*s, deg/h")
    names = ", ".join(d.name for d in found)
    raise UnitError(
        f"unit {unit!r} is ambiguous ({names})", hint="give the parameter a 'dimension' too"
    )


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed quantity: the value in the canonical unit, and what the user wrote."""

    value: float
    unit: str
    given_value: float
    given_unit: str


def split_quantity(text: str) -> tuple[float, str]:
    """Split ``"1.2e6 N*s"`` into ``(1.2e6, "N*s")``. Raises UnitError on a bad number."""
    m = _NUMBER.match(text)
    if not m:
        raise UnitError(f"cannot read a number in {text!r}", hint='write it as "450 km"')
    unit = m.group("unit")
    if unit[:1] in (",", ".") or (unit[:1] == "e" and unit[1:2].isdigit()):
        # "1,2e6 N*s" (a decimal comma) or "1.2.3 km": not a number this reader accepts
        raise UnitError(f"cannot read a number in {text!r}",
                        hint="use a decimal point, e.g. 1.2e6, and no thousands separator")
    num = float(m.group("num").replace("_", ""))
    if m.group("exp") is not None:
        num *= 10.0 ** int(m.group("exp"))
    return num, unit


# pint's dimensionality of each dimension it can tell apart (tests/test_units_pint.py checks
# these against pint, and that pint reads each unit of these tables either with its table's
# dimensionality or not at all). A unit of one of these tables is therefore never
# converted by pint to a dimension of another dimensionality ("km" for a mass), and
# pint need not be loaded to say so.
_PINT_DIMENSIONALITY = {
    "length": "[length]",
    "mass": "[mass]",
    "impulse": "[mass] * [length] / [time]",
    "force": "[mass] * [length] / [time] ** 2",
    "pressure": "[mass] / [length] / [time] ** 2",
    "power": "[mass] * [length] ** 2 / [time] ** 3",
    "speed": "[length] / [time]",
    "frequency": "1 / [time]",
    "time": "[time]",
    "volume": "[length] ** 3",
    "volume_flow": "[length] ** 3 / [time]",
    "density": "[mass] / [length] ** 3",
    "specific_energy": "[length] ** 2 / [time] ** 2",
    "energy_density": "[mass] / [length] / [time] ** 2",
    "areal_energy": "[mass] / [time] ** 2",
    "specific_fuel_consumption": "[time] / [length]",
    "specific_unbalance": "[length]",
}

# failed look-ups: (unit, dimension) -> (message, hint), so that a bad unit repeated on
# many rows is not handed to pint again (lru_cache does not keep exceptions)
_FAILED: dict[tuple[str, str], tuple[str, str]] = {}


#: a ton or a hundredweight of any kind and prefix ("ton", "dton", "kiloton",
#: "ton_force", "force_ton", "cwt", "dacwt"), not "tonne"; one part of a unit at a time
_CUSTOMARY = re.compile(r"(?:^|_)[a-z]{0,6}tons?(?:_|$)|cwt|hundredweight")
#: words that name which ton or hundredweight is meant
_NAMED_SYSTEM = re.compile(r"short|long|metric|uk_|us_|imperial")


def _customary(key: str) -> bool:
    """Whether a unit holds a ton or hundredweight that does not say which
    (pint reads the US ones: 0.55 ton is 499 kg, 10 cwt 454 kg, though a tonne or a British
    hundredweight may be meant). Each part of a compound unit must say so for itself."""
    for part in re.split(r"[^a-z_]+", key.lower()):
        if part and "newton" not in part and _CUSTOMARY.search(part) and \
                not _NAMED_SYSTEM.search(part):
            return True
    return False


@lru_cache(maxsize=4096)
def conversion(unit: str, dimension: str) -> _Conv:
    """(factor, offset) from ``unit`` to the dimension's base unit; cached per unit string."""
    failed = _FAILED.get((unit, dimension))
    if failed is not None:
        raise UnitError(failed[0], hint=failed[1])
    dim = DIMENSIONS[dimension]
    key = normalise_unit(unit)
    if key in dim.table:
        return dim.table[key]
    if _customary(key):
        # read one way, it could understate a figure (pint reads the US units)
        raise UnitError(f"unit {unit!r} is ambiguous: a US, British or metric ton or "
                        "hundredweight (a short ton is 907.2 kg, a long ton 1,016 kg, a "
                        "tonne 1,000 kg)",
                        hint="write the metric unit (t, kg, kN), or name the system "
                        "(short_ton, long_ton, UK_hundredweight, US_hundredweight)")
    if dim.pint_base is not None and not _pint_cannot(key, dim):
        conv = _pint_conversion(key, dim)
        if conv is not None:
            return conv
    message = f"unknown unit {unit!r} for a {dim.name.replace('_', ' ')}"
    hint = _suggest(key, dim)
    if len(_FAILED) < 4096:
        _FAILED[(unit, dimension)] = (message, hint)
    raise UnitError(message, hint=hint)


def _pint_cannot(key: str, dim: Dimension) -> bool:
    """True when pint certainly has no conversion of ``key`` to ``dim`` (see above)."""
    if key in _AMBIGUOUS:
        return False
    want = _PINT_DIMENSIONALITY.get(dim.name)
    for other in DIMENSIONS.values():
        if other is not dim and key in other.table:
            got = _PINT_DIMENSIONALITY.get(other.name)
            if got is not None and got != want:
                return True
    return False


def _suggest(key: str, dim: Dimension) -> str:
    # case matters in units (mN, MN): a spelling in another case is suggested, not read
    near = [k for k in dim.table if k and k.lower() == key.lower()] or \
        difflib.get_close_matches(key, [k for k in dim.table if k], n=3, cutoff=0.5)
    choices = near or [dim.example] + [k for k in list(dim.table)[:5] if k != dim.example]
    return "expected e.g. " + ", ".join(dict.fromkeys(c for c in choices if c))


_REGISTRY: Any = None


def _pint_conversion(key: str, dim: Dimension) -> _Conv | None:
    """Ask pint (lazily imported) for a linear conversion; None if pint cannot."""
    global _REGISTRY
    if _REGISTRY is None:
        import pint

        _REGISTRY = pint.UnitRegistry()
    try:
        # pint_base names the dimension's base unit in pint's words (m -> "meter"), so the
        # conversion to it is the conversion to the table's base.
        base = _REGISTRY.Unit(dim.pint_base)
        one = _REGISTRY.Quantity(1.0, key)
        if one.dimensionality != base.dimensionality:
            return None
        offset = float(_REGISTRY.Quantity(0.0, key).to(base).magnitude)
        return (float(one.to(base).magnitude) - offset, offset)
    except Exception:  # pint raises many types for unknown or malformed units
        return None


def to_unit(value: float, from_unit: str, to_unit_: str, dimension: str) -> float:
    """Convert a number between two units of one dimension."""
    f1, o1 = conversion(from_unit, dimension)
    f2, o2 = conversion(to_unit_, dimension)
    return ((value * f1 + o1) - o2) / f2


def parse_quantity(
    text: str | float | int,
    *,
    unit: str,
    dimension: str,
    name: str = "value",
    allow_negative: bool = False,
) -> Parsed:
    """Parse ``text`` as a quantity of ``dimension`` and express it in ``unit``.

    A bare number is accepted only for the dimensionless ``count`` dimension.
    NaN, infinity and (unless allowed) negative values are errors.
    """
    if isinstance(text, bool):
        raise UnitError(f"{name}: expected a quantity such as {_example(dimension)!r}, got {text}")
    if isinstance(text, int | float):
        num, given_unit = float(text), ""
    elif isinstance(text, str):
        try:
            num, given_unit = split_quantity(text)
        except UnitError as exc:
            raise UnitError(f"{name}: {exc.message}", hint=exc.hint) from None
    else:
        raise UnitError(f"{name}: expected a quantity such as {_example(dimension)!r}")
    if math.isnan(num) or math.isinf(num):
        raise UnitError(f"{name}: {text!r} is not a finite number")
    dim = DIMENSIONS[dimension]
    if given_unit == "" and dimension != "count":
        raise UnitError(
            f"{name}: {text!r} has no unit",
            hint=f"write it with its unit, e.g. \"{_example(dimension)}\"",
        )
    try:
        value = to_unit(num, given_unit, unit, dimension)
    except UnitError as exc:
        other = _other_dimension(given_unit)
        if other is not None:
            raise UnitError(
                f"{name}: {text!r} is {_a(other.replace('_', ' '))}, "
                f"but {name} is {_a(dim.name.replace('_', ' '))}",
                hint=f"give it in {unit} or another unit of {dim.name.replace('_', ' ')}",
            ) from None
        raise UnitError(f"{name}: {exc.message}", hint=exc.hint) from None
    if not allow_negative and value < 0:
        raise UnitError(f"{name}: {text!r} is negative; it must be zero or more")
    if dimension == "temperature" and to_unit(num, given_unit, "K", dimension) < -1e-9:
        raise UnitError(f"{name}: {text!r} is below absolute zero (0 K, -273.15 °C)")
    if dimension == "length" and given_unit and \
            conversion(given_unit, dimension)[0] < conversion(unit, dimension)[0] * 1e-6:
        # a length a millionth of the figure's own unit or less (nm, or "nano-miles", for a
        # range kept in km): surely the aviation "nm", nautical miles, which read this way
        # would clear anything
        raise UnitError(f"{name}: {text!r}: {given_unit.strip()!r} is read as a length a "
                        f"millionth of a {unit} or less, out of all scale for this figure",
                        hint="for nautical miles write nmi or NM")
    return Parsed(value=value, unit=unit, given_value=num, given_unit=given_unit)


def _a(noun: str) -> str:
    """``a length``, ``an impulse``."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _other_dimension(unit: str) -> str | None:
    key = normalise_unit(unit)
    for d in DIMENSIONS.values():
        if key in d.table and key not in _AMBIGUOUS:
            return d.name
    return None


def _example(dimension: str) -> str:
    dim = DIMENSIONS[dimension]
    return f"10 {dim.example}".strip()


def format_number(value: float) -> str:
    """A compact, exact-enough rendering: 300, 1.1e+06 -> 1100000, 0.333333."""
    if value == 0:
        return "0"
    if abs(value) >= 1e7 or abs(value) < 1e-4:
        return f"{value:.6g}"
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def format_quantity(value: float, unit: str) -> str:
    """``300 km``; a dimensionless count has no unit."""
    return format_number(value) if unit in ("", "1") else f"{format_number(value)} {unit}"
