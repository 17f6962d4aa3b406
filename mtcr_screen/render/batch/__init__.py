"""Batch output formats: one module and one class per format, in an explicit registry.

A batch renderer writes a run in three parts, so that output streams and can be built in
worker processes chunk by chunk:

* ``begin()``: what comes before the rows (a header, the opening of a document);
* ``rows(results)``: the text of a chunk of rows; it depends on nothing but those rows
  (and the :class:`BatchMeta` given at construction), so a chunk rendered in another
  process gives the same bytes;
* ``end(summary)``: what comes after the rows (a summary, the closing of a document).

``BATCH_RENDERERS`` feeds ``click.Choice``; the factories import each module lazily so
that machine formats never import rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mtcr_screen.batch.results import RowResult, Summary
from mtcr_screen.errors import UsageError


@dataclass(frozen=True, slots=True)
class BatchMeta:
    """What every renderer may know about the run before it starts."""

    source: str
    columns: tuple[str, ...]
    annex_edition: str
    annex_sha256: str
    profile: str = "current"
    lists: tuple[dict[str, str], ...] = ()
    detail: bool = False
    options: dict[str, Any] = field(default_factory=dict)


def lists_rows(meta: BatchMeta) -> list[tuple[str, str, str, str, str]]:
    """(list, effect, as of, confidence, warning) for each list consulted in the run."""
    return [(d.get("title") or d.get("id", ""), d.get("effect", ""), d.get("as_of", ""),
             d.get("confidence", d.get("as_of_basis", "")), d.get("warning", ""))
            for d in meta.lists]


class BatchRenderer(Protocol):
    """Renders a batch run in three parts (see the module docstring)."""

    name: str
    description: str
    #: True for formats read by programs (json, jsonl, csv): stderr stays empty on a clean run
    machine: bool

    def begin(self) -> str:
        """Text before the rows."""
        ...

    def rows(self, results: Sequence[RowResult]) -> str:
        """Text of a chunk of rows."""
        ...

    def end(self, summary: Summary) -> str:
        """Text after the rows."""
        ...


# name -> (module, class, one-line description)
BATCH_RENDERERS: dict[str, tuple[str, str, str]] = {
    "table": ("table", "TableRenderer", "a table for people (colour on a terminal)"),
    "json": ("json", "JsonRenderer", "one JSON document: results and summary"),
    "jsonl": ("jsonl", "JsonLinesRenderer", "JSON Lines: one object per row, streamed"),
    "csv": ("csv", "CsvRenderer", "the input columns plus mtcr_* result columns"),
    "markdown": ("markdown", "MarkdownRenderer", "a Markdown report with each row's rationale"),
    "html": ("html", "HtmlRenderer", "a self-contained HTML report, sortable"),
}

MACHINE_FORMATS = frozenset({"json", "jsonl", "csv"})


def get_batch_renderer(name: str, meta: BatchMeta) -> BatchRenderer:
    """A renderer by name for one run, or UsageError."""
    try:
        module, cls, _ = BATCH_RENDERERS[name]
    except KeyError:
        raise UsageError(f"no such format: {name!r}",
                         hint="one of " + ", ".join(BATCH_RENDERERS)) from None
    factory = getattr(importlib.import_module(f"mtcr_screen.render.batch.{module}"), cls)
    renderer: BatchRenderer = factory(meta)
    return renderer
