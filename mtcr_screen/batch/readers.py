"""Manifest readers: CSV, TSV, XLSX, JSON, JSON Lines and YAML -> header + raw rows.

Every reader gives the same shape, a :class:`Manifest`: the column names, and an iterator
of ``(row, line, cells)`` where ``row`` is the 1-based data row, ``line`` the line (or
spreadsheet row) in the file, and ``cells`` one string per column ("" when empty). A row
whose cells are all empty is not a data row and is skipped.

File-level problems raise :class:`~mtcr_screen.errors.ManifestError` (exit code 2):
no such file, unreadable, empty, no header, undecodable text, malformed JSON or YAML
document, a CSV quoted field that is never closed (it would take every later line as its
text). Problems inside one row are left to the screener, which rejects that row.

Text encodings (CSV, TSV, JSON Lines), unless ``encoding`` is given:

* a byte-order mark decides: UTF-8 with BOM (Excel's "CSV UTF-8"), UTF-16 LE or BE
  (Excel's "Unicode Text", tab-separated); without one, NUL in (nearly) every other byte
  is UTF-16 LE or BE;
* otherwise the first 1 MiB must be UTF-8; if it is not, but decodes as Windows-1252
  (Excel's "CSV (Comma delimited)" on Western-European Windows), Windows-1252 is used;
* a later byte that is not valid in the chosen encoding stops the run with a file-level
  error that names the byte and suggests ``--encoding``; in a CSV/TSV file in an encoding
  of :data:`_CUTTABLE`, the error names the byte's line, and every row before that line is
  read first (the same rows however the file is cut into blocks).

CSV delimiter: tab for ``.tsv``/``.tab`` files; for ``.csv``, the header line decides
between ``,``, ``;`` (Excel in locales with a decimal comma) and tab.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from mtcr_screen.errors import Location, ManifestError

FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl", "yaml")
_SUFFIX = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "csv", ".xlsx": "xlsx",
           ".xlsm": "xlsx", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".yaml": "yaml", ".yml": "yaml"}
SAMPLE = 1 << 20

RawRows = Iterator[tuple[int, int | None, Sequence[str]]]

#: delimiters in the line added after the end of a CSV text (see :func:`_ended`)
_END_WIDTH = 97


def _end_line(delimiter: str) -> str:
    """A line given to the CSV reader after the last line of a text (the reader ends a
    record at the end of each line it is given, so a last line without a line break is
    still a record of its own): a record of empty cells, which the record loop skips,
    unless a quoted field is still open at the end of the text (the csv module's lenient
    mode then ends the field silently, with every later line in it)."""
    return delimiter * _END_WIDTH + "\n"


def _ended(cells: Sequence[str] | None) -> bool:
    """Whether the last record a reader gave is the end line of :func:`_end_line`."""
    return cells is not None and len(cells) == _END_WIDTH + 1 and not any(cells)


def _unclosed(source: str, line: int) -> ManifestError:
    return ManifestError(
        "malformed CSV: a quoted field that starts in this record is never closed, so "
        "every later line would be read as its text",
        location=Location(source, line),
        hint='close the quote, or double a quote that is part of the text ("")')


@dataclass
class Manifest:
    """An open manifest: its columns and a one-pass iterator over its raw rows."""

    source: str
    format: str
    columns: tuple[str, ...]
    rows: RawRows
    encoding: str | None = None
    #: total bytes (for a progress bar) and a function giving the bytes read so far
    size: int | None = None
    position: Callable[[], int] | None = None
    _close: list[Callable[[], None]] = field(default_factory=list)
    #: a CSV/TSV file in an encoding cut as bytes only: the rest of the file cut into
    #: record-aligned blocks (see :func:`csv_blocks`), instead of ``rows``, for worker
    #: processes to read and parse
    blocks: Callable[[int], Iterator[ByteBlock | TextBlock]] | None = None

    def close(self) -> None:
        """Close the underlying file."""
        for c in self._close:
            c()
        self._close.clear()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def detect_format(path: str, fmt: str | None) -> str:
    """The input format: given, or from the file name's suffix (stdin: CSV)."""
    if fmt:
        if fmt not in FORMATS:
            raise ManifestError(f"unknown input format {fmt!r}",
                                hint="one of " + ", ".join(FORMATS))
        return fmt
    if path == "-":
        return "csv"
    suffix = Path(path).suffix.lower()
    if suffix in _SUFFIX:
        return _SUFFIX[suffix]
    raise ManifestError(f"cannot tell the format from the suffix {suffix or '(none)'!r}",
                        location=path, hint="use --input-format csv|tsv|xlsx|json|jsonl|yaml")


def open_manifest(path: str, *, fmt: str | None = None, encoding: str | None = None,
                  sheet: str | None = None, stdin: IO[bytes] | None = None) -> Manifest:
    """Open a manifest file (``-`` for stdin) and read its header."""
    kind = detect_format(path, fmt)
    source = "<stdin>" if path == "-" else path
    if kind == "xlsx":
        return _open_xlsx(path, source, sheet, stdin)
    binary = _open_binary(path, source, stdin)
    try:
        if kind in ("csv", "tsv"):
            return _open_csv(binary, source, kind, encoding)
        if kind == "jsonl":
            return _open_jsonl(binary, source, encoding)
        return _open_document(binary, source, kind)
    except BaseException:
        binary.close()
        raise


def _open_binary(path: str, source: str, stdin: IO[bytes] | None) -> IO[bytes]:
    if path == "-":
        return stdin if stdin is not None else sys.stdin.buffer
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise ManifestError("no such file", location=source) from None
    except IsADirectoryError:
        raise ManifestError("is a folder, not a manifest", location=source) from None
    except OSError as exc:
        raise ManifestError(f"cannot read: {exc.strerror}", location=source) from None


def _size(binary: IO[bytes]) -> int | None:
    try:
        return os.fstat(binary.fileno()).st_size if binary.seekable() else None
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


# --------------------------------------------------------------------------- text


def detect_encoding(sample: bytes, complete: bool) -> str:
    """The encoding of a text file from its first bytes (see the module docstring)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # NUL bytes are valid UTF-8 but never in a text manifest: NUL in most odd (or even)
    # places is UTF-16 text (Latin letters) written without a byte-order mark
    head = sample[:4096]
    pairs = len(head) // 2
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if pairs >= 2 and max(odd, even) >= 0.9 * pairs:
        return "utf-16-le" if odd > even else "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "utf-8"  # neither: decoding fails below with a located error


def _text(binary: IO[bytes], source: str, encoding: str | None) -> tuple[IO[str], str]:
    """A text stream over the binary file, with the encoding decided."""
    binary, encoding = _decided(binary, source, encoding)
    wrapper = io.TextIOWrapper(binary, encoding=encoding, newline="", errors="strict")
    return wrapper, encoding


def _decided(binary: IO[bytes], source: str, encoding: str | None) -> tuple[IO[bytes], str]:
    """The binary file (buffered afresh for a pipe, to peek at) and its encoding: given,
    or detected from its first bytes."""
    if encoding is None:
        if binary.seekable():
            pos = binary.tell()
            sample = binary.read(SAMPLE)
            binary.seek(pos)
            complete = len(sample) < SAMPLE
        else:
            # a pipe: peek at what has arrived, on the raw stream so as not to wait for more
            raw: Any = getattr(binary, "raw", binary)
            binary = io.BufferedReader(raw, buffer_size=SAMPLE)
            sample = binary.peek(SAMPLE)[:SAMPLE]
            complete = False
        encoding = detect_encoding(sample, complete)
    else:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise ManifestError(f"unknown encoding {encoding!r}", location=source) from None
        if name == "utf-8":
            # Excel's "CSV UTF-8" starts with a byte-order mark, which "utf-8" would read
            # as part of the first column's name
            encoding = "utf-8-sig"
    return binary, encoding


def _decode_error(source: str, encoding: str, byte: int,
                  line: int | None = None) -> ManifestError:
    """A byte that does not decode, on ``line`` when it is known (it is not where a
    text stream decodes ahead of the lines it gives: UTF-16, JSON Lines)."""
    name = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(encoding,
                                                                                  encoding)
    return ManifestError(
        f"not {name} text: cannot decode byte 0x{byte:02x}",
        location=source if line is None else Location(source, line),
        hint="save the file as UTF-8, or give --encoding (e.g. cp1252, latin-1)",
    )


class Undecodable(Exception):
    """A byte that does not decode, met by :func:`decoded_lines`: raised in place of the
    line the byte is on, once every line before it has been given. Whoever counts the
    lines turns it into the file error (:meth:`error`), located at that line."""

    def __init__(self, byte: int, encoding: str) -> None:
        super().__init__(byte, encoding)
        self.byte = byte
        self.encoding = encoding

    def error(self, source: str, line: int) -> ManifestError:
        """The file error, the byte being on ``line``."""
        return _decode_error(source, self.encoding, self.byte, line)


#: bytes read and decoded at a time by :func:`decoded_lines`
_PIECE = 1 << 20


def decoded_lines(binary: IO[bytes], encoding: str) -> Iterator[str]:
    """The lines of a text file from its current position, exactly as
    ``io.TextIOWrapper(binary, encoding, newline="")`` gives them (each with its ``\\n``,
    ``\\r\\n`` or lone ``\\r``), for an encoding of :data:`_CUTTABLE`. A byte that does not
    decode raises :class:`Undecodable` in place of the line it is on, after every line
    before it: the error can name its line, and the rows before it are the same whether
    the file is read whole or cut into blocks. A pipe's lines come as they arrive."""
    return itertools.chain.from_iterable(_line_pieces(binary, encoding))


def _line_pieces(binary: IO[bytes], encoding: str) -> Iterator[io.StringIO]:
    """The text in pieces of whole lines (a ``\\r\\n`` is never split; a line longer than
    a piece is gathered in a list, not by adding strings)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    read = getattr(binary, "read1", binary.read)
    pending: list[str] = []
    while True:
        raw = read(_PIECE)
        try:
            text = decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            # (the decoder's object is the bytes not yet decoded, a byte-order mark gone)
            before = _lines_before(exc, encoding, "".join(pending))
            if before:
                yield io.StringIO(before, newline="")
            raise Undecodable(exc.object[exc.start], encoding) from None
        if not raw:
            rest = "".join(pending) + text
            if rest:
                yield io.StringIO(rest, newline="")
            return
        # a last \r may be the first half of a \r\n: it waits for the next piece
        cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1
        if not cut:
            pending.append(text)
            continue
        yield io.StringIO("".join(pending) + text[:cut] if pending else text[:cut],
                          newline="")
        pending = [text[cut:]] if cut < len(text) else []


def _bom_free(encoding: str) -> str:
    """The encoding of the text after a file's start: UTF-8 for UTF-8 with a byte-order
    mark (the mark is only at the start, before the header)."""
    return "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding


def _lines_before(exc: UnicodeDecodeError, encoding: str, pending: str = "") -> str:
    """The whole lines before a byte that does not decode (``pending``: the text decoded
    before the bytes of ``exc``); a last \\r ends a line, as no \\n follows it."""
    text = pending + bytes(exc.object[:exc.start]).decode(_bom_free(encoding))
    return text[:max(text.rfind("\n"), text.rfind("\r")) + 1]


def _bom_error(source: str, encoding: str, exc: UnicodeError) -> ManifestError:
    """An undecodable byte, or a UTF-16/32 stream without the byte-order mark these read
    the byte order from (found on the first decode, whether a file or a pipe)."""
    if isinstance(exc, UnicodeDecodeError):
        return _decode_error(source, encoding, exc.object[exc.start])
    name = codecs.lookup(encoding).name
    width = name[-2:]
    return ManifestError(f"{name.upper()} needs a byte-order mark, and the file has none",
                         location=source, hint=f"give --encoding utf-{width}-le or "
                         f"utf-{width}-be")


def _open_csv(binary: IO[bytes], source: str, kind: str, encoding: str | None) -> Manifest:
    from mtcr_screen.yamlio import Limits

    # csv's own cap on a field (131,072 characters) would stop the whole run at one long
    # cell: the cap is the input size instead, and the screener rejects the row whose cell
    # is over the text-value limit
    csv.field_size_limit(max(csv.field_size_limit(), Limits.from_env().max_bytes))
    binary, enc = _decided(binary, source, encoding)
    lines: Iterator[str]
    if codecs.lookup(enc).name in _CUTTABLE:
        lines = decoded_lines(binary, enc)
        close = binary.close
    else:  # (UTF-16 and -32: a text stream, which decodes ahead of the lines it gives)
        text = io.TextIOWrapper(binary, encoding=enc, newline="", errors="strict")
        lines, close = iter(text), text.close
    try:
        first = next(lines, "")
    except Undecodable as exc:
        raise exc.error(source, 1) from None
    except UnicodeError as exc:
        raise _bom_error(source, enc, exc) from None
    if not first.strip():
        raise ManifestError("empty file: no header row" if not first else
                            "the first line is empty: no header row", location=source)
    if kind == "tsv":
        delimiter = "\t"
    else:  # the header decides (Excel's UTF-16 "Unicode Text" shows its tabs there)
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        header, *end = csv.reader([first, _end_line(delimiter)], delimiter=delimiter)
    except csv.Error as exc:
        raise ManifestError(f"malformed header row: {exc}", location=Location(source, 1)
                            ) from None
    if not end or not _ended(end[-1]):
        raise ManifestError("malformed header row: a quoted column name is never closed",
                            location=Location(source, 1),
                            hint="the header is the first line: close the quote")
    reader = csv.reader(itertools.chain(lines, [_end_line(delimiter)]), delimiter=delimiter,
                        strict=False)

    def rows() -> RawRows:
        try:
            yield from _records(reader, 0, 1, source)  # after the header's line
        except UnicodeDecodeError as exc:  # (from a text stream: no line known)
            raise _decode_error(source, enc, exc.object[exc.start]) from None

    m = Manifest(source, kind, tuple(header), rows(), enc, _size(binary),
                 lambda: _tell(binary))
    start = None if source == "<stdin>" else _data_start(binary, first, enc)
    if start is not None:
        m.blocks = lambda size: csv_blocks(binary, start, delimiter, source, enc, size)
    m._close.append(close)
    return m


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Whole records of a CSV text, and where they start: ``rows`` data rows and
    ``lines`` lines (the header's included) come before them."""

    text: str
    rows: int
    lines: int
    delimiter: str
    source: str
    #: every line is one record the reader keeps (none spans lines, none is skipped)
    simple: bool = False
    #: the byte on the line after the text does not decode: the block's rows end with
    #: that file error (the text holds every line before it)
    undecodable: Undecodable | None = None


def csv_block_rows(block: TextBlock | ByteBlock) -> RawRows:
    """The raw rows of one block: exactly those the whole-file reader gives for them (and
    the same error after them: a byte that does not decode, a quoted field left open)."""
    if isinstance(block, ByteBlock):
        block = block.text()
    lines: Any
    if block.simple:
        # each line is one record, ending in \n (\r\n: the reader takes the \r as the
        # end of its line), none blank and no lone \r: splitting at \n gives the reader's
        # records, without a text stream's copy of the text
        lines = block.text.split("\n")
        if lines and not lines[-1]:
            lines.pop()
    else:
        lines = io.StringIO(block.text, newline="")
    if block.undecodable is not None:
        lines = itertools.chain(lines, _raising(block.undecodable))
    elif not block.simple:
        lines = itertools.chain(lines, [_end_line(block.delimiter)])
    reader = csv.reader(lines, delimiter=block.delimiter, strict=False)
    if block.simple:
        # no quoted field can be open at its end: each quoted line is a whole record
        # row and line numbers run together: no per-row bookkeeping
        try:
            yield from zip(itertools.count(block.rows + 1), itertools.count(block.lines + 1),
                           reader)
        except csv.Error as exc:
            raise ManifestError(f"malformed CSV: {exc}", location=Location(
                block.source, block.lines + reader.line_num)) from None
        except Undecodable as exc:
            raise exc.error(block.source, block.lines + reader.line_num + 1) from None
        return
    yield from _records(reader, block.rows, block.lines, block.source)


def _raising(exc: Undecodable) -> Iterator[str]:
    """No line: the one asked for has a byte that does not decode."""
    raise exc
    yield ""  # pragma: no cover (never reached: the yield makes this a generator)


def _records(reader: Any, rows: int, lines: int, source: str) -> RawRows:
    """The data rows a CSV reader gives, numbered after ``rows`` data rows and ``lines``
    lines, records with no cell skipped; a ``csv.Error`` is a ManifestError at the line
    where its record starts. The reader's lines end with :func:`_end_line`: a last record
    that is not that line had a quoted field open at the end of the text."""
    row = rows
    end = lines
    start = end + 1
    cells = None
    # a record over several lines is given out when the next one is read: it may turn out
    # to be a quoted field left open, whose cells are every later line (not a row to
    # report); a one-line record goes out at once, so that a pipe streams
    held: tuple[int, int, Sequence[str]] | None = None
    try:
        for cells in reader:
            start = end + 1
            end = lines + reader.line_num
            if not cells or not any(cells):
                continue
            row += 1
            if held is not None:
                yield held
                held = None
            if end > start:
                held = (row, start, cells)
            else:
                yield row, start, cells
    except csv.Error as exc:
        if held is not None:
            yield held
        raise ManifestError(f"malformed CSV: {exc}", location=Location(source, end + 1)
                            ) from None
    except Undecodable as exc:
        # the line asked for has a bad byte: the record being read is left unread, and a
        # record held is whole (the reader went on to the next line)
        if held is not None:
            yield held
        raise exc.error(source, lines + reader.line_num + 1) from None
    if not _ended(cells):
        raise _unclosed(source, start)
    if held is not None:
        yield held


#: encodings whose bytes below 0x80 are always the ASCII characters (never part of a
#: longer sequence): their text can be cut at line-feed bytes, and quote, delimiter and
#: line-break bytes found without decoding
_CUTTABLE = frozenset({"utf-8", "utf-8-sig", "ascii", "latin-1", "iso8859-1", "iso8859-15",
                       "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1257"})


def _data_start(binary: IO[bytes], first: str, encoding: str) -> int | None:
    """The byte offset where a seekable CSV file's data rows start (just after the header
    line ``first``), when the text can be cut as bytes (:data:`_CUTTABLE`); else None."""
    name = codecs.lookup(encoding).name
    if name not in _CUTTABLE or not binary.seekable() or not hasattr(os, "pread"):
        return None  # (no os.pread on Windows: there, each worker reads the whole file)
    try:
        fd = binary.fileno()
        head = first.encode(_bom_free(encoding))
        bom = len(codecs.BOM_UTF8) if name == "utf-8-sig" and os.pread(
            fd, 3, 0) == codecs.BOM_UTF8 else 0
        same = os.pread(fd, len(head), bom) == head
    except (OSError, ValueError, io.UnsupportedOperation, AttributeError, UnicodeError):
        return None
    return bom + len(head) if same else None


@dataclass(frozen=True, slots=True)
class ByteBlock:
    """Whole records of a CSV file as a byte range: the worker that parses them reads and
    decodes them itself, so that the text does not pass through the parent. ``rows`` data
    rows and ``lines`` lines (the header's included) come before them. ``source`` is the
    file's path (a file read by name: stdin is never cut)."""

    offset: int
    length: int
    rows: int
    lines: int
    delimiter: str
    source: str
    encoding: str
    #: every line is one record the reader keeps (none spans lines, none is skipped)
    simple: bool = False

    def text(self) -> TextBlock:
        """Read and decode the range (a byte that does not decode is a file error)."""
        with open(self.source, "rb") as fh:
            data = os.pread(fh.fileno(), self.length, self.offset)
            while len(data) < self.length:
                more = os.pread(fh.fileno(), self.length - len(data), self.offset + len(data))
                if not more:
                    raise ManifestError("the file changed while it was read",
                                        location=self.source)
                data += more
        try:
            text = data.decode(_bom_free(self.encoding))
        except UnicodeDecodeError as exc:
            # the lines before the bad byte's, then the error
            return TextBlock(_lines_before(exc, self.encoding), self.rows, self.lines,
                             self.delimiter, self.source, self.simple,
                             Undecodable(data[exc.start], self.encoding))
        return TextBlock(text, self.rows, self.lines, self.delimiter, self.source,
                         self.simple)


def csv_blocks(binary: IO[bytes], start: int, delimiter: str, source: str, encoding: str,
               size: int) -> Iterator[ByteBlock | TextBlock]:
    """The rest of a CSV file (its data rows start at byte ``start``) in blocks of whole
    records of about ``size`` bytes, with the rows and lines before each.

    The file is read as bytes and not decoded here (see :data:`_CUTTABLE`): each block is
    a :class:`ByteBlock`, which its worker reads and decodes. Where every line of a block
    is one record, the block is cut after a line feed, and its data rows are its lines
    less those the reader skips (empty, or only delimiters and empty quoted fields),
    counted without parsing. That holds for a block with no lone carriage return whose
    lines with a quote are each a well-formed record with no quoted field spanning lines
    (:func:`_one_record_lines`): only those lines are examined. From the first block
    where it does not hold (a record may span lines, and a quote in mid-field is
    literal), the text is decoded and the records are found by the CSV reader itself
    (:class:`TextBlock`), so the cut is always where the whole-file reader's records end.
    """
    d = re.escape(delimiter).encode("ascii")
    blank = re.compile(b"^[" + d + b"]*\r?\n", re.MULTILINE)
    starts = (ord(delimiter), ord("\r"), ord("\n"))
    may_skip = re.compile(b"\\n[" + d + b"\\r\\n]")
    lone_cr = re.compile(b"\r(?!\n)")
    field = b'(?:"(?:[^"\r\n]|"")*"|[^"' + d + b'\r\n]*)'
    record = re.compile(field + b"(?:" + d + field + b")*\r?\n")
    quoted_blank = re.compile(b'(?:"")?(?:' + d + b'(?:"")?)*\r?\n')
    rows, lines = 0, 1
    offset = start
    want = size
    while True:
        # each block is read from where the last one was cut (the line after it read
        # again), and examined in place: no copies of the buffer
        binary.seek(offset)
        buf = binary.read(want)
        cut = buf.rfind(b"\n") + 1
        if cut == 0:
            if len(buf) == want:
                want *= 2  # a line longer than a block: read more of it
                continue
            if buf:  # the last line, without a line break
                yield ByteBlock(offset, len(buf), rows, lines, delimiter, source, encoding)
            return
        want = size
        quoted = 0
        if (buf.find(b"\r", 0, cut) != -1 and lone_cr.search(buf, 0, cut)) or (
                buf.find(b'"', 0, cut) != -1 and (quoted := _one_record_lines(
                    buf, cut, record, quoted_blank)) < 0):
            binary.seek(offset)
            text = decoded_lines(binary, _bom_free(encoding))
            yield from _parsed_blocks(text, delimiter, source, size, rows, lines)
            return
        n = buf.count(b"\n", 0, cut)
        skipped = quoted
        # a line the reader skips starts with a delimiter or a line break: look for one
        # only where there can be one (scanning for it is slow)
        if buf[0] in starts or may_skip.search(buf, 0, cut):
            skipped += sum(1 for _ in blank.finditer(buf, 0, cut))
        yield ByteBlock(offset, cut, rows, lines, delimiter, source, encoding,
                        simple=not skipped)
        offset += cut
        rows += n - skipped
        lines += n


def _one_record_lines(buf: bytes, limit: int, record: re.Pattern[bytes],
                      quoted_blank: re.Pattern[bytes]) -> int:
    """For a block of whole lines (``buf`` up to ``limit``, after a line feed): -1 unless
    each line holding a quote is one well-formed record (quoted fields closed on the same
    line, a quote in a quoted field doubled); else how many of those lines the reader
    skips (only delimiters and ``""`` fields)."""
    skipped = 0
    i = buf.find(b'"', 0, limit)
    while i != -1:
        start = buf.rfind(b"\n", 0, i) + 1
        end = buf.find(b"\n", i, limit) + 1
        if not record.fullmatch(buf, start, end):
            return -1
        if quoted_blank.fullmatch(buf, start, end):
            skipped += 1
        i = buf.find(b'"', end, limit)
    return skipped


def _parsed_blocks(text: Iterator[str], delimiter: str, source: str, size: int, rows: int,
                   lines: int) -> Iterator[TextBlock]:
    """The remaining blocks, cut after the records the CSV reader finds. A byte that does
    not decode ends the last block: its worker meets the error after the lines before."""
    kept: list[str] = []
    chars = 0

    def source_lines() -> Iterator[str]:
        nonlocal chars
        for line in text:
            kept.append(line)
            chars += len(line)
            yield line

    reader = csv.reader(source_lines(), delimiter=delimiter, strict=False)
    count = 0
    start = 0  # reader.line_num at the start of the block being gathered
    try:
        for cells in reader:
            if cells and any(cells):
                count += 1
            if chars >= size:
                yield TextBlock("".join(kept), rows, lines + start, delimiter, source)
                kept.clear()
                chars = 0
                rows += count
                count = 0
                start = reader.line_num
    except csv.Error:
        pass  # the worker that parses this block meets the same error, and reports it
    except Undecodable as exc:
        yield TextBlock("".join(kept), rows, lines + start, delimiter, source,
                        undecodable=exc)
        return
    if kept:
        yield TextBlock("".join(kept), rows, lines + start, delimiter, source)


def _tell(binary: Any) -> int:
    try:
        return int(binary.tell())
    except (OSError, ValueError):
        return 0


# --------------------------------------------------------------------------- records


def _cell(value: Any) -> str:
    """A cell of a record or spreadsheet as text, as it would read in a CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN: pandas' "missing"
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, list | tuple):
        return ";".join(_cell(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)  # e.g. numpy scalars: 7, True (facts read true/false in any case)


_NESTED = {"parameters": "", "facts": "fact.", "relations": "relation.", "supports": "supports."}


class _Object(dict[str, Any]):
    """A JSON object as read; ``twice`` names a key it gives more than once."""

    twice: str | None = None


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    """``json.loads``' object hook: keep every key, and note one given twice (json would
    keep the last silently: a row could be screened on whichever value came last)."""
    out = _Object()
    for key, value in pairs:
        if key in out and out.twice is None:
            out.twice = key
        out[key] = value
    return out


class FlatRecord(dict[str, str]):
    """A flattened record; ``twice`` names a column it gives twice (see :func:`flatten`)."""

    twice: str | None = None


def flatten(record: dict[str, Any]) -> FlatRecord:
    """A JSON/YAML record as columns: nested parameters/facts/relations/supports flattened.

    ``{"parameters": {"range": "450 km"}, "facts": {"x": true}}`` gives the columns
    ``range`` and ``fact.x``, as a CSV would name them. A column given both ways
    (``"range"`` and ``"parameters": {"range": ...}``) is noted in ``twice``: the row is
    rejected rather than one value silently read.
    """
    out = FlatRecord()
    # a key json saw twice in the record, or in a nested mapping (see _pairs)
    out.twice = getattr(record, "twice", None)

    def put(name: str, value: Any) -> None:
        if out.twice is None and name in out:
            out.twice = name
        out[name] = _cell(value)

    for key, value in record.items():
        k = str(key)
        if k in _NESTED and isinstance(value, dict):
            inner = getattr(value, "twice", None)
            if inner is not None and out.twice is None:
                out.twice = _NESTED[k] + inner
            for sub, v in value.items():
                put(_NESTED[k] + str(sub), v)
        else:
            put(k, value)
    return out


def _twice_reason(name: str) -> str:
    """Why a record that gives a column twice is rejected."""
    return (f"{name!r} is given twice in this record: give it once, as the value to screen "
            "is otherwise a guess")


def columns_of(records: Sequence[dict[str, str]]) -> tuple[str, ...]:
    """The column names of flattened records, in order of first appearance."""
    return tuple(dict.fromkeys(k for r in records for k in r))


def _open_document(binary: IO[bytes], source: str, kind: str) -> Manifest:
    """JSON (an array of objects, or {"rows": [...]}) or YAML (a list of mappings)."""
    from mtcr_screen import yamlio

    with binary:
        raw = binary.read()
    limits = yamlio.Limits.from_env()
    if len(raw) > limits.max_bytes:
        raise ManifestError(f"input is {len(raw):,} bytes, over the limit of "
                            f"{limits.max_bytes:,}", location=source,
                            hint="use CSV or JSON Lines for large manifests")
    lines: list[int | None]
    if kind == "json":
        try:
            data = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_pairs)
        except UnicodeDecodeError as exc:
            raise ManifestError(f"not UTF-8 text (byte {exc.start})", location=source) from None
        except json.JSONDecodeError as exc:
            raise ManifestError(f"malformed JSON: {exc.msg}",
                                location=Location(source, exc.lineno, exc.colno)) from None
        except RecursionError:
            raise ManifestError("malformed JSON: nesting too deep", location=source) from None
        if getattr(data, "twice", None) is not None:
            # the document's own keys ({"rows": [...], "rows": [...]}): one set of rows
            # would be dropped unseen
            raise ManifestError(f"duplicate key {data.twice!r} in the document",
                                location=source)
        if _under_rows(data, source):
            data = data["rows"]
        marks = None
    else:
        data, marks = yamlio.load(raw, source, error=ManifestError)
        if _under_rows(data, source):
            data = data["rows"]
            marks = marks.sub(("rows",))
    if data is None:
        raise ManifestError("empty file: no rows", location=source)
    if not isinstance(data, list):
        raise ManifestError("expected a list of rows (one mapping per row)", location=source)
    records: list[FlatRecord | None] = []
    lines = []
    for i, rec in enumerate(data):
        records.append(flatten(rec) if isinstance(rec, dict) else None)
        got = marks.get((i,)) if marks is not None else None
        lines.append(got[0] if got else None)
    columns = columns_of([r for r in records if r is not None])
    if not columns:
        raise ManifestError("no columns: the rows are empty", location=source)

    def rows() -> RawRows:
        row = 0
        for rec, line in zip(records, lines, strict=True):
            if rec is not None and not any(rec.values()):
                continue
            row += 1
            yield row, line, aligned(rec, columns)

    return Manifest(source, kind, columns, rows())


def _under_rows(data: Any, source: str) -> bool:
    """Whether a document gives its rows under ``rows``; it then holds no other list: rows
    under another key ("Rows", "items") would be dropped unseen."""
    if not (isinstance(data, dict) and isinstance(data.get("rows"), list)):
        return False
    other = next((k for k, v in data.items() if k != "rows" and isinstance(v, list)), None)
    if other is not None:
        raise ManifestError(f"the rows are read from 'rows', and the document also has a "
                            f"list under {other!r}", location=source,
                            hint="put every row under 'rows'")
    return True


class NotARecord(list[str]):
    """Cells of an input record that is not a mapping (the screener rejects the row)."""

    reason = "expected a mapping of column names to values"


def aligned(rec: FlatRecord | None, columns: tuple[str, ...]) -> Sequence[str]:
    """A flattened record's cells in the order of ``columns``; a record that is not a
    mapping, or gives a column twice, as cells the screener rejects."""
    if rec is None:
        return NotARecord()
    cells = [rec.get(c, "") for c in columns]
    if rec.twice is not None:
        return BadRecord(_twice_reason(rec.twice), cells, rec.twice)
    return cells


def _open_jsonl(binary: IO[bytes], source: str, encoding: str | None) -> Manifest:
    """JSON Lines: one object per line. Columns are gathered in a first pass; a pipe is
    spooled to a temporary file first so that memory stays flat."""
    import tempfile

    if not binary.seekable():
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by Manifest.close)
        while chunk := binary.read(1 << 16):
            spool.write(chunk)
        spool.seek(0)
        binary = spool
    text, enc = _text(binary, source, encoding)
    seen: dict[str, None] = {}
    try:
        for line in text:
            try:
                rec = json.loads(line, object_pairs_hook=_pairs) if line.strip() else None
            except (json.JSONDecodeError, RecursionError):
                continue
            if isinstance(rec, dict):
                seen.update(dict.fromkeys(flatten(rec)))
    except UnicodeError as exc:
        raise _bom_error(source, enc, exc) from None
    columns = tuple(seen)
    if not columns:
        text.close()
        raise ManifestError("empty file: no JSON objects", location=source)
    text.seek(0)

    def rows() -> RawRows:
        row = 0
        for n, line in enumerate(text, start=1):
            if not line.strip():
                continue
            row += 1
            try:
                rec = json.loads(line, object_pairs_hook=_pairs)
            except (json.JSONDecodeError, RecursionError) as exc:
                yield row, n, BadRecord(f"malformed JSON: {getattr(exc, 'msg', exc)}")
                continue
            yield row, n, aligned(flatten(rec) if isinstance(rec, dict) else None, columns)

    m = Manifest(source, "jsonl", columns, rows(), enc, _size(binary),
                 lambda: _tell(binary))
    m._close.append(text.close)
    return m


class BadRecord(NotARecord):
    """A record the screener rejects with ``reason``: one that could not be parsed at all,
    or one whose ``cells`` (shown with the rejection) cannot be screened as they are."""

    def __init__(self, reason: str, cells: Sequence[str] = (), column: str | None = None
                 ) -> None:
        super().__init__()
        self.reason = reason
        self.cells = cells
        self.column = column


# --------------------------------------------------------------------------- xlsx


def _open_xlsx(path: str, source: str, sheet: str | None,
               stdin: IO[bytes] | None) -> Manifest:
    import zipfile

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ManifestError("reading XLSX needs openpyxl", location=source) from None
    target: Any = path
    if path == "-":
        target = io.BytesIO((stdin or sys.stdin.buffer).read())
    elif not os.path.exists(path):
        raise ManifestError("no such file", location=source)
    try:
        wb = openpyxl.load_workbook(target, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError,
            openpyxl.utils.exceptions.InvalidFileException) as exc:
        raise ManifestError(f"not a readable XLSX workbook ({type(exc).__name__})",
                            location=source) from None
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
    except KeyError:
        wb.close()
        raise ManifestError(f"no sheet named {sheet!r}", location=source,
                            hint="sheets: " + ", ".join(wb.sheetnames)) from None
    it = ws.iter_rows(values_only=True)
    header: tuple[str, ...] = ()
    header_line = 0
    for n, values in enumerate(it, start=1):
        cells = [_cell(v).strip() for v in values]
        if any(cells):
            while cells and not cells[-1]:
                cells.pop()
            header, header_line = tuple(cells), n
            break
    if not header:
        wb.close()
        raise ManifestError("empty sheet: no header row", location=source)
    width = len(header)

    def rows() -> RawRows:
        row = 0
        for n, values in enumerate(it, start=header_line + 1):
            cells = [_cell(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            row += 1
            extra = cells[width:]
            if any(c.strip() for c in extra):
                yield row, n, cells  # the screener rejects the cell-count mismatch
            else:
                yield row, n, cells[:width] + [""] * (width - len(cells))

    m = Manifest(f"{source}" + (f"[{ws.title}]" if sheet else ""), "xlsx", header, rows())
    m._close.append(wb.close)
    return m
