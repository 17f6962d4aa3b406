"""The `screen` command through the real CLI: outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtcr_screen.render import RENDERERS
from tests.conftest import EXAMPLES, run_cli

FLAGS = ["screen", "--kind", "rocket_system", "--param", "range=450km", "--param",
         "payload=600kg", "--to", "FR", "--no-log"]


def test_cat1_json_exact_core_fields() -> None:
    """The stable JSON object: top-level keys and the core values, exactly."""
    res = run_cli(*FLAGS, "--format", "json", expect=1)
    assert res.stderr == ""  # machine formats keep stderr empty on a clean run
    data = res.json()
    assert list(data) == [
        "schema_version", "notice", "category", "recommendation", "entries",
        "possible_entries", "missing", "rationale", "destination", "destination_name",
        "reference", "lists", "parties", "annex", "guidelines_profile", "items",
    ]
    assert data["schema_version"] == "1"
    assert data["category"] == "I"
    assert data["recommendation"] == "presumption_of_denial"
    assert data["entries"] == ["1.A.1"]
    assert data["possible_entries"] == []
    assert data["missing"] == []
    assert data["destination"] == "FR"
    assert "not a licence decision" in data["notice"]
    first = next(r for r in data["rationale"] if r["code"] == "POL102")
    assert first["rule"] == "cat1-presumption-of-denial"
    assert first["entry"] == "1.A.1"
    assert first["paragraph"] == "2"
    assert first["details"][:2] == ["range 450 km meets ≥ 300 km", "payload 600 kg meets ≥ 500 kg"]
    comps = data["items"][0]["evaluations"][0]["comparisons"]
    assert comps[0] == {
        "entry": "1.A.1", "parameter": "range", "value": 450.0, "given": "450km", "op": ">=",
        "threshold": 300.0, "unit": "km", "result": "true", "text": "range 450 km meets ≥ 300 km",
        "headroom": {"margin": 150.0, "unit": "km", "percent": 50.0},
        "headroom_text": "range 450 km is 150 km (50 %) above the 300 km of 1.A.1 (meets ≥ 300 km)",
    }


def test_json_is_deterministic() -> None:
    """The same input gives byte-identical JSON."""
    a = run_cli(*FLAGS, "--format", "json").stdout
    b = run_cli(*FLAGS, "--format", "json").stdout
    assert a == b


def test_800km_without_payload_is_never_cleared() -> None:
    """Missing payload: not cleared, payload named."""
    res = run_cli("screen", "--kind", "rocket_system", "--param", "range=800km", "--no-log",
                  "-f", "json", expect=1)
    data = res.json()
    assert data["recommendation"] == "insufficient_information"
    assert data["missing"] == ["payload"]
    assert [p["id"] for p in data["possible_entries"]] == ["1.A.1"]


def test_not_listed_exit_0() -> None:
    """Cleared only when every entry is ruled out: exit code 0."""
    res = run_cli("screen", "--kind", "rocket_system", "--param", "range=299km", "--param",
                  "payload=500kg", "--param", "range_with_any_payload=299.5km", "--no-log", "-f",
                  "json", expect=0)
    assert res.json()["recommendation"] == "no_mtcr_licence_required"


def test_example_spec_file(tmp_path: Path) -> None:
    """The shipped example: civilian SLV to a partner still meets the presumption."""
    res = run_cli("screen", str(EXAMPLES / "rocket-cat1.yaml"), "--no-log", "-f", "json",
                  expect=1)
    assert res.json()["recommendation"] == "presumption_of_denial"


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_every_format_renders(fmt: str) -> None:
    """Each registered format renders a decision, with the not-a-licence notice."""
    res = run_cli(*FLAGS, "--format", fmt, expect=1)
    assert res.stdout.endswith("\n")
    if fmt == "json":
        json.loads(res.stdout)
    else:
        assert "not a licence decision" in res.stdout
        assert "1.A.1" in res.stdout


def test_text_output_exact_header() -> None:
    """The people-facing view starts with the recommendation panel."""
    res = run_cli(*FLAGS, "--no-color", expect=1)
    lines = res.stdout.splitlines()
    assert lines[1] == "│ Recommendation  Strong presumption of denial                     │"
    assert "POL102 cat1-presumption-of-denial  entry 1.A.1  Guidelines ¶2" in res.stdout


def test_output_file(tmp_path: Path) -> None:
    """--output writes the result to a file."""
    out = tmp_path / "d.json"
    run_cli(*FLAGS, "-f", "json", "--output", str(out), expect=1)
    assert json.loads(out.read_text(encoding="utf-8"))["category"] == "I"


BAD = [
    ("malformed YAML", "kind: rocket_system\nparameters: {range: 450 km\n",
     r"spec.yaml:3:1: malformed YAML"),
    ("unknown kind", "kind: rockt_system\n", r"spec.yaml:1:7: kind: unknown kind 'rockt_system'"),
    ("range in kg", "kind: rocket_system\nparameters: {range: 450 kg}\n",
     r"spec.yaml:2:21: parameters.range: '450 kg' is a mass, but parameters.range is a length"),
    ("negative range", "kind: rocket_system\nparameters: {range: -5 km}\n",
     r"spec.yaml:2:21: parameters.range: '-5 km' is negative"),
    ("unknown country", "kind: rocket_system\ndestination: XX\n",
     r"spec.yaml:2:14: destination: unknown country 'XX'"),
    ("unknown field", "kind: rocket_system\nparamters: {range: 5 km}\n",
     r"spec.yaml:2:1: paramters: unknown field"),
    ("duplicate key", "kind: rocket_system\nkind: uav_system\n",
     r"spec.yaml:2:1: duplicate key 'kind' (first given on line 1)"),
    ("unknown parameter", "kind: rocket_system\nparameters: {rnge: 5 km}\n",
     r"spec.yaml:2:14: parameters.rnge: unknown parameter for kind rocket_system"),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in BAD],
                         ids=[n for n, _, _ in BAD])
def test_bad_spec_one_line_exit_2(tmp_path: Path, text: str, expected: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad input: one line naming what and where, exit 2, no traceback."""
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(text, encoding="utf-8")
    res = run_cli("screen", "spec.yaml", "--no-log", expect=2)
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("Error: " + expected), lines[0]
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (["--kind", "rockt_system"], "Error: --kind: kind: unknown kind 'rockt_system'"),
    # no generic ADC kind: the form decides 14.A.1.b, so the user is asked to pick it
    (["--kind", "adc"], "Error: --kind: kind: unknown kind 'adc' (hint: it names several "
                        "kinds; use the one that fits: adc_circuit_board_or_module, "
                        "adc_microcircuit, adc_other_form)"),
    (["--kind", "rocket_system", "--param", "range=450kg"],
     "Error: --param: parameters.range: '450kg' is a mass"),
    (["--kind", "rocket_system", "--param", "range=-1km"], "Error: --param: parameters.range"),
    (["--kind", "rocket_system", "--to", "XX"], "Error: --to: unknown country 'XX'"),
    (["--kind", "rocket_system", "--param", "range"], "Error: --param: --param 'range': "
                                                      "expected NAME=VALUE"),
    (["--kind", "rocket_system", "--red-flag", "bogus"], "Error: --red-flag: --red-flag"),
    ([], "Error: command line: nothing to screen"),
    (["/nonexistent/spec.yaml"], "Error: /nonexistent/spec.yaml: no such file"),
])
def test_bad_flags_one_line_exit_2(args: list[str], expected: str) -> None:
    """Bad flags: one line, exit 2."""
    res = run_cli("screen", "--no-log", *args, expect=2)
    assert len(res.stderr.splitlines()) == 1, res.stderr
    assert res.stderr.startswith(expected), res.stderr


def test_bad_json_spec(tmp_path: Path) -> None:
    """Malformed JSON names line and column."""
    p = tmp_path / "s.json"
    p.write_text('{"kind": "rocket_system",\n "parameters": {"range": NaN}}', encoding="utf-8")
    res = run_cli("screen", str(p), "--no-log", expect=2)
    assert "malformed JSON" in res.stderr
    p.write_text('{"kind": "rocket_system", "parameters": {"range": "450 km"', encoding="utf-8")
    res = run_cli("screen", str(p), "--no-log", expect=2)
    assert f"{p}:1:" in res.stderr


def test_screen_logs_and_log_list(tmp_path: Path) -> None:
    """Three screens, then `log list` shows three records; verify passes."""
    log = str(tmp_path / "log.sqlite3")
    for r in ("100km", "350km", "450km"):
        run_cli("screen", "--kind", "rocket_system", "--param", f"range={r}", "--param",
                "payload=600kg", "--log", log, "--ref", "CASE-1", "-f", "json")
    res = run_cli("log", "list", "--log", log, "--format", "json", expect=0)
    assert len(res.json()) == 3
    assert {r["ref"] for r in res.json()} == {"CASE-1"}
    assert run_cli("log", "verify", "--log", log, expect=0).stdout.startswith("OK: 3 record")


def test_general_note_that_released_the_item_is_cited(tmp_path: Path) -> None:
    """Public-domain technology: not listed, and the rationale cites the GTN per entry."""
    p = tmp_path / "t.yaml"
    p.write_text("kind: technology\nsupports: {activities: [development], targets: [1.A.1]}\n"
                 "facts: {public_domain: true}\n", encoding="utf-8")
    d = run_cli("screen", str(p), "--no-log", "-f", "json", expect=0).json()
    r = next(r for r in d["rationale"] if r["code"] == "POL401")
    assert "1.E.1 does not apply: General Technology Note (GTN)" in r["details"]


@pytest.mark.parametrize(("flags", "first"), [
    (["--red-flag", "wmd_delivery_known"], "--red-flag"),
    (["--to", "IR", "--param", "payload=1 kg"], "--param"),
    (["--fact", "inseparable=true"], "--fact"),
    (["--end-user", "Acme"], "--end-user"),
])
def test_spec_file_and_item_flags_are_refused(flags: list[str], first: str) -> None:
    """A flag beside a SPEC file is never silently left out (a red flag would be lost)."""
    res = run_cli("screen", str(EXAMPLES / "rocket-cat1.yaml"), *flags, "--no-log", expect=2)
    assert res.stderr.startswith(f"Error: {first}: cannot be combined with a SPEC file")
    assert res.stderr.count("\n") == 1


def test_whatif_refuses_a_spec_with_several_items(tmp_path: Path) -> None:
    spec = tmp_path / "two.yaml"
    spec.write_text("items:\n"
                    "  - {kind: solid_rocket_motor, parameters: {total_impulse: 1e5 N*s}}\n"
                    "  - {kind: uav_system}\n", encoding="utf-8")
    res = run_cli("whatif", str(spec), "--vary", "total_impulse=1e5 N*s..2e6 N*s:1e6 N*s",
                  expect=2)
    assert res.stderr == (f"Error: {spec}: whatif sweeps one item, and the spec has 2 (hint: "
                          "keep one item in the file, or use `mtcr-screen screen` for the "
                          "whole transfer)\n")


def test_not_listed_cites_the_values_that_fell_short() -> None:
    """A cleared item says, per entry, which value missed which threshold (with units)."""
    doc = run_cli("screen", "--kind", "rocket_system", "--param", "range=250km", "--param",
                  "payload=500kg", "--param", "range_with_any_payload=290km", "--no-log",
                  "-f", "json", expect=0).json()
    (pol401,) = [r for r in doc["items"][0]["rationale"] if r["code"] == "POL401"]
    assert pol401["details"] == [
        "1.A.1 ruled out: range 250 km does not meet ≥ 300 km",
        "19.A.1 ruled out: range_with_any_payload 290 km does not meet ≥ 300 km; range 250 km "
        "does not meet ≥ 300 km",
    ]


def test_not_listed_names_entries_ruled_out_by_stated_relations() -> None:
    doc = run_cli("screen", "--kind", "solid_rocket_motor", "--param", "total_impulse=2e6 N*s",
                  "--relation", "1.A=not_usable", "--relation", "19.A.1=not_usable", "--no-log",
                  "-f", "json", expect=0).json()
    (pol401,) = [r for r in doc["items"][0]["rationale"] if r["code"] == "POL401"]
    assert pol401["details"] == ["2.A.1.c.1, 20.A.1.b.1 ruled out by the facts, relations or "
                                 "purpose stated, or by the conditions they use (see each "
                                 "entry's evaluation)"]


def test_whatif_refuses_a_parameter_both_stated_and_varied() -> None:
    res = run_cli("whatif", "--kind", "rocket_system", "--param", "range=500km", "--vary",
                  "range=100km..400km:100km", expect=2)
    assert res.stderr == ("Error: --vary: range is both stated (500km) and varied (hint: "
                          "leave range out of the item, or out of --vary)\n")
