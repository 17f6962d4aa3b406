"""--jobs N on a CSV file: the parent cuts the file into record-aligned blocks (as bytes),
and the rows the blocks give are exactly the whole-file reader's (numbers, lines, cells)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mtcr_screen.batch.readers import ByteBlock, csv_block_rows, open_manifest
from mtcr_screen.errors import ManifestError

HEADER = "id,kind,range\n"
BODIES = {
    "plain": "".join(f"R-{i},rocket_system,{i} km\n" for i in range(200)),
    "crlf": "".join(f"R-{i},rocket_system,{i} km\r\n" for i in range(200)),
    "blank and delimiter-only lines": "".join(
        f"R-{i},rocket_system,{i} km\n" + ("\n" if i % 7 == 0 else "") +
        (",,\r\n" if i % 11 == 0 else "") + (" \n" if i % 13 == 0 else "")
        for i in range(200)),
    "no final newline": "".join(f"R-{i},rocket_system,{i} km\n" for i in range(50)) + "Z,a,b",
    "quotes late": "".join(f"R-{i},rocket_system,{i} km\n" for i in range(150)) + "".join(
        f'"R-{i}","rocket\nsystem","{i} km, ""far"""\n' for i in range(50)),
    "quotes with newlines": "".join(
        f'R-{i},"a\r\nb{i}",x\n' + ('""\n' if i % 5 == 0 else "") +
        (f'R-{i}b,5" disk,y\n' if i % 9 == 0 else "") for i in range(200)),
    "quoted fields on single lines": "".join(
        f'"R-{i}",rocket_system,"{i},5 km","say ""{i}"""\n' + ('"",""\r\n' if i % 6 == 0
                                                           else "") +
        ('"","x"\n' if i % 8 == 0 else "") for i in range(300)),
    "lone carriage returns": "".join(f"R-{i},rocket_system,{i} km\r" for i in range(200)),
}


def _rows(path: Path, size: int | None,
          encoding: str | None = None) -> list[tuple[int, int | None, list[str]]]:
    with open_manifest(str(path), encoding=encoding) as man:
        if size is None:
            return [(r, ln, list(c)) for r, ln, c in man.rows]
        assert man.blocks is not None
        return [(r, ln, list(c)) for b in man.blocks(size) for r, ln, c in csv_block_rows(b)]


def _outcome(path: Path, size: int | None, encoding: str | None = None) -> object:
    """The rows, or the rows before a file error (a quoted field left open, a byte that
    does not decode) and the one-line error."""
    got: list[tuple[int, int | None, list[str]]] = []
    try:
        with open_manifest(str(path), encoding=encoding) as man:
            if size is None:
                rows = man.rows
            else:
                assert man.blocks is not None
                rows = (row for b in man.blocks(size) for row in csv_block_rows(b))
            got.extend((r, ln, list(c)) for r, ln, c in rows)
    except ManifestError as exc:
        return got, exc.one_line()
    return got


@pytest.mark.parametrize("name", list(BODIES))
@pytest.mark.parametrize("size", [1, 17, 100, 1000, 1 << 20])
def test_blocks_give_the_whole_file_rows(tmp_path: Path, name: str, size: int) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes((HEADER + BODIES[name]).encode("utf-8"))
    whole = _rows(path, None)
    assert whole
    assert _rows(path, size) == whole


def test_blocks_random_texts(tmp_path: Path) -> None:
    rng = random.Random(3)
    pieces = ["a", "b,", ",", '"', '""', "\n", "\r\n", "\r", " ", "x y", ",,", "é«»"]
    path = tmp_path / "m.csv"
    for _ in range(200):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
        path.write_bytes((HEADER + body).encode("utf-8"))
        whole = _outcome(path, None)
        for size in (1, 5, 64):
            assert _outcome(path, size) == whole, (body, size)


def test_blocks_random_quoted_texts(tmp_path: Path) -> None:
    """Lines with quotes, well-formed or not, mixed with plain lines: the cut blocks give
    the whole-file reader's rows whichever way each block is cut."""
    rng = random.Random(5)
    fields = ["a", "", '""', '"x,y"', '"p""q"', '"m\nn"', 'b"c', ' "d"', '"e"f', '"', "r s",
              '"ü\n€"', "日本"]
    path = tmp_path / "m.csv"
    for _ in range(300):
        lines = [",".join(rng.choice(fields) for _ in range(rng.randint(1, 4)))
                 + rng.choice(["\n", "\n", "\r\n"]) for _ in range(rng.randint(0, 30))]
        path.write_bytes((HEADER + "".join(lines)).encode("utf-8"))
        whole = _outcome(path, None)
        for size in (1, 7, 40, 1 << 20):
            assert _outcome(path, size) == whole, (lines, size)


@pytest.mark.parametrize("piece", [3, 64, 1 << 20])
@pytest.mark.parametrize("size", [None, 1, 50, 1 << 20])
@pytest.mark.parametrize(("tail", "line", "rows"), [
    # the bad byte's line is the error's; the rows before it are read, whole or in blocks
    (b"R-x,rocket_system,\xff km\nR-y,rocket_system,1 km\n", 202, 200),
    (b"R-x,rocket_system,5 km\r\xff\n", 203, 201),  # after a lone CR: the next line
    (b"R-x,rocket_system,5 km\r\n\xc3(\n", 203, 201),  # a sequence cut short
    (b'R-x,"rocket\nsystem",5 km\nR-y,"a\n\xffb",1\n', 205, 201),  # in a quoted field
    (b"\xe9", 202, 200),  # the last byte, no line break
])
def test_a_byte_that_does_not_decode_is_an_error_at_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, size: int | None,
        tail: bytes, line: int, rows: int) -> None:
    from mtcr_screen.batch import readers

    monkeypatch.setattr(readers, "_PIECE", piece)
    body = "".join(f"R-{i},rocket_system,{i} km\n" for i in range(200)).encode()
    path = tmp_path / "m.csv"
    path.write_bytes(HEADER.encode() + body + tail)
    got = _outcome(path, size, "utf-8")
    assert isinstance(got, tuple), got
    assert len(got[0]) == rows
    assert got[1].startswith(f"{path}:{line}: not UTF-8 text: cannot decode byte 0x"), got[1]
    assert got == _outcome(path, None, "utf-8")


def test_a_byte_that_does_not_decode_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"id,kind,r\xffange\nR-1,rocket_system,5 km\n")
    with pytest.raises(ManifestError) as info:
        open_manifest(str(path), encoding="utf-8")
    assert info.value.one_line().startswith(f"{path}:1: not UTF-8 text: cannot decode byte 0xff")


@pytest.mark.parametrize("piece", [1, 2, 5, 4096])
def test_decoded_lines_are_a_text_streams_lines(monkeypatch: pytest.MonkeyPatch,
                                                 piece: int) -> None:
    """The lines io.TextIOWrapper(newline="") gives, whatever the pieces the bytes are
    decoded in (a \\r\\n or a character's bytes split between two)."""
    import io

    from mtcr_screen.batch import readers

    monkeypatch.setattr(readers, "_PIECE", piece)
    rng = random.Random(5)
    parts = ["a", ",", "\n", "\r\n", "\r", "é", "€", "\u2028", "\x0c", "\x85", '"', "𝄞"]
    for _ in range(300):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 40)))
        for encoding in ("utf-8", "utf-8-sig", "cp1252"):
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            want = list(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""))
            assert list(readers.decoded_lines(io.BytesIO(data), encoding)) == want, text


def test_blocks_decode_error(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    body = "".join(f"R-{i},rocket_system,{i} km\n" for i in range(5000)).encode()
    path.write_bytes(HEADER.encode() + body + b"R-1,rocket_system,\xff km\n")
    with open_manifest(str(path), encoding="utf-8") as man:
        assert man.blocks is not None
        blocks = list(man.blocks(1 << 20))  # cut as bytes: not decoded here
        assert all(isinstance(b, ByteBlock) for b in blocks)
        with pytest.raises(ManifestError, match="not UTF-8 text: cannot decode byte 0xff"):
            [row for b in blocks for row in csv_block_rows(b)]  # the worker decodes


@pytest.mark.parametrize(("encoding", "cut"), [("utf-8", True), ("utf-8-sig", True),
                                               ("cp1252", True), ("utf-16", False)])
def test_blocks_in_other_encodings(tmp_path: Path, encoding: str, cut: bool) -> None:
    """Text in an encoding whose ASCII bytes are ASCII is cut as bytes, a byte-order mark
    and non-ASCII letters included; other encodings (UTF-16) have no blocks, and --jobs
    reads them in each worker instead."""
    body = "".join(f"R-{i},rocket_system,{i} km,Zoë «{i}»\n" for i in range(3000))
    path = tmp_path / "m.csv"
    path.write_bytes(("id,kind,range,note\n" + body).encode(encoding))
    with open_manifest(str(path), encoding=encoding) as man:
        assert (man.blocks is not None) == cut
    if cut:
        assert _rows(path, 1000) == _rows(path, None)
        assert _rows(path, None)[2999] == (3000, 3001, ["R-2999", "rocket_system", "2999 km",
                                                        "Zoë «2999»"])


@pytest.mark.parametrize("bad", ["R-x,rocket\0_system,1 km\n",
                                 "R-x,rocket_system," + "9" * 140_000 + " km\n"])
@pytest.mark.parametrize("size", [100, 1 << 20])
def test_blocks_read_an_odd_record_like_the_whole_file(tmp_path: Path, bad: str,
                                                       size: int) -> None:
    """A NUL (read as a character) or an over-long field (read whole: the screener rejects
    its row): the same rows either way."""
    body = "".join(f"R-{i},rocket_system,{i} km\n" for i in range(3000))
    path = tmp_path / "m.csv"
    path.write_bytes((HEADER + body + bad + "R-z,rocket_system,5 km\n").encode("utf-8"))
    got = [_outcome(path, cut) for cut in (None, size)]
    assert got[0] == got[1]
    assert isinstance(got[0], list)
    assert got[0][3000] == (3001, 3002, bad.rstrip("\n").split(","))


@pytest.mark.parametrize("tail", ['R-y,"a 6\' booster,1 km\n', 'R-y,"a 6\' booster,1 km',
                                  'R-y,rocket_system,"1 km\nR-z,rocket_system,2 km\n'])
@pytest.mark.parametrize("size", [None, 64, 1 << 20])
def test_a_quote_never_closed_is_a_file_error(tmp_path: Path, tail: str,
                                              size: int | None) -> None:
    """A quoted field still open at the end of the text would take every later line as its
    text (the lenient csv mode ends it silently): an error at the record it starts in,
    read whole or in blocks."""
    body = "".join(f"R-{i},rocket_system,{i} km\n" for i in range(300))
    path = tmp_path / "m.csv"
    path.write_bytes((HEADER + body + tail).encode("utf-8"))
    got = _outcome(path, size)
    assert isinstance(got, tuple), got
    rows, error = got
    assert [r[:2] for r in rows] == [(i, i + 1) for i in range(1, 301)]  # every row before
    assert ":302: malformed CSV: a quoted field that starts in this record is never closed" \
        in error


def test_a_quoted_field_closed_on_the_last_line_is_read(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes((HEADER + 'R-1,"rocket\nsystem","5 km"').encode("utf-8"))
    for size in (None, 8):
        assert _outcome(path, size) == [(1, 2, ["R-1", "rocket\nsystem", "5 km"])]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_blocks_random_bytes(tmp_path: Path, encoding: str) -> None:
    """Random bytes, some not valid in the encoding: cut as bytes, the blocks give the
    whole-file reader's rows, or the same one-line error for the first bad byte."""
    rng = random.Random(11)
    pieces = [b"a", b",", b'"', b'""', b"\n", b"\r\n", b"\r", b"\xc3\xa9", b"\xe9", b"\xff",
              b"\x81", b"x y", b"\xe2\x82\xac"]
    path = tmp_path / "m.csv"
    for _ in range(300):
        body = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        path.write_bytes(HEADER.encode() + body)
        whole = _outcome(path, None, encoding)
        for size in (1, 6, 64):
            assert _outcome(path, size, encoding) == whole, (body, size)


def test_no_blocks_without_pread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no ``os.pread`` (Windows), a CSV is not cut: --jobs has each worker
    read the whole file instead."""
    import os

    path = tmp_path / "m.csv"
    path.write_bytes((HEADER + BODIES["plain"]).encode("utf-8"))
    monkeypatch.delattr(os, "pread")
    with open_manifest(str(path)) as man:
        assert man.blocks is None
        assert len(list(man.rows)) == 200
