"""Batch screening of manifests: readers, the row screener, the runner, and a library API.

Screen a manifest file::

    from mtcr_screen.annex.loader import load_annex
    from mtcr_screen.batch import screen_manifest

    for result in screen_manifest("examples/manifest.csv", load_annex()):
        print(result.row, result.id, result.status, result.to_dict().get("recommendation"))

Or screen records you already hold (a partition in Dask or Spark, a list of dicts)::

    from mtcr_screen.batch import screen_records

    results = [r.to_dict() for r in screen_records(annex, records)]

The engine under both is a plain function of (Annex, transfer): see
:func:`mtcr_screen.engine.screen`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Manifest", "Outcome", "RejectedRow", "RowResult", "Summary", "open_manifest",
           "screen_manifest", "screen_records"]

# Imported on first use: the renderer registry imports mtcr_screen.batch.results at start-up,
# and this package must not pull pydantic and the readers in with it.
_WHERE = {
    "Manifest": "readers", "open_manifest": "readers",
    "Outcome": "results", "RejectedRow": "results", "RowResult": "results", "Summary": "results",
    "screen_manifest": "api", "screen_records": "api",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'mtcr_screen.batch' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"mtcr_screen.batch.{module}"), name)
