"""`tradeoff` and `log` through the CLI."""

from __future__ import annotations

import builtins
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, run_cli

SRBM = str(EXAMPLES / "tradeoff-srbm.yaml")


def test_tradeoff_declared_below_but_capable() -> None:
    """280 km / 480 kg declared, but the stage data reaches 500 kg at 300 km."""
    d = run_cli("tradeoff", SRBM, "-f", "json", expect=0).json()
    assert d["reaches_category_i"] is True
    assert d["range_at_500kg_km"] > 300
    text = run_cli("tradeoff", SRBM, expect=0).stdout
    assert "REACHES the 500 kg / 300 km box" in text


def test_tradeoff_feeds_screen() -> None:
    """--screen feeds the estimate into the screening: Category I (1.A.1)."""
    res = run_cli("tradeoff", SRBM, "--screen", "-f", "json", expect=1)
    _first, _, second = res.stdout.partition("\n}\n")
    assert '"entries": [\n    "1.A.1"\n  ]' in second


def test_tradeoff_feeds_the_range_with_any_payload(tmp_path: Path) -> None:
    """--screen passes the model's range with no payload (600 km) as
    range_with_any_payload, so no entry is left unknown (without it, 19.A.1 would be:
    the declared 280 km carries 480 kg)."""
    d = run_cli("tradeoff", SRBM, "-f", "json", expect=0).json()
    assert d["range_no_payload_km"] == pytest.approx(600.3, abs=0.1)
    res = run_cli("tradeoff", SRBM, "--screen", "-f", "json", expect=1)
    decision = json.loads(res.stdout.partition("\n}\n")[2])
    (item,) = decision["items"]
    assert item["parameters"]["range_with_any_payload"] == "600.299 km"
    assert item["possible_entries"] == []


def test_tradeoff_plot_png(tmp_path: Path) -> None:
    """--plot writes a PNG."""
    png = tmp_path / "curve.png"
    run_cli("tradeoff", SRBM, "--plot", str(png), expect=0)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tradeoff_without_matplotlib_explains(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    """Without matplotlib: the text rendering plus a message saying how to get the plot."""
    real = builtins.__import__

    def fake(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError("no matplotlib")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    res = run_cli("tradeoff", SRBM, "--plot", str(tmp_path / "c.png"), expect=0)
    assert "pip install 'mtcr-screen[plot]'" in res.stderr
    assert "Range with 500 kg" in res.stdout


def test_tradeoff_needs_vehicle(tmp_path: Path) -> None:
    """An item without a vehicle block is a one-line error."""
    p = tmp_path / "s.yaml"
    p.write_text("kind: rocket_system\nparameters: {range: 280 km, payload: 480 kg}\n",
                 encoding="utf-8")
    res = run_cli("tradeoff", str(p), expect=2)
    assert "has no 'vehicle:' block" in res.stderr


def test_log_detects_an_edited_byte(tmp_path: Path) -> None:
    """After a byte of a stored decision is edited with sqlite3, verify names the record."""
    log = str(tmp_path / "log.sqlite3")
    for r in ("100km", "350km", "450km"):
        run_cli("screen", "--kind", "rocket_system", "--param", f"range={r}", "--param",
                "payload=600kg", "--log", log, "-f", "json")
    assert len(run_cli("log", "list", "--log", log, "-f", "json").json()) == 3
    con = sqlite3.connect(log)
    try:
        con.execute("UPDATE records SET decision_json = replace(decision_json, '350', '351') "
                    "WHERE id = 2")
        con.commit()
    finally:
        con.close()
    res = run_cli("log", "verify", "--log", log, expect=1)
    assert res.stdout.startswith("FAILED: record 2")


def test_log_show_and_export(tmp_path: Path) -> None:
    """show and export (jsonl, csv)."""
    log = str(tmp_path / "log.sqlite3")
    run_cli("screen", "--kind", "rocket_system", "--param", "range=450km", "--param",
            "payload=600kg", "--log", log, "--ref", "CASE-9", "--operator", "officer-1")
    rec = run_cli("log", "show", "1", "--log", log, expect=0).json()
    assert rec["ref"] == "CASE-9"
    assert rec["operator"] == "officer-1"
    assert rec["decision"]["entries"] == ["1.A.1"]
    out = run_cli("log", "export", "--log", log, "-f", "csv", expect=0)
    assert out.stdout.splitlines()[0].startswith("id,")
    assert "exported 1 record" in out.stderr
    assert run_cli("log", "show", "9", "--log", log, expect=2).stderr.startswith("Error: ")


def test_tradeoff_screen_passes_the_top_of_the_error_band_near_300km(tmp_path: Path) -> None:
    """The model gives 293.7 km with no payload, within its ±4 % of 300 km: passed on as
    estimated it would rule 19.A.1 out and clear the rocket; the top of the band (305.7 km)
    is passed on instead, so 19.A.1 applies."""
    spec = tmp_path / "srbm.yaml"
    spec.write_text("kind: rocket_system\nparameters: {range: 240 km, payload: 50 kg}\n"
                    "vehicle:\n  type: rocket\n  stages:\n"
                    "    - {propellant_mass: 995 kg, dry_mass: 550 kg, isp: 225 s}\n",
                    encoding="utf-8")
    res = run_cli("tradeoff", str(spec), "--screen", "-f", "json", expect=1)
    assert "Note: range_with_any_payload 293.708 km is within the model error (±4 %) of " \
        "300 km: passed on as 305.708 km, the top of the band" in res.stderr
    decision = json.loads(res.stdout.partition("\n}\n")[2])
    assert decision["recommendation"] == "case_by_case"
    assert decision["items"][0]["entries"] == ["19.A.1"]


def test_tradeoff_screen_keeps_a_borderline_category_i(tmp_path: Path) -> None:
    """300.5 km with 500 kg, within the model error: Category I stays (the declared 480 kg
    would otherwise rule 1.A.1 out once the estimate is left aside)."""
    text = (EXAMPLES / "tradeoff-srbm.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "srbm.yaml"
    spec.write_text(text.replace("3700 kg", "3300 kg"), encoding="utf-8")
    res = run_cli("tradeoff", str(spec), "--screen", "-f", "json", expect=1)
    decision = json.loads(res.stdout.partition("\n}\n")[2])
    assert (decision["category"], decision["items"][0]["entries"]) == ("I", ["1.A.1"])


def test_tradeoff_screen_never_replaces_a_stated_figure(tmp_path: Path) -> None:
    text = (EXAMPLES / "tradeoff-srbm.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "srbm.yaml"
    stated = text.replace("  payload: 480 kg\n",
                          "  payload: 480 kg\n  range_at_500kg_payload: 350 km\n")
    assert stated != text
    spec.write_text(stated.replace("3700 kg", "3000 kg"), encoding="utf-8")
    res = run_cli("tradeoff", str(spec), "--screen", "-f", "json", expect=1)
    assert "Note: range_at_500kg_payload: the spec states 350 km, the estimate is 254.135 km; " \
        "the more capable, 350 km, is screened" in res.stderr
    decision = json.loads(res.stdout.partition("\n}\n")[2])
    assert decision["category"] == "I"


def test_tradeoff_screen_uses_the_estimate_when_it_is_more_capable(tmp_path: Path) -> None:
    """A stated 290 km at 500 kg against a borderline estimate of 300.5 km (the top of its
    band, 312.5 km, is passed on): the estimate is screened, Category I."""
    text = (EXAMPLES / "tradeoff-srbm.yaml").read_text(encoding="utf-8")
    stated = text.replace("  payload: 480 kg\n",
                          "  payload: 480 kg\n  range_at_500kg_payload: 290 km\n")
    spec = tmp_path / "srbm.yaml"
    spec.write_text(stated.replace("3700 kg", "3300 kg"), encoding="utf-8")
    res = run_cli("tradeoff", str(spec), "--screen", "-f", "json", expect=1)
    decision = json.loads(res.stdout.partition("\n}\n")[2])
    assert decision["category"] == "I"
