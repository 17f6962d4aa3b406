"""Text for people: a rich view with the recommendation coloured by severity."""

from __future__ import annotations

import io

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mtcr_screen.decision import NOTICE, Decision, ItemDecision, Recommendation

STYLE = {
    Recommendation.NO_MTCR_LICENCE_REQUIRED: "bold green",
    Recommendation.CASE_BY_CASE: "bold yellow",
    Recommendation.INSUFFICIENT_INFORMATION: "bold magenta",
    Recommendation.HOLD_POSSIBLE_DENIED_PARTY: "bold red",
    Recommendation.PRESUMPTION_OF_DENIAL: "bold red",
    Recommendation.PROHIBITED: "bold white on red",
}


class TextRenderer:
    """The people-facing view; ``color`` and ``width`` are set by the CLI."""

    name = "text"
    description = "a readable report for people (colour on a terminal)"
    color: bool = False
    width: int = 100
    headroom: bool = False

    def console(self) -> tuple[Console, io.StringIO]:
        """A console writing to a string buffer."""
        buf = io.StringIO()
        con = Console(file=buf, width=self.width, force_terminal=self.color,
                      no_color=not self.color, color_system="standard" if self.color else None,
                      highlight=False, emoji=False, soft_wrap=False)
        return con, buf

    def render(self, decision: Decision) -> str:
        """The report."""
        con, buf = self.console()
        rec = decision.recommendation
        head = Table.grid(padding=(0, 2))
        head.add_column(style="bold")
        head.add_column()
        head.add_row("Recommendation", Text(rec.label, style=STYLE[rec]))
        head.add_row("Category", decision.category)
        head.add_row("Entries", ", ".join(decision.entries) or "none")
        dest = decision.destination or "not given"
        if decision.destination_name:
            dest += f" ({decision.destination_name})"
        head.add_row("Destination", dest)
        head.add_row("Annex", f"{decision.annex_edition}, Guidelines profile: {decision.profile}")
        con.print(Panel(head, title="mtcr-screen", title_align="left", expand=False))
        for item in decision.items:
            self._item(con, decision, item)
        con.print(Text(NOTICE, style="italic"))
        return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())

    def _item(self, con: Console, decision: Decision, item: ItemDecision) -> None:
        title = f"Item {item.index + 1}: {item.kind}"
        if item.description:
            title += f" — {item.description}"
        con.print(Text(title, style="bold underline"))
        if item.parameters:
            con.print("  " + ", ".join(f"{k} {v}" for k, v in item.parameters.items()))
        con.print(Text.assemble("  category ", (item.category, "bold"), "  →  ",
                                (item.recommendation.label, STYLE[item.recommendation])))
        if item.possible_entries:
            for p in item.possible_entries:
                con.print(f"  possible {p.id} (Category {p.category}): needs "
                          + (", ".join(p.missing) or "review"))
        if item.missing:
            con.print(Text("  missing facts: " + ", ".join(item.missing), style="magenta"))
        if self.headroom:
            lines = [c["headroom_text"] for ev in item.evaluations for c in ev.comparisons
                     if c.get("headroom_text")]
            if lines:
                con.print(Text("  headroom (distance from each stated value to its threshold):",
                               style="bold"))
                for line in dict.fromkeys(lines):
                    con.print(Padding(Text("• " + line), (0, 0, 0, 4)))
        reasons = (*decision.rationale, *item.rationale) if item.index == 0 else item.rationale
        for r in reasons:
            head = Text.assemble("  ", (r.code, "bold"), " ", (r.rule, "cyan"))
            if r.entry:
                head.append("  entry ")
                head.append(r.entry, style="bold")
            if r.paragraph:
                head.append(f"  Guidelines ¶{r.paragraph}")
            con.print(head)
            con.print(Padding(Text(r.message), (0, 0, 0, 4)))
            for d in r.details:
                bullet = Text("• " + d, style="dim" if d.startswith("exception") else "")
                con.print(Padding(bullet, (0, 0, 0, 6)))
        con.print()
