"""A table for people: one line (or a few, wrapped) per row, coloured by severity.

Rows are printed chunk by chunk with fixed column widths, so the table streams and its
columns line up across chunks. The summary goes to stderr (see ``batch.summary``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mtcr_screen.batch.results import RowResult, Summary
from mtcr_screen.render.batch import BatchMeta
from mtcr_screen.render.text import STYLE

_FIXED = (("row", 5), ("id", 12), ("kind", 20), ("dest", 4), ("category", 12),
          ("recommendation", 31))


class TableRenderer:
    """Fixed-width columns; ``meta.options`` may set ``color`` and ``width``."""

    name = "table"
    description = "a table for people (colour on a terminal)"
    machine = False

    def __init__(self, meta: BatchMeta) -> None:
        self.meta = meta
        self.color = bool(meta.options.get("color", False))
        self.width = int(meta.options.get("width", 120))
        used = sum(w for _, w in _FIXED) + len(_FIXED)
        self.width = max(self.width, used + 24)  # below that, columns would be cut
        self.last = self.width - used

    def _table(self, header: bool) -> Table:
        t = Table(show_header=header, header_style="bold", box=None, pad_edge=False,
                  padding=(0, 1, 0, 0), show_edge=False)
        for name, w in _FIXED:
            t.add_column(name, width=w, no_wrap=name != "id", overflow="fold",
                         justify="right" if name == "row" else "left")
        t.add_column("entries / reason", width=self.last, overflow="fold")
        return t

    def _print(self, t: Table) -> str:
        buf = io.StringIO()
        con = Console(file=buf, width=self.width, force_terminal=self.color,
                      no_color=not self.color, color_system="standard" if self.color else None,
                      highlight=False, emoji=False, soft_wrap=False)
        con.print(t)
        return buf.getvalue()

    def begin(self) -> str:
        """The header line."""
        return self._print(self._table(True))

    def rows(self, results: Sequence[RowResult]) -> str:
        """A chunk of rows."""
        t = self._table(False)
        for r in results:
            o = r.outcome
            if o is not None:
                why = ", ".join(o.entries) or "none"
                if o.possible:
                    why += f"; possible {', '.join(o.possible)}"
                if o.missing:
                    more = len(o.missing) - 2
                    why += f"; needs {', '.join(o.missing[:2])}" + (
                        f" and {more} more" if more > 0 else "")
                t.add_row(str(r.row), r.id, o.kind, o.destination or "", o.category,
                          Text(o.recommendation.label, style=STYLE[o.recommendation]), why)
            elif r.rejected is not None:
                col = f"{r.rejected.column}: " if r.rejected.column else ""
                t.add_row(str(r.row), r.id, "", "", "", Text("Rejected", style="bold red"),
                          Text(col + r.rejected.reason))
        return self._print(t) if results else ""

    def end(self, summary: Summary) -> str:
        """Nothing after the rows: the summary goes to stderr."""
        return ""
