"""The models against published figures for real systems (tests/data/tradeoff_validation.yaml).

Each entry is run through the public :func:`analyse` with its published point as the declared
point. The error must be within the model error recorded for its model family, and the
figures recorded in the YAML (and quoted in docs/tradeoff.md) must be what the model computes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mtcr_screen.tradeoff import analyse
from mtcr_screen.tradeoff.curve import RECORDED_MODEL_ERROR_PCT

DATA = Path(__file__).parent / "data" / "tradeoff_validation.yaml"
VALIDATION: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
SYSTEMS: list[dict[str, Any]] = VALIDATION["systems"]


def _model_range(system: dict[str, Any]) -> tuple[float, float]:
    published = system["published"]
    result = analyse(
        system["vehicle"],
        declared_range_km=published["range_km"],
        declared_payload_kg=published["payload_kg"],
        source=f"{DATA.name}:{system['id']}",
    )
    assert result.declared.model_range_km is not None
    assert result.declared.difference_pct is not None
    return result.declared.model_range_km, result.declared.difference_pct


def test_recorded_model_error_matches_the_code() -> None:
    assert VALIDATION["recorded_model_error_pct"] == RECORDED_MODEL_ERROR_PCT


@pytest.mark.parametrize("system", SYSTEMS, ids=[s["id"] for s in SYSTEMS])
def test_published_point_within_recorded_model_error(system: dict[str, Any]) -> None:
    _, error = _model_range(system)
    limit = VALIDATION["recorded_model_error_pct"][system["model"]]
    assert abs(error) <= limit, f"{system['name']}: error {error:+.1f} % exceeds ±{limit} %"


@pytest.mark.parametrize("system", SYSTEMS, ids=[s["id"] for s in SYSTEMS])
def test_recorded_figures_are_current(system: dict[str, Any]) -> None:
    model_range, error = _model_range(system)
    assert model_range == pytest.approx(system["model_range_km"], abs=0.05)
    assert error == pytest.approx(system["error_pct"], abs=0.05)


@pytest.mark.parametrize("system", SYSTEMS, ids=[s["id"] for s in SYSTEMS])
def test_every_figure_has_a_source(system: dict[str, Any]) -> None:
    sources = system["sources"]
    assert sources, system["id"]
    for key, source in sources.items():
        assert source["title"].strip(), f"{system['id']}.sources.{key} has no title"
        assert "url" in source, f"{system['id']}.sources.{key} has no url key"


def test_scud_b_declared_point_matches_within_model_error() -> None:
    """A plausible liquid-fuel SRBM, given stage data, gets a curve; its declared point fits."""
    scud = next(s for s in SYSTEMS if s["id"] == "scud-b")
    result = analyse(scud["vehicle"], declared_range_km=300, declared_payload_kg=985)
    assert len(result.points) > 10
    assert result.declared.consistent is True
    assert result.reaches_category_i is True


@pytest.mark.parametrize("system", SYSTEMS, ids=[s["id"] for s in SYSTEMS])
def test_docs_table_quotes_the_recorded_figures(system: dict[str, Any]) -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "tradeoff.md").read_text("utf-8")
    (row,) = [line for line in docs.splitlines() if line.startswith(f"| {system['table_name']}")]
    assert f"| {system['model_range_km']:.1f} km |" in row
    assert f"{abs(system['error_pct']):.1f} %" in row
