"""CSV: the input columns as read, then ``mtcr_*`` result columns (a spreadsheet to filter)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from mtcr_screen.batch.results import Outcome, RowResult, Summary
from mtcr_screen.render.batch import BatchMeta

RESULT_COLUMNS = ("mtcr_row", "mtcr_line", "mtcr_status", "mtcr_recommendation",
                  "mtcr_category", "mtcr_entries", "mtcr_possible_entries", "mtcr_missing",
                  "mtcr_rules", "mtcr_rejected_column", "mtcr_reason")


def rationale_text(outcome: Outcome) -> str:
    """Every rationale line in one cell: ``POL102 [1.A.1]: message | ...``."""
    parts = []
    for r in outcome.rationale:
        entry = f" [{r.entry}]" if r.entry else ""
        parts.append(f"{r.code}{entry}: {r.message}")
    return " | ".join(parts)


class CsvRenderer:
    """RFC 4180 CSV with a header row, UTF-8, ``\\r\\n`` line ends (as Excel writes)."""

    name = "csv"
    description = "the input columns plus mtcr_* result columns"
    machine = True

    def __init__(self, meta: BatchMeta) -> None:
        self.meta = meta
        self.width = len(meta.columns)
        self._outcomes: dict[int, tuple[Outcome, list[str]]] = {}

    def begin(self) -> str:
        """The header row. An input column named like a result column (a manifest that is
        itself an earlier run's output) is headed ``<name>.input``, so that no header is
        given twice."""
        buf = io.StringIO()
        taken = set(RESULT_COLUMNS)  # lower case: manifest headers are read so
        inputs = []
        for c in self.meta.columns:
            name = c
            while name.lower() in taken:  # an output of an output: mtcr_row.input.input
                name += ".input"
            taken.add(name.lower())
            inputs.append(name)
        csv.writer(buf).writerow([*inputs, *RESULT_COLUMNS])
        return buf.getvalue()

    def _cells(self, o: Outcome) -> list[str]:
        got = self._outcomes.get(id(o))
        if got is None:
            if len(self._outcomes) > 8_192:
                self._outcomes.clear()
            got = (o, ["screened", o.recommendation.value, o.category, ";".join(o.entries),
                       ";".join(o.possible), ";".join(o.missing), ";".join(o.rules), "",
                       rationale_text(o)])
            self._outcomes[id(o)] = got
        return got[1]

    def rows(self, results: Sequence[RowResult]) -> str:
        """The rows of a chunk."""
        buf = io.StringIO()
        w = csv.writer(buf)
        width = self.width
        for r in results:
            cells = list(r.cells[:width])
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            line = "" if r.line is None else str(r.line)
            if r.outcome is not None:
                w.writerow([*cells, r.row, line, *self._cells(r.outcome)])
            elif r.rejected is not None:
                w.writerow([*cells, r.row, line, "rejected", "", "", "", "", "", "",
                            r.rejected.column or "", r.rejected.reason])
        return buf.getvalue()

    def end(self, summary: Summary) -> str:
        """Nothing after the rows: the summary goes to stderr."""
        return ""
