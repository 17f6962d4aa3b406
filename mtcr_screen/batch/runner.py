"""Run a batch: raw rows -> chunks -> (screen, render) -> ordered text, and a summary.

One chunk function, :func:`_screen_chunk`, serves both modes, so ``--jobs N`` gives the
same bytes as one process:

* one process: chunks are screened and rendered in turn;
* ``--jobs N`` on a CSV/TSV file (in UTF-8, Windows-1252 or another encoding whose ASCII
  bytes are ASCII): the parent reads the file as bytes and cuts it into record-aligned
  blocks, sending each worker only where a block is and the rows and lines before it
  (:func:`~mtcr_screen.batch.readers.csv_blocks`); a pool of N workers (``fork`` where
  available, else ``spawn``) each read, decode, parse, screen and render (in
  ``CHUNK``-row chunks) the blocks they are given, at most ``2 × N`` blocks in flight.
  Where the output goes:

  - into a regular file (``--output``, or stdout redirected to one): each worker writes
    its blocks into it at their places (:class:`_Placement`: block ``k`` goes after block
    ``k - 1``, whose length is known once it is rendered), and the parent writes the head
    before them at the end; nothing crosses a pipe or is copied twice;
  - into another OS-level file (a pipe): each worker appends its rendered blocks to spool
    files in a temporary directory and sends back only where they are (:class:`Spooled`);
    the parent copies them to the output in the kernel (:func:`copy_range`), in order,
    and deletes each spool file once its worker has moved on, so the disk holds at most
    ``SPOOL_ROTATE`` bytes per worker besides the output;
  - otherwise (a stream with no file descriptor) the rendered blocks come back to the
    parent, which writes them in order.
* ``--jobs N`` on another file (XLSX, JSON, JSON Lines, YAML, or a CSV/TSV in UTF-16,
  which cannot be cut as bytes): N worker processes
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
from mtcr_screen.batch.readers import ByteBlock, Manifest, TextBlock, csv_block_rows
from mtcr_screen.batch.results import Summary
from mtcr_screen.batch.screener import RawRow, RowScreener
from mtcr_screen.destinations import DestinationLists
from mtcr_screen.errors import MtcrScreenError, writing
from mtcr_screen.policy.base import Profile
from mtcr_screen.render.batch import BatchMeta, BatchRenderer, get_batch_renderer

if TYPE_CHECKING:
    from mtcr_screen.partyscreen import PartyScreening

#: rows screened, rendered and written at a time: small enough that a chunk's rows, results
#: and text stay in a core's cache (2,000 took 8-10 % more CPU than 500, one process or two)
CHUNK = 500


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


def _take(rows: Iterator[RawRow], size: int) -> tuple[list[RawRow], MtcrScreenError | None]:
    """The next ``size`` rows, and the file error that stopped them short, if one did:
    the rows read before an error are screened and written like any others."""
    chunk: list[RawRow] = []
    try:
        chunk.extend(islice(rows, size))  # (the rows before an exception stay in the list)
    except MtcrScreenError as exc:
        return chunk, exc
    return chunk, None


def _chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    """Chunks of ``size`` rows; a file error raises after the rows before it."""
    it = iter(rows)
    while True:
        chunk, error = _take(it, size)
        if chunk:
            yield chunk
        if error is not None:
            raise error
        if not chunk:
            return


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
                    chunk, error = _take(it, chunk_size)
                    if chunk:
                        # where the chunk ends in the file, as near as the reader knows
                        at = man.position() if man.position is not None else None
                        queue.put(("ok", (_screen_chunk(screener, renderer, chunk), at)))
                    if error is not None:
                        raise error  # after the rows before it, as one process writes
                    if not chunk:
                        break
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


def _parallel_files(spec: RunSpec, reopen: Reopen, jobs: int, chunk_size: int,
                    ends: deque[int | None]) -> Iterator[BlockDone]:
    """Each of N workers reads the whole file and screens every N-th chunk; the chunks
    come back in order, and where each ends in the file is noted in ``ends``."""
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
            (data, summary), at = value
            ends.append(at)
            yield data, summary, None
            n += 1
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()
        for q in queues:
            q.close()


def run(manifest: Manifest, spec: RunSpec, write: Callable[[bytes], None], *, jobs: int = 1,
        chunk_size: int = CHUNK, progress: Callable[[int, int | None], None] | None = None,
        reopen: Reopen | None = None, output: OutputFile | None = None) -> Summary:
    """Screen every row of an open manifest; write the rendered output; return the summary.

    ``progress`` is called after each chunk with the number of rows done, and the bytes of
    the file done when they are known apart from the bytes read (with ``jobs > 1`` and
    ``reopen``, the parent reads ahead of its workers, or not at all), else None. With
    ``jobs > 1`` and ``reopen`` (a regular file), each worker reads the file itself.
    ``output``, when given, is the file ``write`` writes to (buffered): with ``jobs > 1``
    on a CSV file, workers then write their blocks to spool files, and the parent copies
    them to it in the kernel instead of receiving them through a pipe.
    """
    with gc_tuned():
        return _run(manifest, spec, write, jobs, chunk_size, progress, reopen, output)


#: bytes of a CSV file per block handed to a worker (about 17,000 rows of 120 bytes; 1 MiB
#: blocks were slower, 4 MiB ones no faster and 140 MB at the peak)
BLOCK_BYTES = 2 << 20


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


class _Placement:
    """Where each block's output goes in a regular output file, shared by the workers.

    Blocks are placed in input order: the worker that has rendered block ``k`` waits until
    block ``k - 1`` is placed (rendered, and its length known, not yet written), takes the
    next ``length`` bytes of the file and writes its block there (``pwrite``) while the
    other workers go on. A block that fails is placed empty and stops the writing of every
    later block, so the file holds the blocks before the error and nothing after it.
    The parent writes the head before the first block's place once there are rows.
    """

    def __init__(self, ctx: Any, fd: int, base: int, name: str) -> None:
        import os

        self.cond = ctx.Condition()
        self.turn = ctx.RawValue("q", 0)
        self.base = base
        self.end = ctx.RawValue("q", base)
        self.failed = ctx.RawValue("b", 0)
        self.fd = fd
        self.name = name
        self.parent = os.getpid()
        # a spawned worker does not inherit the descriptor: it opens the same file
        self.opener = None if ctx.get_start_method() == "fork" else \
            f"/proc/{self.parent}/fd/{fd}"

    def open(self) -> None:
        """In a worker: the output file, as the parent has it open."""
        import os

        if self.opener is not None:
            self.fd = os.open(self.opener, os.O_WRONLY)

    def _wait_turn(self, index: int) -> None:
        import os

        while not self.cond.wait_for(lambda: self.turn.value == index, timeout=1.0):
            if os.getppid() != self.parent:  # the parent is gone: so is the run
                raise SystemExit(1)

    def _claim(self, index: int, length: int | None, last: bool = False) -> int | None:
        """Wait for block ``index``'s turn and place it: ``length`` bytes after the blocks
        before it (None: the block failed, and every later block is placed empty; ``last``:
        the block is written, and no later one). Where to write it, or None when it is not
        to be written."""
        with self.cond:
            self._wait_turn(index)
            at = None if length is None or self.failed.value else self.end.value
            if length is None or last:
                self.failed.value = 1
            if length is not None and at is not None:
                self.end.value = at + length
            self.turn.value = index + 1
            self.cond.notify_all()
        return at

    def put(self, index: int, parts: list[bytes], last: bool = False) -> None:
        """Place block ``index`` and write it there (nothing once a block has failed);
        ``last``: its rows end with a file error, and no later block is written."""
        at = self._claim(index, sum(map(len, parts)), last)
        if at is None:
            return
        try:
            with writing(self.name):
                for data in parts:
                    pwrite_all(self.fd, data, at)
                    at += len(data)
        except MtcrScreenError:
            self.failed.value = 1
            raise

    def fail(self, index: int) -> None:
        """Block ``index`` failed: place it empty, and stop every later block's writing."""
        self._claim(index, None)


_PLACE: _Placement | None = None


def _keep_freed_memory() -> None:
    """In the parent that cuts a file into blocks and in the block workers (a forked one
    inherits it): keep freed memory for reuse rather than hand it back to the system
    (glibc's ``mallopt``; elsewhere nothing). Each block allocates and frees a few MB (its
    bytes, its text, its lines); handed back, they were faulted in again by the next
    block: over half of the page faults of ``--jobs 2``, and some 5 % of its CPU."""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt(-3, 64 << 20)  # M_MMAP_THRESHOLD: blocks come from the heap, not mmap
    mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD: the heap's free top is kept


def _init_blocks(spec: RunSpec, directory: str | None, place: _Placement | None) -> None:
    global _SPOOL, _PLACE
    _keep_freed_memory()
    _init(spec)
    _SPOOL = None if directory is None else _Spool(directory)
    _PLACE = place
    if place is not None:
        place.open()


def _render_block(block: ByteBlock | TextBlock
                  ) -> tuple[list[bytes], Summary, MtcrScreenError | None]:
    """Screen and render one block in chunks of ``CHUNK`` rows, as one process does (a
    whole block's rows at once, or its output in one piece, cost more than chunks); and
    the file error its rows end with, if any (the rows before it are rendered)."""
    assert _WORKER is not None
    parts: list[bytes] = []
    summary = Summary()
    try:
        for chunk in _chunks(csv_block_rows(block), CHUNK):
            data, part = _screen_chunk(_WORKER[0], _WORKER[1], chunk)
            parts.append(data)
            summary.merge(part)
    except MtcrScreenError as exc:
        return parts, summary, exc
    return parts, summary, None


#: what a worker gives back for a block: its rendered bytes (none when it wrote them into
#: the output itself), or where it spooled them; its summary; and the file error its rows
#: end with (no later block is written)
BlockDone = tuple[bytes | Spooled, Summary, MtcrScreenError | None]


def _work_block(index: int, block: ByteBlock | TextBlock) -> BlockDone:
    """Read, screen and render block ``index``; write it into the output at its place
    (nothing is sent back), or spool it, or send it back."""
    try:
        parts, summary, error = _render_block(block)
    except BaseException:
        if _PLACE is not None:
            _PLACE.fail(index)
        raise
    if _PLACE is not None:
        _PLACE.put(index, parts, last=error is not None)
        return b"", summary, error
    data = b"".join(parts)
    if _SPOOL is None or not data:
        return data, summary, error
    return _SPOOL.put(data), summary, error


def pwrite_all(fd: int, data: bytes, at: int) -> None:
    """Write every byte to a file descriptor, from offset ``at`` (its position unmoved)."""
    import os

    view = memoryview(data)
    while view:
        done = os.pwrite(fd, view, at)
        view, at = view[done:], at + done


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


def _parallel_blocks(blocks: Iterator[ByteBlock | TextBlock], spec: RunSpec, jobs: int,
                     ctx: Any, spool: str | None, place: _Placement | None
                     ) -> Iterator[BlockDone]:
    """The parent cuts the file into record-aligned blocks; each worker reads, parses,
    screens and renders the blocks it is given; the results come back in order. With a
    placement, a worker writes its rendered blocks into the output file itself; with a
    spool directory, it writes them there and sends back where they are."""
    pending: deque[Any] = deque()
    with ctx.Pool(jobs, initializer=_init_blocks, initargs=(spec, spool, place)) as pool, \
            _settled(pending):
        cut = enumerate(blocks)
        while True:
            try:
                index, block = next(cut)
            except StopIteration:
                break
            except MtcrScreenError:
                # the file cannot be cut further: what was read before is still written
                # (a block that fails in a worker raises here, and nothing after it is)
                while pending:
                    yield pending.popleft().get()
                raise
            pending.append(pool.apply_async(_work_block, (index, block)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


@contextmanager
def _settled(pending: deque[Any]) -> Iterator[None]:
    """On the way out of a pool, early (an error, or the output closed), wait for the
    tasks still in flight first: the pool's shutdown kills its workers, and one killed
    while it sends a result keeps the result queue's lock, on which the shutdown (CPython's
    ``Pool.terminate``) then waits for ever. Idle workers are safe to kill."""
    try:
        yield
    finally:
        for result in pending:
            result.wait(timeout=60)


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
        with writing(_output_name(self.output)):
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
    def seek(self, offset: int, whence: int = 0, /) -> int: ...


def _output_name(output: OutputFile) -> str:
    """The output as error messages name it (its path, or ``<stdout>``)."""
    return str(getattr(output, "name", "<output>"))


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
         chunk_size: int, progress: Callable[[int, int | None], None] | None,
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
                progress(summary.rows, None)
    else:
        spool: str | None = None
        unspool: _Unspool | None = None
        place: _Placement | None = None
        # where each block or chunk in flight ends in the file, for progress by bytes done
        # (the parent reads ahead of the workers, or not at all)
        ends: deque[int | None] = deque()
        parts: Iterator[BlockDone]
        if reopen is not None and manifest.blocks is not None:
            _keep_freed_memory()
            ctx = _context()
            if output is not None and (place := _placement(ctx, output, len(head))) is None:
                import tempfile

                spool = tempfile.mkdtemp(prefix="mtcr-screen-spool-")
                unspool = _Unspool(output)
            parts = _parallel_blocks(_noting_ends(manifest.blocks(BLOCK_BYTES), ends), spec,
                                     jobs, ctx, spool, place)
        elif reopen is not None:
            parts = _parallel_files(spec, reopen, jobs, chunk_size, ends)
        else:
            parts = _parallel(chunks, spec, jobs)
        try:
            for done, part, error in parts:
                if isinstance(done, Spooled):
                    assert unspool is not None
                    out(b"")  # the head, before the first block
                    unspool(done)
                elif done:  # (a block of blank rows renders nothing: no head for it alone)
                    out(done)
                if error is not None:
                    raise error  # a file error, after the rows before it
                summary.merge(part)
                end = ends.popleft() if ends else None
                if progress is not None:
                    progress(summary.rows, end)
        finally:
            # stop the workers now, also when the loop stopped early (the output cannot be
            # written): a suspended generator would keep its pool alive
            close = getattr(parts, "close", None)
            if close is not None:
                close()
            if place is not None:
                assert output is not None
                started = _placed_head(place, output, head) or started
            if unspool is not None:
                unspool.close()
            if spool is not None:
                import shutil

                shutil.rmtree(spool, ignore_errors=True)
    if summary.rows:
        out(renderer.end(summary).encode("utf-8"))
    return summary


def _noting_ends(blocks: Iterator[ByteBlock | TextBlock],
                 ends: deque[int | None]) -> Iterator[ByteBlock | TextBlock]:
    """The blocks, noting where each ends in the file (None for one cut from decoded text)."""
    for block in blocks:
        ends.append(block.offset + block.length if isinstance(block, ByteBlock) else None)
        yield block


def _placement(ctx: Any, output: OutputFile, head: int) -> _Placement | None:
    """Workers writing into the output at their blocks' places, when it is a regular
    file not opened for appending that they can open (inherited, or through ``/proc``);
    else None. The first block goes ``head`` bytes after the current position."""
    import os
    import stat

    try:
        import fcntl

        fd = output.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode) or \
                fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND:
            return None
        output.flush()
        start = os.lseek(fd, 0, os.SEEK_CUR)
    except (ImportError, OSError, ValueError, AttributeError):
        return None
    place = _Placement(ctx, fd, start + head, _output_name(output))
    if place.opener is not None and not os.path.exists(place.opener):
        return None
    return place


def _placed_head(place: _Placement, output: OutputFile, head: bytes) -> bool:
    """After the workers: the head before the first block, if any block was written, and
    the output's position after the last; whether the head was written."""
    end = place.end.value
    if end == place.base:
        return False  # no rows written: the output stays empty
    with writing(place.name):
        pwrite_all(place.fd, head, place.base - len(head))
        output.seek(end)
    return True


def _parallel(chunks: Iterator[list[RawRow]], spec: RunSpec,
              jobs: int) -> Iterator[BlockDone]:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    pending: deque[Any] = deque()
    with ctx.Pool(jobs, initializer=_init, initargs=(spec,)) as pool, _settled(pending):
        try:
            for chunk in chunks:
                pending.append(pool.apply_async(_work, (chunk,)))
                if len(pending) >= 4 * jobs:
                    yield *pending.popleft().get(), None
        except MtcrScreenError:
            # a file error: the rows before it are written first, as one process does
            while pending:
                yield *pending.popleft().get(), None
            raise
        while pending:
            yield *pending.popleft().get(), None
