"""Denied-party screening wired into `screen` and `parties check`."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLES, run_cli

LIST = str(EXAMPLES / "parties-example.csv")
CAT2 = ["screen", "--kind", "rocket_system", "--param", "range=1000km", "--param",
        "payload=300kg", "--param", "payload_at_300km_range=400kg", "--to", "SA", "--no-log",
        "-f", "json"]


def test_typo_and_legal_form_is_held() -> None:
    """A typo and 'Ltd' against 'Limited' is held, with score and list entry shown."""
    d = run_cli(*CAT2, "--end-user", "Zephyr Propulsion Tradng Ltd", "--parties", LIST,
                expect=1).json()
    assert d["recommendation"] == "hold_possible_denied_party"
    r = next(r for r in d["rationale"] if r["code"] == "POL801")
    assert "'Zephyr Propulsion Trading Limited' with score 98.0" in r["message"]
    assert any(x.startswith("list CSL (Entity List (EL)") for x in r["details"])
    assert d["parties"][0]["hits"][0]["entry_id"]
    assert any(x["effect"] == "denied_parties" for x in d["lists"])


def test_hold_is_at_least_case_by_case_and_below_denial() -> None:
    """Hold does not lower a Category I presumption of denial."""
    d = run_cli("screen", "--kind", "rocket_system", "--param", "range=1000km", "--param",
                "payload=600kg", "--end-user", "Zephyr Propulsion Trading Limited",
                "--parties", LIST, "--no-log", "-f", "json", expect=1).json()
    assert d["recommendation"] == "presumption_of_denial"


def test_clean_party_is_noted_not_cleared_by_it() -> None:
    """No hit: the screening is noted; the item's own outcome stands."""
    d = run_cli(*CAT2, "--end-user", "Harbourside Marine Supplies", "--parties", LIST).json()
    assert d["recommendation"] == "case_by_case"
    r = next(r for r in d["rationale"] if r["code"] == "POL801")
    assert "no hit at or above the threshold" in r["message"]


def test_lists_given_but_no_party_named_is_not_cleared() -> None:
    """Party lists with no named party: insufficient information, never 'no match'."""
    d = run_cli("screen", "--kind", "rocket_system", "--param", "range=100km", "--param",
                "payload=100kg", "--parties", LIST, "--no-log", "-f", "json", expect=1).json()
    assert d["recommendation"] == "insufficient_information"


def test_empty_or_unreadable_party_list_is_an_error(tmp_path: Path) -> None:
    """An empty or unreadable list is an error with exit 2, not a clean result."""
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    res = run_cli(*CAT2, "--end-user", "X", "--parties", str(empty), expect=2)
    assert res.stderr.startswith("Error: ")
    res = run_cli(*CAT2, "--end-user", "X", "--parties", str(tmp_path / "nope.csv"), expect=2)
    assert res.stderr.startswith("Error: ")


def test_parties_check_command() -> None:
    """`parties check NAME` exits 1 on a hit, 0 otherwise."""
    out = run_cli("parties", "check", "Zephyr Propulsion Tradng Ltd", "--parties", LIST,
                  expect=1).stdout
    assert "HIT  98.0  'Zephyr Propulsion Trading Limited'" in out
    run_cli("parties", "check", "Completely Unrelated Bakery", "--parties", LIST, expect=0)
    d = run_cli("parties", "check", "Zephyr Propulsion Tradng Ltd", "--parties", LIST,
                "--country", "AE", "-f", "json", expect=1).json()
    assert d["hits"][0]["explanation"]["country"].startswith("agrees")
