"""Benchmark ``mtcr-screen batch`` against the floor of reading the same CSV.

    python benchmarks/batch_bench.py                 # 100,000 and 1,000,000 rows
    python benchmarks/batch_bench.py --rows 100000 --unique

For each size it generates the manifest (benchmarks/out/, reused when present), then in
the same run measures:

* the floor: reading every row of the CSV with ``csv.DictReader`` (in this process);
* ``mtcr-screen batch FILE --format jsonl --output OUT`` in a subprocess, one process and
  ``--jobs 2``: wall time (start-up and Annex loading included), items per second, and
  the peak resident memory of the largest process (``ru_maxrss`` of the children);
* the CPU seconds of the batch process tree (user + system), which a busy machine
  disturbs less than wall time;
* the ratio of the batch time to the floor, and the ``--jobs 2`` speed-up (from the best
  of each; after the table, also within each rotation, whose two runs are close in time);
* start-up: the same batch command on a one-row manifest (Python, imports, the Annex and
  the lists, the decision log), the part of every run that ``--jobs`` cannot share out,
  and from it the speed-up ``--jobs 2`` could reach if the rest split perfectly in two
  (Amdahl's law).

The package's bytecode is compiled first (``compileall``), as ``pip install`` does: the
benchmark runs the source tree, where ``PYTHONDONTWRITEBYTECODE`` (set on some machines)
would otherwise make every run compile some 60 modules again (about 40 ms).

With ``--repeat N`` the four are run in turn N times and the best of each is kept.

This is not a timed test: figures depend on the machine (record them in
benchmarks/README.md with the machine's description).
"""

from __future__ import annotations

import argparse
import compileall
import csv
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:]).returncode\n"
    "t = time.perf_counter() - t\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(t, u.ru_maxrss, rc, u.ru_utime + u.ru_stime)\n"
)


def floor(path: Path) -> tuple[float, int]:
    """Seconds to read every row with csv.DictReader, and the row count."""
    t = time.perf_counter()
    n = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for _ in csv.DictReader(fh):
            n += 1
    return time.perf_counter() - t, n


def run_batch(path: Path, jobs: int) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds of the process tree) of one batch run."""
    out = OUT / f"{path.stem}.jobs{jobs}.jsonl"
    # a new file each run: truncating the last run's output (hundreds of MB) is the file
    # system's work, and on ext4 it costs each run a varying few tenths of a second
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "mtcr_screen", "batch",
           str(path), "--format", "jsonl", "--output", str(out), "--jobs", str(jobs),
           "--no-progress", "--no-summary"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    secs, rss, rc, cpu = res.stdout.split()
    if int(rc) not in (0, 1):
        sys.exit(f"batch failed ({rc}): {res.stderr}")
    return float(secs), int(rss) / 1024, float(cpu)


def main() -> None:
    """Generate, measure, print a Markdown table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, action="append",
                    help="manifest sizes (default: 100000 and 1000000)")
    ap.add_argument("--unique", action="store_true", help="no two rows alike (worst case)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per figure (best is kept)")
    args = ap.parse_args()
    sizes = args.rows or [100_000, 1_000_000]
    compileall.compile_dir(ROOT / "mtcr_screen", quiet=1)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print("| rows | rows alike | floor DictReader s | batch s | items/s | ratio | CPU s "
          "| peak MB | jobs 2 s | jobs 2 items/s | speed-up | jobs 2 CPU s | jobs 2 peak MB "
          "| start-up s | speed-up ceiling |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    paired: list[str] = []
    for n in sizes:
        path = OUT / f"{'u' if args.unique else 'm'}{n}.csv"
        if not path.exists():
            subprocess.run([sys.executable, str(HERE / "make_manifest.py"), str(n), str(path),
                            *(["--unique"] if args.unique else [])], check=True)
        head = OUT / f"{path.stem}.head.csv"
        with open(path, encoding="utf-8", newline="") as src:
            head.write_text(src.readline() + src.readline(), encoding="utf-8", newline="")
        # interleaved (floor, one process, two, start-up), so that a slow spell of a shared
        # machine weighs on all alike; the best of each is kept
        runs = [(floor(path), run_batch(path, 1), run_batch(path, 2), run_batch(head, 1))
                for _ in range(args.repeat)]
        fl, rows = min(r[0] for r in runs)
        one, mem1, cpu1 = min(r[1] for r in runs)
        two, mem2, cpu2 = min(r[2] for r in runs)
        start = min(r[3][0] for r in runs)
        # Amdahl: the start-up stays serial; the rest split perfectly between two workers
        ceiling = one / (start + (one - start) / 2)
        a = (OUT / f"{path.stem}.jobs1.jsonl").read_bytes()
        b = (OUT / f"{path.stem}.jobs2.jsonl").read_bytes()
        same = "" if a == b else " (OUTPUT DIFFERS!)"
        lines = a.count(b"\n")
        assert lines == rows, f"{lines} result lines for {rows} rows"
        print(f"| {rows:,} | {'none (unique)' if args.unique else 'catalogue'} | {fl:.2f} "
              f"| {one:.2f} | {rows / one:,.0f} | {one / fl:.1f} | {cpu1:.2f} | {mem1:.0f} "
              f"| {two:.2f} | {rows / two:,.0f} | {one / two:.2f}{same} | {cpu2:.2f} "
              f"| {mem2:.0f} | {start:.2f} | {ceiling:.2f} |", flush=True)
        # each rotation's two runs are minutes apart at most: their ratio is less exposed to
        # a spell of the machine than the ratio of two bests taken from different rotations
        ratios = [r[1][0] / r[2][0] for r in runs]
        paired.append(f"{rows:,} rows: " + ", ".join(f"{x:.2f}" for x in ratios)
                      + f" (median {statistics.median(ratios):.2f})")
    print("\n`--jobs 2` speed-up within each rotation (one process / --jobs 2):")
    for line in paired:
        print(f"- {line}")


if __name__ == "__main__":
    main()
