"""``mtcr-screen interview``: ask only for the facts that can still change the result."""

from __future__ import annotations

import sys
from typing import Any

import click

from mtcr_screen.exit_codes import ExitCode


@click.command()
@click.argument("spec", required=False)
@click.option("--kind", help="Start from an empty item of this kind instead of a SPEC file.")
@click.option("--save", "save_path", metavar="FILE",
              help="Save the completed spec as YAML.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Format of the final decision.")
@click.option("--annex", "annex_path", metavar="PATH", help="Annex folder to use.")
@click.pass_context
def interview(ctx: click.Context, spec: str | None, kind: str | None, save_path: str | None,
              fmt: str, annex_path: str | None) -> None:
    """Start from what is known (a SPEC, or --kind) and ask, one question at a time, only
    for the facts that can still change the result. Stops as soon as the result is settled.

    Answer "unknown" (or press Enter) to leave a fact open; the result then stays
    "insufficient information".

    \b
    Example:
      mtcr-screen interview --kind rocket_system --save my-item.yaml
    """
    from rich.console import Console
    from rich.prompt import Prompt

    from mtcr_screen import app
    from mtcr_screen.engine import Engine
    from mtcr_screen.errors import SpecError
    from mtcr_screen.interview import run_interview
    from mtcr_screen.render import get_renderer

    if spec is not None:
        inp = app.read_input(spec, {})
        data: dict[str, Any] = inp.data
    elif kind:
        data = {"kind": kind}
    else:
        raise SpecError("give a SPEC file or --kind to start from", location="command line")
    annex, lists = app.load_context(annex_path)
    err = Console(file=sys.stderr, highlight=False)
    engine = Engine(annex, lists)

    def screen(d: dict[str, Any]) -> Any:
        return engine.screen_data(d, spec or "interview")

    ended = False

    def ask(q: Any) -> str:
        nonlocal ended
        if ended:  # input closed: every remaining fact stays unknown
            return ""
        try:
            return str(Prompt.ask(f"[bold]{q.text}[/bold]", console=err, default="",
                                  show_default=False))
        except EOFError:
            ended = True
            err.print("(input ended)")
            return ""

    result = run_interview(data, screen, annex, ask, lambda m: err.print(m))
    if not result.asked:
        err.print("Nothing to ask: the result is settled by what is known.")
    elif not result.settled:
        err.print("Some facts are still unknown: the result stays insufficient information.")
    if save_path:
        import yaml

        from mtcr_screen.errors import writing

        with writing(save_path, "cannot save the spec"), \
                open(save_path, "w", encoding="utf-8") as fh:
            yaml.safe_dump(result.data, fh, sort_keys=False, allow_unicode=True)
        err.print(f"saved the completed spec to {save_path}")
    renderer = get_renderer(fmt, **({"color": False} if fmt == "text" else {}))
    click.echo(renderer.render(result.decision), nl=False)
    rec = result.decision.recommendation
    ctx.exit(ExitCode.CLEARED if rec.cleared else ExitCode.NOT_CLEARED)
