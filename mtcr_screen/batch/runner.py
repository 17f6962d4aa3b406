"""Run a batch: raw rows -> chunks -> (screen, render) -> ordered text, and a summary.

One chunk function, :func:`_screen_chunk`, serves both modes, so ``--jobs N`` gives the
same bytes as one process:

* one process: chunks are screened and rendered in turn;
* ``--jobs N``: the parent reads the manifest and hands chunks of raw cells to N worker
  processes (``spawn``), each with its own screener and renderer; the parent writes the
  rendered chunks back in input order. At most ``4 × N`` chunks are in flight, so memory
  stays flat however fast the reader is.

Nothing here prints: text goes to a ``write`` callable, progress to a callback.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.batch.layout import Layout
from mtcr_screen.batch.readers import Manifest
from mtcr_screen.batch.results import Summary
from mtcr_screen.batch.screener import RawRow, RowScreener
from mtcr_screen.destinations import DestinationLists
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


def _chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _make(spec: RunSpec) -> tuple[RowScreener, BatchRenderer]:
    layout = Layout(spec.meta.columns, spec.annex, spec.meta.source)
    screener = RowScreener(spec.annex, spec.lists, layout, detail=spec.detail,
                           profile=spec.profile)
    return screener, get_batch_renderer(spec.fmt, spec.meta)


def _screen_chunk(screener: RowScreener, renderer: BatchRenderer,
                  rows: Sequence[RawRow]) -> tuple[str, Summary]:
    results = list(screener.screen_rows(rows))
    summary = Summary()
    add = summary.add
    for r in results:
        add(r)
    return renderer.rows(results), summary


# worker-process state, set once by _init
_WORKER: tuple[RowScreener, BatchRenderer] | None = None


def _init(spec: RunSpec) -> None:
    global _WORKER
    _WORKER = _make(spec)


def _work(rows: Sequence[RawRow]) -> tuple[str, Summary]:
    assert _WORKER is not None
    return _screen_chunk(_WORKER[0], _WORKER[1], rows)


def run(manifest: Manifest, spec: RunSpec, write: Callable[[str], None], *, jobs: int = 1,
        chunk_size: int = CHUNK,
        progress: Callable[[int], None] | None = None) -> Summary:
    """Screen every row of an open manifest; write the rendered output; return the summary.

    ``progress`` is called after each chunk with the number of rows done.
    """
    screener, renderer = _make(spec)
    summary = Summary()
    write(renderer.begin())
    chunks = _chunks(manifest.rows, chunk_size)
    if jobs <= 1:
        for chunk in chunks:
            text, part = _screen_chunk(screener, renderer, chunk)
            write(text)
            summary.merge(part)
            if progress is not None:
                progress(summary.rows)
    else:
        for text, part in _parallel(chunks, spec, jobs):
            write(text)
            summary.merge(part)
            if progress is not None:
                progress(summary.rows)
    write(renderer.end(summary))
    return summary


def _parallel(chunks: Iterator[list[RawRow]], spec: RunSpec,
              jobs: int) -> Iterator[tuple[str, Summary]]:
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
