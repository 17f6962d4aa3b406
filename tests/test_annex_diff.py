"""`mtcr-screen annex diff OLD NEW`: entries added, removed and changed, field by field."""

from __future__ import annotations

import shutil
from pathlib import Path

from mtcr_screen.annex.diff import diff_annexes
from mtcr_screen.annex.loader import annex_digest, load_annex
from tests.conftest import ANNEX_DIR, run_cli

OLD_LINE = '        - {param: total_impulse, op: ">=", value: 1100000, unit: "N*s"}\n'
SUMMARY = "1 entry changed: 2.A.1.c.1 total_impulse >= 1100000 N*s → >= 1000000 N*s"


def copy_annex(tmp_path: Path, name: str = "annex") -> Path:
    """A copy of the shipped Annex folder (YAML only)."""
    dest = tmp_path / name
    shutil.copytree(ANNEX_DIR, dest, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur exactly once) by ``new`` in a YAML file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def lowered(tmp_path: Path, value: str = "1000000", unit: str = "N*s") -> Path:
    """The shipped Annex with the 2.A.1.c.1 total impulse threshold changed."""
    root = copy_annex(tmp_path)
    edit(root / "items" / "02.yaml", OLD_LINE,
         f'        - {{param: total_impulse, op: ">=", value: {value}, unit: "{unit}"}}\n')
    return root


def test_lowered_threshold_is_the_one_change(tmp_path: Path) -> None:
    new = lowered(tmp_path)
    res = run_cli("annex", "diff", str(ANNEX_DIR), str(new), expect=1)
    old_sha, new_sha = annex_digest(ANNEX_DIR), annex_digest(new)
    assert res.stdout == (
        f"old: MTCR/TEM/2024/Annex (2024-03-14)  {ANNEX_DIR}  sha256 {old_sha[:12]}\n"
        f"new: MTCR/TEM/2024/Annex (2024-03-14)  {new}  sha256 {new_sha[:12]}\n"
        f"{SUMMARY}\n"
        "\n"
        "Changed entries\n"
        "  2.A.1.c.1  [I]  solid or hybrid rocket motors with a total impulse capacity of at "
        "least 1.1 x 10^6 N·s\n"
        "    threshold total_impulse >= 1100000 N*s → >= 1000000 N*s\n")
    assert res.stderr == ""


def test_lowered_threshold_json(tmp_path: Path) -> None:
    new = lowered(tmp_path)
    data = run_cli("annex", "diff", str(ANNEX_DIR), str(new), "--format", "json", expect=1).json()
    assert data["schema_version"] == "1"
    assert data["identical"] is False
    assert data["summary"] == SUMMARY
    assert data["old"]["sha256"] == annex_digest(ANNEX_DIR)
    assert data["new"]["path"] == str(new)
    assert data["edition"] == []
    assert data["entries"]["added"] == data["entries"]["removed"] == []
    assert data["entries"]["changed"] == [{
        "id": "2.A.1.c.1",
        "category": "I",
        "title": "solid or hybrid rocket motors with a total impulse capacity of at least "
                 "1.1 x 10^6 N·s",
        "changes": [{"field": "threshold", "parameter": "total_impulse",
                     "old": {"op": ">=", "value": 1100000.0, "unit": "N*s"},
                     "new": {"op": ">=", "value": 1000000.0, "unit": "N*s"},
                     "text": "total_impulse >= 1100000 N*s → >= 1000000 N*s"}],
    }]
    assert all(sec == {"added": [], "removed": [], "changed": []}
               for sec in data["vocabulary"].values())
    assert set(data["vocabulary"]) == {"kinds", "parameters", "facts", "general_notes"}


def test_identical_editions_exit_0() -> None:
    res = run_cli("annex", "diff", str(ANNEX_DIR), "2024", expect=0)
    assert res.stdout.splitlines()[2] == "no differences"
    data = run_cli("annex", "diff", "2024", "MTCR/TEM/2024/Annex", "-f", "json", expect=0).json()
    assert data["identical"] is True
    assert data["summary"] == "no differences"
    assert data["entries"] == {"added": [], "removed": [], "changed": []}


def test_same_threshold_in_another_unit_is_no_difference(tmp_path: Path) -> None:
    """Thresholds are compared in canonical units: 1100 kN*s is 1100000 N*s."""
    new = lowered(tmp_path, "1100", "kN*s")
    res = run_cli("annex", "diff", str(ANNEX_DIR), str(new), expect=0)
    assert res.stdout.splitlines()[2] == (
        "no differences in content (the files differ only in comments or layout)")


def test_threshold_in_another_unit_shows_canonical_values(tmp_path: Path) -> None:
    new = lowered(tmp_path, "1", "MN*s")
    res = run_cli("annex", "diff", str(ANNEX_DIR), str(new), expect=1)
    assert res.stdout.splitlines()[2] == SUMMARY


def test_wording_treatment_exclusion_and_provenance(tmp_path: Path) -> None:
    root = copy_annex(tmp_path)
    items = root / "items" / "02.yaml"
    edit(items, "title: solid or hybrid rocket motors with a total impulse capacity of at "
                "least 1.1 x 10^6 N·s",
         "title: solid or hybrid rocket motors with a total impulse capacity of at "
         "least 1.0 x 10^6 N·s")
    edit(items, OLD_LINE, OLD_LINE.replace("1100000", "1000000"))
    edit(items, "      - Motors from 8.41 x 10^5 N·s up to this threshold, usable in 19.A.1 "
                "systems, are 20.A.1.b.1.\n",
         "      - Motors from 8.41 x 10^5 N·s up to 1.0 x 10^6 N·s are 20.A.1.b.1.\n")
    edit(items, "    cross_references: [20.A.1.b.1, 3.A.3, 3.A.6, 3.C.1, 3.C.2]\n",
         "    cross_references: [20.A.1.b.1, 3.A.3, 3.A.6, 3.C.1]\n")
    edit(items, "      basis: >-\n        threshold secondary; comparator reconstructed ('equal "
                "to or greater than'; the EU\n        analogue 9A009.a says 'exceeding 1.1 MNs')\n"
                "      sources: [\"SEC\", \"EU:9A009.a\", \"RECON\"]\n",
         "      basis: threshold verified\n"
         "      sources: [\"SEC\", \"EU:9A009.a\", \"RECON\", \"MTCR26\"]\n")
    edit(items, "        - {param: vacuum_thrust, op: \"<=\", value: 1, unit: kN}\n",
         "        - {param: vacuum_thrust, op: \"<=\", value: 2000, unit: N}\n")
    d = diff_annexes(load_annex(ANNEX_DIR), load_annex(root))
    assert [e.id for e in d.changed] == ["2.A.1.c.1", "2.A.1.c.2"]
    texts = [c.text for c in d.changed[0].changes]
    assert texts == [
        'title: "solid or hybrid rocket motors with a total impulse capacity of at least 1.1 x '
        '10^6 N·s" → "solid or hybrid rocket motors with a total impulse capacity of at least '
        '1.0 x 10^6 N·s"',
        "total_impulse >= 1100000 N*s → >= 1000000 N*s",
        'notes: +"Motors from 8.41 x 10^5 N·s up to 1.0 x 10^6 N·s are 20.A.1.b.1.", '
        '-"Motors from 8.41 x 10^5 N·s up to this threshold, usable in 19.A.1 systems, are '
        '20.A.1.b.1."',
        "cross_references: -3.C.2",
        "provenance.basis: \"threshold secondary; comparator reconstructed ('equal to or "
        "greater than'; the EU analogue 9A009.a says 'exceeding 1.1 MNs')\" → \"threshold "
        "verified\"",
        "provenance.sources: +MTCR26",
    ]
    assert [c.text for c in d.changed[1].changes] == [
        "vacuum_thrust <= 1 kN → <= 2 kN"]
    assert d.summary() == "2 entries changed"
    text = d.to_text()
    assert "    title:\n      - solid or hybrid rocket motors with a total impulse capacity of " \
           "at least 1.1 x 10^6 N·s\n      + solid" in text


def test_added_and_removed_entries(tmp_path: Path) -> None:
    root = copy_annex(tmp_path)
    with (root / "items" / "20.yaml").open("a", encoding="utf-8") as fh:
        fh.write("""
  - id: 20.E.2
    title: a new technology entry
    type: technology
    kinds: [technology]
    criteria:
      supports: {activities: [use], targets: [20.A]}
    provenance: {status: reconstructed, basis: test}
""")
    res = run_cli("annex", "diff", str(ANNEX_DIR), str(root), expect=1)
    assert res.stdout.splitlines()[2] == "1 entry added (20.E.2)"
    assert res.stdout.endswith("Added entries\n  20.E.2  [II]  a new technology entry\n")
    back = run_cli("annex", "diff", str(root), str(ANNEX_DIR), "-f", "json", expect=1).json()
    assert back["entries"]["removed"] == [{"id": "20.E.2", "category": "II",
                                           "title": "a new technology entry", "role": "item"}]
    assert back["summary"] == "1 entry removed (20.E.2)"


def test_vocabulary_general_notes_and_edition(tmp_path: Path) -> None:
    root = copy_annex(tmp_path)
    core = root / "vocabulary" / "core.yaml"
    edit(core, "parameters:\n", "parameters:\n  burn_time:\n    title: burn time\n"
                                "    unit: s\n")
    edit(core, "  total_impulse:\n    title: total impulse capacity of the motor\n"
               "    unit: N*s\n",
         "  total_impulse:\n    title: total impulse of the motor\n    unit: kN*s\n")
    edit(core, "    parameters: [total_impulse]\n    keywords: [solid motor, SRM, rocket motor]\n",
         "    parameters: [total_impulse, burn_time]\n    aliases: [srm]\n"
         "    keywords: [solid motor, SRM, rocket motor]\n")
    edit(root / "annex.yaml", "edition: MTCR/TEM/2024/Annex", "edition: MTCR/TEM/2026/Annex")
    edit(root / "annex.yaml", "date: 2024-03-14", "date: 2026-01-15")
    edit(root / "annex.yaml", "        - fact: generally_available_retail\n", "")
    res = run_cli("annex", "diff", "2024", str(root), "-f", "json", expect=1)
    data = res.json()
    assert [c["text"] for c in data["edition"]] == [
        'edition: "MTCR/TEM/2024/Annex" → "MTCR/TEM/2026/Annex"',
        'date: "2024-03-14" → "2026-01-15"']
    params = data["vocabulary"]["parameters"]
    assert params["added"] == ["burn_time"]
    assert params["changed"] == [{"name": "total_impulse", "changes": [
        {"field": "title", "old": "total impulse capacity of the motor",
         "new": "total impulse of the motor",
         "text": 'title: "total impulse capacity of the motor" → "total impulse of the motor"'},
        {"field": "unit", "old": "N*s", "new": "kN*s", "text": 'unit: "N*s" → "kN*s"'}]}]
    kinds = data["vocabulary"]["kinds"]["changed"]
    assert kinds == [{"name": "solid_rocket_motor", "changes": [
        {"field": "parameters", "old": ["total_impulse"], "new": ["total_impulse", "burn_time"],
         "text": "parameters: +burn_time"},
        {"field": "aliases", "old": [], "new": ["srm"], "text": "aliases: +srm"}]}]
    notes = data["vocabulary"]["general_notes"]["changed"]
    assert [n["name"] for n in notes] == ["GSN"]
    assert notes[0]["changes"][0]["field"] == "excludes_when"
    # every threshold on total impulse is now in kN*s: same figures, another canonical unit
    changed = {e["id"]: [c["text"] for c in e["changes"]] for e in data["entries"]["changed"]}
    assert changed["2.A.1.c.1"] == ["total_impulse >= 1100000 N*s → >= 1100 kN*s"]
    summary = data["summary"]
    assert summary.startswith('edition: "MTCR/TEM/2024/Annex" → "MTCR/TEM/2026/Annex"; '
                              'date: "2024-03-14" → "2026-01-15"; ')
    assert summary.endswith("1 kind changed; 1 parameter added; 1 parameter changed; "
                            "1 general note changed")
    text = run_cli("annex", "diff", "2024", str(root), expect=1).stdout
    assert "\nVocabulary: parameters\n  + burn_time (added)\n  total_impulse\n" in text
    assert "\nGeneral notes\n  GSN\n    excludes_when: " in text


def test_unknown_edition_name_exit_2() -> None:
    res = run_cli("annex", "diff", "2024", "2030", expect=2)
    assert res.stderr.startswith("Error: no such Annex edition, file or folder: '2030' (hint: "
                                 "known editions: 2024 (MTCR/TEM/2024/Annex);")
    assert res.stdout == ""


def test_invalid_edition_is_an_annex_error(tmp_path: Path) -> None:
    root = copy_annex(tmp_path)
    edit(root / "items" / "02.yaml", OLD_LINE, OLD_LINE.replace("N*s", "kg"))
    res = run_cli("annex", "diff", "2024", str(root), expect=2)
    assert res.stderr.startswith(f"Error: {root / 'items' / '02.yaml'}:122:")
    assert "\n" not in res.stderr.rstrip("\n")
