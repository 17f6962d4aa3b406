"""verify() against an attacker who edits the log file directly with the sqlite3 module."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from mtcr_screen.records import DecisionLog, LogRecord, NewRecord
from mtcr_screen.records.model import canonical_json, sha256_text


def entry(n: int) -> NewRecord:
    return NewRecord(
        kind="screen",
        input_text=f"kind: guidance-set\naccuracy: {n} m CEP\n",
        input_format="yaml",
        tool_version="0.1.0",
        annex_edition="MTCR/TEM/2023/Annex",
        annex_sha256="cd" * 32,
        lists=[{"name": "destinations", "as_of": "2025-01-15"}],
        decision={"recommendation": "deny", "matches": ["2.A.1"], "note": f"case {n}"},
        recommendation="deny",
        category="II",
        operator="bob",
        ref=f"EXP-{n}",
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A log of five intact records."""
    path = tmp_path / "decisions.sqlite3"
    with DecisionLog(path) as log:
        log.append_many(entry(n) for n in range(1, 4))
        log.append(entry(4))
        log.append(entry(5))
        assert log.verify().ok
    return path


@pytest.fixture
def attacker(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to the log file, committing each statement."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


def verify(path: Path, **kwargs: Any) -> Any:
    with DecisionLog(path) as log:
        return log.verify(**kwargs)


def test_an_intact_log_verifies(path: Path) -> None:
    result = verify(path)

    assert (result.ok, result.checked, result.first_bad_id, result.problem) == (True, 5, None, None)


def test_one_character_edited_in_a_decision_is_named(
    path: Path, attacker: sqlite3.Connection
) -> None:
    attacker.execute(
        "UPDATE records SET decision_json = replace(decision_json, 'deny', 'denY') WHERE id = 3"
    )

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 3
    assert result.checked == 3
    assert "record 3 does not match its record_hash" in result.problem


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("recommendation", "approve"),
        ("created_at", "2020-01-01T00:00:00.000000+00:00"),
        ("input_text", "kind: nothing\n"),
        ("ref", None),
        ("operator", "mallory"),
        ("lists_json", '[{"as_of":"2026-01-15","name":"destinations"}]'),
        ("kind", 7),  # SQLite lets a TEXT column hold an integer
        ("decision_json", b"{}"),  # ... or a blob
        ("decision_json", '{"matches": ["2.A.1"], "note": "case 2", "recommendation": "deny"}'),
        ("prev_hash", "0" * 64),
    ],
)
def test_any_edited_column_is_named(
    path: Path, attacker: sqlite3.Connection, column: str, value: object
) -> None:
    attacker.execute(f"UPDATE records SET {column} = ? WHERE id = 2", (value,))

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 2


def test_a_deleted_middle_record_is_named_by_the_record_after_the_gap(
    path: Path, attacker: sqlite3.Connection
) -> None:
    attacker.execute("DELETE FROM records WHERE id = 3")

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 4
    assert "record 3 is missing" in result.problem


def test_a_deleted_first_record_is_detected(path: Path, attacker: sqlite3.Connection) -> None:
    attacker.execute("DELETE FROM records WHERE id IN (1, 2)")

    result = verify(path)

    assert result.first_bad_id == 3
    assert "records 1 to 2 are missing" in result.problem


def test_deleting_and_renumbering_is_detected(path: Path, attacker: sqlite3.Connection) -> None:
    attacker.execute("DELETE FROM records WHERE id = 3")
    attacker.execute("UPDATE records SET id = id - 1 WHERE id > 3")

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 3


def test_swapped_ids_are_detected(path: Path, attacker: sqlite3.Connection) -> None:
    attacker.execute("BEGIN")
    attacker.execute("UPDATE records SET id = -1 WHERE id = 2")
    attacker.execute("UPDATE records SET id = 2 WHERE id = 4")
    attacker.execute("UPDATE records SET id = 4 WHERE id = -1")
    attacker.execute("COMMIT")

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 2


def test_an_edited_record_hash_is_named(path: Path, attacker: sqlite3.Connection) -> None:
    attacker.execute(
        "UPDATE records SET record_hash = substr(record_hash, 1, 63) || "
        "CASE substr(record_hash, 64) WHEN '0' THEN '1' ELSE '0' END WHERE id = 4"
    )

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 4
    assert "record 4 does not match its record_hash" in result.problem


def rehash(attacker: sqlite3.Connection, record_id: int) -> None:
    """What an attacker who knows the format does: recompute one record's hash."""
    row = attacker.execute(
        "SELECT id, created_at, kind, ref, operator, recommendation, category, input_format, "
        "input_text, input_sha256, tool_version, annex_edition, annex_sha256, lists_json, "
        "decision_json, prev_hash FROM records WHERE id = ?",
        (record_id,),
    ).fetchone()
    names = ["id", "created_at", "kind", "ref", "operator", "recommendation", "category",
             "input_format", "input_text", "input_sha256", "tool_version", "annex_edition",
             "annex_sha256", "lists", "decision", "prev_hash"]
    data = dict(zip(names, row, strict=True))
    data["lists"] = json.loads(data["lists"])
    data["decision"] = json.loads(data["decision"])
    new_hash = sha256_text(canonical_json(data))
    attacker.execute("UPDATE records SET record_hash = ? WHERE id = ?", (new_hash, record_id))


def test_an_edit_with_a_recomputed_hash_breaks_the_link_to_the_next_record(
    path: Path, attacker: sqlite3.Connection
) -> None:
    attacker.execute("UPDATE records SET recommendation = 'approve' WHERE id = 2")
    rehash(attacker, 2)

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 3
    assert "prev_hash is not the record_hash of record 2" in result.problem


def test_a_truncated_tail_is_detected_from_the_head_in_meta(
    path: Path, attacker: sqlite3.Connection
) -> None:
    attacker.execute("DELETE FROM records WHERE id = 5")

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 5
    assert "the last 1 record(s) were removed" in result.problem


def test_an_emptied_log_is_detected(path: Path, attacker: sqlite3.Connection) -> None:
    attacker.execute("DELETE FROM records")

    result = verify(path)

    assert (result.ok, result.checked, result.first_bad_id) == (False, 0, 1)


def test_an_append_after_truncation_keeps_the_evidence(
    path: Path, attacker: sqlite3.Connection
) -> None:
    attacker.execute("DELETE FROM records WHERE id = 5")

    with DecisionLog(path) as log:
        appended = log.append(entry(6))
        result = log.verify()

    assert appended.id == 6  # chained to the recorded head, not to the truncated tail
    assert result.first_bad_id == 6
    assert "record 5 is missing" in (result.problem or "")


def test_a_record_inserted_behind_the_logs_back_is_detected(
    path: Path, attacker: sqlite3.Connection
) -> None:
    attacker.execute(
        "INSERT INTO records SELECT 6, created_at, kind, ref, operator, recommendation, "
        "category, input_format, input_text, input_sha256, tool_version, annex_edition, "
        "annex_sha256, lists_json, decision_json, record_hash, record_hash FROM records "
        "WHERE id = 5"
    )
    rehash(attacker, 6)

    result = verify(path)

    assert not result.ok
    assert result.first_bad_id == 6
    assert "beyond the recorded head" in result.problem


def test_an_edited_head_in_meta_is_detected(path: Path, attacker: sqlite3.Connection) -> None:
    attacker.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", ("f" * 64,))

    result = verify(path)

    assert not result.ok
    assert "meta was changed" in result.problem


def test_a_damaged_head_in_meta_is_reported_not_raised(
    path: Path, attacker: sqlite3.Connection
) -> None:
    attacker.execute("UPDATE meta SET value = 'five' WHERE key = 'head_id'")

    result = verify(path)

    assert (result.ok, result.checked, result.first_bad_id) == (False, 5, None)
    assert "head in meta is missing or damaged" in result.problem


def test_a_full_rewrite_is_caught_only_by_a_head_kept_elsewhere(
    path: Path, attacker: sqlite3.Connection
) -> None:
    with DecisionLog(path) as log:
        exported = log.head()
        records: list[LogRecord] = list(log.query())
    # The attacker rewrites every record from the edit on, and the head in meta.
    attacker.execute("UPDATE records SET recommendation = 'approve' WHERE id = 2")
    previous = records[0].record_hash
    for record_id in range(2, 6):
        attacker.execute("UPDATE records SET prev_hash = ? WHERE id = ?", (previous, record_id))
        rehash(attacker, record_id)
        previous = attacker.execute(
            "SELECT record_hash FROM records WHERE id = ?", (record_id,)
        ).fetchone()[0]
    attacker.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", (previous,))

    assert verify(path).ok  # undetectable from inside the file
    result = verify(path, expected_head=exported)
    assert not result.ok
    assert result.first_bad_id == 5
    assert "the log was rewritten" in result.problem


def test_expected_head_beyond_the_end_is_detected(path: Path) -> None:
    result = verify(path, expected_head=(9, "e" * 64))

    assert (result.ok, result.first_bad_id) == (False, 6)


def test_reading_a_record_with_damaged_json_is_a_log_error(
    path: Path, attacker: sqlite3.Connection
) -> None:
    from mtcr_screen.errors import LogError

    attacker.execute("UPDATE records SET decision_json = '{broken' WHERE id = 2")

    with DecisionLog(path) as log, pytest.raises(LogError, match="record 2 is damaged"):
        log.get(2)


@pytest.mark.parametrize("stored", ["[]", "null", '"text"'])
def test_reading_a_record_whose_json_is_not_a_decision_is_a_log_error(
    path: Path, attacker: sqlite3.Connection, stored: str
) -> None:
    """Valid JSON of the wrong shape is as damaged as broken JSON (`log list` and
    `rescreen` used to stop on it with an internal error)."""
    from mtcr_screen.errors import LogError

    attacker.execute("UPDATE records SET decision_json = ? WHERE id = 2", (stored,))

    with DecisionLog(path) as log, pytest.raises(LogError, match="record 2 is damaged"):
        log.get(2)
