"""Plain-text rendering of a trade-off result: a character chart and the key figures.

Range runs along the x axis and payload up the y axis, as in the plot, so the Category I box
(range >= 300 km and payload >= 500 kg) is the upper-right region, shaded with ``.``. The
curve is drawn with ``*`` and the declared point with ``D``. Pure ASCII, no rich.
"""

from __future__ import annotations

from mtcr_screen.tradeoff.curve import (
    CATEGORY_I_PAYLOAD_KG,
    CATEGORY_I_RANGE_KM,
    TradeoffResult,
)

CHART_WIDTH = 60
CHART_HEIGHT = 16
_OVERSAMPLE = 8


def _axis_max(values: list[float], threshold: float) -> float:
    return max([threshold, *values]) * 1.15


def _chart(result: TradeoffResult) -> list[str]:
    ranges = [p.range_km for p in result.points]
    payloads = [p.payload_kg for p in result.points]
    d = result.declared
    if d.range_km is not None:
        ranges.append(d.range_km)
    if d.payload_kg is not None:
        payloads.append(d.payload_kg)
    x_max = _axis_max(ranges, CATEGORY_I_RANGE_KM)
    y_max = _axis_max(payloads, CATEGORY_I_PAYLOAD_KG)

    def col(x: float) -> int:
        return min(CHART_WIDTH - 1, max(0, round(x / x_max * (CHART_WIDTH - 1))))

    def row(y: float) -> int:  # row 0 is the top
        return (
            CHART_HEIGHT - 1 - min(CHART_HEIGHT - 1, max(0, round(y / y_max * (CHART_HEIGHT - 1))))
        )

    grid = [[" "] * CHART_WIDTH for _ in range(CHART_HEIGHT)]
    for r in range(row(CATEGORY_I_PAYLOAD_KG) + 1):
        for c in range(col(CATEGORY_I_RANGE_KM), CHART_WIDTH):
            grid[r][c] = "."
    for a, b in zip(result.points, result.points[1:], strict=False):
        for k in range(_OVERSAMPLE + 1):
            t = k / _OVERSAMPLE
            x = a.range_km + t * (b.range_km - a.range_km)
            y = a.payload_kg + t * (b.payload_kg - a.payload_kg)
            grid[row(y)][col(x)] = "*"
    for p in result.points:
        grid[row(p.payload_kg)][col(p.range_km)] = "*"
    if d.range_km is not None and d.payload_kg is not None:
        grid[row(d.payload_kg)][col(d.range_km)] = "D"

    labels = {0: f"{y_max:,.0f}", row(CATEGORY_I_PAYLOAD_KG): "500", CHART_HEIGHT - 1: "0"}
    lines = ["payload (kg)"]
    for r, cells in enumerate(grid):
        lines.append(f"{labels.get(r, ''):>8} |{''.join(cells)}".rstrip())
    lines.append(f"{'':>8} +{'-' * CHART_WIDTH}")
    axis = [" "] * (CHART_WIDTH + 12)
    for value, text in ((0.0, "0"), (CATEGORY_I_RANGE_KM, "300"), (x_max, f"{x_max:,.0f}")):
        start = col(value)
        for i, ch in enumerate(text):
            axis[start + i] = ch
    lines.append(f"{'':>8}  {''.join(axis).rstrip()}  range (km)")
    lines.append("         * model curve   . Category I box (>= 300 km and >= 500 kg)   D declared")
    return lines


def _fmt(value: float | None, unit: str) -> str:
    return "n/a" if value is None else f"{value:,.1f} {unit}"


def _verdict(result: TradeoffResult) -> str:
    if result.reaches_category_i is None:
        return "cannot be decided from the data given (no payload/range trade-off)"
    text = (
        "REACHES the 500 kg / 300 km box: Category I capability"
        if result.reaches_category_i
        else "does not reach the 500 kg / 300 km box"
    )
    if result.borderline:
        text += " (BORDERLINE: within the model error of 300 km)"
    return text


def _declared(result: TradeoffResult) -> str:
    d = result.declared
    if d.range_km is None and d.payload_kg is None:
        return "Declared point: none given"
    head = f"Declared point: {_fmt(d.range_km, 'km')} with {_fmt(d.payload_kg, 'kg')}"
    if d.model_range_km is None or d.difference_pct is None:
        return head
    fit = "within" if d.consistent else "outside"
    return (
        f"{head}; model gives {_fmt(d.model_range_km, 'km')} at that payload "
        f"({d.difference_pct:+.1f} %, {fit} the model error)"
    )


def render_text(result: TradeoffResult) -> str:
    """The result as plain text: a chart, the key figures, the verdict and the assumptions."""
    error = "unknown" if result.model_error_pct is None else f"±{result.model_error_pct:g} %"
    lines = [f"Range/payload trade-off (model: {result.model}, model error {error})", ""]
    if result.points:
        lines += _chart(result)
        lines.append("")
    lines += [
        f"Range with 500 kg:   {_fmt(result.range_at_500kg_km, 'km')}",
        f"Payload at 300 km:   {_fmt(result.payload_at_300km_kg, 'kg')}",
        f"Range, no payload:   {_fmt(result.range_no_payload_km, 'km')}",
        f"Verdict: {_verdict(result)}",
        _declared(result),
        "Assumptions:",
        *(f"  - {a}" for a in result.assumptions),
    ]
    return "\n".join(lines) + "\n"
