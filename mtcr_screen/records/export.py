"""Writing log records out: JSON Lines (complete) and CSV (flat, for spreadsheets).

* ``jsonl``: one ``LogRecord.to_dict()`` per line, compact, keys in a stable order. Every
  field is there, so each line can be re-hashed on its own (see ``docs/records.md``).
* ``csv``: the columns in :data:`CSV_COLUMNS`; ``decision`` holds the decision as compact
  canonical JSON; the input text and the lists consulted are left out. Empty cell = None.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import TextIO

from mtcr_screen.errors import UsageError
from mtcr_screen.records.model import LogRecord, canonical_json

Exporter = Callable[[Iterable[LogRecord], TextIO], int]

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "created_at",
    "kind",
    "ref",
    "operator",
    "recommendation",
    "category",
    "annex_edition",
    "annex_sha256",
    "input_sha256",
    "record_hash",
    "prev_hash",
    "decision",
)


def write_jsonl(records: Iterable[LogRecord], out: TextIO) -> int:
    """Write one JSON object per line; return the number of records written."""
    count = 0
    for record in records:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        count += 1
    return count


def write_csv(records: Iterable[LogRecord], out: TextIO) -> int:
    """Write a header and one row per record; return the number of records written.

    Lines end in ``\\n``; open a file for it with ``newline=""`` as the csv module advises.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        data = record.to_dict()
        data["decision"] = canonical_json(record.decision)
        writer.writerow(["" if data[c] is None else data[c] for c in CSV_COLUMNS])
        count += 1
    return count


EXPORTERS: dict[str, Exporter] = {"jsonl": write_jsonl, "csv": write_csv}


def exporter(fmt: str) -> Exporter:
    """The writer for ``fmt``; :class:`UsageError` naming the choices if there is none."""
    try:
        return EXPORTERS[fmt]
    except KeyError:
        choices = ", ".join(EXPORTERS)
        raise UsageError(f'no such export format: "{fmt}" (choose {choices})') from None
