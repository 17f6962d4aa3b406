"""`pip install .` ships the Annex: the installed tool runs from another directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_contains_annex_and_runs_elsewhere(tmp_path: Path) -> None:
    """Build a wheel, install it into a scratch folder, screen from an unrelated folder."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(wheel_dir), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheel_dir.glob("*.whl"))
    zf = zipfile.ZipFile(wheel)
    names = zf.namelist()
    assert "mtcr_screen/_annex/annex.yaml" in names
    assert any(n.startswith("mtcr_screen/_annex/items/") for n in names)
    assert any(n.startswith("mtcr_screen/data/lists/") for n in names)
    for pkg in ("annex", "policy", "render", "records", "tradeoff", "commands"):
        assert f"mtcr_screen/{pkg}/__init__.py" in names, pkg
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "mtcr-screen = mtcr_screen.cli:main" in zf.read(entry_points).decode()
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--target", str(site), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "MTCR_SCREEN_CACHE": str(tmp_path / "c")}
    res = subprocess.run(
        [sys.executable, "-m", "mtcr_screen", "screen", "--kind", "rocket_system", "--param",
         "range=300km", "--param", "payload=500kg", "--format", "json", "--no-log"],
        cwd=elsewhere, env=env, capture_output=True, text=True)
    assert res.returncode == 1, res.stderr
    assert json.loads(res.stdout)["entries"] == ["1.A.1"]
    probe = "import mtcr_screen; print(mtcr_screen.__file__)"
    where = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env,
                           capture_output=True, text=True).stdout
    assert where.startswith(str(site)), where
