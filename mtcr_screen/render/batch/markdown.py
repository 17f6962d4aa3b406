"""Markdown: a report for a case file, one table line per row with its rationale."""

from __future__ import annotations

from collections.abc import Sequence

from mtcr_screen.batch.results import RowResult, Summary
from mtcr_screen.decision import NOTICE, Recommendation
from mtcr_screen.render.batch import BatchMeta, lists_rows


def _cell(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
            .replace("\r", " ").replace("\n", " "))


class MarkdownRenderer:
    """A Markdown report: the rows, then the summary."""

    name = "markdown"
    description = "a Markdown report with each row's rationale"
    machine = False

    def __init__(self, meta: BatchMeta) -> None:
        self.meta = meta

    def begin(self) -> str:
        """Title, notice, the lists consulted and the table header."""
        m = self.meta
        return (
            "# MTCR batch screening\n\n"
            f"> {NOTICE}\n\n"
            f"- **Manifest:** `{_cell(m.source)}`\n"
            f"- **Annex:** {_cell(m.annex_edition)} (sha256 {m.annex_sha256[:12]})\n"
            f"- **Guidelines profile:** {m.profile}\n\n"
            + _lists(m)
            + "| Row | Id | Kind | Destination | Category | Recommendation | Entries "
            "| Rationale |\n"
            "|---:|---|---|---|---|---|---|---|\n"
        )

    def rows(self, results: Sequence[RowResult]) -> str:
        """One table line per row."""
        out = []
        for r in results:
            ident = _cell(r.id) + (f" — {_cell(r.description)}" if r.description else "")
            o = r.outcome
            if o is not None:
                why = "<br>".join(
                    f"{x.code}" + (f" [{x.entry}]" if x.entry else "") + f": {_cell(x.message)}"
                    for x in o.rationale)
                out.append(f"| {r.row} | {ident} | {o.kind} | {o.destination or ''} "
                           f"| {o.category} | {o.recommendation.label} "
                           f"| {', '.join(o.entries)} | {why} |\n")
            elif r.rejected is not None:
                col = f"column {_cell(r.rejected.column)}: " if r.rejected.column else ""
                out.append(f"| {r.row} | {ident} |  |  |  | **Rejected** |  "
                           f"| {col}{_cell(r.rejected.reason)} |\n")
        return "".join(out)

    def end(self, summary: Summary) -> str:
        """The summary."""
        lines = ["", "## Summary", "",
                 f"{summary.rows} rows: {summary.rows - summary.rejected} screened, "
                 f"{summary.rejected} rejected, {summary.not_cleared} not cleared.", ""]
        if summary.by_recommendation:
            lines += ["| Recommendation | Rows |", "|---|---:|"]
            for rec in Recommendation:
                n = summary.by_recommendation.get(rec.value)
                if n:
                    lines.append(f"| {rec.label} | {n} |")
            lines.append("")
        if summary.by_category:
            lines += ["| Category | Rows |", "|---|---:|"]
            for cat, n in sorted(summary.by_category.items()):
                lines.append(f"| {cat} | {n} |")
            lines.append("")
        if summary.rejected:
            lines.append("Rejected rows: " + ", ".join(
                f"row {x.row}" + (f" ({_cell(x.column)})" if x.column else "")
                for x in summary.rejected_rows)
                + (" ..." if summary.rejected > len(summary.rejected_rows) else ""))
            lines.append("")
        return "\n".join(lines)


def _lists(meta: BatchMeta) -> str:
    rows = lists_rows(meta)
    if not rows:
        return ""
    out = ["**Lists consulted**\n", "| List | Effect | As of | Confidence | Warning |",
           "|---|---|---|---|---|"]
    out += [f"| {' | '.join(_cell(x) for x in r)} |" for r in rows]
    return "\n".join(out) + "\n\n"
