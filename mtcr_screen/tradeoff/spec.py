"""The ``vehicle:`` block of an item spec: pydantic models, and their conversion to SI.

Two passes, so that every error names its exact field path:

1. pydantic checks the *shape* (known fields only, required fields, one form per choice);
   quantities stay as the text the user wrote (``"3700 kg"``).
2. :func:`to_rocket` / :func:`to_air_vehicle` parse each quantity with
   :func:`mtcr_screen.units.parse_quantity`, naming it by its path
   (``vehicle.stages[0].propellant_mass``), and build the physics objects.

Both passes raise :class:`mtcr_screen.errors.SpecError` (or its subclass ``UnitError``).

Example::

    vehicle:
      type: rocket            # or: air_breathing
      stages:
        - {propellant_mass: 3700 kg, dry_mass: 1300 kg, isp: 225 s}
      losses: {delta_v: 900 m/s}   # optional override
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from mtcr_screen.errors import SpecError, UnitError
from mtcr_screen.tradeoff.breguet import AirVehicle, Propulsion
from mtcr_screen.tradeoff.rocket import G0, Losses, RocketVehicle, Stage
from mtcr_screen.units import normalise_unit, parse_quantity, split_quantity

Quantity = StrictStr | StrictInt | StrictFloat
"""A quantity as written: ``"3700 kg"``; a bare number only where the value has no unit."""

ROOT = "vehicle"
"""The path prefix of every field in error messages."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_of(obj: BaseModel, a: str, b: str, *, required: bool = True) -> None:
    given = [name for name in (a, b) if getattr(obj, name) is not None]
    if len(given) > 1:
        raise ValueError(f"give {a} or {b}, not both")
    if required and not given:
        raise ValueError(f"give {a} or {b} (neither is set)")


class StageSpec(_Model):
    """One stage: propellant mass, dry *or* gross mass, Isp *or* effective exhaust velocity."""

    propellant_mass: Quantity
    dry_mass: Quantity | None = None
    gross_mass: Quantity | None = None
    isp: Quantity | None = None
    exhaust_velocity: Quantity | None = None

    @model_validator(mode="after")
    def _choices(self) -> StageSpec:
        _one_of(self, "dry_mass", "gross_mass")
        _one_of(self, "isp", "exhaust_velocity")
        return self


class LossesSpec(_Model):
    """Delta-v losses: ``gravity`` and/or ``drag`` (each defaults), or a combined ``delta_v``."""

    gravity: Quantity | None = None
    drag: Quantity | None = None
    delta_v: Quantity | None = None

    @model_validator(mode="after")
    def _choices(self) -> LossesSpec:
        if self.delta_v is not None and (self.gravity is not None or self.drag is not None):
            raise ValueError("give delta_v (combined) or gravity/drag, not both")
        return self


class RocketSpec(_Model):
    """A rocket: stages (first stage first) or a burnout speed given directly."""

    type: Literal["rocket"]
    stages: tuple[StageSpec, ...] | None = Field(default=None, min_length=1)
    burnout_speed: Quantity | None = None
    burnout_altitude: Quantity | None = None
    losses: LossesSpec | None = None

    @model_validator(mode="after")
    def _choices(self) -> RocketSpec:
        _one_of(self, "stages", "burnout_speed")
        if self.burnout_speed is not None and self.losses is not None:
            raise ValueError("losses apply to stage data; a burnout speed already includes them")
        return self


class AirBreathingSpec(_Model):
    """A UAV or cruise missile: masses, aerodynamics and fuel consumption for Breguet range.

    A jet gives ``tsfc`` and ``cruise_speed``; a propeller aircraft gives ``bsfc`` and
    ``propulsive_efficiency``. ``propulsion`` may be left out and is then inferred.
    """

    type: Literal["air_breathing"]
    propulsion: Literal["jet", "propeller"] | None = None
    empty_mass: Quantity
    fuel_mass: Quantity
    lift_to_drag: Quantity
    tsfc: Quantity | None = None
    cruise_speed: Quantity | None = None
    bsfc: Quantity | None = None
    propulsive_efficiency: Quantity | None = None
    max_takeoff_mass: Quantity | None = None
    reserve_fraction: Quantity | None = None

    @model_validator(mode="after")
    def _choices(self) -> AirBreathingSpec:
        _one_of(self, "tsfc", "bsfc")
        kind = self.inferred_propulsion
        if kind == "jet":
            if self.bsfc is not None or self.propulsive_efficiency is not None:
                raise ValueError("a jet takes tsfc and cruise_speed, not bsfc/efficiency")
            if self.tsfc is None or self.cruise_speed is None:
                raise ValueError("a jet needs tsfc and cruise_speed")
        else:
            if self.tsfc is not None:
                raise ValueError("a propeller aircraft takes bsfc, not tsfc")
            if self.cruise_speed is not None:
                raise ValueError(
                    "cruise_speed is not used by a propeller aircraft "
                    "(its Breguet range depends on bsfc and propulsive_efficiency)"
                )
            if self.bsfc is None or self.propulsive_efficiency is None:
                raise ValueError("a propeller aircraft needs bsfc and propulsive_efficiency")
        return self

    @property
    def inferred_propulsion(self) -> str:
        """``jet`` or ``propeller``: as given, else from which fuel consumption is given."""
        if self.propulsion is not None:
            return self.propulsion
        return "jet" if self.tsfc is not None else "propeller"


VehicleSpec = Annotated[RocketSpec | AirBreathingSpec, Field(discriminator="type")]
_ADAPTER: TypeAdapter[RocketSpec | AirBreathingSpec] = TypeAdapter(VehicleSpec)


def _path(loc: Sequence[int | str]) -> str:
    text = ROOT
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _describe(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return "type must be 'rocket' or 'air_breathing'"
    if kind == "too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return str(error["msg"])


def _relevant(errors: Sequence[Any]) -> list[Any]:
    """Drop pydantic's echoes of an error already reported deeper in the same field.

    A bad stage also fails the list's length check (its items did not validate), and a bad
    optional value also fails ``None``; only the deeper, first-hand error helps the user.
    """

    def echoes(e: Any) -> bool:
        if e["type"] not in ("too_short", "none_required"):
            return False
        loc = tuple(e["loc"])
        return any(
            tuple(o["loc"])[: len(loc)] == loc and o is not e and o["type"] != e["type"]
            for o in errors
        )

    kept = [e for e in errors if not echoes(e)]
    return kept or list(errors)


def parse_vehicle(data: Mapping[str, Any], source: str = "<spec>") -> RocketSpec | AirBreathingSpec:
    """Validate the shape of a ``vehicle:`` mapping. Raises SpecError naming the field path."""
    if not isinstance(data, Mapping):
        raise SpecError(f"{ROOT}: expected a mapping, got {type(data).__name__}", location=source)
    try:
        return _ADAPTER.validate_python(dict(data))
    except ValidationError as exc:
        errors = _relevant(exc.errors())
        first = errors[0]
        loc = list(first["loc"])
        if loc and loc[0] in ("rocket", "air_breathing"):
            loc = loc[1:]  # the discriminator's tag, not a field
        if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = ["type"]
        more = len(errors) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise SpecError(f"{_path(loc)}: {_describe(first)}{tail}", location=source) from None


# --- pass 2: quantities ---------------------------------------------------------------------


def _quantity(text: Quantity, unit: str, dimension: str, path: str, source: str) -> float:
    try:
        return parse_quantity(text, unit=unit, dimension=dimension, name=path).value
    except UnitError as exc:
        if dimension == "count" and "negative" not in exc.message:
            raise UnitError(
                f"{path}: {text!r} must be a plain number", location=source, hint="e.g. 5.8"
            ) from None
        raise UnitError(exc.message, location=source, hint=exc.hint) from None


def _positive(text: Quantity, unit: str, dimension: str, path: str, source: str) -> float:
    value = _quantity(text, unit, dimension, path, source)
    if not value > 0:
        raise SpecError(f"{path}: {text!r} must be more than zero", location=source)
    return value


def _fraction(text: Quantity, path: str, source: str) -> float:
    """A fraction written ``"5 %"`` or as a plain number ``0.05``."""
    if isinstance(text, str) and text.strip().endswith("%"):
        return _quantity(text, "%", "ratio", path, source) / 100.0
    return _quantity(text, "1", "count", path, source)


_LB = 0.45359237
_HP = 745.6998715822702
_BSFC_UNITS: dict[str, float] = {  # to kg/J
    "kg/J": 1.0,
    "kg/(kW*h)": 1.0 / 3.6e6, "kg/kWh": 1.0 / 3.6e6, "kg/kW/h": 1.0 / 3.6e6,
    "g/(kW*h)": 1e-3 / 3.6e6, "g/kWh": 1e-3 / 3.6e6, "g/kW/h": 1e-3 / 3.6e6,
    "lb/(hp*h)": _LB / (_HP * 3600.0), "lb/hp/h": _LB / (_HP * 3600.0),
}  # fmt: skip


def _bsfc(text: Quantity, path: str, source: str) -> float:
    """Brake-specific fuel consumption in kg/J.

    mtcr_screen.units has no dimension for fuel per unit of *energy*, so the few usual
    spellings are converted here.
    """
    if not isinstance(text, str):
        raise UnitError(
            f"{path}: {text!r} has no unit",
            location=source,
            hint='write it with its unit, e.g. "0.3 kg/(kW*h)"',
        )
    try:
        number, unit = split_quantity(text)
    except UnitError as exc:
        raise UnitError(f"{path}: {exc.message}", location=source, hint=exc.hint) from None
    factor = _BSFC_UNITS.get(normalise_unit(unit))
    if factor is None:
        raise UnitError(
            f"{path}: unknown unit {unit!r} for a brake-specific fuel consumption",
            location=source,
            hint="expected e.g. g/(kW*h), kg/(kW*h), lb/(hp*h)",
        )
    if not number > 0:
        raise SpecError(f"{path}: {text!r} must be more than zero", location=source)
    return number * factor


def _stage(spec: StageSpec, path: str, source: str) -> Stage:
    prop = _positive(spec.propellant_mass, "kg", "mass", f"{path}.propellant_mass", source)
    if spec.gross_mass is not None:
        gross = _positive(spec.gross_mass, "kg", "mass", f"{path}.gross_mass", source)
        if not gross > prop:
            raise SpecError(
                f"{path}.gross_mass: {spec.gross_mass!r} must exceed "
                f"propellant_mass {spec.propellant_mass!r}",
                location=source,
            )
    else:
        assert spec.dry_mass is not None
        gross = prop + _positive(spec.dry_mass, "kg", "mass", f"{path}.dry_mass", source)
    if spec.isp is not None:
        ve = G0 * _positive(spec.isp, "s", "time", f"{path}.isp", source)
    else:
        assert spec.exhaust_velocity is not None
        ve = _positive(spec.exhaust_velocity, "m/s", "speed", f"{path}.exhaust_velocity", source)
    return Stage(gross_mass=gross, propellant_mass=prop, exhaust_velocity=ve)


def _losses(spec: LossesSpec | None, source: str) -> Losses:
    if spec is None:
        return Losses()
    path = f"{ROOT}.losses"
    if spec.delta_v is not None:
        total = _quantity(spec.delta_v, "m/s", "speed", f"{path}.delta_v", source)
        return Losses(combined=total)
    default = Losses()
    gravity = (
        default.gravity
        if spec.gravity is None
        else _quantity(spec.gravity, "m/s", "speed", f"{path}.gravity", source)
    )
    drag = (
        default.drag
        if spec.drag is None
        else _quantity(spec.drag, "m/s", "speed", f"{path}.drag", source)
    )
    return Losses(gravity=gravity, drag=drag)


def to_rocket(spec: RocketSpec, source: str = "<spec>") -> RocketVehicle:
    """Parse the quantities of a rocket spec into a :class:`RocketVehicle` (SI units)."""
    altitude = 0.0
    if spec.burnout_altitude is not None:
        altitude = _quantity(
            spec.burnout_altitude, "m", "length", f"{ROOT}.burnout_altitude", source
        )
    if spec.burnout_speed is not None:
        speed = _positive(spec.burnout_speed, "m/s", "speed", f"{ROOT}.burnout_speed", source)
        return RocketVehicle(burnout_altitude=altitude, burnout_speed=speed)
    assert spec.stages is not None
    stages = tuple(
        _stage(stage, f"{ROOT}.stages[{i}]", source) for i, stage in enumerate(spec.stages)
    )
    return RocketVehicle(
        stages=stages, losses=_losses(spec.losses, source), burnout_altitude=altitude
    )


def to_air_vehicle(spec: AirBreathingSpec, source: str = "<spec>") -> AirVehicle:
    """Parse the quantities of an air-breathing spec into an :class:`AirVehicle` (SI units)."""
    p = ROOT
    empty = _positive(spec.empty_mass, "kg", "mass", f"{p}.empty_mass", source)
    fuel = _positive(spec.fuel_mass, "kg", "mass", f"{p}.fuel_mass", source)
    ld = _positive(spec.lift_to_drag, "1", "count", f"{p}.lift_to_drag", source)
    mtow = None
    if spec.max_takeoff_mass is not None:
        mtow = _positive(spec.max_takeoff_mass, "kg", "mass", f"{p}.max_takeoff_mass", source)
        if not mtow > empty:
            raise SpecError(
                f"{p}.max_takeoff_mass: {spec.max_takeoff_mass!r} must exceed "
                f"empty_mass {spec.empty_mass!r}",
                location=source,
            )
    reserve = 0.0
    if spec.reserve_fraction is not None:
        reserve = _fraction(spec.reserve_fraction, f"{p}.reserve_fraction", source)
        if not 0.0 <= reserve < 1.0:
            raise SpecError(
                f"{p}.reserve_fraction: {spec.reserve_fraction!r} must be "
                "at least 0 and below 100 %",
                location=source,
            )
    if spec.inferred_propulsion == "jet":
        assert spec.tsfc is not None
        assert spec.cruise_speed is not None
        tsfc_h = _positive(spec.tsfc, "kg/(N*h)", "specific_fuel_consumption", f"{p}.tsfc", source)
        speed = _positive(spec.cruise_speed, "m/s", "speed", f"{p}.cruise_speed", source)
        return AirVehicle(
            empty_mass=empty,
            fuel_capacity=fuel,
            lift_to_drag=ld,
            propulsion=Propulsion.JET,
            tsfc=tsfc_h / 3600.0,
            cruise_speed=speed,
            max_takeoff_mass=mtow,
            reserve_fraction=reserve,
        )
    assert spec.bsfc is not None
    assert spec.propulsive_efficiency is not None
    bsfc = _bsfc(spec.bsfc, f"{p}.bsfc", source)
    eta = _fraction(spec.propulsive_efficiency, f"{p}.propulsive_efficiency", source)
    if not 0.0 < eta <= 1.0:
        raise SpecError(
            f"{p}.propulsive_efficiency: {spec.propulsive_efficiency!r} must be "
            "more than 0 and at most 1 (100 %)",
            location=source,
        )
    return AirVehicle(
        empty_mass=empty,
        fuel_capacity=fuel,
        lift_to_drag=ld,
        propulsion=Propulsion.PROPELLER,
        bsfc=bsfc,
        propulsive_efficiency=eta,
        max_takeoff_mass=mtow,
        reserve_fraction=reserve,
    )
