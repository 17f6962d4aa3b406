"""The decision log: every screening decision, kept in a tamper-evident hash chain.

Export-control law requires keeping a record of each decision for years. This package
stores them in one SQLite file (see ``docs/records.md``)::

    from mtcr_screen.records import DecisionLog, NewRecord, default_log_path

    with DecisionLog(default_log_path()) as log:
        record = log.append(NewRecord(kind="screen", ...))
        assert log.verify().ok
"""

from mtcr_screen.records.export import CSV_COLUMNS, EXPORTERS
from mtcr_screen.records.log import DecisionLog, ExportFormat
from mtcr_screen.records.model import (
    GENESIS_HASH,
    Head,
    Kind,
    LogRecord,
    NewRecord,
    VerifyResult,
    canonical_json,
)
from mtcr_screen.records.paths import LOG_ENV_VAR, default_log_path

__all__ = [
    "CSV_COLUMNS",
    "EXPORTERS",
    "GENESIS_HASH",
    "LOG_ENV_VAR",
    "DecisionLog",
    "ExportFormat",
    "Head",
    "Kind",
    "LogRecord",
    "NewRecord",
    "VerifyResult",
    "canonical_json",
    "default_log_path",
]
