"""The interview asks only for facts that can change the result, and stops when settled."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import run_cli


def _questions(stderr: str) -> list[str]:
    return [q.strip() for q in stderr.split("):") if "?" in q]


def test_empty_rocket_asks_range_then_payload_only(tmp_path: Path) -> None:
    """An empty rocket system: range, then payload, nothing else."""
    out = tmp_path / "item.yaml"
    res = run_cli("interview", "--kind", "rocket_system", "--save", str(out), "-f", "json",
                  input="450 km\n600 kg\n", expect=1)
    asked = _questions(res.stderr)
    assert len(asked) == 2
    assert asked[0].startswith("range")
    assert asked[1].startswith("payload")
    assert res.json()["recommendation"] == "presumption_of_denial"
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == {
        "kind": "rocket_system", "parameters": {"range": "450 km", "payload": "600 kg"}}


def test_short_range_stops_after_range_if_payload_cannot_matter() -> None:
    """100 km with 100 kg, then 120 km with any payload, settles after three questions
    (carrying 100 kg, a lighter payload might still reach 300 km: 19.A.1)."""
    res = run_cli("interview", "--kind", "rocket_system", "-f", "json",
                  input="100 km\n100 kg\n120 km\n")
    assert res.json()["recommendation"] == "no_mtcr_licence_required"
    assert res.exit_code == 0


def test_relation_question_and_bad_answer_retry() -> None:
    """A motor: a bad unit is re-asked; the usable-in-1.A question follows."""
    res = run_cli("interview", "--kind", "solid_rocket_motor", "-f", "json",
                  input="maybe\nyes\n1.2e6 kg\n1.2e6 N*s\n", expect=1)
    assert "Is the item usable in the systems or items of 1.A?" in res.stderr
    assert "answer yes, no or unknown" in res.stderr
    assert "is a mass" in res.stderr
    d = res.json()
    assert d["entries"] == ["2.A.1.c.1"]
    assert d["category"] == "I"


def test_unknown_answers_leave_insufficient_information() -> None:
    """Answering unknown keeps the item not cleared."""
    res = run_cli("interview", "--kind", "rocket_system", "-f", "json", input="\n\n", expect=1)
    assert res.json()["recommendation"] == "insufficient_information"
    assert "still unknown" in res.stderr


def test_input_ending_early_is_not_an_error() -> None:
    """Closed input leaves the rest unknown: insufficient information, exit 1."""
    res = run_cli("interview", "--kind", "rocket_system", "-f", "json", input="450 km\n",
                  expect=1)
    assert res.json()["recommendation"] == "insufficient_information"


def test_starts_from_a_spec(tmp_path: Path) -> None:
    """Starting from a spec with the range known, the range is not asked: the payload is,
    then (100 kg to 800 km: range might be traded for payload) the payload carried to
    300 km."""
    spec = tmp_path / "s.yaml"
    spec.write_text("kind: rocket_system\nparameters: {range: 800 km}\n", encoding="utf-8")
    res = run_cli("interview", str(spec), "-f", "json", input="100 kg\n150 kg\n", expect=1)
    questions = _questions(res.stderr)
    assert len(questions) == 2
    assert questions[0].startswith("payload (per the Annex definition)?")
    assert questions[1].startswith("payload that can be carried to 300 km")
    assert res.json()["category"] == "II"
    assert res.json()["entries"] == ["19.A.1"]
