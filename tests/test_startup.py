"""The one-item screen path stays light: no pydantic models, no rich, no pint, no YAML."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys
from mtcr_screen.cli import cli
try:
    cli(["screen", "--kind", "rocket_system", "--param", "range=450km", "--param",
         "payload=600kg", "--to", "FR", "--format", "json", "--no-log"])
except SystemExit:
    pass
heavy = [m for m in ("pydantic.main", "rich.console", "pint", "yaml", "mtcr_screen.spec",
                     "mtcr_screen.batch.screener", "sqlite3", "rapidfuzz")
         if m in sys.modules]
print("HEAVY", heavy, file=sys.stderr)
"""


def test_cold_screen_path_imports_nothing_heavy(tmp_path: object) -> None:
    """After a warm-up (caches filled), a JSON screen from flags imports none of the heavy
    modules the cold-start benchmark depends on avoiding."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, check=False)
    res = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, check=False)
    line = next(ln for ln in res.stderr.splitlines() if ln.startswith("HEAVY"))
    assert line == "HEAVY []", res.stderr
