"""DecisionLog: appending, reading back, filters, head, default path, and LogError cases."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtcr_screen.errors import LogError, UsageError
from mtcr_screen.records import (
    GENESIS_HASH,
    DecisionLog,
    LogRecord,
    NewRecord,
    canonical_json,
    default_log_path,
)
from mtcr_screen.records.model import sha256_text

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def entry(n: int = 1, **changes: Any) -> NewRecord:
    """A plausible screening record; ``n`` varies the input, ``changes`` override fields."""
    fields: dict[str, Any] = {
        "kind": "screen",
        "input_text": f"kind: rocket-stage\nrange: {300 + n} km\npayload: 500 kg\n",
        "input_format": "yaml",
        "tool_version": "0.1.0",
        "annex_edition": "MTCR/TEM/2023/Annex",
        "annex_sha256": "ab" * 32,
        "lists": [{"name": "destinations", "as_of": "2025-01-15"}],
        "decision": {"recommendation": "deny", "matches": ["1.A.1"], "range_km": 300 + n},
        "recommendation": "deny",
        "category": "I",
        "operator": "alice",
        "ref": f"EXP-{n}",
    }
    fields.update(changes)
    return NewRecord(**fields)


class StepClock:
    """A clock that starts at T0 and advances one hour per call."""

    def __init__(self) -> None:
        self.now = T0 - timedelta(hours=1)

    def __call__(self) -> datetime:
        self.now += timedelta(hours=1)
        return self.now


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "decisions.sqlite3"


@pytest.fixture
def log(log_path: Path) -> Iterator[DecisionLog]:
    DecisionLog(log_path).close()  # created first, so the first tick of the clock is record 1's
    with DecisionLog(log_path, clock=StepClock()) as opened:
        yield opened


# -- appending and reading back ---------------------------------------------------------------


def test_append_three_then_query_lists_them_in_order(log: DecisionLog) -> None:
    appended = [log.append(entry(n)) for n in (1, 2, 3)]

    listed = list(log.query())

    assert listed == appended
    assert [r.id for r in listed] == [1, 2, 3]
    assert [r.ref for r in listed] == ["EXP-1", "EXP-2", "EXP-3"]
    assert log.verify().ok


def test_log_adds_id_timestamp_input_hash_and_chain(log: DecisionLog) -> None:
    first = log.append(entry(1))
    second = log.append(entry(2))

    assert first.created_at == "2025-03-01T09:30:00.000000+00:00"
    assert second.created == T0 + timedelta(hours=1)
    assert first.input_sha256 == sha256_text(entry(1).input_text)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.record_hash
    assert first.record_hash == first.compute_hash()


def test_record_hash_is_sha256_of_canonical_json_of_the_other_fields(log: DecisionLog) -> None:
    record = log.append(entry(1, decision={"z": 1, "a": ["µ", 2.5, None, True]}))

    hashed = record.to_dict()
    del hashed["record_hash"]
    text = json.dumps(hashed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    assert record.record_hash == sha256_text(text)
    assert sorted(hashed) == sorted(
        ["id", "created_at", "kind", "ref", "operator", "recommendation", "category",
         "input_format", "input_text", "input_sha256", "tool_version", "annex_edition",
         "annex_sha256", "lists", "decision", "prev_hash"]
    )


def test_to_dict_has_a_stable_key_order_and_is_json_safe(log: DecisionLog) -> None:
    record = log.append(entry(1))

    data = record.to_dict()

    assert list(data) == [
        "id", "created_at", "kind", "ref", "operator", "recommendation", "category",
        "input_format", "input_text", "input_sha256", "tool_version", "annex_edition",
        "annex_sha256", "lists", "decision", "prev_hash", "record_hash",
    ]
    assert json.loads(json.dumps(data)) == data


def test_get_returns_the_record_as_appended(log: DecisionLog) -> None:
    appended = log.append(entry(1, operator=None, ref=None))

    assert log.get(1) == appended


def test_append_many_is_one_chain_with_one_timestamp(log: DecisionLog) -> None:
    log.append(entry(0))

    batch = log.append_many(entry(n, kind="batch") for n in range(1, 6))

    assert [r.id for r in batch] == [2, 3, 4, 5, 6]
    assert len({r.created_at for r in batch}) == 1
    assert [r.prev_hash for r in batch[1:]] == [r.record_hash for r in batch[:-1]]
    assert list(log.query())[1:] == batch
    assert log.append_many([]) == []
    assert log.verify().ok


def test_head_and_count(log: DecisionLog) -> None:
    assert log.head() == (0, GENESIS_HASH)
    assert log.count() == 0

    last = log.append_many([entry(1), entry(2)])[-1]

    assert log.head() == (2, last.record_hash)
    assert log.count() == 2


def test_records_survive_reopening(log_path: Path) -> None:
    with DecisionLog(log_path) as first:
        appended = first.append(entry(1))
    with DecisionLog(log_path) as second:
        assert second.get(1) == appended
        assert second.append(entry(2)).prev_hash == appended.record_hash
        assert second.verify().ok


def test_decision_is_normalised_through_json(log: DecisionLog) -> None:
    record = log.append(entry(1, decision={"matches": ("1.A.1", "2.A.1"), "ok": False}))

    assert record.decision == {"matches": ["1.A.1", "2.A.1"], "ok": False}
    assert log.get(1) == record


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(decision=st.dictionaries(st.text(max_size=8), json_values, max_size=5),
       text=st.text(), ref=st.none() | st.text(max_size=20))
def test_any_json_decision_round_trips_and_verifies(
    decision: dict[str, Any], text: str, ref: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder, DecisionLog(Path(folder) / "h.sqlite3") as log:
        record = log.append(entry(1, decision=decision, input_text=text, ref=ref))
        assert record.decision == json.loads(canonical_json(decision))
        assert log.get(1) == record
        assert record.compute_hash() == record.record_hash
        assert log.verify().ok


# -- query filters ----------------------------------------------------------------------------


@pytest.fixture
def five(log: DecisionLog) -> list[LogRecord]:
    """Five records created an hour apart from T0, alternating deny / approve."""
    return [
        log.append(entry(n, ref="EXP-A" if n % 2 else "EXP-B",
                         recommendation="deny" if n % 2 else "approve"))
        for n in range(1, 6)
    ]


def ids(records: Iterator[LogRecord]) -> list[int]:
    return [r.id for r in records]


def test_query_since_a_datetime_is_inclusive(log: DecisionLog, five: list[LogRecord]) -> None:
    assert ids(log.query(since=T0 + timedelta(hours=2))) == [3, 4, 5]
    assert ids(log.query(since=T0 + timedelta(hours=2, microseconds=1))) == [4, 5]


def test_query_since_converts_other_timezones(log: DecisionLog, five: list[LogRecord]) -> None:
    from datetime import timezone

    plus_two = timezone(timedelta(hours=2))
    since = (T0 + timedelta(hours=3)).astimezone(plus_two)

    assert ids(log.query(since=since)) == [4, 5]


def test_query_since_a_date_starts_at_midnight_utc(log: DecisionLog, five: list[LogRecord]) -> None:
    assert ids(log.query(since=date(2025, 3, 1))) == [1, 2, 3, 4, 5]
    assert ids(log.query(since=date(2025, 3, 2))) == []


def test_query_since_a_naive_datetime_is_refused(log: DecisionLog) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        log.query(since=datetime(2025, 3, 1))


def test_query_by_ref_recommendation_and_limit(log: DecisionLog, five: list[LogRecord]) -> None:
    assert ids(log.query(ref="EXP-A")) == [1, 3, 5]
    assert ids(log.query(recommendation="approve")) == [2, 4]
    assert ids(log.query(ref="EXP-A", recommendation="approve")) == []
    assert ids(log.query(ref="EXP-A", limit=2)) == [1, 3]
    assert ids(log.query(limit=0)) == []
    assert ids(log.query(ref="nope")) == []


def test_query_pages_through_more_than_one_page(log: DecisionLog) -> None:
    log.append_many(entry(n, ref="even" if n % 2 == 0 else "odd") for n in range(1, 1301))

    assert ids(log.query()) == list(range(1, 1301))
    assert ids(log.query(ref="even")) == list(range(2, 1301, 2))
    assert ids(log.query(ref="odd", limit=501))[-1] == 1001


# -- default path -----------------------------------------------------------------------------


def test_default_path_honours_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MTCR_SCREEN_LOG", str(tmp_path / "mine.sqlite3"))

    assert default_log_path() == tmp_path / "mine.sqlite3"


def test_default_path_is_in_the_user_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("MTCR_SCREEN_LOG", raising=False)

    path = default_log_path()

    assert path == Path(platformdirs.user_data_dir("mtcr-screen")) / "decisions.sqlite3"


def test_a_new_log_is_created_with_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "decisions.sqlite3"

    with DecisionLog(path) as log:
        assert log.count() == 0

    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        mode = conn.execute("PRAGMA journal_mode").fetchone()
    conn.close()
    assert version == ("1",)
    assert mode == ("wal",)


# -- errors -----------------------------------------------------------------------------------


def test_a_directory_is_not_a_log(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="is a directory") as caught:
        DecisionLog(tmp_path)

    assert caught.value.location is not None
    assert caught.value.location.source == str(tmp_path)
    assert caught.value.hint


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the records you are looking for\n" * 100)

    with pytest.raises(LogError, match="not an SQLite database") as caught:
        DecisionLog(path)

    assert str(path) in str(caught.value)
    assert path.read_text().startswith("these are not")  # left untouched


def test_a_database_of_another_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()

    with pytest.raises(LogError, match="another kind"):
        DecisionLog(path)


def test_a_log_of_a_newer_schema_is_refused(log_path: Path) -> None:
    DecisionLog(log_path).close()
    conn = sqlite3.connect(log_path)
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()

    with pytest.raises(LogError, match="schema version '2'") as caught:
        DecisionLog(log_path)

    assert caught.value.hint == "upgrade mtcr-screen"


def test_an_empty_file_becomes_a_new_log(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()

    with DecisionLog(path) as log:
        assert log.append(entry(1)).id == 1


def test_unknown_id_names_the_range_held(log: DecisionLog) -> None:
    with pytest.raises(LogError, match="no record with id 1 ") as caught:
        log.get(1)
    assert caught.value.hint == "it is empty"

    log.append_many([entry(1), entry(2)])

    with pytest.raises(LogError, match="no record with id 7 ") as caught:
        log.get(7)
    assert caught.value.hint == "it holds records 1 to 2"


def test_a_closed_log_raises_log_error(log_path: Path) -> None:
    log = DecisionLog(log_path)
    log.close()
    log.close()

    with pytest.raises(LogError, match="closed"):
        log.append(entry(1))


def test_disk_full_is_a_log_error_and_writes_nothing(log: DecisionLog) -> None:
    log.append(entry(1))
    conn = log._conn
    assert conn is not None
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(LogError, match="disk is full") as caught:
        log.append(entry(2, input_text="x" * 200_000))

    assert caught.value.hint == "free some disk space and run the command again"
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert log.count() == 1
    assert log.append(entry(3)).id == 2
    assert log.verify().ok


def test_a_read_only_log_refuses_appends_with_log_error(log_path: Path) -> None:
    with DecisionLog(log_path) as log:
        log.append(entry(1))
    uri_log = DecisionLog(log_path)
    conn = uri_log._conn
    assert conn is not None
    conn.execute("PRAGMA query_only = ON")  # stands in for a read-only file, even as root
    try:
        with pytest.raises(LogError, match="cannot append to the decision log"):
            uri_log.append(entry(2))
        assert uri_log.count() == 1
    finally:
        uri_log.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decision": {"x": float("nan")}}, "not JSON-safe"),
        ({"decision": {"x": object()}}, "not JSON-safe"),
        ({"decision": {1: "a", "b": 2}}, "not JSON-safe"),
        ({"input_text": "bad \udcff byte"}, "not valid Unicode"),
    ],
)
def test_unloggable_content_is_a_log_error(
    log: DecisionLog, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(LogError, match=message):
        log.append(entry(1, **change))
    assert log.count() == 0


def test_bad_new_records_fail_fast() -> None:
    with pytest.raises(ValueError, match="no such record kind"):
        entry(1, kind="audit")
    with pytest.raises(TypeError, match="recommendation must be a str"):
        entry(1, recommendation=3)


def test_unknown_export_format_names_the_choices(log: DecisionLog) -> None:
    import io

    with pytest.raises(UsageError, match='no such export format: "xml" \\(choose jsonl, csv\\)'):
        log.export("xml", io.StringIO())  # type: ignore[arg-type]


def test_clock_must_be_timezone_aware(log_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        DecisionLog(log_path, clock=lambda: datetime(2025, 1, 1))



@pytest.mark.slow
def test_a_batch_of_100_000_rows_is_one_transaction(log: DecisionLog) -> None:
    log.append(entry(0))

    records = log.append_many(entry(n, kind="batch", ref=f"B-{n}") for n in range(100_000))

    assert (records[0].id, records[-1].id) == (2, 100_001)
    assert log.head() == (100_001, records[-1].record_hash)
    assert log.verify().ok
    assert log.verify().checked == 100_001


@pytest.mark.parametrize("args", [["log", "list"], ["log", "show", "1"], ["log", "verify"],
                                  ["log", "export"], ["rescreen", "--no-log"]])
def test_reading_a_log_that_is_not_there_is_an_error(tmp_path: Path, args: list[str]) -> None:
    """Not a new, empty log that reads as "no records" (and is left behind)."""
    from tests.conftest import run_cli

    where = tmp_path / "missing.db"
    res = run_cli(*args, "--log", str(where), expect=2)
    assert res.stderr.startswith(f"Error: {where}: no decision log here")
    assert not where.exists()
