"""Text rendering, the PNG/SVG plot, and the lazy optional imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mtcr_screen.errors import UsageError
from mtcr_screen.tradeoff import TradeoffResult, analyse, plot, render_text

SRBM: dict[str, Any] = {
    "type": "rocket",
    "stages": [{"propellant_mass": "3700 kg", "dry_mass": "1300 kg", "isp": "225 s"}],
}


@pytest.fixture
def result() -> TradeoffResult:
    return analyse(SRBM, declared_range_km=280, declared_payload_kg=480)


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


needs_matplotlib = pytest.mark.skipif(not _has_matplotlib(), reason="matplotlib not installed")


def test_text_shows_curve_box_declared_point_and_figures(result: TradeoffResult) -> None:
    text = render_text(result)
    chart = text.split("\n\n")[1]
    assert "*" in chart
    assert "." in chart
    assert "D" in chart
    assert "range (km)" in chart
    assert "payload (kg)" in chart
    assert "Range with 500 kg:   364.2 km" in text
    assert "Payload at 300 km:   720.3 kg" in text
    assert "Verdict: REACHES the 500 kg / 300 km box" in text
    assert "Declared point: 280.0 km with 480.0 kg; model gives 370.9 km" in text
    assert "outside the model error" in text
    assert "delta-v losses: gravity 450 m/s + drag 150 m/s = 600 m/s (defaults)" in text
    assert text.isascii() or "±" in text  # only the ± sign beyond ASCII


def test_docs_example_is_the_real_output(result: TradeoffResult) -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "tradeoff.md").read_text("utf-8")
    example = docs.split("```text\n", 1)[1].split("```", 1)[0]
    assert example == render_text(result)


def test_text_declared_point_sits_left_of_the_box(result: TradeoffResult) -> None:
    rows = [line for line in render_text(result).splitlines() if "|" in line]
    (declared_row,) = [r for r in rows if "D" in r.split("|", 1)[1]]
    cells = declared_row.split("|", 1)[1]
    assert "." not in cells  # 480 kg is below the 500 kg edge of the box


def test_text_for_an_undecided_burnout_speed_result() -> None:
    only = analyse(
        {"type": "rocket", "burnout_speed": "1.9 km/s"},
        declared_range_km=280,
        declared_payload_kg=400,
    )
    text = render_text(only)
    assert "cannot be decided from the data given" in text
    assert "Payload at 300 km:   n/a" in text


def test_importing_the_package_loads_neither_rich_nor_matplotlib() -> None:
    code = (
        "import sys, mtcr_screen.tradeoff as t; "
        "print(sorted(m for m in ('rich', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert out.stdout.strip() == "[]"


@needs_matplotlib
@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_plot_writes_a_file(
    result: TradeoffResult, tmp_path: Path, suffix: str, magic: bytes
) -> None:
    path = tmp_path / f"curve{suffix}"
    plot(result, path)
    data = path.read_bytes()
    assert data.startswith(magic)
    assert len(data) > 5000
    if suffix == ".svg":
        text = data.decode()
        for label in ("range (km)", "payload (kg)", "declared", "Category I"):
            assert label in text


@needs_matplotlib
def test_plot_is_reproducible(result: TradeoffResult, tmp_path: Path) -> None:
    plot(result, tmp_path / "a.svg")
    plot(result, tmp_path / "b.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_plot_rejects_an_unknown_suffix(result: TradeoffResult, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"use a \.png or \.svg"):
        plot(result, tmp_path / "curve.pdf")


def test_plot_without_matplotlib_says_how_to_install_it(
    result: TradeoffResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes "import matplotlib" fail
    with pytest.raises(UsageError) as info:
        plot(result, tmp_path / "curve.png")
    assert info.value.hint == "pip install 'mtcr-screen[plot]'"
    assert not (tmp_path / "curve.png").exists()
