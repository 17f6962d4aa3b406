"""``mtcr-screen parties check``: screen one name against denied-party lists."""

from __future__ import annotations

import json

import click

from mtcr_screen.exit_codes import ExitCode


@click.group()
def parties() -> None:
    """Denied-party screening (Consolidated Screening List, OpenSanctions)."""


@parties.command("check")
@click.argument("name")
@click.option("--parties", "party_files", multiple=True, required=True, metavar="FILE",
              help="Party list (CSL CSV/JSON or OpenSanctions targets.simple.csv); repeatable.")
@click.option("--country", metavar="COUNTRY", help="The party's country (a supporting feature).")
@click.option("--threshold", type=float, default=None, metavar="SCORE",
              help="Score (0-100) at or above which a name is a hit (default 85).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def parties_check(ctx: click.Context, name: str, party_files: tuple[str, ...],
                  country: str | None, threshold: float | None, fmt: str) -> None:
    """Check one NAME; exit 1 when it is a possible denied party, 0 when not."""
    from mtcr_screen import app
    from mtcr_screen.countries import resolve

    screening = app.load_parties(party_files, threshold)
    assert screening is not None
    code = resolve(country, field="--country") if country else None
    hits = screening.index.screen(name, country=code, threshold=screening.threshold)
    if fmt == "json":
        click.echo(json.dumps({"schema_version": "1", "name": name, "country": code,
                               "threshold": screening.threshold,
                               "lists": list(screening.consulted()),
                               "hits": [h.to_dict() for h in hits]}, indent=2,
                              ensure_ascii=False))
    else:
        lists = ", ".join(f"{pl.name} ({len(pl)} entries, as of "
                          f"{pl.as_of.isoformat() if pl.as_of else 'unknown'})"
                          for pl in screening.lists)
        click.echo(f"screened {name!r} against {lists}, threshold {screening.threshold:g}")
        if not hits:
            click.echo("no hit at or above the threshold")
        for h in hits:
            d = h.to_dict()
            alias = f" via alias {d['matched_alias']!r}" if d["matched_alias"] else ""
            click.echo(f"HIT {h.score:5.1f}  {d['name']!r}{alias}  [{d['list']}, entry "
                       f"{d['entry_id']}; {d['source']}]")
            explanation: dict[str, object] = d["explanation"]  # type: ignore[assignment]
            for k, v in explanation.items():
                click.echo(f"        {k}: {v}")
    ctx.exit(ExitCode.NOT_CLEARED if hits else ExitCode.CLEARED)
