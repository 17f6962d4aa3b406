"""``mtcr-screen annex editions`` and ``mtcr-screen annex diff OLD NEW``.

Both attach to the ``annex`` group of :mod:`mtcr_screen.cli`.
"""

from __future__ import annotations

import json

import click

from mtcr_screen.exit_codes import ExitCode

_FORMAT = click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]),
                       default="text", show_default=True, help="Output format.")


@click.command("editions")
@_FORMAT
def editions(fmt: str) -> None:
    """List the known Annex editions: shipped ones, then MTCR_SCREEN_EDITIONS folders.

    Any of them can be named with --annex (by alias or full edition name).
    """
    from mtcr_screen.annex import editions as ed

    known = ed.known_editions()
    if fmt == "json":
        click.echo(json.dumps({"schema_version": "1",
                               "editions": [e.to_dict() for e in known]}, indent=2,
                              ensure_ascii=False))
    else:
        click.echo(ed.editions_text(known), nl=False)


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@_FORMAT
@click.pass_context
def diff(ctx: click.Context, old: str, new: str, fmt: str) -> None:
    """Compare two Annex editions (folders or edition names): entries added, removed and
    changed, field by field, thresholds in canonical units.

    \b
    Examples:
      mtcr-screen annex diff 2024 ./annex-draft
      mtcr-screen annex diff annex /tmp/annex --format json

    Exit code 0: no differences; 1: differences; 2: an edition cannot be read.
    """
    from mtcr_screen.annex.diff import diff_annexes
    from mtcr_screen.annex.loader import load_annex, resolve_annex_path

    old_root, new_root = resolve_annex_path(old), resolve_annex_path(new)
    result = diff_annexes(load_annex(old_root), load_annex(new_root),
                          old_path=str(old_root), new_path=str(new_root))
    click.echo(result.to_json() if fmt == "json" else result.to_text(), nl=False)
    ctx.exit(ExitCode.CLEARED if result.identical else ExitCode.NOT_CLEARED)
