"""--jobs N writing to a file or a pipe, with a CSV manifest.

Into a regular file, each worker writes its rendered blocks at their places (``pwrite``);
into anything else (a pipe), workers spool their output and the parent copies it. Both
must give the same bytes as one process, and the spool must be deleted and copied
correctly whether or not the kernel copy (``sendfile``) is available.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from mtcr_screen.batch import runner
from tests.conftest import ROOT, run_cli
from tests.test_batch_scale import _manifest


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Many blocks and many spool files from a small manifest; spool under tmp_path."""
    monkeypatch.setattr(runner, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(runner, "SPOOL_ROTATE", 20_000)
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    return spool


@pytest.fixture(params=["placed", "spooled"])
def output_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Workers writing into the output file at their places, or spooling (as they do
    for a pipe)."""
    if request.param == "spooled":
        monkeypatch.setattr(runner, "_placement", lambda *args: None)
    return str(request.param)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "html"])
def test_output_file_is_byte_identical(tmp_path: Path, small_blocks: Path, output_mode: str,
                                       fmt: str) -> None:
    path = tmp_path / "m.csv"
    _manifest(path, 1_500)
    one, two = tmp_path / "one.out", tmp_path / "two.out"
    a = run_cli("batch", str(path), "--format", fmt, "--jobs", "1", "--output", str(one),
                "--no-log", expect=1)
    b = run_cli("batch", str(path), "--format", fmt, "--jobs", "2", "--output", str(two),
                "--no-log", expect=1)
    assert one.read_bytes() == two.read_bytes()
    assert a.stderr == b.stderr
    assert one.read_text(encoding="utf-8").count("R-1499") == 1
    assert list(small_blocks.iterdir()) == []  # the spool directory is gone


@pytest.mark.slow
def test_spooled_output_through_a_pipe(tmp_path: Path) -> None:
    """stdout a pipe: the kernel copy into a pipe gives the same bytes."""
    path = tmp_path / "m.csv"
    _manifest(path, 3_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MTCR_SCREEN_CACHE": str(tmp_path),
           "TMPDIR": str(tmp_path)}
    outs = []
    for jobs in ("1", "3"):
        res = subprocess.run([sys.executable, "-m", "mtcr_screen", "batch", str(path),
                              "--format", "jsonl", "--jobs", jobs, "--no-log"],
                             capture_output=True, env=env, check=False, timeout=300)
        assert res.returncode == 1, res.stderr
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    assert outs[0].count(b"\n") == 3_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("mtcr-screen-spool")]


@pytest.mark.parametrize("sendfile", ["kernel", "unsupported", "absent"])
def test_copy_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sendfile: str) -> None:
    data = bytes(range(256)) * 5000
    src = tmp_path / "src"
    src.write_bytes(data)
    if sendfile == "unsupported":
        def refuse(*args: object) -> int:
            raise OSError(errno.EINVAL, "not here")
        monkeypatch.setattr(os, "sendfile", refuse)
    elif sendfile == "absent":
        monkeypatch.delattr(os, "sendfile")
    dst = tmp_path / "dst"
    with open(src, "rb") as s, open(dst, "wb") as d:
        d.write(b"head")
        d.flush()
        runner.copy_range(s.fileno(), d.fileno(), 1000, 700_000)
        runner.copy_range(s.fileno(), d.fileno(), 0, 10)
    assert dst.read_bytes() == b"head" + data[1000:701_000] + data[:10]


def test_copy_range_short_file(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.write_bytes(b"abc")
    with open(src, "rb") as s, open(tmp_path / "dst", "wb") as d, \
            pytest.raises(OSError, match="ended"):
        runner.copy_range(s.fileno(), d.fileno(), 0, 10)


def test_unspool_deletes_a_worker_file_once_it_moves_on(tmp_path: Path) -> None:
    out = tmp_path / "out"

    files = {}
    for name, text in (("11-1", b"aaBB"), ("11-2", b"cc"), ("12-1", b"dd")):
        files[name] = tmp_path / f"{name}.part"
        files[name].write_bytes(text)
    fh = open(out, "wb")  # noqa: SIM115
    unspool = runner._Unspool(fh)
    unspool(runner.Spooled(str(files["11-1"]), 0, 2))
    unspool(runner.Spooled(str(files["12-1"]), 0, 2))
    unspool(runner.Spooled(str(files["11-1"]), 2, 2))
    assert files["11-1"].exists()
    unspool(runner.Spooled(str(files["11-2"]), 0, 2))
    assert not files["11-1"].exists()  # worker 11 moved on to its second file
    assert files["12-1"].exists()
    unspool.close()
    fh.close()
    assert out.read_bytes() == b"aaddBBcc"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_output_is_a_one_line_error(tmp_path: Path, jobs: str) -> None:
    """Writing the results fails (a full disk): exit 2 with one line, promptly, no
    workers or spool files left behind."""
    path = tmp_path / "m.csv"
    _manifest(path, 3_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MTCR_SCREEN_CACHE": str(tmp_path),
           "TMPDIR": str(tmp_path)}
    res = subprocess.run([sys.executable, "-m", "mtcr_screen", "batch", str(path), "--format",
                          "jsonl", "--output", "/dev/full", "--jobs", jobs, "--no-log"],
                         capture_output=True, text=True, env=env, check=False, timeout=120)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip() == "Error: /dev/full: cannot write: No space left on device"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("mtcr-screen-spool")]


@pytest.mark.slow
def test_a_spool_that_cannot_be_written_is_a_one_line_error(
        tmp_path: Path, small_blocks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: object, data: bytes) -> runner.Spooled:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runner._Spool, "_put", full)  # the forked workers inherit it
    monkeypatch.setattr(runner, "_placement", lambda *args: None)  # spool, do not place
    path = tmp_path / "m.csv"
    _manifest(path, 1_500)
    res = run_cli("batch", str(path), "--format", "jsonl", "--jobs", "2", "--output",
                  str(tmp_path / "out.jsonl"), "--no-log", expect=2)
    assert "cannot write a spool file: No space left on device" in res.stderr
    assert "set TMPDIR" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert list(small_blocks.iterdir()) == []


def test_placement_is_for_a_regular_file_not_appended_to(tmp_path: Path) -> None:
    ctx = runner._context()
    with open(tmp_path / "out", "wb") as fh:
        fh.write(b"abc")
        place = runner._placement(ctx, fh, 5)
        assert place is not None
        assert place.base == 3 + 5  # after what is there, and the head
    with open(tmp_path / "out", "ab") as fh:  # appending: pwrite would append too
        assert runner._placement(ctx, fh, 5) is None
    read, write = os.pipe()
    with os.fdopen(read, "rb") as r, os.fdopen(write, "wb") as w:
        assert runner._placement(ctx, w, 5) is None
        assert r.readable()


@pytest.mark.slow
def test_placed_output_after_what_the_file_holds(tmp_path: Path) -> None:
    """stdout a file already written to (a shell's ``{ ...; } > file``): the results go
    after it, as one process writes them."""
    path = tmp_path / "m.csv"
    _manifest(path, 2_500)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MTCR_SCREEN_CACHE": str(tmp_path)}
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        with open(out, "wb") as fh:
            fh.write(b"before\n")
            fh.flush()
            res = subprocess.run([sys.executable, "-m", "mtcr_screen", "batch", str(path),
                                  "--format", "json", "--jobs", jobs, "--no-log"],
                                 stdout=fh, stderr=subprocess.PIPE, env=env, check=False,
                                 timeout=300)
            assert res.returncode == 1, res.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0].startswith(b"before\n{")
    assert outs[0].count(b'"R-2499"') == 1


@pytest.mark.slow
def test_placed_output_stops_at_a_block_that_fails(tmp_path: Path, small_blocks: Path,
                                                   output_mode: str) -> None:
    """A byte that does not decode, late in the file: exit 2 with one line naming its line,
    and the file holds every row before that line and none after, as one process writes."""
    path = tmp_path / "m.csv"
    _manifest(path, 1_500)
    full = tmp_path / "full.jsonl"
    run_cli("batch", str(path), "--format", "jsonl", "--output", str(full), "--no-log",
            expect=1)
    with open(path, "ab") as fh:
        fh.write(b"X-1,rocket_system,\xff,1,FR,,,,80 km,5 kg,,,,,,,,\n")
        fh.write(path.read_bytes().split(b"\n", 1)[1][:20_000].rsplit(b"\n", 1)[0] + b"\n")
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        res = run_cli("batch", str(path), "--format", "jsonl", "--jobs", jobs, "--output",
                      str(out), "--encoding", "utf-8", "--no-log", expect=2)
        assert res.stderr.startswith(
            f"Error: {path}:1502: not UTF-8 text: cannot decode byte 0xff"), res.stderr
        assert res.stderr.count("\n") == 1
        assert out.read_bytes() == full.read_bytes()  # the 1,500 rows before, and no other


@pytest.mark.slow
def test_a_placed_block_that_cannot_be_written_is_a_one_line_error(
        tmp_path: Path, small_blocks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: bytes, at: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runner, "pwrite_all", full)  # the forked workers inherit it
    path = tmp_path / "m.csv"
    _manifest(path, 1_500)
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", str(path), "--format", "jsonl", "--jobs", "2", "--output",
                  str(out), "--no-log", expect=2)
    assert res.stderr == f"Error: {out}: cannot write: No space left on device\n"
    assert out.read_bytes() == b""


@pytest.mark.slow
def test_a_utf16_csv_is_read_by_each_worker(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A CSV that cannot be cut as bytes (UTF-16, Excel's "Unicode Text"): each worker
    reads the file itself; the same bytes as one process."""
    used = []
    each_reads = runner._parallel_files

    def spy(*args: Any) -> Any:
        used.append(True)
        return each_reads(*args)

    monkeypatch.setattr(runner, "_parallel_files", spy)
    path = tmp_path / "m.csv"
    _manifest(path, 4_500)
    utf16 = tmp_path / "m16.csv"
    utf16.write_text(path.read_text(encoding="utf-8").replace(",", "\t"), encoding="utf-16")
    outs = [run_cli("batch", str(utf16), "--format", "jsonl", "--jobs", jobs, "--output",
                    str(tmp_path / f"out{jobs}"), "--no-log", expect=1)
            for jobs in ("1", "2")]
    assert outs[0].stderr == outs[1].stderr
    one, two = ((tmp_path / f"out{jobs}").read_bytes() for jobs in ("1", "2"))
    assert one == two
    assert one.count(b"\n") == 4_500
    assert used == [True]


@pytest.mark.slow
def test_placed_output_from_spawned_workers(tmp_path: Path, small_blocks: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers started with ``spawn`` (another thread is running, a progress bar say) do
    not inherit the output's descriptor: they open the same file through ``/proc``."""
    import multiprocessing

    if not Path(f"/proc/{os.getpid()}/fd").is_dir():
        pytest.skip("needs /proc")
    monkeypatch.setattr(runner, "_context", lambda: multiprocessing.get_context("spawn"))
    placed = []
    place = runner._placement

    def spy(*args: Any) -> Any:
        placed.append(found := place(*args))
        return found

    monkeypatch.setattr(runner, "_placement", spy)
    path = tmp_path / "m.csv"
    _manifest(path, 3_000)
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        run_cli("batch", str(path), "--format", "json", "--jobs", jobs, "--output", str(out),
                "--no-log", expect=1)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert len(placed) == 1
    assert placed[0] is not None
    assert placed[0].opener is not None


@pytest.mark.slow
def test_progress_counts_the_bytes_done_not_read(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """With --jobs the parent reads ahead of its workers: the progress bar is given where
    the blocks done end, so it reaches the file's size with the last rows, not before."""
    from mtcr_screen.app import load_context
    from mtcr_screen.batch.readers import open_manifest
    from mtcr_screen.policy.base import CURRENT
    from mtcr_screen.render.batch import BatchMeta

    monkeypatch.setattr(runner, "BLOCK_BYTES", 4096)
    csv_path = tmp_path / "m.csv"
    _manifest(csv_path, 1_500)
    jsonl = tmp_path / "m.jsonl"  # each worker reads it all, and says where its chunk ends
    with open(csv_path, encoding="utf-8", newline="") as fh:
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in csv.DictReader(fh)),
                         encoding="utf-8")
    annex, lists = load_context(None, (), (), None)
    seen: list[tuple[int, int | None]] = []
    for path, jobs, chunk in ((csv_path, 1, runner.CHUNK), (csv_path, 2, runner.CHUNK),
                              (jsonl, 1, 100), (jsonl, 2, 100)):
        seen.clear()
        with open_manifest(str(path)) as man:
            meta = BatchMeta(man.source, man.columns, annex.edition, annex.sha256,
                             CURRENT.name, lists.consulted(), False, {})
            spec = runner.RunSpec(annex, lists, CURRENT, "jsonl", meta, False)
            reopen = runner.Reopen(str(path), None, man.encoding, None)
            runner.run(man, spec, lambda data: None, jobs=jobs, reopen=reopen,
                       chunk_size=chunk, progress=lambda rows, done: seen.append((rows, done)))
        rows = [r for r, _ in seen]
        assert rows == sorted(rows)
        assert rows[-1] == 1_500
        done = [d for _, d in seen]
        if jobs == 1:
            assert set(done) == {None}  # the bytes read are the bytes done
        else:
            assert None not in done
            assert done == sorted(done)
            assert len(done) > 10
            assert done[-1] == path.stat().st_size
            assert done[0] < path.stat().st_size // 5


def test_freed_memory_is_kept_where_glibc_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The block parent and workers ask glibc to keep freed memory (mmap threshold 64 MB,
    trim threshold 256 MB); where there is no mallopt (macOS, Windows) nothing happens."""
    import ctypes

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    runner._keep_freed_memory()
    assert calls == [(-3, 64 << 20), (-1, 256 << 20)]

    def missing(name: object) -> object:
        raise OSError("no libc")

    monkeypatch.setattr(ctypes, "CDLL", missing)
    runner._keep_freed_memory()  # no error
    monkeypatch.setattr(ctypes, "CDLL", lambda name: object())  # no mallopt
    runner._keep_freed_memory()
    assert len(calls) == 2


def test_a_pool_left_early_waits_for_its_tasks_in_flight() -> None:
    """An error (or the output closed) leaves the pool with tasks in flight: they are
    waited for before the pool kills its workers, so that none is killed while it sends a
    result (CPython's Pool.terminate then hangs on the result queue's lock)."""
    from collections import deque

    waited: list[float | None] = []

    class Result:
        def wait(self, timeout: float | None = None) -> None:
            waited.append(timeout)

    pending: deque[Any] = deque([Result(), Result()])
    with pytest.raises(OSError, match="full"), runner._settled(pending):
        raise OSError("the output is full")
    assert waited == [60, 60]
