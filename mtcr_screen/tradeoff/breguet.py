"""Range of a UAV or cruise missile: the Breguet range equation, one way.

The Breguet equation integrates ``dR = V dt`` while fuel burns at cruise, assuming constant
lift-to-drag ratio ``L/D``, speed and specific fuel consumption (a cruise-climb, which is the
most fuel-efficient profile for these assumptions):

* jet (thrust-specific fuel consumption ``c_T`` in kg/(N*s)):
  ``R = V / (c_T * g0) * (L/D) * ln(m0 / m1)``
* propeller (brake-specific fuel consumption ``c_P`` in kg/J, propulsive efficiency
  ``eta``): ``R = eta / (c_P * g0) * (L/D) * ln(m0 / m1)``

``m0`` is the mass at the start of cruise (empty + payload + fuel) and ``m1`` the mass when
the usable fuel is gone. The MTCR Annex counts the range of a UAV one way, on the most
fuel-efficient profile, so no return leg is deducted, and take-off, climb and descent are not
modelled (their fuel is counted as cruise fuel): the model tends to *over*-estimate range,
which errs on the side of control.

When a maximum take-off mass is given, a lighter payload lets the vehicle carry more fuel,
up to its fuel capacity: ``fuel(payload) = min(fuel_capacity, mtow - empty - payload)``.
This is the payload/fuel trade the Annex has in mind for UAVs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

G0 = 9.80665
"""Standard gravity (m/s^2)."""


class Propulsion(StrEnum):
    """How the fuel consumption is stated."""

    JET = "jet"
    PROPELLER = "propeller"


@dataclass(frozen=True, slots=True)
class AirVehicle:
    """An air-breathing vehicle, SI units (kg, m/s, kg/(N*s), kg/J).

    Exactly one of the two fuel-consumption forms is used, as given by ``propulsion``:
    ``tsfc`` with ``cruise_speed`` for a jet, ``bsfc`` with ``propulsive_efficiency`` for a
    propeller. ``reserve_fraction`` is the share of the fuel kept in reserve (not used for
    range); 0 by default, since the Annex asks for the vehicle's capability.
    """

    empty_mass: float
    fuel_capacity: float
    lift_to_drag: float
    propulsion: Propulsion
    tsfc: float | None = None
    cruise_speed: float | None = None
    bsfc: float | None = None
    propulsive_efficiency: float | None = None
    max_takeoff_mass: float | None = None
    reserve_fraction: float = 0.0

    def __post_init__(self) -> None:
        if not self.empty_mass > 0:
            raise ValueError("empty mass must be more than zero")
        if not self.fuel_capacity > 0:
            raise ValueError("fuel mass must be more than zero")
        if not self.lift_to_drag > 0:
            raise ValueError("lift-to-drag ratio must be more than zero")
        if not 0.0 <= self.reserve_fraction < 1.0:
            raise ValueError("reserve fraction must be at least 0 and below 1")
        if self.propulsion is Propulsion.JET and not (
            self.tsfc and self.tsfc > 0 and self.cruise_speed and self.cruise_speed > 0
        ):
            raise ValueError("a jet needs a positive TSFC and cruise speed")
        if self.propulsion is Propulsion.PROPELLER and not (
            self.bsfc
            and self.bsfc > 0
            and self.propulsive_efficiency
            and 0 < self.propulsive_efficiency <= 1
        ):
            raise ValueError("a propeller needs a positive BSFC and an efficiency in (0, 1]")
        if self.max_takeoff_mass is not None and not self.max_takeoff_mass > self.empty_mass:
            raise ValueError("maximum take-off mass must exceed the empty mass")

    @property
    def range_factor_m(self) -> float:
        """The Breguet factor in metres: ``V/(c_T g0) * L/D`` or ``eta/(c_P g0) * L/D``."""
        if self.propulsion is Propulsion.JET:
            assert self.tsfc is not None
            assert self.cruise_speed is not None
            return self.cruise_speed / (self.tsfc * G0) * self.lift_to_drag
        assert self.bsfc is not None
        assert self.propulsive_efficiency is not None
        return self.propulsive_efficiency / (self.bsfc * G0) * self.lift_to_drag

    def max_payload_kg(self) -> float | None:
        """Heaviest payload that still leaves some fuel; None when there is no mass limit."""
        if self.max_takeoff_mass is None:
            return None
        return self.max_takeoff_mass - self.empty_mass

    def fuel_for_payload(self, payload_kg: float) -> float:
        """Fuel on board (kg) with ``payload_kg``: capacity, or less if the MTOW limits it."""
        if payload_kg < 0:
            raise ValueError("payload must be zero or more")
        if self.max_takeoff_mass is None:
            return self.fuel_capacity
        room = self.max_takeoff_mass - self.empty_mass - payload_kg
        return max(0.0, min(self.fuel_capacity, room))


def breguet_range_km(vehicle: AirVehicle, payload_kg: float) -> float:
    """One-way Breguet cruise range (km) of ``vehicle`` carrying ``payload_kg``."""
    fuel = vehicle.fuel_for_payload(payload_kg)
    usable = fuel * (1.0 - vehicle.reserve_fraction)
    m1 = vehicle.empty_mass + payload_kg + fuel - usable
    m0 = m1 + usable
    return vehicle.range_factor_m * math.log(m0 / m1) / 1000.0
