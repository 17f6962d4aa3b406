"""Streaming and processes: JSON Lines appear before the input ends; --jobs 2 = one process."""

from __future__ import annotations

import csv
import os
import random
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, run_cli


def test_jsonl_streams_from_a_pipe(tmp_path: Path) -> None:
    """The first result line is out while the manifest is still being written."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MTCR_SCREEN_CACHE": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "mtcr_screen", "batch", "-", "--format",
                             "jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        proc.stdin.write(b"id,kind,range,payload\nA-1,rocket_system,450 km,600 kg\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "no output while the input is still open"
        first = proc.stdout.readline()
        assert b'"id": "A-1"' in first
        assert proc.poll() is None  # still running: the input is not finished
        proc.stdin.write(b"A-2,rocket_system,80 km,5 kg\n")
        proc.stdin.close()
        rest = proc.stdout.read()
        assert proc.wait(60) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()
    assert rest.count(b"\n") == 1
    assert b'"id": "A-2"' in rest


def _manifest(path: Path, n: int) -> None:
    """n rows mixing the example's rows (good and bad) with varied values and ids."""
    with open(EXAMPLES / "manifest.csv", encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(n):
            row = list(rng.choice(rows))
            row[0] = f"R-{i}"
            if row[1] == "rocket_system" and rng.random() < 0.5:
                row[8] = f"{rng.randint(50, 900)} km"
            w.writerow(row)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "html", "json"])
def test_jobs_2_output_is_byte_identical(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "m.csv"
    _manifest(path, 5_000)  # three chunks: the workers take turns
    one = run_cli("batch", str(path), "--format", fmt, "--jobs", "1", expect=1)
    two = run_cli("batch", str(path), "--format", fmt, "--jobs", "2", expect=1)
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    assert one.stdout.count("R-4999") == 1


@pytest.mark.slow
def test_jobs_2_from_stdin(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    _manifest(path, 300)
    text = path.read_text(encoding="utf-8")
    one = run_cli("batch", "-", "--format", "jsonl", input=text, expect=1)
    two = run_cli("batch", "-", "--format", "jsonl", "--jobs", "2", input=text, expect=1)
    assert one.stdout == two.stdout
    assert one.stdout.count("\n") == 300


@pytest.mark.slow
@pytest.mark.parametrize(("bad", "message"), [
    (b"X-1,rocket_system,\xff,1,FR,,,,80 km,5 kg,,,,,,,,\n",
     "4502: not UTF-8 text: cannot decode byte 0xff"),
    (b'X-1,"rocket_system,1,FR,,,,80 km,5 kg,,,,,,,,\n',
     "4502: malformed CSV: a quoted field that starts in this record is never closed"),
])
@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_file_error_part_way_writes_every_row_before_it(tmp_path: Path, bad: bytes,
                                                          message: str, source: str) -> None:
    """A file error part-way (exit 2, one line at the line it is on): one process and
    --jobs N write the same, every row before the error and none after, whether the
    parent cuts the file into blocks or hands out chunks of a pipe."""
    path = tmp_path / "m.csv"
    _manifest(path, 4_500)
    data = path.read_bytes()
    data += bad + data.split(b"\n", 1)[1][:50_000].rsplit(b"\n", 1)[0] + b"\n"
    path.write_bytes(data)
    args = ("batch", "-" if source == "stdin" else str(path), "--format", "jsonl",
            "--encoding", "utf-8", "--no-log")
    feed = data if source == "stdin" else None
    where = "<stdin>" if source == "stdin" else str(path)
    runs = [run_cli(*args, "--jobs", jobs, input=feed, expect=2) for jobs in ("1", "2", "3")]
    for res in runs:
        assert res.stderr.startswith(f"Error: {where}:{message}"), res.stderr
        assert res.stderr.count("\n") == 1
        assert res.stdout == runs[0].stdout
    lines = runs[0].stdout.splitlines()
    assert len(lines) == 4_500
    assert '"row": 4500,' in lines[-1]
