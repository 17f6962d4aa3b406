"""Readers for denied-party lists: CSL CSV, CSL JSON and OpenSanctions ``targets.simple.csv``.

:func:`load_party_list` reads the file once, detects the format from its content (a JSON
document, or a CSV header read by column *name*), and returns a :class:`PartyList`. Anything
that would make a list look emptier than it is (an empty file, a header without a ``name``
column, undecodable bytes, malformed JSON, a row without a name, zero entries) raises
:class:`~mtcr_screen.errors.ListError` pointing at the file, line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from mtcr_screen import countries
from mtcr_screen.errors import ListError, Location, SpecError
from mtcr_screen.parties.model import AsOfBasis, ListFormat, PartyEntry, PartyList

DEFAULT_LIST_NAMES: dict[ListFormat, str] = {
    ListFormat.CSL_CSV: "CSL",
    ListFormat.CSL_JSON: "CSL",
    ListFormat.OPENSANCTIONS_CSV: "OpenSanctions",
}
# Columns that identify a CSV as the OpenSanctions simplified export, or as the CSL.
_OPENSANCTIONS_MARKERS = frozenset({"schema", "dataset", "last_change"})
_CSL_MARKERS = frozenset({"_id", "source", "alt_names", "entity_number", "source_list_url"})


def load_party_list(path: str | Path, *, list_name: str | None = None) -> PartyList:
    """Read a party list file in any supported format.

    ``list_name`` overrides the name recorded on every entry (default ``CSL`` or
    ``OpenSanctions``). Raises :class:`ListError` when the file is missing, unreadable,
    malformed or holds no entries.
    """
    file = Path(path)
    where = str(file)
    try:
        data = file.read_bytes()
        mtime = file.stat().st_mtime
    except OSError as exc:
        raise ListError(
            f"cannot read party list: {exc.strerror or exc}",
            location=Location(where),
            hint="check the path given for the denied-party list",
        ) from exc
    text = _decode(data, where)
    if not text.strip():
        raise ListError("party list file is empty", location=Location(where, 1, 1),
                        hint="the download may have failed; fetch the list again")
    sha256 = hashlib.sha256(data).hexdigest()
    if text.lstrip()[:1] in ("{", "["):
        fmt = ListFormat.CSL_JSON
        entries, rows, as_of = _read_csl_json(text, where, list_name or DEFAULT_LIST_NAMES[fmt])
        basis = AsOfBasis.SOURCE_LAST_UPDATED
    else:
        fmt, entries, rows, as_of = _read_csv(text, where, list_name)
        basis = AsOfBasis.LAST_CHANGE
    if as_of is None:
        as_of = dt.datetime.fromtimestamp(mtime, tz=dt.UTC).date()
        basis = AsOfBasis.FILE_MTIME
    return PartyList(
        name=list_name or DEFAULT_LIST_NAMES[fmt],
        path=where,
        format=fmt,
        sha256=sha256,
        row_count=rows,
        entries=tuple(entries),
        as_of=as_of,
        as_of_basis=basis,
    )


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ListError(
            f"party list is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            location=Location(where, line, column),
            hint="save the list as UTF-8 (with or without BOM)",
        ) from exc


# --- CSV (CSL and OpenSanctions) -------------------------------------------------------


def _read_csv(
    text: str, where: str, list_name: str | None
) -> tuple[ListFormat, list[PartyEntry], int, dt.date | None]:
    # strict: a quote left open would otherwise end silently at the end of the file, with
    # every later entry inside one cell (and so never matched)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise ListError(f"unreadable CSV header: {exc}", location=Location(where, 1)) from exc
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise ListError(
            f"party list header names {', '.join(repr(h) for h in twice)} more than once",
            location=Location(where, 1),
            hint="which column holds the names would be a guess: remove or rename one")
    columns = set(header)
    if "name" not in columns:
        raise ListError(
            "party list header has no 'name' column",
            location=Location(where, 1, 1),
            hint=f"columns found: {', '.join(h for h in header if h) or '(none)'}; expected "
            "the CSL CSV or OpenSanctions targets.simple.csv header",
        )
    if columns >= {"id", "schema"} and columns & _OPENSANCTIONS_MARKERS - {"schema"}:
        fmt = ListFormat.OPENSANCTIONS_CSV
    elif columns & _CSL_MARKERS:
        fmt = ListFormat.CSL_CSV
    else:
        raise ListError(
            "party list header is neither CSL nor OpenSanctions",
            location=Location(where, 1, 1),
            hint="expected a CSL column such as _id, source or alt_names, or the "
            "OpenSanctions columns id, schema, dataset",
        )
    name = list_name or DEFAULT_LIST_NAMES[fmt]
    entries: list[PartyEntry] = []
    newest: dt.date | None = None
    rows = 0
    for line, row in _records(reader, header, where):
        rows += 1
        if fmt is ListFormat.CSL_CSV:
            entries.append(_csl_csv_entry(row, name, line, where, header))
        else:
            entries.append(_opensanctions_entry(row, name, line, where, header))
            changed = _date(row.get("last_change"))
            if changed is not None and (newest is None or changed > newest):
                newest = changed
    if not entries:
        raise ListError("party list has a header but no entries",
                        location=Location(where, 2), hint="the list looks truncated")
    return fmt, entries, rows, newest


def _records(
    reader: Iterator[list[str]], header: list[str], where: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (first line of the record, {column: value}); blank rows are skipped."""
    read_so_far = getattr(reader, "line_num", 1)
    while True:
        start = read_so_far + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            what = str(exc)
            if what == "unexpected end of data":  # strict mode: the file ends inside quotes
                what = "a quoted field that starts in this record is never closed"
            raise ListError(f"malformed CSV: {what}", location=Location(where, start),
                            hint='close the quote, or double a quote that is part of the '
                            'text ("")') from exc
        read_so_far = getattr(reader, "line_num", start)
        if not any(c.strip().strip("\x1a") for c in cells):
            continue  # blank line or the DOS end-of-file marker some exports carry
        if len(cells) != len(header):
            raise ListError(
                f"row has {len(cells)} fields but the header has {len(header)}",
                location=Location(where, start),
                hint="the file may be truncated or have an unquoted comma",
            )
        yield start, dict(zip(header, cells, strict=True))


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _required_name(row: Mapping[str, str], line: int, where: str, header: list[str]) -> str:
    name = (row.get("name") or "").strip()
    if not name:
        raise ListError("entry has no name", location=Location(where, line,
                        header.index("name") + 1), hint="a list entry without a name "
                        "cannot be screened; repair or re-download the list")
    return name


def _csl_csv_entry(
    row: Mapping[str, str], list_name: str, line: int, where: str, header: list[str]
) -> PartyEntry:
    name = _required_name(row, line, where, header)
    place_codes = [_address_country(a) for a in _split(row.get("addresses"))]
    person_codes = [_country(c) for c in
                    _split(row.get("nationalities")) + _split(row.get("citizenships"))]
    return PartyEntry(
        list_name=list_name,
        source=(row.get("source") or "").strip(),
        entry_id=(row.get("_id") or row.get("id") or row.get("entity_number") or "").strip()
        or f"line {line}",
        name=name,
        aliases=_split(row.get("alt_names")),
        countries=_unique(place_codes + person_codes),
        programs=_split(row.get("programs")),
        entry_type=(row.get("type") or "").strip() or None,
        remarks=(row.get("remarks") or "").strip() or None,
    )


def _opensanctions_entry(
    row: Mapping[str, str], list_name: str, line: int, where: str, header: list[str]
) -> PartyEntry:
    name = _required_name(row, line, where, header)
    programs = [s.split(" - ")[0].strip() for s in _split(row.get("sanctions"))]
    codes = [_country(c.split("-")[0]) for c in _split(row.get("countries"))]
    return PartyEntry(
        list_name=list_name,
        source="; ".join(_split(row.get("dataset"))),
        entry_id=(row.get("id") or "").strip() or f"line {line}",
        name=name,
        aliases=_split(row.get("aliases")),
        countries=_unique(codes),
        programs=_unique(programs),
        entry_type=(row.get("schema") or "").strip() or None,
        remarks=None,
    )


# --- CSL JSON -------------------------------------------------------------------------


def _read_csl_json(
    text: str, where: str, list_name: str
) -> tuple[list[PartyEntry], int, dt.date | None]:
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListError(f"malformed JSON: {exc.msg}", location=Location(where, exc.lineno,
                        exc.colno), hint="the download may be truncated") from exc
    as_of: dt.date | None = None
    if isinstance(document, dict):
        records = document.get("results")
        for used in document.get("sources_used") or []:
            updated = _date(used.get("source_last_updated")) if isinstance(used, dict) else None
            if updated is not None and (as_of is None or updated > as_of):
                as_of = updated
        prefix = "results"
    else:
        records, prefix = document, ""
    if not isinstance(records, list):
        raise ListError("CSL JSON has no 'results' list", location=Location(where, 1, 1),
                        hint="expected the bulk consolidated.json or a list of records")
    entries = [_csl_json_entry(r, list_name, where, f"{prefix}[{i}]")
               for i, r in enumerate(records)]
    if not entries:
        raise ListError("party list has no entries", location=Location(where, 1, 1),
                        hint="the list looks truncated")
    return entries, len(records), as_of


def _csl_json_entry(record: object, list_name: str, where: str, path: str) -> PartyEntry:
    if not isinstance(record, dict):
        raise ListError("record is not a JSON object", location=Location(where, detail=path))
    name = _text(record.get("name"))
    if not name:
        raise ListError("entry has no name", location=Location(where, detail=f"{path}.name"),
                        hint="a list entry without a name cannot be screened")
    codes: list[str | None] = []
    for address in _list(record.get("addresses")):
        if isinstance(address, dict):
            codes.append(_country(_text(address.get("country"))))
    for key in ("nationalities", "citizenships"):
        codes.extend(_country(_text(c)) for c in _list(record.get(key)))
    return PartyEntry(
        list_name=list_name,
        source=_text(record.get("source")),
        entry_id=_text(record.get("id")) or _text(record.get("entity_number")) or path,
        name=name,
        aliases=tuple(a for a in (_text(x) for x in _list(record.get("alt_names"))) if a),
        countries=_unique(codes),
        programs=tuple(p for p in (_text(x) for x in _list(record.get("programs"))) if p),
        entry_type=_text(record.get("type")) or None,
        remarks=_text(record.get("remarks")) or None,
    )


def _list(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return list(_split(value))
    return [value]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


# --- shared helpers -------------------------------------------------------------------


@cache
def _country(text: str | None) -> str | None:
    """An alpha-2 code for a country name or code, or None when it is not a country."""
    if not text or not text.strip():
        return None
    try:
        return countries.resolve(text)
    except SpecError:
        return None


def _address_country(address: str) -> str | None:
    """The country of a CSL CSV address: its last comma-separated part, when it is one."""
    return _country(address.rsplit(",", 1)[-1])


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
