"""The batch library API: screen a manifest file, or records already held in memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.batch.layout import Layout
from mtcr_screen.batch.readers import aligned, columns_of, flatten, open_manifest
from mtcr_screen.batch.results import RowResult
from mtcr_screen.batch.screener import RowScreener
from mtcr_screen.destinations import DestinationLists


def screen_manifest(path: str, annex: CompiledAnnex, lists: DestinationLists | None = None,
                    *, fmt: str | None = None, encoding: str | None = None,
                    detail: bool = False) -> Iterator[RowResult]:
    """One result per data row of a manifest file, in order (a ManifestError if unreadable)."""
    with open_manifest(path, fmt=fmt, encoding=encoding) as manifest:
        layout = Layout(manifest.columns, annex, manifest.source)
        yield from RowScreener(annex, lists, layout, detail=detail).screen_rows(manifest.rows)


def screen_records(annex: CompiledAnnex, records: Iterable[Mapping[str, Any]],
                   lists: DestinationLists | None = None, *, start: int = 1,
                   detail: bool = False) -> Iterator[RowResult]:
    """One result per record (a mapping of manifest column names to values), in order.

    ``start`` numbers the first record (e.g. a partition's offset + 1). The columns are
    those of all the records together, so the records are read into a list first.
    """
    flat = [flatten(dict(r)) for r in records]
    columns = columns_of(flat)
    if not flat:
        return
    layout = Layout(columns, annex, "<records>")
    screener = RowScreener(annex, lists, layout, detail=detail)
    for i, rec in enumerate(flat):
        yield screener.screen(start + i, None, aligned(rec, columns))
