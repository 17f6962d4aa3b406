"""The README stays true: its exit-code table, its library example, its CI command."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from mtcr_screen.exit_codes import ExitCode
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_exit_code_table_matches_the_enum() -> None:
    """Each ExitCode appears in the README table with its meaning."""
    rows = dict(re.findall(r"^\| (\d) \| (.+?) \|$", README, re.M))
    assert {int(k) for k in rows} == {int(c) for c in ExitCode}
    for code in ExitCode:
        assert rows[str(int(code))] == code.meaning.replace("`", "") or \
            rows[str(int(code))] == code.meaning, (code, rows[str(int(code))])


def test_library_example_runs() -> None:
    """The Python block of the README runs and prints what it says."""
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block is not None
    res = subprocess.run([sys.executable, "-c", block.group(1)], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0] == "presumption_of_denial ['1.A.1']"


def test_setup_commands_and_ci_agree() -> None:
    """The README's test command is the one .ci/run runs, and both set-up lines exist."""
    assert "pip install . && .venv/bin/mtcr-screen screen examples/rocket-cat1.yaml" in README
    assert "pip install '.[test]' && .venv/bin/python -m pytest -q" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in ci
    assert 'pip install -q ".[test]"' in ci


def test_opening_example_is_real_output() -> None:
    """The README's first console block is what the tool prints today."""
    cmd = "$ mtcr-screen screen --kind rocket_system --param range=800km\n"
    start = README.index(cmd) + len(cmd)
    block = README[start:README.index("$ echo $?", start)]
    env = {**os.environ, "COLUMNS": "96", "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-m", "mtcr_screen", "screen", "--kind",
                          "rocket_system", "--param", "range=800km", "--no-color"],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert res.returncode == 1
    assert res.stdout == block
