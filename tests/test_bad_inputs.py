"""The bad-input corpus: every folder of tests/bad_inputs/ is one case, run through the CLI.

A case folder holds ``case.yaml`` and the input files it names::

    about: malformed YAML: an unclosed flow mapping
    args: [screen, "{dir}/spec.yaml", --no-log]   # {dir}: a copy of this folder
    exit: 2                                       # or a list, e.g. [1, 2]
    stderr: 'spec\\.yaml:3:1: malformed YAML'      # regex, searched in the one stderr line
    # optional:
    env: {MTCR_SCREEN_MAX_ITEMS: "2"}             # environment for this run
    generate: ten_mb_line_yaml                    # write a large input at run time
    annex: [{file: items/19.yaml, find: ..., replace: ...}]  # {annex}: a broken copy
    requires: batch                               # skip until this command is registered
    max_seconds: 2                                # run in a subprocess, timed ...
    max_memory_mb: 200                            # ... and its peak memory measured

Every case must end with exit code 2 and exactly one stderr line ``Error: <where>: ...``
(or, for a batch manifest, exit 1 with a rejected row), never a traceback and never
exit 3 (an internal error). ``pytest -k bad_inputs`` runs the whole corpus; add a case by
adding a folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from mtcr_screen.cli import cli
from tests.conftest import ANNEX_DIR, ROOT, run_cli

CORPUS = Path(__file__).parent / "bad_inputs"
TEN_MB = 10 * 1024 * 1024


def _deep_yaml(d: Path) -> None:
    (d / "spec.yaml").write_text("kind: rocket_system\nvehicle: " + "[" * 100_000 + "]" * 100_000
                                 + "\n", encoding="utf-8")


def _deep_json(d: Path) -> None:
    (d / "spec.json").write_text('{"kind": "rocket_system", "vehicle": ' + "[" * 100_000
                                 + "]" * 100_000 + "}", encoding="utf-8")


def _ten_mb_yaml(d: Path) -> None:
    (d / "spec.yaml").write_text("kind: rocket_system\ndescription: " + "x" * TEN_MB + "\n",
                                 encoding="utf-8")


def _ten_mb_json(d: Path) -> None:
    (d / "spec.json").write_text('{"kind": "rocket_system", "description": "' + "x" * TEN_MB
                                 + '"}', encoding="utf-8")


def _ten_mb_csv(d: Path) -> None:
    (d / "manifest.csv").write_text("id,kind,description\n1,rocket_system," + "x" * TEN_MB + "\n",
                                    encoding="utf-8")


def _xlsx_bad_row(d: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "kind", "range", "payload"])
    ws.append(["1", "rocket_system", "450 kg", "600 kg"])
    wb.save(d / "manifest.xlsx")


GENERATORS: dict[str, Callable[[Path], None]] = {
    "deep_yaml": _deep_yaml,
    "deep_json": _deep_json,
    "ten_mb_line_yaml": _ten_mb_yaml,
    "ten_mb_line_json": _ten_mb_json,
    "ten_mb_line_csv": _ten_mb_csv,
    "xlsx_bad_row": _xlsx_bad_row,
}
KEYS = {"about", "args", "exit", "stderr", "env", "generate", "annex", "requires",
        "max_seconds", "max_memory_mb"}


def load_corpus() -> list[tuple[str, dict[str, Any]]]:
    """(name, case) for every folder of the corpus."""
    out = []
    for d in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        case = yaml.safe_load((d / "case.yaml").read_text(encoding="utf-8"))
        assert set(case) <= KEYS, (d.name, set(case) - KEYS)
        out.append((d.name, case))
    return out


CORPUS_CASES = load_corpus()


def _break_annex(target: Path, edits: list[dict[str, Any]]) -> None:
    shutil.copytree(ANNEX_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    for e in edits:
        path = target / e["file"]
        if e.get("delete"):
            path.unlink()
            continue
        text = path.read_text(encoding="utf-8")
        if "append" in e:
            text += e["append"]
        else:
            assert e["find"] in text, (e["file"], e["find"])
            text = text.replace(e["find"], e["replace"], 1)
        path.write_text(text, encoding="utf-8")


_WRAPPER = """
import resource, runpy, sys
sys.argv = ["mtcr-screen", *sys.argv[1:]]
try:
    runpy.run_module("mtcr_screen", run_name="__main__")
finally:
    sys.stderr.flush()
    sys.stderr.write("\\n@@maxrss_kb %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _run_subprocess(args: list[str], env: dict[str, str]) -> tuple[int, str, str, float, float]:
    """Run the real CLI in a fresh interpreter: (exit, stdout, stderr, seconds, peak MB)."""
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True,
                          text=True, env=full_env, timeout=60, check=False)
    seconds = time.perf_counter() - start
    m = re.search(r"\n@@maxrss_kb (\d+)\n$", proc.stderr)
    assert m, proc.stderr[-500:]
    stderr = proc.stderr[: m.start()]
    return proc.returncode, proc.stdout, stderr, seconds, int(m.group(1)) / 1024


def _registered(command: str) -> bool:
    return command in cli.commands  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "case"), CORPUS_CASES, ids=[n for n, _ in CORPUS_CASES])
def test_bad_inputs(name: str, case: dict[str, Any], tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """One corpus case: one located line, the right exit code, no traceback, in bounds."""
    requires = case.get("requires")
    if requires and not _registered(requires):
        pytest.skip(f"`{requires}` is not a registered command yet (the case runs once it is)")
    work = tmp_path / name
    shutil.copytree(CORPUS / name, work)
    if "generate" in case:
        GENERATORS[case["generate"]](work)
    annex = tmp_path / "annex"
    if "annex" in case:
        _break_annex(annex, case["annex"])
    monkeypatch.chdir(tmp_path)
    args = [a.replace("{dir}", name).replace("{annex}", "annex") for a in case["args"]]
    env = {k: str(v) for k, v in case.get("env", {}).items()}
    if "max_seconds" in case or "max_memory_mb" in case:
        code, stdout, stderr, seconds, peak_mb = _run_subprocess(args, env)
        assert seconds < case.get("max_seconds", 30), f"took {seconds:.2f} s"
        assert peak_mb < case.get("max_memory_mb", 1000), f"peak {peak_mb:.0f} MB"
    else:
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        res = run_cli(*args)
        code, stdout, stderr = res.exit_code, res.stdout, res.stderr
    expected = case["exit"] if isinstance(case["exit"], list) else [case["exit"]]
    assert code in expected, (code, stderr[-2000:])
    assert code != 3, stderr
    assert "Traceback" not in stderr
    assert "Traceback" not in stdout
    if code == 2:
        lines = stderr.splitlines()
        assert len(lines) == 1, stderr[-2000:]
        assert lines[0].startswith("Error: "), lines[0]
        assert re.search(case["stderr"], lines[0]), (case["stderr"], lines[0])
        assert stdout == ""
        assert len(lines[0]) < 1000, "an error line must stay readable"
    elif case["stderr"]:
        assert re.search(case["stderr"], stderr + stdout), (case["stderr"], stderr[-2000:])
    else:
        assert "Error" not in stderr, stderr


def test_bad_inputs_corpus_is_complete() -> None:
    """The corpus covers each category of the hardening issue (a missing folder fails)."""
    names = {n for n, _ in CORPUS_CASES}
    for required in ("yaml_malformed", "json_malformed", "csv_malformed_quote", "xlsx_not_a_zip",
                     "type_fact_not_bool", "nan_yaml", "json_nan", "inf_yaml", "negative_range",
                     "zero_without_unit", "unit_unknown", "unit_misspelt", "unit_wrong_dimension",
                     "unknown_kind", "unknown_parameter", "unknown_country",
                     "yaml_duplicate_key", "json_duplicate_key", "yaml_non_utf8",
                     "yaml_utf16_bom", "yaml_empty_file", "csv_header_only", "yaml_ten_mb_line",
                     "yaml_alias_bomb", "yaml_deep_nesting", "annex_duplicate_id_validate",
                     "annex_dangling_reference_screen", "annex_threshold_without_unit_validate"):
        assert required in names, required
