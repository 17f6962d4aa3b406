"""Run a batch: raw rows -> chunks -> (screen, render) -> ordered text, and a summary.

One chunk function, :func:`_screen_chunk`, serves both modes, so ``--jobs N`` gives the
same bytes as one process:

* one process: chunks are screened and rendered in turn;
* ``--jobs N`` on a CSV/TSV file: the parent reads and decodes the text and cuts it into
  record-aligned blocks with their row and line offsets
  (:func:`~mtcr_screen.batch.readers.csv_blocks`); a pool of N workers (``fork`` where
  available, else ``spawn``) each parse, screen and render (in ``CHUNK``-row chunks) the
  blocks they are given; the parent writes the results in input order, at most ``2 × N``
  blocks in flight. When the output is an OS-level file (a file or a pipe, given as
  ``output``), each worker appends its rendered blocks to spool files in a temporary
  directory and sends back only where they are (:class:`Spooled`); the parent copies
  them to the output in the kernel (:func:`copy_range`) and deletes each spool file once
  its worker has moved on, so the rendered output does not cross a pipe and the disk
  holds at most ``SPOOL_ROTATE`` bytes per worker besides the output.
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
from typing import TYPE_CHECKING, Any, Protocol

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.batch.layout import Layout
from mtcr_screen.batch.readers import Manifest, TextBlock, csv_block_rows
from mtcr_screen.batch.results import Summary
from mtcr_screen.batch.screener import RawRow, RowScreener
from mtcr_screen.destinations import DestinationLists
from mtcr_screen.errors import MtcrScreenError, writing
from mtcr_screen.policy.base import Profile
from mtcr_screen.render.batch import BatchMeta, BatchRenderer, get_batch_renderer

if TYPE_CHECKING:
    from mtcr_screen.partyscreen import PartyScreening

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


def _collect_less() -> None:
    """Freeze what is alive now out of collection, and collect less often (see
    :func:`gc_tuned`; worker processes keep this for their lifetime)."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


@contextmanager
def gc_tuned() -> Iterator[None]:
    """Fewer garbage-collector passes while screening.

    A run allocates a few objects per row, and the default thresholds make the collector
    walk every long-lived object (Annex, memo) over and over: about a third of the run
    time. Objects alive at the start are frozen out of collection; collections are rarer
    but still happen, so memory stays flat. Restored afterwards.
    """
    old = gc.get_threshold()
    _collect_less()
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
    _collect_less()


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
        _collect_less()
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
        reopen: Reopen | None = None, output: OutputFile | None = None) -> Summary:
    """Screen every row of an open manifest; write the rendered output; return the summary.

    ``progress`` is called after each chunk with the number of rows done. With
    ``jobs > 1`` and ``reopen`` (a regular file), each worker reads the file itself.
    ``output``, when given, is the file ``write`` writes to (buffered): with ``jobs > 1``
    on a CSV file, workers then write their blocks to spool files, and the parent copies
    them to it in the kernel instead of receiving them through a pipe.
    """
    with gc_tuned():
        return _run(manifest, spec, write, jobs, chunk_size, progress, reopen, output)


#: characters of CSV text per block handed to a worker (about 17,000 rows of 120 characters;
#: 1 MiB blocks were slower, 4 MiB ones no faster and 140 MB at the peak)
BLOCK_CHARS = 2 << 20


#: a spool file is closed and a new one begun past this size, so that the parent can
#: delete spooled output it has copied (the disk holds at most about this much per worker)
SPOOL_ROTATE = 64 << 20


@dataclass(frozen=True, slots=True)
class Spooled:
    """A block's rendered bytes, left in a worker's spool file for the parent to copy."""

    path: str
    offset: int
    length: int


class _Spool:
    """A worker's spool: its rendered blocks, appended to files in a directory the parent
    made (a file is never rewritten; a new one is begun every ``SPOOL_ROTATE`` bytes)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.serial = 0
        self.fh: Any = None
        self.path = ""

    def put(self, data: bytes) -> Spooled:
        with writing(self.directory, "cannot write a spool file",
                     hint="--jobs spools its output in the temporary directory; set TMPDIR "
                     "to one with free space"):
            return self._put(data)

    def _put(self, data: bytes) -> Spooled:
        import os

        if self.fh is None or self.fh.tell() + len(data) > SPOOL_ROTATE:
            if self.fh is not None:
                self.fh.close()
            self.serial += 1
            self.path = os.path.join(self.directory, f"{os.getpid()}-{self.serial}.part")
            self.fh = open(self.path, "wb")  # noqa: SIM115 (closed on rotation or exit)
        offset = self.fh.tell()
        self.fh.write(data)
        self.fh.flush()
        return Spooled(self.path, offset, len(data))


_SPOOL: _Spool | None = None


def _init_spooled(spec: RunSpec, directory: str | None) -> None:
    global _SPOOL
    _init(spec)
    _SPOOL = None if directory is None else _Spool(directory)


def _work_block(block: TextBlock) -> tuple[bytes | Spooled, Summary]:
    """Screen and render one block; spool the output when there is a spool."""
    assert _WORKER is not None
    rows = list(csv_block_rows(block))
    # in chunks of CHUNK rows, as one process does: rendering is faster in small pieces
    parts = [_screen_chunk(_WORKER[0], _WORKER[1], rows[i:i + CHUNK])
             for i in range(0, len(rows), CHUNK)]
    data = b"".join(p[0] for p in parts)
    summary = Summary()
    for p in parts:
        summary.merge(p[1])
    if _SPOOL is None or not data:
        return data, summary
    return _SPOOL.put(data), summary


def write_all(fd: int, data: bytes) -> None:
    """Write every byte to a file descriptor."""
    import os

    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _context() -> Any:
    """``fork`` where there is one and this process has a single thread (the workers start
    at once, with the Annex and everything imported); ``spawn`` elsewhere."""
    import multiprocessing
    import threading

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _parallel_blocks(blocks: Iterator[TextBlock], spec: RunSpec, jobs: int,
                     spool: str | None) -> Iterator[tuple[bytes | Spooled, Summary]]:
    """The parent cuts the text into record-aligned blocks; each worker parses, screens
    and renders the blocks it is given; the results come back in order. With a spool
    directory, a worker writes its rendered blocks there and sends back where they are."""
    pending: deque[Any] = deque()
    with _context().Pool(jobs, initializer=_init_spooled, initargs=(spec, spool)) as pool:
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


class _Unspool:
    """The parent's side of the spool: copies each spooled block to the output, in order,
    and deletes a worker's spool file once the worker has moved on to the next."""

    def __init__(self, output: OutputFile) -> None:
        self.output = output
        self.files: dict[str, Any] = {}
        self.current: dict[str, str] = {}  # worker (file name prefix) -> its open file

    def __call__(self, part: Spooled) -> None:
        import os

        fh = self.files.get(part.path)
        if fh is None:
            worker = os.path.basename(part.path).split("-")[0]
            old = self.current.get(worker)
            if old is not None:
                # the worker's earlier blocks all come before this one: all copied
                self.files.pop(old).close()
                os.unlink(old)
            fh = self.files[part.path] = open(part.path, "rb")  # noqa: SIM115
            self.current[worker] = part.path
        with writing(str(getattr(self.output, "name", "<output>"))):
            self.output.flush()
            copy_range(fh.fileno(), self.output.fileno(), part.offset, part.length)

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()
        self.files.clear()


class OutputFile(Protocol):
    """The output as an OS-level file (a file or a pipe): what ``--jobs`` needs to copy
    workers' spooled output to it without passing it through the parent."""

    def flush(self) -> None: ...
    def fileno(self) -> int: ...


def copy_range(src: int, dst: int, offset: int, length: int) -> None:
    """Copy ``length`` bytes at ``offset`` of file ``src`` to the current position of
    ``dst``: in the kernel (``sendfile``) where it can, else read and write."""
    import os

    sendfile = getattr(os, "sendfile", None)
    while length > 0 and sendfile is not None:
        try:
            sent = sendfile(dst, src, offset, length)
        except OSError as exc:
            import errno

            if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP,
                                 errno.ENOTSOCK):
                raise
            break
        if sent == 0:
            break
        offset += sent
        length -= sent
    while length > 0:
        data = os.pread(src, min(length, 1 << 20), offset) if hasattr(os, "pread") else \
            _read_at(src, offset, min(length, 1 << 20))
        if not data:
            raise OSError(f"spool file ended {length} bytes early")
        write_all(dst, data)
        offset += len(data)
        length -= len(data)


def _read_at(fd: int, offset: int, size: int) -> bytes:
    import os

    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def _run(manifest: Manifest, spec: RunSpec, write: Callable[[bytes], None], jobs: int,
         chunk_size: int, progress: Callable[[int], None] | None,
         reopen: Reopen | None, output: OutputFile | None) -> Summary:
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
        spool: str | None = None
        unspool: _Unspool | None = None
        parts: Iterator[tuple[bytes | Spooled, Summary]]
        if reopen is not None and manifest.blocks is not None:
            if output is not None:
                import tempfile

                spool = tempfile.mkdtemp(prefix="mtcr-screen-spool-")
                unspool = _Unspool(output)
            parts = _parallel_blocks(manifest.blocks(BLOCK_CHARS), spec, jobs, spool)
        elif reopen is not None:
            parts = _parallel_files(spec, reopen, jobs, chunk_size)
        else:
            parts = _parallel(chunks, spec, jobs)
        try:
            for done, part in parts:
                if isinstance(done, Spooled):
                    assert unspool is not None
                    out(b"")  # the head, before the first block
                    unspool(done)
                elif done:  # a block of blank rows renders nothing: no head for it alone
                    out(done)
                summary.merge(part)
                if progress is not None:
                    progress(summary.rows)
        finally:
            # stop the workers now, also when the loop stopped early (the output cannot be
            # written): a suspended generator would keep its pool alive
            close = getattr(parts, "close", None)
            if close is not None:
                close()
            if unspool is not None:
                unspool.close()
            if spool is not None:
                import shutil

                shutil.rmtree(spool, ignore_errors=True)
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
