"""`batch` appends one record per run; two runs at once keep every record."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT, run_cli

MANIFEST = str(EXAMPLES / "manifest.csv")


def test_batch_run_is_logged(tmp_path: Path) -> None:
    """One record per batch run with counts, rejected rows and the manifest."""
    log = str(tmp_path / "log.sqlite3")
    run_cli("batch", MANIFEST, "-f", "jsonl", "--log", log, "--ref", "SHIP-7", expect=1)
    [rec] = run_cli("log", "list", "--log", log, "-f", "json").json()
    assert rec["kind"] == "batch"
    assert rec["ref"] == "SHIP-7"
    full = run_cli("log", "show", str(rec["id"]), "--log", log).json()
    d = full["decision"]
    assert d["rows"] == 16
    assert d["rejected"] == 3
    assert full["input_text"].startswith("id,")
    assert d["manifest_sha256"]


def test_two_batch_runs_at_once_keep_every_record(tmp_path: Path) -> None:
    """Two batch processes writing to the same log at the same time lose nothing."""
    log = str(tmp_path / "log.sqlite3")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MTCR_SCREEN_LOG": log}
    procs = [subprocess.Popen([sys.executable, "-m", "mtcr_screen", "batch", MANIFEST, "-f",
                               "jsonl", "--ref", f"RUN-{i}"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
             for i in range(2) for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 1, err
    recs = run_cli("log", "list", "--log", log, "-f", "json").json()
    assert len(recs) == 6
    assert run_cli("log", "verify", "--log", log, expect=0).stdout.startswith("OK: 6 record")


def test_reports_show_the_lists_consulted() -> None:
    """HTML and Markdown reports name each list with its date and any staleness warning."""
    md = run_cli("batch", MANIFEST, "-f", "markdown", "--no-log").stdout
    assert "**Lists consulted**" in md
    assert "| MTCR partners | partner | 2022-10-01 | partly_verified | 1518 days old" in md
    html = run_cli("batch", MANIFEST, "-f", "html", "--no-log").stdout
    assert "Lists consulted (7 out of date)" in html
