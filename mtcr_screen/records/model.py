"""The values of the decision log: what goes in, what comes out, and how a record is hashed.

The hashed form of a record is exactly ``LogRecord.to_dict()`` without ``record_hash``,
serialised as canonical JSON::

    record_hash = sha256(canonical_json(record.to_dict() minus "record_hash")).hexdigest()
    canonical_json(v) = json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

encoded as UTF-8. So anyone holding a JSONL export can re-check every hash with the
standard library alone (see ``docs/records.md``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NamedTuple, get_args

Kind = Literal["screen", "batch", "rescreen"]
KINDS: tuple[str, ...] = get_args(Kind)

#: ``prev_hash`` of the first record of every log.
GENESIS_HASH = "0" * 64

#: The fields of a stored record, in the order of ``LogRecord.to_dict()``.
RECORD_FIELDS: tuple[str, ...] = (
    "id",
    "created_at",
    "kind",
    "ref",
    "operator",
    "recommendation",
    "category",
    "input_format",
    "input_text",
    "input_sha256",
    "tool_version",
    "annex_edition",
    "annex_sha256",
    "lists",
    "decision",
    "prev_hash",
    "record_hash",
)

#: The fields covered by ``record_hash``: every field but the hash itself, sorted as
#: ``sort_keys=True`` sorts them.
HASHED_FIELDS: tuple[str, ...] = tuple(sorted(f for f in RECORD_FIELDS if f != "record_hash"))


# What json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# builds on every call; built once, it makes the 13 fields of a record about 3x cheaper.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> str:
    """Serialise ``value`` as canonical JSON: sorted keys, no spaces, UTF-8 text, no NaN.

    The same text as ``json.dumps(value, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False, allow_nan=False)``. Raises ``ValueError`` or ``TypeError`` if
    ``value`` is not JSON-safe.
    """
    return _CANONICAL.encode(value)


def sha256_text(text: str) -> str:
    """The SHA-256 hex digest of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_fragments(fragments: Mapping[str, str]) -> str:
    """The record hash, given each hashed field already serialised as canonical JSON.

    ``fragments`` maps every name in :data:`HASHED_FIELDS` to ``canonical_json(value)``.
    Joining them in sorted key order gives exactly ``canonical_json(dict_of_values)``
    (that is how ``json.dumps(sort_keys=True)`` writes an object), so the large
    ``decision`` text stored in the database is hashed without being parsed again.
    """
    body = ",".join(f'"{name}":{fragments[name]}' for name in HASHED_FIELDS)
    return sha256_text("{" + body + "}")


@dataclass(frozen=True, slots=True)
class NewRecord:
    """One decision to be logged; the log adds id, timestamp, input hash and chain hashes."""

    kind: Kind
    input_text: str
    input_format: str
    tool_version: str
    annex_edition: str
    annex_sha256: str
    lists: list[dict[str, str]]
    decision: dict[str, Any]
    recommendation: str
    category: str
    operator: str | None = None
    ref: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"no such record kind: {self.kind!r} (choose {', '.join(KINDS)})")
        for name in ("input_text", "input_format", "tool_version", "annex_edition",
                     "annex_sha256", "recommendation", "category"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"NewRecord.{name} must be a str")
        for name in ("operator", "ref"):
            if not isinstance(getattr(self, name), str | None):
                raise TypeError(f"NewRecord.{name} must be a str or None")
        if not isinstance(self.decision, dict):
            raise TypeError("NewRecord.decision must be a dict")
        if not isinstance(self.lists, list):
            raise TypeError("NewRecord.lists must be a list of dicts")


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One stored decision, as read back from the log. Treat its dicts and lists as read-only.

    ``created_at`` is kept as the exact stored text (UTC ISO 8601, microseconds, ``+00:00``),
    because that text is what ``record_hash`` covers; :attr:`created` parses it.
    """

    id: int
    created_at: str
    kind: str
    ref: str | None
    operator: str | None
    recommendation: str
    category: str
    input_format: str
    input_text: str
    input_sha256: str
    tool_version: str
    annex_edition: str
    annex_sha256: str
    lists: list[dict[str, str]]
    decision: dict[str, Any]
    prev_hash: str
    record_hash: str

    @property
    def created(self) -> datetime:
        """``created_at`` as an aware ``datetime`` in UTC."""
        return datetime.fromisoformat(self.created_at)

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-safe dict, keys in :data:`RECORD_FIELDS` order."""
        return {name: getattr(self, name) for name in RECORD_FIELDS}

    def compute_hash(self) -> str:
        """Recompute ``record_hash`` from the other fields (it equals it for an intact record)."""
        data = self.to_dict()
        del data["record_hash"]
        return sha256_text(canonical_json(data))


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of :meth:`DecisionLog.verify`.

    ``checked`` counts the records read, up to and including the first bad one.
    ``first_bad_id`` names the first record that fails (for records missing from the end
    of the log, the first missing id); ``problem`` says what is wrong, in one sentence.
    """

    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str | None = None


class Head(NamedTuple):
    """The last record of the log: its id and its record_hash (``(0, GENESIS_HASH)`` if empty)."""

    id: int
    hash: str
