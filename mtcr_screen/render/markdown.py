"""Markdown: a decision as a short report to paste into a case file."""

from __future__ import annotations

from mtcr_screen.decision import NOTICE, Decision


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class MarkdownRenderer:
    """A Markdown report: summary, items, rationale."""

    name = "markdown"
    description = "a Markdown report for a case file"

    def render(self, decision: Decision) -> str:
        """The report."""
        lines = [
            "# MTCR screening recommendation",
            "",
            f"> {NOTICE}",
            "",
            f"- **Recommendation:** {decision.recommendation.label} "
            f"(`{decision.recommendation.value}`)",
            f"- **Category:** {decision.category}",
            f"- **Entries:** {', '.join(decision.entries) or 'none'}",
            f"- **Destination:** {decision.destination or 'not given'}"
            + (f" ({decision.destination_name})" if decision.destination_name else ""),
            f"- **Annex:** {decision.annex_edition} (sha256 {decision.annex_sha256[:12]})",
            f"- **Guidelines profile:** {decision.profile}",
            "",
        ]
        for item in decision.items:
            lines += [
                f"## Item {item.index + 1}: {item.kind}"
                + (f" — {_cell(item.description)}" if item.description else ""),
                "",
                f"Category **{item.category}**, recommendation **{item.recommendation.label}**.",
                "",
            ]
            if item.possible_entries:
                lines.append("Possible entries: " + ", ".join(
                    f"{p.id} (needs {', '.join(p.missing) or 'review'})"
                    for p in item.possible_entries))
                lines.append("")
            lines += ["| Rule | Entry | ¶ | Reason |", "|---|---|---|---|"]
            for r in (*decision.rationale, *item.rationale):
                text = _cell(r.message)
                if r.details:
                    text += "<br>" + "<br>".join("• " + _cell(d) for d in r.details)
                lines.append(f"| {r.code} {r.rule} | {r.entry or ''} | {r.paragraph or ''} "
                             f"| {text} |")
            lines.append("")
        return "\n".join(lines)
