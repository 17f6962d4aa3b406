"""Range/payload trade-off models: how far a rocket or UAV can carry each payload.

The MTCR Annex judges a delivery system by its inherent capability, and payload can be traded
for range. This package estimates range as a function of payload from vehicle data:

* :mod:`.rocket`: multi-stage Tsiolkovsky equation, named delta-v losses, and the maximum
  ballistic range over a spherical, non-rotating Earth;
* :mod:`.breguet`: one-way Breguet cruise range for UAVs and cruise missiles;
* :mod:`.curve`: the range(payload) curve, the 500 kg / 300 km verdict, the declared point;
* :mod:`.spec`: the ``vehicle:`` block (pydantic models) and its conversion to SI units;
* :mod:`.render` and :mod:`.plot`: a text chart, and a PNG/SVG chart (matplotlib, optional).

Pure computation and rendering: no CLI code and no I/O except :func:`plot`. See
``docs/tradeoff.md`` for the equations, assumptions and validation.
"""

from mtcr_screen.tradeoff.analysis import analyse
from mtcr_screen.tradeoff.curve import CurvePoint, DeclaredComparison, TradeoffResult
from mtcr_screen.tradeoff.plot import plot
from mtcr_screen.tradeoff.render import render_text

__all__ = [
    "CurvePoint",
    "DeclaredComparison",
    "TradeoffResult",
    "analyse",
    "plot",
    "render_text",
]
