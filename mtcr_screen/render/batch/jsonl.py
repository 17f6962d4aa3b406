"""JSON Lines: one compact object per data row, written as each chunk is screened.

Each line is exactly ``json.dumps(result.to_dict(), ensure_ascii=False)``; the outcome
part, shared by identical rows, is serialised once and reused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring

from mtcr_screen.batch.results import Outcome, RowResult, Summary
from mtcr_screen.render.batch import BatchMeta

#: ``json.dumps(obj, ensure_ascii=False)`` without building an encoder for every call
_dumps = json.JSONEncoder(ensure_ascii=False).encode

#: as many as the screener's memo of row outcomes (20,000): fewer made a run with more
#: distinct rows than this serialise each outcome again and again
_CACHE_LIMIT = 20_000


class JsonLinesRenderer:
    """One line per row, ``schema_version`` 1 (see docs/batch.md for the fields)."""

    name = "jsonl"
    description = "JSON Lines: one object per row, streamed"
    machine = True

    def __init__(self, meta: BatchMeta) -> None:
        self.meta = meta
        # id(outcome) -> (outcome, its JSON members); the outcome is kept alive with its
        # text, so the id cannot be reused by another object while cached
        self._fragments: dict[int, tuple[Outcome, str]] = {}

    def begin(self) -> str:
        """Nothing before the rows."""
        return ""

    def _fragment(self, outcome: Outcome) -> str:
        got = self._fragments.get(id(outcome))
        if got is not None:
            return got[1]
        text = _dumps(outcome.to_dict())[1:-1]
        if len(self._fragments) >= _CACHE_LIMIT:
            self._fragments.clear()
        self._fragments[id(outcome)] = (outcome, text)
        return text

    def line(self, r: RowResult) -> str:
        """One row's line, without the newline."""
        line = "null" if r.line is None else str(r.line)
        head = f'{{"row": {r.row}, "line": {line}, "id": {encode_basestring(r.id)}'
        desc = "" if r.description is None else \
            f', "description": {encode_basestring(r.description)}'
        if r.outcome is not None:
            return f'{head}, "status": "screened"{desc}, {self._fragment(r.outcome)}}}'
        return _dumps(r.to_dict())

    def rows(self, results: Sequence[RowResult]) -> str:
        """The lines of a chunk (:meth:`line` inlined for screened rows: the hot path)."""
        enc, fragments, fragment = encode_basestring, self._fragments, self._fragment
        out = []
        for r in results:
            o = r.outcome
            if o is None:
                out.append(self.line(r))
                continue
            got = fragments.get(id(o))
            frag = got[1] if got is not None else fragment(o)
            desc = "" if r.description is None else f', "description": {enc(r.description)}'
            out.append(f'{{"row": {r.row}, "line": {"null" if r.line is None else r.line}, '
                       f'"id": {enc(r.id)}, "status": "screened"{desc}, {frag}}}')
        out.append("")
        return "\n".join(out)

    def end(self, summary: Summary) -> str:
        """Nothing after the rows: the summary goes to stderr."""
        return ""
