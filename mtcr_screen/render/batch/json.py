"""JSON: one document with the run's metadata, every result, and the summary."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mtcr_screen.batch.results import RowResult, Summary
from mtcr_screen.decision import NOTICE, SCHEMA_VERSION
from mtcr_screen.render.batch import BatchMeta
from mtcr_screen.render.batch.jsonl import JsonLinesRenderer


class JsonRenderer:
    """``{"schema_version", "notice", "source", "annex", ..., "results": [...], "summary"}``.

    Each result sits on its own line, in the same form as a JSON Lines row.
    """

    name = "json"
    description = "one JSON document: results and summary"
    machine = True

    def __init__(self, meta: BatchMeta) -> None:
        self.meta = meta
        self._line = JsonLinesRenderer(meta)

    def begin(self) -> str:
        """The opening of the document, up to the results array."""
        m = self.meta
        head = {
            "schema_version": SCHEMA_VERSION,
            "notice": NOTICE,
            "source": m.source,
            "annex": {"edition": m.annex_edition, "sha256": m.annex_sha256},
            "guidelines_profile": m.profile,
            "lists": list(m.lists),
        }
        return json.dumps(head, indent=2, ensure_ascii=False)[:-2] + ',\n  "results": ['

    def rows(self, results: Sequence[RowResult]) -> str:
        """Each result on its own line; row 1 opens the array, so no comma before it."""
        line = self._line.line
        return "".join([("\n    " if r.row == 1 else ",\n    ") + line(r) for r in results])

    def end(self, summary: Summary) -> str:
        """The summary and the closing brace."""
        warnings = [f"destination list {d.get('id', '')}: {d['warning']}"
                    for d in self.meta.lists if d.get("warning")]
        body = json.dumps(summary.to_dict(warnings), indent=2,
                          ensure_ascii=False).replace("\n", "\n  ")
        return f'\n  ],\n  "summary": {body}\n}}\n'
