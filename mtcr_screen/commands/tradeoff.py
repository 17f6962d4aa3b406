"""``mtcr-screen tradeoff``: estimate the range/payload curve from vehicle data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from mtcr_screen.exit_codes import ExitCode


@click.command()
@click.argument("spec")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--plot", "plot_path", metavar="FILE.png|FILE.svg",
              help="Draw the curve, the 300 km / 500 kg box and the declared point "
                   "(needs: pip install 'mtcr-screen[plot]').")
@click.option("--screen", "then_screen", is_flag=True,
              help="Feed the estimate into the screening (as range_at_500kg_payload, "
                   "payload_at_300km_range and range_with_any_payload) and print the "
                   "decision.")
@click.option("--annex", "annex_path", metavar="PATH", help="Annex folder for --screen.")
@click.pass_context
def tradeoff(ctx: click.Context, spec: str, fmt: str, plot_path: str | None,
             then_screen: bool, annex_path: str | None) -> None:
    """Estimate range as a function of payload for a rocket or UAV SPEC with a `vehicle:`
    block, and say whether it can reach 500 kg at 300 km (a Category I capability even
    when the declared point is below it).

    \b
    Example:
      mtcr-screen tradeoff examples/tradeoff-srbm.yaml --plot curve.png
    """
    from mtcr_screen import app
    from mtcr_screen.errors import SpecError, UsageError, writing
    from mtcr_screen.tradeoff import analyse, plot, render_text

    inp = app.read_input(spec, {})
    item = inp.transfer.items[0]
    if item.vehicle is None:
        raise SpecError("the item has no 'vehicle:' block with stage or airframe data",
                        location=spec, hint="see docs/tradeoff.md for the vehicle block")
    from mtcr_screen.annex.loader import load_annex
    from mtcr_screen.spec import item_view

    annex = load_annex(annex_path)  # the destination lists only with --screen, below

    view = item_view(item, annex)
    result = analyse(item.vehicle, declared_range_km=view.params.get("range"),
                     declared_payload_kg=view.params.get("payload"), source=spec)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(result), nl=False)
    if plot_path:
        try:
            with writing(plot_path, "cannot write the plot"):
                plot(result, Path(plot_path))
            click.echo(f"plot written to {plot_path}", err=True)
        except UsageError as exc:
            click.echo(f"Note: {exc.one_line()}; the text rendering above shows the curve.",
                       err=True)
    if then_screen:
        from mtcr_screen.tradeoff.curve import more_capable, screening_figures

        figures, notes = screening_figures(result)
        for note in notes:
            click.echo(f"Note: {note}", err=True)
        chosen = more_capable(figures, item.parameters, view.params, annex)
        for name in sorted(set(figures) & set(item.parameters)):
            click.echo(f"Note: {name}: the spec states {item.parameters[name]}, the estimate "
                       f"is {figures[name]}; the more capable, {chosen[name]}, is screened",
                       err=True)
        params = {**item.parameters, **chosen}
        new_item = item.model_copy(update={"parameters": params})
        transfer = inp.transfer.model_copy(update={"items": [new_item]})
        from mtcr_screen.destinations import load_lists
        from mtcr_screen.engine import Engine
        from mtcr_screen.render import get_renderer

        decision = Engine(annex, load_lists()).screen(transfer)
        sys.stdout.write("\n")
        click.echo(get_renderer("text" if fmt == "text" else "json").render(decision), nl=False)
        ctx.exit(ExitCode.CLEARED if decision.recommendation.cleared else ExitCode.NOT_CLEARED)
