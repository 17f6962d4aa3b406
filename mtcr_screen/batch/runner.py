"""Run a batch: raw rows -> chunks -> (screen, render) -> ordered text, and a summary.

One chunk function, :func:`_screen_chunk`, serves both modes, so ``--jobs N`` gives the
same bytes as one process:

* one process: chunks are screened and rendered in turn;
* ``--jobs N`` on a CSV/TSV file: the parent reads and decodes the text and cuts it into
  record-aligned blocks with their row and line offsets
  (:func:`~mtcr_screen.batch.readers.csv_blocks`); a pool of N workers (``fork`` where
  available, else ``spawn``) each parse, screen and render the blocks they are given;
  the parent writes the results in input order, at most ``2 × N`` blocks in flight.
* ``--jobs N`` on another file (XLSX, JSON, JSON Lines, YAML): N worker processes
  (``spawn``) each read the file themselves and screen and render every N-th chunk; the
  parent writes the rendered chunks in input order. Each worker's queue holds at most a
  few chunks, so memory stays flat.
* ``--jobs N`` on a pipe (stdin): the parent reads and hands chunks of raw cells to a
  pool of N workers, at most ``4 × N`` chunks in flight.

Nothing here prints: the output goes, as UTF-8 bytes, to a ``write`` callable (chunks are
encoded where they are rendered, so a worker's chunk crosses to the parent as bytes),
progress to a callback.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.batch.layout import Layout
from mtcr_screen.batch.readers import Manifest, TextBlock, csv_block_rows
from mtcr_screen.batch.results import Summary
from mtcr_screen.batch.screener import RawRow, RowScreener
from mtcr_screen.destinations import DestinationLists
from mtcr_screen.errors import MtcrScreenError
from mtcr_screen.partyscreen import PartyScreening
from mtcr_screen.policy.base import Profile
from mtcr_screen.render.batch import BatchMeta, BatchRenderer, get_batch_renderer

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class RunSpec:
    """Everything a worker needs to screen and render chunks of one manifest."""

    annex: CompiledAnnex
    lists: DestinationLists
    profile: Profile
    fmt: str
    meta: BatchMeta
    detail: bool
    parties: PartyScreening | None = None


def _chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


@contextmanager
def gc_tuned() -> Iterator[None]:
    """Fewer garbage-collector passes while screening.

    A run allocates a few objects per row, and the default thresholds make the collector
    walk every long-lived object (Annex, memo) over and over: about a third of the run
    time. Objects alive at the start are frozen out of collection; collections are rarer
    but still happen, so memory stays flat. Restored afterwards.
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _make(spec: RunSpec) -> tuple[RowScreener, BatchRenderer]:
    layout = Layout(spec.meta.columns, spec.annex, spec.meta.source)
    screener = RowScreener(spec.annex, spec.lists, layout, detail=spec.detail,
                           profile=spec.profile, parties=spec.parties)
    return screener, get_batch_renderer(spec.fmt, spec.meta)


def _screen_chunk(screener: RowScreener, renderer: BatchRenderer,
                  rows: Sequence[RawRow]) -> tuple[bytes, Summary]:
    results = list(screener.screen_rows(rows))
    return renderer.rows(results).encode("utf-8"), Summary.of(results)


# worker-process state, set once by _init
_WORKER: tuple[RowScreener, BatchRenderer] | None = None


def _init(spec: RunSpec) -> None:
    global _WORKER
    _WORKER = _make(spec)
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


def _work(rows: Sequence[RawRow]) -> tuple[bytes, Summary]:
    assert _WORKER is not None
    return _screen_chunk(_WORKER[0], _WORKER[1], rows)


@dataclass(frozen=True, slots=True)
class Reopen:
    """How a worker opens the same manifest again: open_manifest's arguments."""

    path: str
    fmt: str | None
    encoding: str | None
    sheet: str | None


def _reader_worker(spec: RunSpec, reopen: Reopen, index: int, jobs: int, chunk_size: int,
                   queue: Any) -> None:
    """Read the whole manifest; screen and render chunks index, index + jobs, ..."""
    from mtcr_screen.batch.readers import open_manifest
    from mtcr_screen.errors import MtcrScreenError

    try:
        screener, renderer = _make(spec)
        gc.freeze()
        gc.set_threshold(50_000, 50, 50)
        with open_manifest(reopen.path, fmt=reopen.fmt, encoding=reopen.encoding,
                           sheet=reopen.sheet) as man:
            it = iter(man.rows)
            n = 0
            while True:
                if n % jobs == index:
                    chunk = list(islice(it, chunk_size))
                    if not chunk:
                        break
                    queue.put(("ok", _screen_chunk(screener, renderer, chunk)))
                else:
                    skipped = sum(1 for _ in islice(it, chunk_size))
                    if not skipped:
                        break
                n += 1
        queue.put(("end", None))
    except MtcrScreenError as exc:
        queue.put(("error", exc))
    except BaseException as exc:  # report, never hang the parent
        queue.put(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _parallel_files(spec: RunSpec, reopen: Reopen, jobs: int,
                    chunk_size: int) -> Iterator[tuple[bytes, Summary]]:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    queues = [ctx.Queue(maxsize=4) for _ in range(jobs)]
    procs = [ctx.Process(target=_reader_worker, daemon=True,
                         args=(spec, reopen, i, jobs, chunk_size, queues[i]))
             for i in range(jobs)]
    for p in procs:
        p.start()
    try:
        n = 0
        while True:
            kind, value = queues[n % jobs].get()
            if kind == "end":
                break
            if kind == "error":
                raise value
            yield value
            n += 1
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()
        for q in queues:
            q.close()


def run(manifest: Manifest, spec: RunSpec, write: Callable[[bytes], None], *, jobs: int = 1,
        chunk_size: int = CHUNK, progress: Callable[[int], None] | None = None,
        reopen: Reopen | None = None) -> Summary:
    """Screen every row of an open manifest; write the rendered output; return the summary.

    ``progress`` is called after each chunk with the number of rows done. With
    ``jobs > 1`` and ``reopen`` (a regular file), each worker reads the file itself.
    """
    with gc_tuned():
        return _run(manifest, spec, write, jobs, chunk_size, progress, reopen)


#: characters of CSV text per block handed to a worker (about 8,000 rows of 120 characters)
BLOCK_CHARS = 1 << 20


def _work_block(block: TextBlock) -> tuple[bytes, Summary]:
    assert _WORKER is not None
    return _screen_chunk(_WORKER[0], _WORKER[1], list(csv_block_rows(block)))


def _context() -> Any:
    """``fork`` where there is one and this process has a single thread (the workers start
    at once, with the Annex and everything imported); ``spawn`` elsewhere."""
    import multiprocessing
    import threading

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _parallel_blocks(blocks: Iterator[TextBlock], spec: RunSpec,
                     jobs: int) -> Iterator[tuple[bytes, Summary]]:
    """The parent cuts the text into record-aligned blocks; each worker parses, screens
    and renders the blocks it is given; the results come back in order."""
    pending: deque[Any] = deque()
    with _context().Pool(jobs, initializer=_init, initargs=(spec,)) as pool:
        try:
            for block in blocks:
                pending.append(pool.apply_async(_work_block, (block,)))
                if len(pending) >= 2 * jobs:
                    yield pending.popleft().get()
        except MtcrScreenError:
            # the text cannot be read further: what was read before is still written
            while pending:
                yield pending.popleft().get()
            raise
        while pending:
            yield pending.popleft().get()


def _run(manifest: Manifest, spec: RunSpec, write: Callable[[bytes], None], jobs: int,
         chunk_size: int, progress: Callable[[int], None] | None,
         reopen: Reopen | None) -> Summary:
    screener, renderer = _make(spec)
    summary = Summary()
    head = renderer.begin().encode("utf-8")
    started = False

    def out(text: bytes) -> None:
        # the head is written with the first rows, so that a file that turns out to be
        # unreadable (or has no rows) leaves stdout empty
        nonlocal started
        if not started:
            write(head)
            started = True
        write(text)

    chunks = _chunks(manifest.rows, chunk_size)
    if jobs <= 1:
        for chunk in chunks:
            text, part = _screen_chunk(screener, renderer, chunk)
            out(text)
            summary.merge(part)
            if progress is not None:
                progress(summary.rows)
    else:
        if reopen is not None and manifest.blocks is not None:
            parts = _parallel_blocks(manifest.blocks(BLOCK_CHARS), spec, jobs)
        elif reopen is not None:
            parts = _parallel_files(spec, reopen, jobs, chunk_size)
        else:
            parts = _parallel(chunks, spec, jobs)
        for text, part in parts:
            out(text)
            summary.merge(part)
            if progress is not None:
                progress(summary.rows)
    if summary.rows:
        out(renderer.end(summary).encode("utf-8"))
    return summary


def _parallel(chunks: Iterator[list[RawRow]], spec: RunSpec,
              jobs: int) -> Iterator[tuple[bytes, Summary]]:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    pending: deque[Any] = deque()
    with ctx.Pool(jobs, initializer=_init, initargs=(spec,)) as pool:
        for chunk in chunks:
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= 4 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
