"""Fuzz the loaders for a bounded time: spec files (YAML and JSON), the YAML reader, the
Annex loader, the batch manifest readers, and (a differential target) CSV manifests read
whole against the same cut into blocks as ``--jobs`` cuts them.

Any exception that is not an ``MtcrScreenError`` (the one-line, exit-2 errors) is a crash:
it is shrunk by hypothesis, printed, and written to ``fuzz/crashes/``. Every crash found
becomes a case in ``tests/bad_inputs/``.

    PYTHONPATH=. python fuzz/fuzz_loaders.py --seconds 180
    PYTHONPATH=. python fuzz/fuzz_loaders.py --seconds 60 --target annex

atheris is not needed (it does not build on every Python); hypothesis drives the inputs:
random bytes, byte-level mutations of the shipped examples and corpus, and structured
YAML/JSON documents built from the spec vocabulary.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcr_screen.errors import MtcrScreenError  # noqa: E402

SEEDS = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("tests/bad_inputs/*/spec.*")])
WORDS = ["kind", "parameters", "facts", "relations", "items", "destination", "range",
         "payload", "rocket_system", "solid_rocket_motor", "total_impulse", "450 km",
         "1.1e6 N*s", "600 kg", "&a", "*a", "<<", "!!str", "!!binary", "- ", ": ", "{", "}",
         "[", "]", "\n", "\t", "'", '"', "#", "---", "...", "%YAML 1.2", "\ufeff", "1A",
         "inseparable", "true", "null", "NaN", ".inf", "1e999", "-0", "\x00", "\udcff"]


def _mutate(data: bytes, rnd: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        op = rnd.randrange(5)
        pos = rnd.randrange(len(b) + 1)
        if op == 0 and b:
            del b[pos:pos + rnd.randrange(1, 8)]
        elif op == 1:
            b[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 4)))
        elif op == 2:
            b[pos:pos] = rnd.choice(WORDS).encode("utf-8", "surrogatepass")
        elif op == 3 and b:
            start = rnd.randrange(len(b))
            b[pos:pos] = b[start:start + rnd.randrange(1, 40)]
        elif b:
            b[min(pos, len(b) - 1)] ^= 1 << rnd.randrange(8)
    return bytes(b)


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                        st.sampled_from(WORDS), st.text(max_size=20))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(WORDS[:14]) | st.text(max_size=8), inner, max_size=5)),
        max_leaves=25)


def documents() -> st.SearchStrategy[bytes]:
    """Bytes to feed a loader: random, mutated seeds, or structured documents."""
    seeds = [p.read_bytes() for p in SEEDS]
    mutated = st.builds(lambda s, r, n: _mutate(s, random.Random(r), n),
                        st.sampled_from(seeds), st.integers(0, 2**32), st.integers(1, 12))
    structured = _json_values().map(lambda v: json.dumps(v, allow_nan=True).encode())
    return st.one_of(st.binary(max_size=300), mutated, structured,
                     st.lists(st.sampled_from(WORDS), max_size=30).map(
                         lambda ws: "".join(ws).encode("utf-8", "surrogatepass")))


def _guard(fn: Callable[[], Any]) -> None:
    """Run a loader; an MtcrScreenError is the expected outcome, anything else propagates
    (and so is a crash, shrunk by hypothesis)."""
    with contextlib.suppress(MtcrScreenError):
        fn()


def target_spec(workdir: Path) -> Callable[[], None]:
    from mtcr_screen.annex.loader import load_annex
    from mtcr_screen.engine import Engine
    from mtcr_screen.spec import read_spec_file

    engine = Engine(load_annex())

    @settings(max_examples=10**9, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(doc=documents(), suffix=st.sampled_from([".yaml", ".json"]))
    def run(doc: bytes, suffix: str) -> None:
        path = workdir / f"spec{suffix}"
        path.write_bytes(doc)

        def go() -> None:
            transfer, _, _, _ = read_spec_file(str(path))
            engine.screen(transfer)  # item_view checks kinds, units, facts
        _guard(go)
    return run


def target_yaml(workdir: Path) -> Callable[[], None]:
    from mtcr_screen import yamlio

    @settings(max_examples=10**9, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(doc=documents())
    def run(doc: bytes) -> None:
        _guard(lambda: yamlio.load(doc, "<fuzz>"))
    return run


def target_annex(workdir: Path) -> Callable[[], None]:
    from mtcr_screen.annex.loader import compile_annex

    base = workdir / "annex-base"
    if not base.exists():
        shutil.copytree(ROOT / "annex", base, ignore=shutil.ignore_patterns("*.py", "__py*"))
    files = sorted(p.relative_to(base) for p in base.rglob("*.yaml"))

    @settings(max_examples=10**9, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(rel=st.sampled_from(files), seed=st.integers(0, 2**32), n=st.integers(1, 6))
    def run(rel: Path, seed: int, n: int) -> None:
        work = workdir / "annex"
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(base, work)
        (work / rel).write_bytes(_mutate((base / rel).read_bytes(), random.Random(seed), n))
        _guard(lambda: compile_annex(work, "fuzz"))
    return run


def target_manifest(workdir: Path) -> Callable[[], None] | None:
    """``mtcr_screen.batch.screen_manifest`` over every row (readers, layout, screener)."""
    try:
        from mtcr_screen.batch import screen_manifest  # type: ignore[import-not-found]
    except ImportError:
        return None
    from mtcr_screen.annex.loader import load_annex

    annex = load_annex()

    @settings(max_examples=10**9, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(doc=documents(), suffix=st.sampled_from([".csv", ".tsv", ".jsonl", ".json", ".yaml",
                                                    ".xlsx"]))
    def run(doc: bytes, suffix: str) -> None:
        path = workdir / f"manifest{suffix}"
        path.write_bytes(doc)
        _guard(lambda: list(screen_manifest(str(path), annex)))
    return run


CSV_PIECES = [b"a", b",", b";", b"\t", b'"', b'""', b"\n", b"\r\n", b"\r", b" ", b"\xc3\xa9",
              b"\xe9", b"\xff", b"\xef\xbb\xbf", b"\x00", b"rocket_system", b"450 km"]


def target_blocks(workdir: Path) -> Callable[[], None]:
    """A CSV read whole, and cut into blocks as ``--jobs`` cuts it (as bytes, read back by
    the workers): the same rows, and the same one-line error after them if there is one.
    The text is decoded in pieces of 1-64 bytes, to cut lines and characters apart."""
    from mtcr_screen.batch import readers
    from mtcr_screen.batch.readers import csv_block_rows, open_manifest

    seeds = [p.read_bytes() for p in sorted(ROOT.glob("examples/*.csv"))]

    def outcome(path: Path, size: int | None) -> object:
        got: list[object] = []
        try:
            with open_manifest(str(path)) as man:
                if size is None:
                    rows = man.rows
                elif man.blocks is None:
                    return None  # not cut (UTF-16, say): --jobs reads it whole in each worker
                else:
                    rows = (row for b in man.blocks(size) for row in csv_block_rows(b))
                got.extend((r, ln, list(c)) for r, ln, c in rows)
        except MtcrScreenError as exc:
            return got, exc.one_line()
        return got

    @settings(max_examples=10**9, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(doc=st.one_of(
        st.builds(lambda s, r, n: _mutate(s, random.Random(r), n), st.sampled_from(seeds),
                  st.integers(0, 2**32), st.integers(1, 12)),
        st.lists(st.sampled_from(CSV_PIECES), max_size=60).map(lambda ps: b"id,kind\n"
                                                                 + b"".join(ps))),
        size=st.integers(1, 300), piece=st.integers(1, 64))
    def run(doc: bytes, size: int, piece: int) -> None:
        path = workdir / "blocks.csv"
        path.write_bytes(doc)
        readers._PIECE = piece
        whole = outcome(path, None)
        cut = outcome(path, size)
        if cut is not None and cut != whole:
            raise AssertionError(f"cut in blocks of {size}: {cut!r:.300} != {whole!r:.300}")
    return run


TARGETS = {"spec": target_spec, "yaml": target_yaml, "annex": target_annex,
           "manifest": target_manifest, "blocks": target_blocks}


EXAMPLES: dict[str, int] = {}
LAST: dict[str, Any] = {}  # the last input run: after shrinking, the minimal failing one


def _run_for(fn: Callable[[], None], seconds: float, name: str = "") -> None:
    """Run a hypothesis test until the time is up (hypothesis has no time budget)."""
    import threading

    stop = threading.Event()
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    original = fn.hypothesis.inner_test  # type: ignore[attr-defined]

    def inner(*args: Any, **kwargs: Any) -> None:
        if stop.is_set():
            raise _TimeUp
        EXAMPLES[name] = EXAMPLES.get(name, 0) + 1
        LAST[name] = kwargs
        original(*args, **kwargs)
    fn.hypothesis.inner_test = inner  # type: ignore[attr-defined]
    from hypothesis.reporting import with_reporter

    # hypothesis reports a seed to reproduce any failure, the time-up included: keep its
    # report for real crashes only
    report: list[str] = []
    try:
        with with_reporter(lambda value: report.append(str(value))):
            fn()
    except _TimeUp:
        raise
    except BaseException:
        print("\n".join(report), flush=True)
        raise
    finally:
        timer.cancel()


class _TimeUp(BaseException):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="total time budget")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    args = parser.parse_args()
    os.environ.setdefault("MTCR_SCREEN_NO_CACHE", "1")
    names = list(TARGETS) if args.target == "all" else [args.target]
    crashes_dir = ROOT / "fuzz" / "crashes"
    crashes = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        built = {n: TARGETS[n](work) for n in names}
        active = {n: fn for n, fn in built.items() if fn is not None}
        for n in names:
            if built[n] is None:
                print(f"{n}: skipped (no batch manifest reader in this tree)")
        share = args.seconds / max(len(active), 1)
        for name, fn in active.items():
            start = time.monotonic()
            runs = 0
            while time.monotonic() - start < share:
                try:
                    _run_for(fn, share - (time.monotonic() - start), name)
                except _TimeUp:
                    break
                except BaseException as exc:  # a crash, already shrunk by hypothesis
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    crashes += 1
                    crashes_dir.mkdir(parents=True, exist_ok=True)
                    text = (f"input: {LAST.get(name)!r}\n\n"
                            + "".join(traceback.format_exception(exc)))
                    (crashes_dir / f"{name}-{crashes}.txt").write_text(text, encoding="utf-8")
                    print(f"{name}: CRASH {type(exc).__name__}: {exc} on {LAST.get(name)!r:.300}",
                          flush=True)
                    break  # one crash per target and run: fix it, then fuzz again
                runs += 1
            print(f"{name}: {EXAMPLES.get(name, 0):,} inputs in {time.monotonic() - start:.0f} s",
                  flush=True)
    print(f"crashes: {crashes}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
