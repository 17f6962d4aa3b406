"""A rule's docstring is its documentation: every section is present; listing works."""

from __future__ import annotations

import re

import pytest

from mtcr_screen.policy import RULES, get_rule
from mtcr_screen.policy.base import SECTIONS
from tests.conftest import run_cli


@pytest.mark.parametrize("code", list(RULES))
def test_rule_has_documentation_sections(code: str) -> None:
    """Code and name on the first line, then the fixed sections in order."""
    rule = RULES[code]
    doc = rule.__doc__ or ""
    assert doc.splitlines()[0] == f"{rule.CODE} {rule.NAME}"
    assert re.fullmatch(r"POL\d{3}", rule.CODE)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.NAME)
    positions = [doc.find("\n" + s + "\n") for s in SECTIONS]
    assert all(p > 0 for p in positions), f"{code}: missing a section of {SECTIONS}"
    assert positions == sorted(positions), f"{code}: sections out of order"


def test_rules_command_lists_every_rule() -> None:
    """`mtcr-screen rules` shows each code once."""
    out = run_cli("rules", expect=0).stdout
    for code in RULES:
        assert out.count(code) == 1


def test_explain_shows_docstring() -> None:
    """`explain POL102` prints the rule's documentation."""
    out = run_cli("explain", "pol102", expect=0).stdout
    assert out.startswith("POL102 cat1-presumption-of-denial")
    assert "Why (Guidelines paragraph)" in out


def test_explain_unknown_rule() -> None:
    """An unknown rule is a one-line error."""
    res = run_cli("explain", "POL999", expect=2)
    assert res.stderr.strip() == ("Error: CODE: no such rule: 'POL999' (hint: see "
                                  "`mtcr-screen rules`)")


def test_get_rule_by_name() -> None:
    """Rules can be found by kebab-case name too."""
    assert get_rule("not-listed").CODE == "POL401"


def test_help_lists_every_command_with_a_whole_sentence() -> None:
    """`--help` shows each command with a complete one-line summary (none cut off)."""
    from mtcr_screen.cli import cli

    out = run_cli("--help", expect=0).stdout
    for name, cmd in cli.commands.items():
        assert name in out
        assert cmd.short_help, name
        assert cmd.short_help.endswith("."), name
