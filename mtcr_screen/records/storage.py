"""The SQLite side of the log: schema, transactions, and sqlite3 errors turned into LogError."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from time import monotonic, sleep

from mtcr_screen.errors import LogError
from mtcr_screen.records.model import GENESIS_HASH

SCHEMA_VERSION = 1
#: ``PRAGMA application_id`` of a decision log: "MTCR" in ASCII, so tools can tell the file.
APPLICATION_ID = 0x4D544352

#: Columns of the ``records`` table, in the order of ``LogRecord`` fields.
COLUMNS = (
    "id, created_at, kind, ref, operator, recommendation, category, input_format, input_text, "
    "input_sha256, tool_version, annex_edition, annex_sha256, lists_json, decision_json, "
    "prev_hash, record_hash"
)

SCHEMA = (
    """CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # ids are assigned by DecisionLog (head id + 1), not by SQLite, because the id is hashed.
    """CREATE TABLE records (
        id             INTEGER PRIMARY KEY,
        created_at     TEXT NOT NULL,
        kind           TEXT NOT NULL,
        ref            TEXT,
        operator       TEXT,
        recommendation TEXT NOT NULL,
        category       TEXT NOT NULL,
        input_format   TEXT NOT NULL,
        input_text     TEXT NOT NULL,
        input_sha256   TEXT NOT NULL,
        tool_version   TEXT NOT NULL,
        annex_edition  TEXT NOT NULL,
        annex_sha256   TEXT NOT NULL,
        lists_json     TEXT NOT NULL,
        decision_json  TEXT NOT NULL,
        prev_hash      TEXT NOT NULL,
        record_hash    TEXT NOT NULL
    )""",
    "CREATE INDEX records_created_at ON records (created_at)",
    "CREATE INDEX records_ref ON records (ref)",
)

# Primary result codes (the low byte of an extended code) and what to tell the user.
_EXPLAIN: dict[int, tuple[str, str | None]] = {
    sqlite3.SQLITE_BUSY: (
        "the log stayed locked by another process",
        "another mtcr-screen process is writing to it; run the command again",
    ),
    sqlite3.SQLITE_LOCKED: (
        "the log is locked",
        "another mtcr-screen process is writing to it; run the command again",
    ),
    sqlite3.SQLITE_FULL: (
        "the disk is full (nothing was written)",
        "free some disk space and run the command again",
    ),
    sqlite3.SQLITE_READONLY: (
        "the log is read-only",
        "check the permissions of the file and of its directory",
    ),
    sqlite3.SQLITE_PERM: (
        "permission denied",
        "check the permissions of the file and of its directory",
    ),
    sqlite3.SQLITE_CANTOPEN: (
        "the file cannot be opened",
        "check that the path is a file in a directory you can write to",
    ),
    sqlite3.SQLITE_NOTADB: (
        "the file is not an SQLite database",
        "point MTCR_SCREEN_LOG (or --log) at a decision log, or at a new file",
    ),
    sqlite3.SQLITE_CORRUPT: (
        "the database file is corrupt",
        "restore the log from a backup and keep the damaged file for investigation",
    ),
    sqlite3.SQLITE_IOERR: (
        "an I/O error occurred",
        "check the disk and the file system the log is on",
    ),
}


def translate_error(exc: sqlite3.Error, action: str, path: Path) -> LogError:
    """A :class:`LogError` saying, in the user's terms, why ``action`` failed on the log."""
    code = getattr(exc, "sqlite_errorcode", None)
    what, hint = _EXPLAIN.get(code & 0xFF, (str(exc), None)) if code is not None else (
        str(exc),
        None,
    )
    return LogError(f"cannot {action} the decision log: {what}", location=str(path), hint=hint)


@contextmanager
def sqlite_errors(action: str, path: Path) -> Iterator[None]:
    """Turn any ``sqlite3.Error`` raised in the block into a :class:`LogError`."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate_error(exc, action, path) from exc


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; roll back if anything in the block (or COMMIT) fails.

    IMMEDIATE takes the write lock before the first read, so reading the head and writing
    the records after it is atomic across processes; a writer that finds the lock taken
    waits up to the connection's busy timeout.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


@contextmanager
def read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A read snapshot: every query in the block sees the same state of the log."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")


def is_empty(conn: sqlite3.Connection) -> bool:
    """True for a new database: no tables and no application id."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return bool(app_id == 0 and tables == 0)


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def switch_to_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """``PRAGMA journal_mode = WAL``, retried for up to ``timeout`` seconds while locked.

    Changing the journal mode of a new file needs an exclusive lock and, unlike other
    statements, fails at once with "database is locked" (the busy handler is not called)
    when another process is creating the same log at that moment.
    """
    deadline = monotonic() + timeout
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or monotonic() + pause > deadline:
                raise
        sleep(pause)
        pause = min(pause * 2, 0.1)


def create_schema(conn: sqlite3.Connection, created_at: str, timeout: float) -> None:
    """Create the tables of a new log, unless another process did so first.

    Switches the file to WAL (a persistent setting), then creates the schema inside
    ``BEGIN IMMEDIATE`` so that two processes opening a new log at once create it once.
    """
    switch_to_wal(conn, timeout)
    with write_transaction(conn):
        if not is_empty(conn):
            return
        for statement in SCHEMA:
            conn.execute(statement)
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [
                ("schema_version", str(SCHEMA_VERSION)),
                ("created_at", created_at),
                ("head_id", "0"),
                ("head_hash", GENESIS_HASH),
                ("record_count", "0"),
            ],
        )
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Raise :class:`LogError` unless the database is a decision log this version can read."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if app_id != APPLICATION_ID or not {"meta", "records"} <= tables:
        raise LogError(
            "cannot open the decision log: this is an SQLite database of another kind",
            location=str(path),
            hint="point MTCR_SCREEN_LOG (or --log) at a decision log, or at a new file",
        )
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = row[0] if row is not None else None
    if version != str(SCHEMA_VERSION):
        newer = isinstance(version, str) and version.isdigit() and int(version) > SCHEMA_VERSION
        raise LogError(
            f"cannot open the decision log: it has schema version {version!r}, "
            f"this mtcr-screen reads version {SCHEMA_VERSION}",
            location=str(path),
            hint="upgrade mtcr-screen" if newer else "the meta table was damaged; run verify",
        )
