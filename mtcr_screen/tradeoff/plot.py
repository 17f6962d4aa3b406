"""A PNG or SVG chart of a trade-off result, drawn with matplotlib (an optional dependency).

matplotlib is imported inside :func:`plot` only, so the rest of the package (and the CLI)
starts without it. The figure is drawn on a bare ``Figure`` (no pyplot), so no global state
or GUI backend is touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mtcr_screen.errors import UsageError
from mtcr_screen.tradeoff.curve import (
    CATEGORY_I_PAYLOAD_KG,
    CATEGORY_I_RANGE_KM,
    TradeoffResult,
)

FORMATS = {".png": "png", ".svg": "svg"}
"""File suffixes :func:`plot` writes, and the matplotlib format for each."""


def _matplotlib() -> tuple[Any, Any]:
    """The matplotlib module and its Figure class, imported now; UsageError if missing."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise UsageError(
            "plotting needs matplotlib, which is not installed",
            hint="pip install 'mtcr-screen[plot]'",
        ) from None
    return matplotlib, Figure


def plot(result: TradeoffResult, path: Path) -> None:
    """Write the curve, the shaded Category I box and the declared point to ``path``.

    The format follows the suffix: ``.png`` or ``.svg``. Raises UsageError for another
    suffix, or when matplotlib is not installed.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"cannot write a plot to {str(path)!r}: unknown file type",
            hint="use a .png or .svg file name",
        )
    matplotlib, figure_class = _matplotlib()
    # A fixed salt for SVG element ids: the same result always writes the same file.
    with matplotlib.rc_context({"svg.hashsalt": "mtcr-screen"}):
        _draw(result, figure_class, path, fmt)


def _draw(result: TradeoffResult, figure_class: Any, path: Path, fmt: str) -> None:
    fig = figure_class(figsize=(7.0, 4.8), dpi=100)
    ax = fig.add_subplot()
    ranges = [p.range_km for p in result.points]
    payloads = [p.payload_kg for p in result.points]
    d = result.declared
    x_max = 1.15 * max([CATEGORY_I_RANGE_KM, *ranges, d.range_km or 0.0])
    y_max = 1.15 * max([CATEGORY_I_PAYLOAD_KG, *payloads, d.payload_kg or 0.0])

    ax.fill_between(
        [CATEGORY_I_RANGE_KM, x_max],
        CATEGORY_I_PAYLOAD_KG,
        y_max,
        color="tab:red",
        alpha=0.15,
        linewidth=0,
        label="MTCR Category I (≥ 300 km and ≥ 500 kg)",
    )
    ax.axvline(CATEGORY_I_RANGE_KM, color="tab:red", linewidth=0.8, linestyle="--")
    ax.axhline(CATEGORY_I_PAYLOAD_KG, color="tab:red", linewidth=0.8, linestyle="--")
    if len(result.points) > 1:
        ax.plot(ranges, payloads, color="tab:blue", linewidth=2, label=f"model ({result.model})")
    elif result.points:
        ax.plot(ranges, payloads, "s", color="tab:blue", label=f"model ({result.model})")
    if d.range_km is not None and d.payload_kg is not None:
        ax.plot([d.range_km], [d.payload_kg], "o", color="black", label="declared")
    ax.set_xlim(0, x_max)
    ax.set_ylim(0, y_max)
    ax.set_xlabel("range (km)")
    ax.set_ylabel("payload (kg)")
    verdict = {True: "reaches Category I", False: "below Category I", None: "undecided"}
    ax.set_title(f"Range/payload trade-off: {verdict[result.reaches_category_i]}")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize="small")
    fig.savefig(path, format=fmt, metadata=_metadata(fmt))


def _metadata(fmt: str) -> dict[str, Any]:
    """Fixed metadata, so that the same result writes the same file."""
    if fmt == "svg":
        return {"Date": None}
    return {"Software": None}
