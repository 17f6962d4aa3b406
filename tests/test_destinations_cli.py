"""The destination part of the CLI: citations, --lists / --add-lists, staleness, errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import run_cli

from mtcr_screen.policy import RULES
from mtcr_screen.policy.base import SECTIONS

CAT2 = ("screen", "--kind", "rocket_system", "--param", "range=1000km", "--param",
        "payload=300kg", "--param", "payload_at_300km_range=400kg")
UNLISTED = ("screen", "--kind", "rocket_system", "--param", "range=299km", "--param",
            "payload=500kg", "--param", "range_with_any_payload=299.5km")

OWN = """\
id: my-concern
title: Our concern list
effect: concern
source: export-control memo 2026/7
as_of: 2026-10-01
confidence: confirmed
members:
  - {code: BR, note: programme review pending}
"""


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the same 'today' whenever they run."""
    monkeypatch.setenv("MTCR_SCREEN_TODAY", "2026-11-27")
    monkeypatch.delenv("MTCR_SCREEN_LIST_MAX_AGE_DAYS", raising=False)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def rationale(doc: dict[str, object], code: str) -> list[dict[str, object]]:
    return [r for r in doc["rationale"] if r["code"] == code]  # type: ignore[attr-defined,index]


def test_cat2_to_d4_is_case_by_case_with_the_concern_cited() -> None:
    res = run_cli(*CAT2, "--to", "Saudi Arabia", "--format", "json", expect=1)
    assert res.stderr == ""
    doc = res.json()
    assert doc["recommendation"] == "case_by_case"
    (concern,) = rationale(doc, "POL501")
    assert "US EAR Country Group D:4" in concern["message"]
    assert concern["recommendation"] == "case_by_case"
    cite = concern["details"][0]
    assert "source: 15 CFR Part 740 Supp. No. 1" in cite
    assert "as of 2026-07-08" in cite
    assert "partly verified" in cite


def test_same_item_to_arms_embargo_is_presumption_of_denial() -> None:
    doc = run_cli(*CAT2, "--to", "LY", "--format", "json", expect=1).json()
    assert doc["recommendation"] == "presumption_of_denial"
    (embargo,) = rationale(doc, "POL502")
    assert embargo["recommendation"] == "presumption_of_denial"
    assert any("UN Security Council arms embargoes (territorial)" in d and "as of 2025-05-31" in d
               for d in embargo["details"])
    assert any("EU arms embargoes" in d and "unverified" in d for d in embargo["details"])


def test_partner_is_noted_without_exemption() -> None:
    doc = run_cli(*CAT2, "--to", "FR", "--format", "json", expect=1).json()
    assert doc["recommendation"] == "case_by_case"
    (partner,) = rationale(doc, "POL503")
    assert "no exemption" in partner["message"]
    assert partner["recommendation"] is None


def test_decision_names_every_list_with_as_of_and_confidence() -> None:
    doc = run_cli(*CAT2, "--to", "SA", "--format", "json", expect=1).json()
    rows = {r["id"]: r for r in doc["lists"]}
    assert len(rows) == 14
    for r in rows.values():
        assert set(r) >= {"id", "title", "effect", "as_of", "confidence", "source", "sha256"}
    assert rows["us-ear-d4"]["as_of"] == "2026-07-08"
    # staleness is in the JSON (never on stderr for machine formats)
    assert "warning" in rows["mtcr-partners"]
    (stale,) = rationale(doc, "POL505")
    assert any(d.startswith("destination list mtcr-partners is ") for d in stale["details"])


def test_stale_lists_warn_on_stderr_for_text_only() -> None:
    res = run_cli(*CAT2, "--to", "SA", "--no-color", expect=1)
    assert res.stderr.startswith("Warning: 7 destination list(s) are out of date; see POL505")
    assert "destination list mtcr-partners is 1518 days old (as of 2022-10-01; " \
           "limit 365 days)" in res.stdout
    assert "US EAR Country Group D:4" in res.stdout
    assert run_cli(*CAT2, "--to", "SA", "--format", "json", expect=1).stderr == ""
    quiet = run_cli(*CAT2, "--to", "SA", "--no-color", "--list-max-age", "5000", expect=1)
    assert quiet.stderr == ""
    assert "POL505" not in quiet.stdout


def test_max_age_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTCR_SCREEN_LIST_MAX_AGE_DAYS", "5000")
    assert run_cli(*CAT2, "--to", "SA", "--no-color", expect=1).stderr == ""


def test_no_destination_no_list_warning() -> None:
    res = run_cli(*CAT2, "--no-color", expect=1)
    assert res.stderr == ""
    assert "no destination given" in res.stdout


def test_lists_replaces_the_shipped_lists(tmp_path: Path) -> None:
    folder = write(tmp_path / "mine", "mine.yaml", OWN)
    doc = run_cli(*CAT2, "--to", "BR", "--lists", str(folder), "--format", "json",
                  expect=1).json()
    assert [r["id"] for r in doc["lists"]] == ["my-concern"]
    (concern,) = rationale(doc, "POL501")
    assert "Our concern list" in concern["message"]
    assert "Our concern list (source: export-control memo 2026/7; as of 2026-10-01); note: " \
           "programme review pending" in concern["details"][0]
    assert not rationale(doc, "POL503")  # the shipped partner list was replaced
    # replaced: IR is on none of the lists now, and the decision says so
    doc = run_cli(*CAT2, "--to", "IR", "--lists", str(folder), "--format", "json",
                  expect=1).json()
    assert doc["recommendation"] == "case_by_case"
    assert "on none of them" in rationale(doc, "POL500")[0]["message"]


def test_add_lists_adds_to_the_shipped_lists(tmp_path: Path) -> None:
    folder = write(tmp_path / "mine", "mine.yaml", OWN)
    doc = run_cli(*CAT2, "--to", "BR", "--add-lists", str(folder), "--format", "json",
                  expect=1).json()
    ids = [r["id"] for r in doc["lists"]]
    assert "my-concern" in ids
    assert "mtcr-partners" in ids
    assert rationale(doc, "POL501")
    assert rationale(doc, "POL503")


def test_add_lists_replace_turns_a_context_list_into_an_embargo(tmp_path: Path) -> None:
    folder = write(tmp_path / "us", "d5.yaml", """\
        id: us-ear-d5
        title: US EAR Country Group D:5 (applied as an arms embargo)
        effect: arms_embargo
        source: ITAR 126.1 as applied by us
        as_of: 2026-10-01
        confidence: confirmed
        replace: true
        members:
          - {code: AF}
        """)
    base = run_cli(*CAT2, "--to", "AF", "--format", "json", expect=1).json()
    assert base["recommendation"] == "case_by_case"
    doc = run_cli(*CAT2, "--to", "AF", "--add-lists", str(folder), "--format", "json",
                  expect=1).json()
    assert doc["recommendation"] == "presumption_of_denial"


@pytest.mark.parametrize(("files", "message"), [
    ({}, "no *.yaml destination lists in this folder"),
    ({"a.yaml": OWN.replace("  - {code: BR, note: programme review pending}\n", "")},
     "members: a destination list needs at least one member"),
    ({"a.yaml": OWN.replace("code: BR", "code: XX")}, "not an ISO 3166-1 alpha-2"),
    ({"a.yaml": OWN, "b.yaml": OWN}, "duplicate list id 'my-concern'"),
    ({"a.yaml": OWN.replace("as_of: 2026-10-01\n", "")}, "as_of: Field required"),
])
def test_bad_lists_exit_2_with_location(tmp_path: Path, files: dict[str, str],
                                        message: str) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    for name, text in files.items():
        write(folder, name, text)
    res = run_cli(*CAT2, "--to", "BR", "--lists", str(folder), "--format", "json", expect=2)
    assert res.stdout == ""
    assert res.stderr.startswith(f"Error: {folder}")
    assert message in res.stderr


def test_bad_list_error_names_file_and_line(tmp_path: Path) -> None:
    folder = write(tmp_path / "lists", "a.yaml", OWN.replace("code: BR", "code: XX"))
    res = run_cli(*UNLISTED, "--to", "BR", "--add-lists", str(folder), expect=2)
    assert res.stderr.startswith(f"Error: {folder / 'a.yaml'}:8:12: members[0].code: ")


def test_unknown_country_exit_2_with_suggestion() -> None:
    res = run_cli(*CAT2, "--to", "Iarn", expect=2)
    assert "unknown country 'Iarn'" in res.stderr
    assert "IR (Iran)" in res.stderr
    res = run_cli(*CAT2, "--to", "Korea", expect=2)
    assert "ambiguous country 'Korea'" in res.stderr


def test_alias_destination_resolves() -> None:
    doc = run_cli(*CAT2, "--to", "Islamic Republic of Iran", "--format", "json",
                  expect=1).json()
    assert doc["destination"] == "IR"
    assert doc["recommendation"] == "presumption_of_denial"
    assert any("UN Security Council missile measures" in d
               for r in rationale(doc, "POL502") for d in r["details"])


def test_unlisted_with_doubts_to_d4_referred() -> None:
    doc = run_cli(*UNLISTED, "--to", "SA", "--red-flag", "end_use_unclear", "--format", "json",
                  expect=1).json()
    assert doc["recommendation"] == "case_by_case"
    (concern,) = rationale(doc, "POL501")
    assert "744.3" in concern["message"]


@pytest.mark.parametrize("code", ["POL500", "POL501", "POL502", "POL503", "POL504", "POL505"])
def test_destination_rules_are_listed_and_documented(code: str) -> None:
    assert code in run_cli("rules", expect=0).stdout
    text = run_cli("explain", code, expect=0).stdout
    for section in SECTIONS:
        assert section in text
    doc = RULES[code].__doc__ or ""
    assert all(f"\n{s}\n" in doc for s in SECTIONS), code


def test_partner_denial_asks_to_consult_the_partner() -> None:
    """No undercut: a partner denied an essentially identical transfer; the Category II
    case names it as a strong negative factor (3.E), not as a diversion risk (3.F)."""
    doc = run_cli(*CAT2, "--to", "BR", "--red-flag", "partner_denial", "--format", "json",
                  expect=1).json()
    assert doc["recommendation"] == "case_by_case"
    details = rationale(doc, "POL201")[0]["details"]
    e = next(d for d in details if d.startswith("3.E"))
    assert "no-undercut practice (1994) consult that partner before any approval" in e
    assert next(d for d in details if d.startswith("3.F")).endswith("no red flag stated")

