"""Several processes appending to one log at the same moment lose nothing and keep the chain.

Each writer is a real ``python -c`` subprocess. All of them open the (not yet existing) log
only when the test writes "go" to their stdin, so they also race to create the schema.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from mtcr_screen.records import DecisionLog

WORKTREE = Path(__file__).resolve().parent.parent

WRITER = """
import sys
import time
from pathlib import Path
from mtcr_screen.records import DecisionLog, NewRecord

path, name, count, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def entry(n):
    return NewRecord(
        kind="batch" if batch else "screen", input_text=f"{name} item {n}\\n",
        input_format="yaml", tool_version="0.1.0", annex_edition="2023",
        annex_sha256="ef" * 32, lists=[], decision={"writer": name, "n": n},
        recommendation="approve", category="none", operator=name, ref=f"{name}-{n}",
    )

sys.stdin.readline()  # wait for "go"
with DecisionLog(Path(path), busy_timeout=60) as log:
    if batch:
        for start in range(0, count, batch):
            log.append_many(entry(n) for n in range(start, min(start + batch, count)))
            time.sleep(0.01)  # screening the next batch
    else:
        for n in range(count):
            log.append(entry(n))
            time.sleep(0.001)  # screening the next item
print("done")
"""


def run_writers(path: Path, writers: int, count: int, batch: int) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(WORKTREE), os.environ.get("PYTHONPATH", "")) if p
    )}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), f"w{i}", str(count), str(batch)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env,
        )
        for i in range(writers)
    ]
    try:
        for proc in procs:  # they are all started (and importing) before any of them goes
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = [proc.communicate(timeout=300) for proc in procs]
    finally:
        for proc in procs:  # on a failure above, stop the writers this test started
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out == "done\n"
        assert err == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("writers", "count", "batch"),
    [
        pytest.param(2, 300, 0, id="2x300-single-appends"),
        pytest.param(2, 300, 50, id="2x300-append-many-batches-of-50"),
        pytest.param(4, 150, 0, id="4x150-single-appends"),
    ],
)
def test_concurrent_writers_lose_nothing(
    tmp_path: Path, writers: int, count: int, batch: int
) -> None:
    path = tmp_path / "shared" / "decisions.sqlite3"

    run_writers(path, writers, count, batch)

    with DecisionLog(path) as log:
        result = log.verify()
        records = list(log.query())
        head = log.head()
    assert result.ok, result.problem
    assert result.checked == writers * count
    assert [r.id for r in records] == list(range(1, writers * count + 1))
    assert head.id == writers * count
    per_writer = Counter(r.operator for r in records)
    assert per_writer == {f"w{i}": count for i in range(writers)}
    for i in range(writers):  # each writer's own records keep its order
        mine = [r.decision["n"] for r in records if r.operator == f"w{i}"]
        assert mine == list(range(count))
    operators = [r.operator for r in records]
    switches = sum(a != b for a, b in pairwise(operators))
    assert switches >= writers, "the writers did not overlap, so the test proved nothing"
    if batch:  # a batch is never interleaved with another writer's records
        for start in range(0, len(records), batch):
            assert len({r.operator for r in records[start:start + batch]}) == 1
