"""DecisionLog: an append-only, hash-chained record of screening decisions in SQLite.

See ``docs/records.md`` for what is stored, the hash-chain format, what :meth:`verify`
can and cannot detect, and the concurrency design.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal, TextIO

from mtcr_screen.errors import LogError
from mtcr_screen.records import storage
from mtcr_screen.records.model import (
    GENESIS_HASH,
    Head,
    LogRecord,
    NewRecord,
    VerifyResult,
    canonical_json,
    hash_fragments,
    sha256_text,
)

Clock = Callable[[], datetime]
ExportFormat = Literal["jsonl", "csv"]

_PAGE_SIZE = 500
_INSERT = f"INSERT INTO records ({storage.COLUMNS}) VALUES ({', '.join('?' * 17)})"
_SELECT = f"SELECT {storage.COLUMNS} FROM records"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def format_timestamp(moment: datetime) -> str:
    """``moment`` as stored in ``created_at``: UTC, ISO 8601, microseconds, ``+00:00``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"the log needs timezone-aware datetimes, got naive {moment.isoformat()}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A NewRecord serialised and checked before the write lock is taken."""

    entry: NewRecord
    lists_json: str
    decision_json: str
    input_sha256: str
    fragments: dict[str, str]


def _prepare(entry: NewRecord, position: int) -> _Prepared:
    where = "" if position == 0 else f" (entry {position + 1} of the batch)"
    try:
        lists_json = canonical_json(entry.lists)
        decision_json = canonical_json(entry.decision)
    except (TypeError, ValueError) as exc:
        raise LogError(
            f"cannot log the decision{where}: it is not JSON-safe ({exc})",
            hint="pass plain dicts, lists, strings, finite numbers, booleans and None",
        ) from exc
    fragments = {
        "kind": canonical_json(entry.kind),
        "ref": canonical_json(entry.ref),
        "operator": canonical_json(entry.operator),
        "recommendation": canonical_json(entry.recommendation),
        "category": canonical_json(entry.category),
        "input_format": canonical_json(entry.input_format),
        "input_text": canonical_json(entry.input_text),
        "tool_version": canonical_json(entry.tool_version),
        "annex_edition": canonical_json(entry.annex_edition),
        "annex_sha256": canonical_json(entry.annex_sha256),
        "lists": lists_json,
        "decision": decision_json,
    }
    try:
        input_sha256 = sha256_text(entry.input_text)
        "".join(fragments.values()).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise LogError(
            f"cannot log the decision{where}: its text is not valid Unicode ({exc.reason})",
            hint="decode input files with errors='replace' before screening",
        ) from exc
    fragments["input_sha256"] = canonical_json(input_sha256)
    return _Prepared(entry, lists_json, decision_json, input_sha256, fragments)


def _row_to_record(row: Sequence[Any], path: Path) -> LogRecord:
    try:
        lists = json.loads(row[13])
        decision = json.loads(row[14])
    except (TypeError, ValueError) as exc:
        raise LogError(
            f"record {row[0]} is damaged: its stored JSON cannot be read",
            location=str(path),
            hint="run verify",
        ) from exc
    if not isinstance(decision, dict) or not isinstance(lists, list):
        raise LogError(
            f"record {row[0]} is damaged: its stored decision is not a decision",
            location=str(path),
            hint="run verify",
        )
    return _record(row, lists, decision)


def _record(row: Sequence[Any], lists: Any, decision: Any) -> LogRecord:
    """A LogRecord from a row of ``storage.COLUMNS`` and the parsed lists and decision."""
    return LogRecord(
        id=row[0], created_at=row[1], kind=row[2], ref=row[3], operator=row[4],
        recommendation=row[5], category=row[6], input_format=row[7], input_text=row[8],
        input_sha256=row[9], tool_version=row[10], annex_edition=row[11],
        annex_sha256=row[12], lists=lists, decision=decision, prev_hash=row[15],
        record_hash=row[16],
    )


def _row_problem(row: Sequence[Any], prev_id: int, prev_hash: str) -> str | None:
    """What is wrong with one stored row, given the row before it; None if it is intact."""
    rid = row[0]
    if rid != prev_id + 1:
        missing = f"record {prev_id + 1} is" if rid == prev_id + 2 else (
            f"records {prev_id + 1} to {rid - 1} are"
        )
        before = f"record {prev_id}" if prev_id else "the start of the log"
        return f"record {rid} follows {before}: {missing} missing (deleted, or ids changed)"
    try:
        fragments = {
            name: canonical_json(row[i])
            for i, name in enumerate(
                ("id", "created_at", "kind", "ref", "operator", "recommendation", "category",
                 "input_format", "input_text", "input_sha256", "tool_version", "annex_edition",
                 "annex_sha256")
            )
        }
        if not isinstance(row[13], str) or not isinstance(row[14], str):
            raise TypeError("lists and decision must be stored as JSON text")
        fragments["lists"] = row[13]
        fragments["decision"] = row[14]
        fragments["prev_hash"] = canonical_json(row[15])
        recomputed = hash_fragments(fragments)
    except (TypeError, ValueError):
        recomputed = None
    if recomputed != row[16]:
        return f"record {rid} does not match its record_hash: the record or its hash was changed"
    if row[15] != prev_hash:
        return (
            f"record {rid}: prev_hash is not the record_hash of "
            f"{f'record {prev_id}' if prev_id else 'the genesis value'}: the chain is broken "
            f"(a record before it was changed and re-hashed, or replaced)"
        )
    if sha256_text(row[8]) != row[9]:
        return f"record {rid}: input_sha256 does not match input_text"
    return None


class DecisionLog:
    """The decision log in one SQLite file; open it, append, query, export, verify, close.

    Use it as a context manager (``with DecisionLog(path) as log:``) or call :meth:`close`.
    Every method raises :class:`~mtcr_screen.errors.LogError` for problems with the file
    (it cannot be opened, is not a decision log, the disk is full, ...), never a raw
    ``sqlite3`` error. One instance belongs to one thread; any number of processes may
    append to the same file at once.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Clock | None = None,
        busy_timeout: float = 30.0,
    ) -> None:
        """Open the log at ``path``, creating the file, its directory and schema if needed.

        ``clock`` returns the current time as an aware datetime (for tests); ``busy_timeout``
        is how many seconds a writer waits for another process's write to finish.
        """
        self.path = Path(path)
        self._clock: Clock = clock or _utc_now
        self._conn: sqlite3.Connection | None = None
        self._conn = self._open(busy_timeout)

    def _open(self, busy_timeout: float) -> sqlite3.Connection:
        if self.path.is_dir():
            raise LogError(
                "cannot open the decision log: the path is a directory",
                location=str(self.path),
                hint=f"give a file path, such as {self.path / 'decisions.sqlite3'}",
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LogError(
                f"cannot create the directory of the decision log: {exc.strerror or exc}",
                location=str(self.path.parent),
                hint="check the permissions, or choose another path with MTCR_SCREEN_LOG",
            ) from exc
        with storage.sqlite_errors("open", self.path):
            conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        try:
            with storage.sqlite_errors("open", self.path):
                conn.execute("PRAGMA synchronous = FULL")  # durable on COMMIT, also in WAL
                if storage.is_empty(conn):
                    storage.create_schema(conn, format_timestamp(self._clock()), busy_timeout)
                storage.check_schema(conn, self.path)
        except BaseException:
            conn.close()
            raise
        return conn

    # -- life cycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database connection; calling it again does nothing."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> DecisionLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"DecisionLog({str(self.path)!r}, {state})"

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LogError("the decision log is closed", location=str(self.path))
        return self._conn

    def _errors(self, action: str) -> Any:
        return storage.sqlite_errors(action, self.path)

    # -- writing ----------------------------------------------------------------------------

    def append(self, entry: NewRecord) -> LogRecord:
        """Append one decision and return it as stored (with id, timestamp and hashes)."""
        return self.append_many([entry])[0]

    def append_many(self, entries: Iterable[NewRecord]) -> list[LogRecord]:
        """Append decisions in one transaction: all of them are stored, or none.

        They get consecutive ids and one shared ``created_at``. Serialisation happens before
        the write lock is taken, so other processes wait only for hashing and inserting.
        """
        prepared = [_prepare(entry, i) for i, entry in enumerate(entries)]
        if not prepared:
            return []
        conn = self._connection()
        with self._errors("append to"), storage.write_transaction(conn):
            head = self._read_head(conn)
            created_at = format_timestamp(self._clock())
            created_fragment = canonical_json(created_at)
            prev_hash = head.hash
            rows: list[tuple[Any, ...]] = []
            records: list[LogRecord] = []
            for offset, item in enumerate(prepared, start=1):
                rid = head.id + offset
                fragments = item.fragments | {
                    "id": str(rid),
                    "created_at": created_fragment,
                    "prev_hash": f'"{prev_hash}"',
                }
                record_hash = hash_fragments(fragments)
                e = item.entry
                rows.append((
                    rid, created_at, e.kind, e.ref, e.operator, e.recommendation, e.category,
                    e.input_format, e.input_text, item.input_sha256, e.tool_version,
                    e.annex_edition, e.annex_sha256, item.lists_json, item.decision_json,
                    prev_hash, record_hash,
                ))
                prev_hash = record_hash
            conn.executemany(_INSERT, rows)
            last = rows[-1][0]
            conn.executemany(
                "UPDATE meta SET value = ? WHERE key = ?",
                [(str(last), "head_id"), (prev_hash, "head_hash"),
                 (str(head.count + len(rows)), "record_count")],
            )
        for row, item in zip(rows, prepared, strict=True):
            # Normalised through JSON, so the record equals what a later read returns.
            records.append(
                _record(row, json.loads(item.lists_json), json.loads(item.decision_json))
            )
        return records

    def _read_head(self, conn: sqlite3.Connection) -> _MetaHead:
        values = dict(conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('head_id', 'head_hash', 'record_count')"
        ).fetchall())
        try:
            return _MetaHead(
                int(values["head_id"]), str(values["head_hash"]), int(values["record_count"])
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise LogError(
                "the head of the decision log (in its meta table) is missing or damaged",
                location=str(self.path),
                hint="nothing was written; run verify and restore the log from a backup",
            ) from exc

    # -- reading ----------------------------------------------------------------------------

    def head(self) -> Head:
        """The id and record_hash of the last record; ``(0, "000…0")`` for an empty log.

        Copy it somewhere the log's writers cannot change (a ticket, an e-mail, a signed
        file) and pass it to :meth:`verify` later to detect a rewrite of the whole chain.
        """
        conn = self._connection()
        with self._errors("read"):
            meta = self._read_head(conn)
        return Head(meta.id, meta.hash)

    def count(self) -> int:
        """How many records the log holds."""
        conn = self._connection()
        with self._errors("read"):
            return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])

    def get(self, record_id: int) -> LogRecord:
        """The record with this id; :class:`LogError` if there is none."""
        conn = self._connection()
        with self._errors("read"):
            row = conn.execute(f"{_SELECT} WHERE id = ?", (record_id,)).fetchone()
            if row is None:
                last = self._read_head(conn).id
        if row is None:
            held = f"it holds records 1 to {last}" if last else "it is empty"
            raise LogError(
                f"no record with id {record_id} in the decision log",
                location=str(self.path),
                hint=held,
            )
        return _row_to_record(row, self.path)

    def query(
        self,
        *,
        since: datetime | date | None = None,
        ref: str | None = None,
        recommendation: str | None = None,
        limit: int | None = None,
    ) -> Iterator[LogRecord]:
        """Records in id order, filtered; all filters given must match.

        ``since`` keeps records created at or after that moment (an aware datetime) or day
        (a date, from midnight UTC); ``ref`` and ``recommendation`` match exactly; ``limit``
        stops after that many records. Records are read in pages, so iterating holds no
        lock and appends by this or another process may go on meanwhile.
        """
        conditions: list[str] = []
        params: list[Any] = []
        if since is not None:
            if not isinstance(since, datetime):
                since = datetime.combine(since, time(0), tzinfo=UTC)
            conditions.append("created_at >= ?")
            params.append(format_timestamp(since))
        if ref is not None:
            conditions.append("ref = ?")
            params.append(ref)
        if recommendation is not None:
            conditions.append("recommendation = ?")
            params.append(recommendation)
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be 0 or more, got {limit}")
        where = "".join(f" AND {c}" for c in conditions)
        return self._pages(f"{_SELECT} WHERE id > ?{where} ORDER BY id LIMIT ?", params, limit)

    def _pages(self, sql: str, params: list[Any], limit: int | None) -> Iterator[LogRecord]:
        conn = self._connection()
        after = 0
        remaining = limit
        while remaining is None or remaining > 0:
            size = _PAGE_SIZE if remaining is None else min(_PAGE_SIZE, remaining)
            with self._errors("read"):
                rows = conn.execute(sql, (after, *params, size)).fetchall()
            for row in rows:
                yield _row_to_record(row, self.path)
            if len(rows) < size:
                return
            after = rows[-1][0]
            if remaining is not None:
                remaining -= len(rows)

    def export(
        self,
        fmt: ExportFormat,
        out: TextIO,
        *,
        since: datetime | date | None = None,
        ref: str | None = None,
        recommendation: str | None = None,
        limit: int | None = None,
    ) -> int:
        """Write the (filtered) records to ``out`` as JSON Lines or CSV; return how many.

        The filters are those of :meth:`query`. See :mod:`mtcr_screen.records.export`.
        """
        from mtcr_screen.records.export import exporter

        write = exporter(fmt)
        records = self.query(since=since, ref=ref, recommendation=recommendation, limit=limit)
        return write(records, out)

    # -- checking ---------------------------------------------------------------------------

    def verify(self, *, expected_head: tuple[int, str] | None = None) -> VerifyResult:
        """Check the whole chain and name the first bad record.

        Detects an edited record or record_hash, a deleted or reordered record, records
        removed from the end (against the head kept in ``meta``) and records added outside
        this class. With ``expected_head`` (a :meth:`head` copied elsewhere earlier) it also
        detects a consistent rewrite of the chain up to that record.
        """
        conn = self._connection()
        with self._errors("verify"), storage.read_transaction(conn):
            try:
                meta: _MetaHead | None = self._read_head(conn)
            except LogError:
                meta = None  # reported after the records are checked
            return self._verify_rows(
                conn.execute(f"{_SELECT} ORDER BY id"), meta, expected_head
            )

    @staticmethod
    def _verify_rows(
        rows: Iterable[Sequence[Any]],
        meta: _MetaHead | None,
        expected: tuple[int, str] | None,
    ) -> VerifyResult:
        prev_id, prev_hash, checked = 0, GENESIS_HASH, 0
        for row in rows:
            checked += 1
            problem = _row_problem(row, prev_id, prev_hash)
            if problem is None and expected is not None and row[0] == expected[0] and (
                row[16] != expected[1]
            ):
                problem = (
                    f"record {row[0]} is not the head exported earlier "
                    f"(its hash differs): the log was rewritten"
                )
            if problem is not None:
                return VerifyResult(False, checked, row[0], problem)
            prev_id, prev_hash = row[0], row[16]
        if expected is not None and expected[0] > prev_id:
            return VerifyResult(
                False, checked, prev_id + 1,
                f"the log ends at record {prev_id}, before the head exported earlier "
                f"(record {expected[0]}): records were removed",
            )
        if meta is None:
            return VerifyResult(
                False, checked, None,
                "the records are intact, but the head in meta is missing or damaged",
            )
        if meta.id > prev_id:
            return VerifyResult(
                False, checked, prev_id + 1,
                f"the log ends at record {prev_id} but its recorded head is record {meta.id}: "
                f"the last {meta.id - prev_id} record(s) were removed",
            )
        if meta.id < prev_id:
            return VerifyResult(
                False, checked, meta.id + 1,
                f"record {meta.id + 1} lies beyond the recorded head (record {meta.id}): "
                f"records were added outside mtcr-screen, or the head was changed",
            )
        if meta.hash != prev_hash or meta.count != checked:
            return VerifyResult(
                False, checked, prev_id or None,
                "the head recorded in meta does not match the last record: meta was changed",
            )
        return VerifyResult(True, checked)


@dataclass(frozen=True, slots=True)
class _MetaHead:
    id: int
    hash: str
    count: int
