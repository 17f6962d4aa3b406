"""`mtcr-screen rescreen`: replay logged inputs under another edition or lists, report changes."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mtcr_screen import __version__, app
from mtcr_screen.annex.loader import annex_digest, load_annex
from mtcr_screen.destinations import load_lists
from mtcr_screen.records import DecisionLog, NewRecord
from tests.conftest import ANNEX_DIR, EXAMPLES, run_cli

OLD_LINE = '        - {param: total_impulse, op: ">=", value: 1100000, unit: "N*s"}\n'
ANNEX_CHANGE = "total_impulse >= 1100000 N*s → >= 1000000 N*s"


def lowered_annex(tmp_path: Path) -> Path:
    """The acceptance scenario's edition: the 2.A.1.c.1 total impulse lowered to 1.0e6 N·s."""
    root = tmp_path / "annex"
    shutil.copytree(ANNEX_DIR, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    items = root / "items" / "02.yaml"
    text = items.read_text(encoding="utf-8")
    assert text.count(OLD_LINE) == 1
    items.write_text(text.replace(OLD_LINE, OLD_LINE.replace("1100000", "1000000")),
                     encoding="utf-8")
    return root


def screen_motor(log: Path, impulse: str, *extra: str) -> None:
    run_cli("screen", "--kind", "solid_rocket_motor", "--param", f"total_impulse={impulse}",
            "--relation", "1.A=usable", "--relation", "19.A.1=usable", "--log", str(log),
            "--ref", f"MOTOR-{impulse}", "-f", "json", *extra)


@pytest.fixture
def logged(tmp_path: Path) -> Path:
    """Four logged screens: three solid motors (1.05e6, 1.2e6, 0.9e6 N·s) and a rocket."""
    log = tmp_path / "log.sqlite3"
    for impulse in ("1.05e6 N*s", "1.2e6 N*s", "0.9e6 N*s"):
        screen_motor(log, impulse)
    run_cli("screen", str(EXAMPLES / "rocket-cat1.yaml"), "--log", str(log), "--ref", "ROCKET",
            "-f", "json")
    return log


def records(log: Path) -> list[dict[str, Any]]:
    res = run_cli("log", "list", "--log", str(log), "--format", "json", expect=0)
    return list(res.json())


# --------------------------------------------------------------------------- acceptance


def test_acceptance_lowered_threshold(tmp_path: Path, logged: Path) -> None:
    new = lowered_annex(tmp_path)
    # annex diff shows exactly that one change
    diff = run_cli("annex", "diff", str(ANNEX_DIR), str(new), expect=1)
    assert diff.stdout.splitlines()[2] == f"1 entry changed: 2.A.1.c.1 {ANNEX_CHANGE}"
    # rescreen flags exactly the 1.05e6 N*s motor
    res = run_cli("rescreen", "--annex", str(new), "--log", str(logged), expect=1)
    created = records(logged)[0]["created_at"][:19].replace("T", " ")
    sha_old, sha_new = annex_digest(ANNEX_DIR), annex_digest(new)
    assert res.stdout == (
        f"Re-screened 4 logged decisions under MTCR/TEM/2024/Annex (2024-03-14, {new}, sha256 "
        f"{sha_new[:12]}): 1 changed, 3 unchanged.\n"
        "\n"
        f"record 1  {created}  ref MOTOR-1.05e6 N*s  (logged under MTCR/TEM/2024/Annex, sha256 "
        f"{sha_old[:12]})\n"
        "  category:       Category II → Category I\n"
        "  recommendation: case_by_case → presumption_of_denial\n"
        "  entries:\n"
        f"    2.A.1.c.1   no_match → match  (Annex: {ANNEX_CHANGE})\n"
        "    20.A.1.b.1  match → superseded\n")
    assert res.stderr == "Logged the re-screen as record 5.\n"
    # the re-screen is itself a record, and the chain still verifies
    listed = records(logged)
    assert [(r["id"], r["kind"]) for r in listed] == [
        (1, "screen"), (2, "screen"), (3, "screen"), (4, "screen"), (5, "rescreen")]
    assert (listed[4]["recommendation"], listed[4]["category"]) == ("changed", "-")
    assert listed[4]["annex_edition"] == "MTCR/TEM/2024/Annex"
    assert run_cli("log", "verify", "--log", str(logged), expect=0).stdout == (
        "OK: 5 record(s), hash chain intact\n")


def test_acceptance_json(tmp_path: Path, logged: Path) -> None:
    new = lowered_annex(tmp_path)
    res = run_cli("rescreen", "--annex", str(new), "--log", str(logged), "-f", "json", expect=1)
    assert res.stderr == ""
    data = res.json()
    assert data["schema_version"] == "1"
    assert data["annex"]["sha256"] == annex_digest(new)
    assert (data["replayed"], data["unchanged"], data["logged_as"]) == (4, [2, 3, 4], 5)
    assert data["counts"] == {"changed": 1, "invalid": 0, "not_replayed": 0, "unchanged": 3}
    [changed] = data["changed"]
    assert changed["record"] == 1
    assert changed["ref"] == "MOTOR-1.05e6 N*s"
    assert changed["status"] == "changed"
    assert changed["old"] == {"category": "II", "recommendation": "case_by_case",
                              "entries": ["20.A.1.b.1"]}
    assert changed["new"] == {"category": "I", "recommendation": "presumption_of_denial",
                              "entries": ["2.A.1.c.1"]}
    assert changed["entries"] == [
        {"id": "2.A.1.c.1", "old_status": "no_match", "new_status": "match",
         "annex_changes": [ANNEX_CHANGE]},
        {"id": "20.A.1.b.1", "old_status": "match", "new_status": "superseded",
         "annex_changes": []}]
    assert changed["logged_with"] == {"annex_edition": "MTCR/TEM/2024/Annex",
                                      "annex_sha256": annex_digest(ANNEX_DIR),
                                      "tool_version": __version__}
    [item] = changed["items"]
    assert (item["index"], item["kind"]) == (0, "solid_rocket_motor")
    # the re-screen's own record summarises what was replayed and what changed
    own = run_cli("log", "show", "5", "--log", str(logged), expect=0).json()
    assert own["kind"] == "rescreen"
    assert json.loads(own["input_text"])["records"] == [1, 2, 3, 4]
    assert own["decision"]["replayed"] == [1, 2, 3, 4]
    assert own["decision"]["entries"] == ["2.A.1.c.1", "20.A.1.b.1"]
    assert own["decision"]["changed"] == [{
        "record": 1, "status": "changed", "ref": "MOTOR-1.05e6 N*s",
        "old": changed["old"], "new": changed["new"],
        "entries": ["2.A.1.c.1", "20.A.1.b.1"], "problem": None}]


def test_same_edition_changes_nothing(logged: Path) -> None:
    run_cli("rescreen", "--annex", "2024", "--log", str(logged), expect=0)
    res = run_cli("rescreen", "--log", str(logged), "--no-log", expect=0)
    assert res.stdout.startswith("Re-screened 4 logged decisions under MTCR/TEM/2024/Annex")
    assert res.stdout.endswith(": 0 changed, 4 unchanged. 1 record of earlier re-screens not "
                               "replayed.\n")
    assert res.stderr == ""
    assert len(records(logged)) == 5  # --no-log appended nothing


def test_since_and_ref_filter(tmp_path: Path, logged: Path) -> None:
    new = lowered_annex(tmp_path)
    res = run_cli("rescreen", "--annex", str(new), "--log", str(logged), "--ref", "ROCKET",
                  "-f", "json", expect=0)
    assert (res.json()["replayed"], res.json()["filters"]) == (1, {"since": None,
                                                                   "ref": "ROCKET"})
    assert records(logged)[-1]["ref"] == "ROCKET"  # the re-screen record carries the ref
    later = run_cli("rescreen", "--annex", str(new), "--log", str(logged), "--since",
                    "2999-01-01", "--no-log", expect=0)
    assert later.stdout.startswith("Re-screened 0 logged decisions")
    bad = run_cli("rescreen", "--log", str(logged), "--since", "last week", expect=2)
    assert bad.stderr.startswith("Error: --since: --since 'last week': expected a date")


def _log_at(log: Path, when: datetime, text: str, fmt: str, kind: str = "screen") -> None:
    """Screen ``text`` now and log it as if it had been screened at ``when``."""
    rec = NewRecord(kind=kind, input_text=text, input_format=fmt, tool_version=__version__,
                    annex_edition="x", annex_sha256="0" * 64, lists=[], decision={},
                    recommendation="x", category="x")
    if fmt in ("yaml", "json", "flags"):
        record = _fake_record(rec)
        inp = app.input_from_record(record)
        decision = app.screen_input(inp, load_annex(), load_lists())
        rec = NewRecord(kind=kind, input_text=text, input_format=fmt, tool_version=__version__,
                        annex_edition=decision.annex_edition, annex_sha256=decision.annex_sha256,
                        lists=[dict(x) for x in decision.lists], decision=decision.to_dict(),
                        recommendation=decision.recommendation.value,
                        category=decision.category, ref=f"AT-{when.date()}")
    with DecisionLog(log, clock=lambda: when) as lg:
        lg.append(rec)


def _fake_record(rec: NewRecord) -> Any:
    class R:
        id = 0
        input_format = rec.input_format
        input_text = rec.input_text

    return R()


MOTOR_1050 = ("kind: solid_rocket_motor\nparameters: {total_impulse: 1.05e6 N*s}\n"
              "relations: {\"1.A\": usable, \"19.A.1\": usable}\n")


def test_since_keeps_later_records(tmp_path: Path) -> None:
    log = tmp_path / "dated.sqlite3"
    _log_at(log, datetime(2025, 1, 10, 9, tzinfo=UTC), MOTOR_1050, "yaml")
    _log_at(log, datetime(2025, 6, 10, 9, tzinfo=UTC), MOTOR_1050, "yaml")
    new = lowered_annex(tmp_path)
    all_ = run_cli("rescreen", "--annex", str(new), "--log", str(log), "--no-log", "-f", "json",
                   expect=1).json()
    assert [c["record"] for c in all_["changed"]] == [1, 2]
    since = run_cli("rescreen", "--annex", str(new), "--log", str(log), "--no-log",
                    "--since", "2025-06-01", "-f", "json", expect=1).json()
    assert [c["record"] for c in since["changed"]] == [2]
    assert since["changed"][0]["created_at"].startswith("2025-06-10T09:00:00")


# --------------------------------------------------------------------------- inputs


def test_yaml_and_json_spec_files_are_replayed(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite3"
    (tmp_path / "m.yaml").write_text(MOTOR_1050, encoding="utf-8")
    (tmp_path / "m.json").write_text(json.dumps({
        "kind": "solid_rocket_motor", "parameters": {"total_impulse": "1050 kN*s"},
        "relations": {"1.A": "usable", "19.A.1": "usable"}}), encoding="utf-8")
    for name in ("m.yaml", "m.json"):
        run_cli("screen", str(tmp_path / name), "--log", str(log), "-f", "json", expect=1)
    assert [r["kind"] for r in records(log)] == ["screen", "screen"]
    run_cli("rescreen", "--log", str(log), "--no-log", expect=0)  # same Annex: no change
    data = run_cli("rescreen", "--annex", str(lowered_annex(tmp_path)), "--log", str(log),
                   "-f", "json", expect=1).json()
    assert [(c["record"], c["old"]["category"], c["new"]["category"]) for c in data["changed"]] \
        == [(1, "II", "I"), (2, "II", "I")]


@pytest.mark.parametrize(("fmt", "text"), [
    ("yaml", MOTOR_1050),
    ("json", json.dumps({"kind": "solid_rocket_motor", "destination": "FR",
                         "parameters": {"total_impulse": "1.05e6 N*s"},
                         "relations": {"1.A": "usable"}})),
    ("flags", json.dumps({"kind": "solid_rocket_motor", "destination": "FR",
                          "facts": {"civil_certified_engine": False},
                          "parameters": {"total_impulse": "1.05e6 N*s"},
                          "red_flags": ["wmd_delivery_suspected"],
                          "relations": {"1.A": "usable"}}, sort_keys=True)),
])
def test_input_from_record_gives_the_logged_decision(tmp_path: Path, fmt: str,
                                                     text: str) -> None:
    """Replaying a record under the same Annex and lists reproduces its decision exactly."""
    log = tmp_path / "log.sqlite3"
    _log_at(log, datetime(2025, 1, 10, tzinfo=UTC), text, fmt)
    with DecisionLog(log) as lg:
        record = lg.get(1)
    inp = app.input_from_record(record)
    decision = app.screen_input(inp, load_annex(), load_lists())
    assert json.loads(json.dumps(decision.to_dict())) == record.decision


def test_flags_record_replays_through_the_flag_reader(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite3"
    screen_motor(log, "1.05e6 N*s", "--fact", "civil_certified_engine=false", "--to", "FR")
    with DecisionLog(log) as lg:
        record = lg.get(1)
    assert record.input_format == "flags"
    inp = app.input_from_record(record)
    assert inp.text == record.input_text  # the flags rebuild the same logged text
    assert inp.transfer.destination == "FR"
    decision = app.screen_input(inp, load_annex(), load_lists())
    assert json.loads(json.dumps(decision.to_dict())) == record.decision


def test_input_no_longer_valid_is_reported(tmp_path: Path) -> None:
    """A kind alias the new edition drops: the logged input no longer validates."""
    old = tmp_path / "old"
    shutil.copytree(ANNEX_DIR, old, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    core = old / "vocabulary" / "core.yaml"
    core.write_text(core.read_text(encoding="utf-8").replace(
        "    parameters: [total_impulse]\n    keywords: [solid motor, SRM, rocket motor]\n",
        "    parameters: [total_impulse]\n    aliases: [srm]\n"
        "    keywords: [solid motor, SRM, rocket motor]\n"), encoding="utf-8")
    log = tmp_path / "log.sqlite3"
    run_cli("screen", "--annex", str(old), "--kind", "srm", "--param", "total_impulse=1.2e6N*s",
            "--relation", "1.A=usable", "--log", str(log), expect=1)
    res = run_cli("rescreen", "--log", str(log), expect=1)
    assert ": 0 changed, 1 no longer valid, 0 unchanged." in res.stdout.splitlines()[0]
    assert "  input no longer valid: log record 1: kind: unknown kind 'srm'" in res.stdout
    assert "  was: Category I, presumption_of_denial\n" in res.stdout
    data = run_cli("rescreen", "--log", str(log), "-f", "json", "--no-log", expect=1).json()
    [c] = data["changed"]
    assert (c["status"], c["new"]) == ("invalid", None)
    assert c["problem"].startswith("input no longer valid: log record 1: ")


def test_unreplayable_and_batch_records(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite3"
    _log_at(log, datetime(2025, 1, 10, tzinfo=UTC), "row 7: srm,1.2e6", "csv-row", kind="batch")
    _log_at(log, datetime(2025, 1, 10, tzinfo=UTC), MOTOR_1050, "yaml", kind="batch")
    data = run_cli("rescreen", "--annex", str(lowered_annex(tmp_path)), "--log", str(log),
                   "-f", "json", expect=1).json()
    assert [(c["record"], c["kind"], c["status"]) for c in data["changed"]] == [
        (1, "batch", "not_replayed"), (2, "batch", "changed")]
    assert data["changed"][0]["problem"] == "cannot replay input format 'csv-row'"


def test_multi_item_transfer_reports_the_item(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite3"
    spec = tmp_path / "t.yaml"
    spec.write_text(
        "reference: ORDER-9\n"
        "items:\n"
        "  - {id: M1, kind: solid_rocket_motor, parameters: {total_impulse: 1.05e6 N*s},\n"
        "     relations: {\"19.A.1\": usable, \"1.A\": usable}}\n"
        "  - {id: M2, kind: solid_rocket_motor, parameters: {total_impulse: 0.9e6 N*s},\n"
        "     relations: {\"19.A.1\": usable, \"1.A\": usable}}\n", encoding="utf-8")
    run_cli("screen", str(spec), "--log", str(log), "-f", "json")
    res = run_cli("rescreen", "--annex", str(lowered_annex(tmp_path)), "--log", str(log),
                  "--no-log", expect=1)
    lines = res.stdout.splitlines()
    assert "ref ORDER-9" in lines[2]
    assert lines[3:] == [
        "  category:       Category II → Category I",
        "  recommendation: case_by_case → presumption_of_denial",
        "  item 1 (M1): Category II, case_by_case → Category I, presumption_of_denial",
        f"    2.A.1.c.1   no_match → match  (Annex: {ANNEX_CHANGE})",
        "    20.A.1.b.1  match → superseded",
    ]


def test_other_lists_change_a_decision(tmp_path: Path) -> None:
    """--lists replays under other destination lists; the rules responsible are named."""
    from mtcr_screen.destinations import shipped_lists_dir

    lists = tmp_path / "lists"
    shutil.copytree(shipped_lists_dir(), lists)
    un = lists / "un-sc-missile-measures.yaml"
    un.write_text(un.read_text(encoding="utf-8").replace("members:\n",
                                                         "members:\n  - {code: FR}\n", 1),
                  encoding="utf-8")
    log = tmp_path / "log.sqlite3"
    screen_motor(log, "0.9e6 N*s", "--to", "FR")
    res = run_cli("rescreen", "--lists", str(lists), "--log", str(log), "--no-log", expect=1)
    assert res.stdout.splitlines()[3:] == [
        "  category:       Category II (unchanged)",
        "  recommendation: case_by_case → presumption_of_denial",
        "  rules:",
        "    + POL502 destination-embargo → presumption_of_denial",
        "  note: logged under this same Annex: the change comes from the lists or the tool "
        "version",
    ]


def test_unknown_annex_and_bad_log(tmp_path: Path) -> None:
    res = run_cli("rescreen", "--annex", "1999", expect=2)
    assert res.stderr.startswith("Error: no such Annex edition, file or folder: '1999'")
    (tmp_path / "not-a-log").write_text("hello", encoding="utf-8")
    res = run_cli("rescreen", "--log", str(tmp_path / "not-a-log"), expect=2)
    assert "the file is not an SQLite database" in res.stderr


def test_decision_logged_without_evaluations(tmp_path: Path) -> None:
    """A record whose decision carries no per-entry evaluations (a lean batch record) is
    compared on its definite and possible entries."""
    log = tmp_path / "log.sqlite3"
    _log_at(log, datetime(2025, 1, 10, tzinfo=UTC), MOTOR_1050, "yaml", kind="batch")
    with DecisionLog(log) as lg:
        full = lg.get(1)
    lean = json.loads(json.dumps(full.decision))
    for item in lean["items"]:
        item["evaluations"] = []
    lean_log = tmp_path / "lean.sqlite3"
    with DecisionLog(lean_log) as lg:
        lg.append(NewRecord(kind="batch", input_text=full.input_text, input_format="yaml",
                            tool_version=full.tool_version, annex_edition=full.annex_edition,
                            annex_sha256=full.annex_sha256, lists=full.lists, decision=lean,
                            recommendation=full.recommendation, category=full.category))
    data = run_cli("rescreen", "--annex", str(lowered_annex(tmp_path)), "--log", str(lean_log),
                   "-f", "json", "--no-log", expect=1).json()
    assert [(e["id"], e["old_status"], e["new_status"]) for e in data["changed"][0]["entries"]] \
        == [("2.A.1.c.1", None, "match"), ("20.A.1.b.1", "match", None)]
