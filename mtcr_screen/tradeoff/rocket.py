"""Rocket range from stage data: multi-stage Tsiolkovsky equation plus a ballistic arc.

The model, in three steps, for a given payload mass ``m_pl``:

1. **Ideal delta-v** (Tsiolkovsky, stage by stage, first stage first). Stage ``i`` ignites with
   mass ``m0_i = sum(gross_j for j >= i) + m_pl`` and burns out with
   ``m1_i = m0_i - propellant_i``, so ``dv_i = ve_i * ln(m0_i / m1_i)`` with the effective
   exhaust velocity ``ve_i = isp_i * g0``. The ideal delta-v is the sum over stages.
2. **Burnout speed** = ideal delta-v minus the *losses*: gravity loss (the speed spent holding
   the rocket up against gravity while it burns) and drag loss (atmospheric drag during the
   boost). Both are single numbers here (:class:`Losses`), because stage data rarely includes
   a thrust profile or an aerodynamic model.
3. **Range**: the burnout point is treated as the start of a Keplerian (drag-free) arc over a
   spherical, non-rotating Earth, flown at the flight-path angle that maximises the range.
   With burnout at the surface this has the classic closed form
   ``psi = 2 * asin(nu / (2 - nu))`` with ``nu = v**2 * r / mu`` and ground range
   ``R = Re * psi`` (:func:`max_range_angle_at_surface`). With a burnout altitude the range
   angle is maximised numerically (:func:`ballistic_range_km`).

Everything is in SI units inside this module, except the public ``*_km`` results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

G0 = 9.80665
"""Standard gravity (m/s^2): converts a specific impulse in seconds to an exhaust velocity."""

MU_EARTH = 3.986004418e14
"""Earth's gravitational parameter GM (m^3/s^2), WGS 84."""

R_EARTH = 6_371_000.0
"""Mean Earth radius (m) of the spherical Earth model."""

DEFAULT_GRAVITY_LOSS = 450.0
"""Default gravity loss (m/s). Typical of single-stage short-range missiles burning for about
60-70 s on a steep ascent (g0 x burn time x mean sine of the flight-path angle, roughly
9.8 x 65 x 0.7)."""

DEFAULT_DRAG_LOSS = 150.0
"""Default drag loss (m/s). Typical of a dense, slender short-range missile; larger for light
or blunt vehicles, smaller for big ones."""

_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


@dataclass(frozen=True, slots=True)
class Stage:
    """One rocket stage: gross mass (structure + propellant), propellant mass, exhaust velocity.

    Masses are in kg, the effective exhaust velocity in m/s (``isp_s * G0``).
    """

    gross_mass: float
    propellant_mass: float
    exhaust_velocity: float

    def __post_init__(self) -> None:
        if not self.propellant_mass > 0:
            raise ValueError("propellant mass must be more than zero")
        if not self.gross_mass > self.propellant_mass:
            raise ValueError("gross mass must exceed the propellant mass")
        if not self.exhaust_velocity > 0:
            raise ValueError("exhaust velocity must be more than zero")

    @property
    def dry_mass(self) -> float:
        """Structure, engine and residuals: the mass left when the propellant is gone (kg)."""
        return self.gross_mass - self.propellant_mass


@dataclass(frozen=True, slots=True)
class Losses:
    """Speed lost between the ideal (vacuum, gravity-free) delta-v and the burnout speed (m/s).

    Either the two named components (each defaulting to :data:`DEFAULT_GRAVITY_LOSS` and
    :data:`DEFAULT_DRAG_LOSS`), or one ``combined`` figure that replaces both.
    """

    gravity: float = DEFAULT_GRAVITY_LOSS
    drag: float = DEFAULT_DRAG_LOSS
    combined: float | None = None

    def __post_init__(self) -> None:
        if min(self.gravity, self.drag, self.combined or 0.0) < 0:
            raise ValueError("losses must be zero or more")

    @property
    def total(self) -> float:
        """Combined delta-v loss (m/s)."""
        return self.combined if self.combined is not None else self.gravity + self.drag

    def describe(self) -> str:
        """One line for the assumptions list."""
        if self.combined is not None:
            return f"delta-v losses: {self.combined:.0f} m/s combined (given)"
        default = self.gravity == DEFAULT_GRAVITY_LOSS and self.drag == DEFAULT_DRAG_LOSS
        origin = "defaults" if default else "given or partly default"
        return (
            f"delta-v losses: gravity {self.gravity:.0f} m/s + drag {self.drag:.0f} m/s"
            f" = {self.total:.0f} m/s ({origin})"
        )


@dataclass(frozen=True, slots=True)
class RocketVehicle:
    """A rocket: its stages (first stage first), losses, and burnout altitude (m).

    ``burnout_speed`` short-circuits steps 1-2 of the model: a burnout speed given directly
    (m/s), which then does not depend on the payload.
    """

    stages: tuple[Stage, ...] = ()
    losses: Losses = Losses()
    burnout_altitude: float = 0.0
    burnout_speed: float | None = None

    def __post_init__(self) -> None:
        if not self.stages and self.burnout_speed is None:
            raise ValueError("a rocket needs stages or a burnout speed")
        if self.burnout_altitude < 0:
            raise ValueError("burnout altitude must be zero or more")

    @property
    def payload_dependent(self) -> bool:
        """True when the range depends on the payload (stage data given)."""
        return self.burnout_speed is None


def stage_delta_vs(stages: Sequence[Stage], payload_kg: float) -> list[float]:
    """Ideal delta-v of each stage (m/s), first stage first, carrying ``payload_kg`` on top."""
    if payload_kg < 0:
        raise ValueError("payload must be zero or more")
    result: list[float] = []
    for i, stage in enumerate(stages):
        m0 = sum(s.gross_mass for s in stages[i:]) + payload_kg
        m1 = m0 - stage.propellant_mass
        result.append(stage.exhaust_velocity * math.log(m0 / m1))
    return result


def ideal_delta_v(stages: Sequence[Stage], payload_kg: float) -> float:
    """Sum of the stages' ideal delta-v (m/s): the Tsiolkovsky rocket equation, staged."""
    return sum(stage_delta_vs(stages, payload_kg))


def burnout_speed(vehicle: RocketVehicle, payload_kg: float) -> float:
    """Speed at burnout (m/s): ideal delta-v minus losses, never below zero."""
    if vehicle.burnout_speed is not None:
        return vehicle.burnout_speed
    return max(0.0, ideal_delta_v(vehicle.stages, payload_kg) - vehicle.losses.total)


def max_range_angle_at_surface(speed: float, radius: float = R_EARTH) -> float:
    """Maximum range angle (rad) of a drag-free arc that starts and ends at ``radius``.

    Closed form, optimal flight-path angle: ``psi = 2 asin(nu / (2 - nu))``,
    ``nu = v^2 r / mu``. At ``nu >= 1`` the vehicle reaches orbit; the range angle is capped
    at pi (half-way round the Earth, the largest great-circle distance).
    """
    nu = speed * speed * radius / MU_EARTH
    if nu >= 1.0:
        return math.pi
    return 2.0 * math.asin(nu / (2.0 - nu))


def range_angle(speed: float, gamma: float, burnout_radius: float) -> float:
    """Range angle (rad) of a drag-free arc from ``burnout_radius`` down to the Earth's surface.

    ``gamma`` is the flight-path angle above the local horizontal (rad). Kepler's conic:
    ``r(theta) = p / (1 + e cos theta)``; the burnout point is on the ascending branch, the
    impact on the descending branch at ``r = R_EARTH``. An arc that never comes down (orbit
    or escape) returns pi, as in :func:`max_range_angle_at_surface`.
    """
    r_b = burnout_radius
    h = r_b * speed * math.cos(gamma)
    p = h * h / MU_EARTH
    energy = speed * speed / 2.0 - MU_EARTH / r_b
    e = math.sqrt(max(0.0, 1.0 + 2.0 * energy * h * h / MU_EARTH**2))
    if energy >= 0 or e < 1e-12:
        return math.pi
    cos_b = (p / r_b - 1.0) / e
    cos_i = (p / R_EARTH - 1.0) / e
    if cos_i > 1.0:  # perigee above the surface: it never comes down
        return math.pi
    theta_b = math.acos(max(-1.0, min(1.0, cos_b)))
    if gamma < 0:
        theta_b = -theta_b
    theta_i = 2.0 * math.pi - math.acos(max(-1.0, cos_i))
    return min(math.pi, theta_i - theta_b)


def optimal_range_angle(speed: float, burnout_altitude: float = 0.0) -> float:
    """Largest range angle (rad) over flight-path angles, from ``burnout_altitude`` (m).

    At zero altitude this is the closed form; above it, a golden-section search over
    flight-path angles in (0, 90 deg) on :func:`range_angle`, which is unimodal there.
    """
    if speed <= 0:
        return 0.0
    if burnout_altitude == 0:
        return max_range_angle_at_surface(speed)
    r_b = R_EARTH + burnout_altitude
    lo, hi = 0.0, math.pi / 2.0
    for _ in range(100):
        a = hi - _GOLDEN * (hi - lo)
        b = lo + _GOLDEN * (hi - lo)
        if range_angle(speed, a, r_b) < range_angle(speed, b, r_b):
            lo = a
        else:
            hi = b
    return range_angle(speed, (lo + hi) / 2.0, r_b)


def ballistic_range_km(speed: float, burnout_altitude: float = 0.0) -> float:
    """Maximum ground range (km) from the burnout point for a burnout speed (m/s)."""
    return R_EARTH * optimal_range_angle(speed, burnout_altitude) / 1000.0


def rocket_range_km(vehicle: RocketVehicle, payload_kg: float) -> float:
    """Maximum ground range (km) of ``vehicle`` carrying ``payload_kg``."""
    return ballistic_range_km(burnout_speed(vehicle, payload_kg), vehicle.burnout_altitude)
