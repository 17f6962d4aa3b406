"""The click front end: parse, build, run, exit. No domain logic lives here.

Every error that is not a finding is an :class:`~mtcr_screen.errors.MtcrScreenError`,
caught once in :class:`Boundary`, printed as ``Error: <location>: <message>`` on stderr,
with exit code 2 (see :mod:`mtcr_screen.exit_codes`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from mtcr_screen import __version__
from mtcr_screen.errors import MtcrScreenError
from mtcr_screen.exit_codes import ExitCode

if TYPE_CHECKING:
    from mtcr_screen.annex.compiled import CompiledAnnex

F = TypeVar("F", bound=Callable[..., Any])

class Boundary(click.Group):
    """The one place where errors become a one-line message and an exit code."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        """Parse the top-level options; a usage error is one line, as in :meth:`invoke`."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise  # no arguments: click shows the help, as it should
        except click.UsageError as exc:
            _refuse(exc)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map errors to exit codes, never a traceback."""
        try:
            return super().invoke(ctx)
        except MtcrScreenError as exc:
            click.echo(f"Error: {exc.one_line()}", err=True)
            ctx.exit(ExitCode.INPUT_ERROR)
        except click.exceptions.NoArgsIsHelpError:
            raise  # a group given no subcommand: click shows its help
        except click.UsageError as exc:
            _refuse(exc)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # e.g. piped into `head`: the output was cut short, so
            sys.stderr.close()    # nothing can be reported as cleared
            ctx.exit(ExitCode.NOT_CLEARED)
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:
            if os.environ.get("MTCR_SCREEN_DEBUG"):
                raise
            click.echo(
                f"Error: internal error: {type(exc).__name__}: {exc} "
                "(set MTCR_SCREEN_DEBUG=1 for a traceback, and please report it)",
                err=True,
            )
            ctx.exit(ExitCode.INTERNAL_ERROR)


def _refuse(exc: click.UsageError) -> NoReturn:
    """An option or argument click refused: one line and exit code 2, as every other input
    error (click would print its usage lines too)."""
    click.echo(f"Error: {usage_line(exc)}", err=True)
    raise click.exceptions.Exit(ExitCode.INPUT_ERROR) from None


def usage_line(exc: click.UsageError) -> str:
    """click's usage error as ``<where>: <what> (hint: ...)``, without its usage lines."""
    where, what = "command line", exc.format_message()
    param = getattr(exc, "param", None)
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter) \
            and param is not None:
        where = "/".join(param.opts) if isinstance(param, click.Option) else \
            param.human_readable_name
        what = exc.message
    # the tool's own name, however it was started (python -m, a test runner)
    sub = exc.ctx.command_path.partition(" ")[2] if exc.ctx is not None else ""
    command = f"mtcr-screen {sub}" if sub else "mtcr-screen"
    return f"{where}: {what} (hint: see `{command} --help`)"


# --------------------------------------------------------------------------- shared options


def annex_option(f: F) -> F:
    """``--annex PATH|EDITION``: screen against another Annex folder or edition."""
    return click.option(
        "--annex",
        "annex_path",
        metavar="PATH|EDITION",
        envvar="MTCR_SCREEN_ANNEX",
        help="Annex folder (holding annex.yaml) or edition name (see `mtcr-screen annex "
        "editions`) to use instead of the shipped one.",
    )(f)


def lists_option(f: F) -> F:
    """``--lists DIR`` (replace), ``--add-lists DIR`` (add) and ``--list-max-age DAYS``."""
    f = click.option(
        "--list-max-age",
        "list_max_age",
        metavar="DAYS",
        type=click.IntRange(min=0),
        envvar="MTCR_SCREEN_LIST_MAX_AGE_DAYS",
        help="Warn when a destination list's as-of date is older than DAYS (default 365).",
    )(f)
    f = click.option(
        "--add-lists",
        "add_lists_dirs",
        metavar="DIR",
        multiple=True,
        help="Folder of destination-list YAML files to add (repeatable); a file with "
        "`replace: true` replaces the list of the same id.",
    )(f)
    return click.option(
        "--lists",
        "lists_dirs",
        metavar="DIR",
        multiple=True,
        help="Folder of destination-list YAML files (repeatable); replaces the shipped lists.",
    )(f)


def parties_options(f: F) -> F:
    """``--parties FILE`` and ``--party-threshold``: denied-party screening."""
    f = click.option("--party-threshold", type=float, default=None, metavar="SCORE",
                     help="Fuzzy-match score (0-100) at or above which a party is held "
                          "(default 85).")(f)
    f = click.option("--parties", "party_files", multiple=True, metavar="FILE",
                     help="Denied-party list to screen the end user, consignee and "
                          "intermediaries against: Consolidated Screening List CSV/JSON or "
                          "OpenSanctions targets.simple.csv (repeatable).")(f)
    return f


def log_options(f: F) -> F:
    """``--log PATH``, ``--no-log``, ``--ref``, ``--operator``: the decision record."""
    f = click.option("--operator", metavar="NAME", envvar="MTCR_SCREEN_OPERATOR",
                     help="Who screened (recorded in the decision log).")(f)
    f = click.option("--ref", metavar="REF", help="A case reference, e.g. CASE-123 (logged).")(f)
    f = click.option("--no-log", is_flag=True,
                     help="Do not append this run to the decision log.")(f)
    f = click.option("--log", "log_path", metavar="PATH",
                     help="Decision log (SQLite) to append to; default: MTCR_SCREEN_LOG or "
                          "the user data directory.")(f)
    return f


def output_options(formats: list[str], default: str = "text") -> Callable[[F], F]:
    """``--format`` (from a registry), ``--output FILE`` and ``--color/--no-color``."""

    def deco(f: F) -> F:
        f = click.option("--color/--no-color", default=None,
                         help="Colour the text output (default: when stdout is a terminal).")(f)
        f = click.option("--output", "-o", "output", metavar="FILE",
                         help="Write the result to FILE instead of stdout.")(f)
        f = click.option("--format", "-f", "fmt", type=click.Choice(formats),
                         default=default, show_default=True, help="Output format.")(f)
        return f

    return deco


def emit(text: str, output: str | None) -> None:
    """Write a result to stdout or a file."""
    if output:
        from mtcr_screen.errors import writing

        with writing(output), open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)


def use_color(flag: bool | None, output: str | None) -> bool:
    """Colour when asked, or when writing to a terminal without NO_COLOR."""
    if flag is not None:
        return flag
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


# --------------------------------------------------------------------------- commands


@click.group(cls=Boundary, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtcr-screen")
def cli() -> None:
    """Screen proposed exports against the Missile Technology Control Regime (MTCR).

    Classifies items against the MTCR Annex (Category I, Category II or not listed) and
    applies the Guidelines to recommend: prohibited, presumption of denial, case by case,
    insufficient information, or no MTCR licence required.

    The output is a screening recommendation for a licensing officer, not a licence
    decision.
    """


def _screen_formats() -> list[str]:
    from mtcr_screen.render import RENDERERS

    return list(RENDERERS)


@cli.command()
@click.argument("spec", required=False, metavar="[SPEC]")
@click.option("--kind", help="Item kind (see `mtcr-screen kinds`), instead of a SPEC file.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter with its unit, e.g. range=450km (repeatable).")
@click.option("--fact", "facts", multiple=True, metavar="NAME=true|false",
              help="A yes/no fact, e.g. civil_certified=false (repeatable).")
@click.option("--relation", "relations", multiple=True, metavar="ENTRY=LEVEL",
              help="What the item is for, e.g. 1.A=usable or 1.A=specially_designed.")
@click.option("--cas", help="CAS number of a chemical.")
@click.option("--substance", help="Name of a chemical.")
@click.option("--to", "--destination", "destination", metavar="COUNTRY",
              help="Destination: ISO 3166-1 alpha-2 code or country name.")
@click.option("--end-use", help="The stated end use.")
@click.option("--end-user", help="The end user's name.")
@click.option("--red-flag", "red_flags", multiple=True, metavar="FLAG",
              help="An end-use red flag, e.g. wmd_delivery_known (repeatable).")
@click.option("--description", help="A short description of the item.")
@click.option("--headroom", is_flag=True,
              help="Show how far each stated value is from each threshold (text output; "
                   "JSON always carries the figures).")
@click.option("--guidelines", "profile_name", type=click.Choice(["current", "1987"]),
              default="current", show_default=True,
              help="Guidelines profile: the current regime, or the original 1987 one "
                   "(for analysis; the output states the profile and the difference).")
@annex_option
@lists_option
@parties_options
@log_options
@output_options(_screen_formats())
@click.pass_context
def screen(ctx: click.Context, spec: str | None, kind: str | None, params: tuple[str, ...],
           facts: tuple[str, ...], relations: tuple[str, ...], cas: str | None,
           substance: str | None, destination: str | None, end_use: str | None,
           end_user: str | None, red_flags: tuple[str, ...], description: str | None,
           headroom: bool, profile_name: str, annex_path: str | None, lists_dirs: tuple[str, ...],
           add_lists_dirs: tuple[str, ...], list_max_age: int | None,
           party_files: tuple[str, ...], party_threshold: float | None, log_path: str | None,
           no_log: bool, ref: str | None,
           operator: str | None, fmt: str, output: str | None, color: bool | None) -> None:
    """Screen one proposed transfer: a SPEC file (YAML or JSON, - for stdin) or flags.

    \b
    Examples:
      mtcr-screen screen examples/rocket-cat1.yaml
      mtcr-screen screen --kind rocket_system --param range=450km \\
          --param payload=600kg --to FR
      mtcr-screen screen examples/rocket-cat1.yaml --format json

    Exit code 0: no MTCR licence required; 1: not cleared; 2: input error.
    """
    from mtcr_screen import app
    from mtcr_screen.render import get_renderer

    inp = app.read_input(spec, {
        "kind": kind, "params": params, "facts": facts, "relations": relations,
        "destination": destination, "end_use": end_use, "end_user": end_user,
        "red_flags": red_flags, "cas": cas, "substance": substance, "description": description,
    })
    annex, lists = app.load_context(annex_path, lists_dirs, add_lists_dirs, list_max_age)
    from mtcr_screen.policy.profiles import get_profile

    parties = app.load_parties(party_files, party_threshold)
    decision = app.screen_input(inp, annex, lists, get_profile(profile_name), parties)
    if not no_log:
        app.record_decision(inp, decision, log_path=log_path, operator=operator, ref=ref)
    if fmt == "text" and inp.transfer.destination is not None and lists.warnings:
        # people-facing only: machine formats carry it in the JSON (POL505, lists[].warning)
        click.echo(f"Warning: {len(lists.warnings)} destination list(s) are out of date; "
                   "see POL505 in the rationale", err=True)
    options: dict[str, object] = {}
    if fmt == "text":
        import shutil

        options = {"color": use_color(color, output), "headroom": headroom,
                   "width": min(max(shutil.get_terminal_size((100, 24)).columns, 60), 140)}
    emit(get_renderer(fmt, **options).render(decision), output)
    ctx.exit(ExitCode.CLEARED if decision.recommendation.cleared else ExitCode.NOT_CLEARED)


@cli.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--facts", "show_facts", is_flag=True, help="List the facts an item can state.")
@annex_option
def kinds(fmt: str, show_facts: bool, annex_path: str | None) -> None:
    """List the item kinds with their parameters and canonical units."""
    from mtcr_screen import catalogue

    annex = _annex_only(annex_path)
    click.echo(catalogue.kinds_text(annex, show_facts) if fmt == "text"
               else catalogue.kinds_json(annex, show_facts), nl=False)


def _annex_only(annex_path: str | None) -> CompiledAnnex:
    from mtcr_screen.annex.loader import load_annex

    return load_annex(annex_path)


@cli.group()
def annex() -> None:
    """Check and browse the Annex data."""


@annex.command("validate")
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--strict", is_flag=True, help="Treat warnings (incomplete entries) as errors.")
def annex_validate(path: str | None, strict: bool) -> None:
    """Validate an Annex folder (default: the shipped Annex); warnings go to stderr."""
    from mtcr_screen.annex.loader import validate_annex

    compiled = validate_annex(path)
    for w in compiled.warnings:
        click.echo(f"Warning: {w}", err=True)
    items = len({e.split('.', 1)[0] for e in compiled.entries})
    click.echo(f"OK: {compiled.path}: {compiled.edition} ({compiled.date}), "
               f"{len(compiled.entries)} entries in {items} items, "
               f"{len(compiled.kinds)} kinds, {len(compiled.parameters)} parameters, "
               f"{len(compiled.warnings)} warning(s)")
    if strict and compiled.warnings:
        sys.exit(ExitCode.INPUT_ERROR)


@annex.command("list")
@click.option("--item", type=int, help="Only entries of this Annex Item (1-20).")
@click.option("--category", type=click.Choice(["I", "II"]), help="Only this category.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@annex_option
def annex_list(item: int | None, category: str | None, fmt: str,
               annex_path: str | None) -> None:
    """List Annex entries (id, category, title)."""
    from mtcr_screen import browse

    compiled = _annex_only(annex_path)
    entries = browse.list_entries(compiled, item=item, category=category)
    click.echo(browse.list_json(entries, compiled) if fmt == "json"
               else browse.list_text(entries), nl=False)


@annex.command("show")
@click.argument("entry_id", metavar="ID")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@annex_option
def annex_show(entry_id: str, fmt: str, annex_path: str | None) -> None:
    """Show one entry: scope, thresholds with units, notes, provenance, parent, children."""
    import json

    from mtcr_screen import browse

    compiled = _annex_only(annex_path)
    e = browse.get_entry(compiled, entry_id)
    if fmt == "json":
        click.echo(json.dumps(browse.entry_dict(e, compiled), indent=2, ensure_ascii=False))
    else:
        click.echo(browse.show_text(e, compiled), nl=False)


@annex.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", type=int, default=10, show_default=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@annex_option
def annex_search(text: tuple[str, ...], limit: int, fmt: str, annex_path: str | None) -> None:
    """Rank entries for a free-text description, e.g. "ring laser gyro"."""
    import json

    from mtcr_screen import browse

    compiled = _annex_only(annex_path)
    hits = browse.search(compiled, " ".join(text), limit=limit)
    if fmt == "json":
        click.echo(json.dumps({"query": " ".join(text),
                               "results": [h.to_dict(compiled) for h in hits]}, indent=2,
                              ensure_ascii=False))
    else:
        click.echo(browse.search_text(hits, compiled), nl=False)


@cli.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def rules(fmt: str) -> None:
    """List the policy rules (the Guidelines as code)."""
    from mtcr_screen import catalogue

    click.echo(catalogue.rules_text() if fmt == "text" else catalogue.rules_json(), nl=False)


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show one policy rule's documentation (e.g. POL102)."""
    from mtcr_screen import catalogue

    click.echo(catalogue.explain(code), nl=False)


# Commands in mtcr_screen/commands/: (module, attribute). Add one line per command.
_COMMANDS: list[tuple[str, str]] = [
    ("batch", "batch"),
    ("interview", "interview"),
    ("log", "log"),
    ("parties", "parties"),
    ("rescreen", "rescreen"),
    ("tradeoff", "tradeoff"),
    ("whatif", "whatif"),
]
# Subcommands of `annex` in mtcr_screen/commands/: (module, attribute).
_ANNEX_COMMANDS: list[tuple[str, str]] = [
    ("annex_editions", "diff"),
    ("annex_editions", "editions"),
]


def _register() -> None:
    import importlib

    for module, attr in _COMMANDS:
        cli.add_command(getattr(importlib.import_module(f"mtcr_screen.commands.{module}"), attr))
    for module, attr in _ANNEX_COMMANDS:
        annex.add_command(getattr(importlib.import_module(f"mtcr_screen.commands.{module}"),
                                  attr))


_register()

# One-line summaries for `--help` listings (click would cut the docstrings mid-sentence).
_SHORT_HELP = {
    (): {
        "annex": "Check, browse, compare and search the Annex data.",
        "batch": "Screen every row of a manifest (CSV, TSV, XLSX, JSON, JSONL, YAML).",
        "explain": "Show one policy rule's documentation.",
        "interview": "Ask only for the facts that can still change the result.",
        "kinds": "List item kinds with their parameters and canonical units.",
        "log": "List, show, export and verify the decision log.",
        "parties": "Screen names against denied-party lists.",
        "rescreen": "Replay logged decisions under another Annex edition or lists.",
        "rules": "List the policy rules (the Guidelines as code).",
        "screen": "Screen one proposed transfer (a spec file, or flags).",
        "tradeoff": "Estimate the range/payload curve from vehicle data.",
        "whatif": "Sweep one or two parameters and report the flip points.",
    },
    ("annex",): {
        "diff": "Compare two Annex editions entry by entry.",
        "editions": "List the known Annex editions.",
        "list": "List Annex entries (id, category, title).",
        "search": "Rank entries for a free-text description.",
        "show": "Show one entry: thresholds, notes, provenance, parent, children.",
        "validate": "Validate an Annex folder; incomplete entries are warnings.",
    },
}
for _path, _texts in _SHORT_HELP.items():
    _group: click.Group = cli
    for _name in _path:
        _group = cli.commands[_name]  # type: ignore[assignment]
    for _name, _text in _texts.items():
        _group.commands[_name].short_help = _text


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="mtcr-screen")
