"""``mtcr-screen whatif``: sweep one or two parameters and report the flip points."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("spec", required=False)
@click.option("--kind", help="Item kind, instead of a SPEC file.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A fixed parameter with its unit (repeatable).")
@click.option("--relation", "relations", multiple=True, metavar="ENTRY=LEVEL",
              help="What the item is for, e.g. 1.A=usable (repeatable).")
@click.option("--fact", "facts", multiple=True, metavar="NAME=true|false")
@click.option("--to", "destination", metavar="COUNTRY", help="Destination.")
@click.option("--vary", "varies", multiple=True, required=True,
              metavar="NAME=START..STOP:STEP",
              help="A parameter to sweep, e.g. range=100km..1000km:50km (once or twice).")
@click.option("--guidelines", "profile_name", type=click.Choice(["current", "1987"]),
              default="current", show_default=True, help="Guidelines profile.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--annex", "annex_path", metavar="PATH", help="Annex folder to use.")
def whatif(spec: str | None, kind: str | None, params: tuple[str, ...],
           relations: tuple[str, ...], facts: tuple[str, ...], destination: str | None,
           varies: tuple[str, ...], profile_name: str, fmt: str,
           annex_path: str | None) -> None:
    """Screen every variant of an item over one or two parameter ranges.

    Prints a table (one parameter) or a grid (two) of category and recommendation, and
    the flip points: the exact values where the outcome changes, taken from the Annex
    thresholds even when they fall between two steps.

    \b
    Example:
      mtcr-screen whatif --kind rocket_system --param payload=100kg \\
          --vary range=100km..1000km:70km
    """
    from mtcr_screen import app
    from mtcr_screen.policy.profiles import get_profile
    from mtcr_screen.whatif import Sweeper, parse_vary, render_text, sweep

    inp = app.read_input(spec, {"kind": kind, "params": params, "relations": relations,
                                "facts": facts, "destination": destination, "end_use": None,
                                "end_user": None, "red_flags": (), "cas": None,
                                "substance": None, "description": None})
    from mtcr_screen.errors import MtcrScreenError, SpecError

    if len(inp.transfer.items) > 1:
        # the sweep varies one item: the others would be left out of every row unseen
        raise SpecError(f"whatif sweeps one item, and the spec has {len(inp.transfer.items)}",
                        location=inp.source, hint="keep one item in the file, or use "
                        "`mtcr-screen screen` for the whole transfer")
    annex, lists = app.load_context(annex_path)
    item = inp.transfer.items[0]
    try:
        sweeper = Sweeper(annex, inp.transfer, item, lists, get_profile(profile_name))
    except MtcrScreenError as exc:
        raise app.locate_error(exc, inp) from None
    vs = [parse_vary(v, sweeper.base.kind, annex) for v in varies]
    for v in vs:
        if v.param in sweeper.base.given:
            # the sweep would replace the stated value without a word
            raise SpecError(f"{v.param} is both stated ({sweeper.base.given[v.param]}) and "
                            "varied", location="--vary",
                            hint=f"leave {v.param} out of the item, or out of --vary")
    res = sweep(sweeper, vs)
    if fmt == "json":
        click.echo(json.dumps(res.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(res), nl=False)
