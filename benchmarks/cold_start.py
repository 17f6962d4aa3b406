"""Cold start of a one-item `mtcr-screen screen`, as a ratio to an import floor.

The floor is `python -c "import click, pydantic, yaml, rich"` run by the same interpreter
in the same run; the target (issue "Core") is at most 1.5 times the floor for a one-item
screen. Each command is run N times as a fresh process after one warm-up run (which
fills the Annex cache, as any earlier use of the tool would); the median is reported.

    python benchmarks/cold_start.py [--runs 21]

It uses the `mtcr-screen` script next to the interpreter when installed, else
`python -m mtcr_screen`. Not a timed test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5


def median_ms(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall time of ``cmd`` as a new process, in milliseconds."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    """Print the floor, each variant's time and its ratio to the floor."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    script = Path(sys.executable).parent / "mtcr-screen"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "mtcr_screen"]
    tmp = Path(tempfile.mkdtemp(prefix="mtcr-bench-"))
    env = {**os.environ, "MTCR_SCREEN_CACHE": str(tmp / "cache"),
           "MTCR_SCREEN_LOG": str(tmp / "log.sqlite3")}
    flags = ["screen", "--kind", "rocket_system", "--param", "range=450km",
             "--param", "payload=600kg", "--to", "FR"]
    floor = median_ms([sys.executable, "-c", "import click, pydantic, yaml, rich"], args.runs,
                      env)
    variants = [
        ("screen, flags, --format json, --no-log (target)", [*flags, "--format", "json",
                                                             "--no-log"]),
        ("screen, flags, --format json, logged", [*flags, "--format", "json"]),
        ("screen, flags, text (rich), --no-log", [*flags, "--no-log"]),
        ("screen, YAML spec file, --format json, --no-log",
         ["screen", str(ROOT / "examples" / "rocket-cat1.yaml"), "--format", "json",
          "--no-log"]),
    ]
    print(f"interpreter: {sys.executable}")
    print(f"command: {' '.join(base)}")
    print(f"runs per command: {args.runs} (median)")
    print(f"{'floor: import click, pydantic, yaml, rich':<52} {floor:7.1f} ms  1.00x")
    ok = True
    for i, (label, argv) in enumerate(variants):
        ms = median_ms(base + argv, args.runs, env)
        ratio = ms / floor
        mark = ""
        if i == 0:
            ok = ratio <= TARGET
            mark = "  target <= 1.5x: " + ("met" if ok else "NOT met")
        print(f"{label:<52} {ms:7.1f} ms  {ratio:.2f}x{mark}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
