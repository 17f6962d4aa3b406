"""Exports: JSON Lines and CSV round trips, filters, and re-checking hashes from an export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mtcr_screen.records import CSV_COLUMNS, GENESIS_HASH, DecisionLog, LogRecord, NewRecord

T0 = datetime(2025, 6, 1, tzinfo=UTC)


def entry(n: int, **changes: Any) -> NewRecord:
    fields: dict[str, Any] = {
        "kind": "screen",
        "input_text": f'{{"kind": "propellant", "name": "HTPB", "lot": {n}}}',
        "input_format": "json",
        "tool_version": "0.1.0",
        "annex_edition": "MTCR/TEM/2023/Annex",
        "annex_sha256": "12" * 32,
        "lists": [{"name": "destinations", "as_of": "2025-05-01"},
                  {"name": "denied-parties", "as_of": "2025-05-20"}],
        "decision": {"recommendation": "license-required", "matches": ["4.C.6"],
                     "text": 'quotes " commas, newlines\nand µ'},
        "recommendation": "license-required",
        "category": "II",
        "operator": None if n % 2 else "carol",
        "ref": f"EXP-{n % 2}",
    }
    fields.update(changes)
    return NewRecord(**fields)


@pytest.fixture
def log(tmp_path: Path) -> Iterator[DecisionLog]:
    ticks = iter(T0 + timedelta(days=d) for d in range(100))
    with DecisionLog(tmp_path / "decisions.sqlite3", clock=lambda: next(ticks)) as opened:
        for n in range(1, 6):
            opened.append(entry(n))
        yield opened


def test_jsonl_round_trip(log: DecisionLog) -> None:
    out = io.StringIO()

    written = log.export("jsonl", out)

    lines = out.getvalue().splitlines()
    assert written == len(lines) == 5
    assert [json.loads(line) for line in lines] == [r.to_dict() for r in log.query()]
    assert list(json.loads(lines[0])) == list(log.get(1).to_dict())  # stable key order


def test_jsonl_export_can_be_rechecked_with_the_standard_library_alone(
    log: DecisionLog,
) -> None:
    out = io.StringIO()
    log.export("jsonl", out)

    previous = "0" * 64
    for line in out.getvalue().splitlines():
        record = json.loads(line)
        claimed = record.pop("record_hash")
        canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == claimed
        assert record["prev_hash"] == previous
        previous = claimed
    assert previous == log.head().hash


def test_csv_round_trip(log: DecisionLog, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        written = log.export("csv", out)

    with path.open(newline="", encoding="utf-8") as back:
        reader = csv.DictReader(back)
        rows = list(reader)
        header = reader.fieldnames

    records: list[LogRecord] = list(log.query())
    assert written == len(rows) == 5
    assert header == list(CSV_COLUMNS)
    for row, record in zip(rows, records, strict=True):
        assert json.loads(row.pop("decision")) == record.decision
        assert int(row.pop("id")) == record.id
        expected = record.to_dict()
        assert row == {c: expected[c] or "" for c in row}
    assert rows[0]["operator"] == ""
    assert rows[0]["prev_hash"] == GENESIS_HASH


def test_csv_decision_is_compact_json(log: DecisionLog) -> None:
    out = io.StringIO()
    log.export("csv", out, limit=1)

    row = next(csv.DictReader(io.StringIO(out.getvalue())))

    assert row["decision"].startswith('{"matches":["4.C.6"],"recommendation":')


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_filters(log: DecisionLog, fmt: str) -> None:
    def count(**filters: Any) -> int:
        return log.export(fmt, io.StringIO(), **filters)  # type: ignore[arg-type]

    assert count() == 5
    assert count(ref="EXP-1") == 3
    assert count(since=T0 + timedelta(days=3)) == 3  # days 3, 4, 5 (day 0 created the log)
    assert count(recommendation="approve") == 0
    assert count(ref="EXP-0", limit=1) == 1


def test_export_of_an_empty_log(tmp_path: Path) -> None:
    with DecisionLog(tmp_path / "empty.sqlite3") as log:
        jsonl, table = io.StringIO(), io.StringIO()
        assert log.export("jsonl", jsonl) == 0
        assert log.export("csv", table) == 0
    assert jsonl.getvalue() == ""
    assert table.getvalue() == ",".join(CSV_COLUMNS) + "\n"
