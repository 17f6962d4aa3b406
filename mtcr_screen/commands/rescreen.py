"""``mtcr-screen rescreen``: replay logged decisions under another Annex edition or lists."""

from __future__ import annotations

import json

import click

from mtcr_screen.exit_codes import ExitCode

# The options mirror mtcr_screen.cli's annex_option and lists_option; they are spelled out
# here because this module is imported while mtcr_screen.cli itself is being imported.


@click.command()
@click.option("--annex", "annex_path", metavar="PATH|EDITION", envvar="MTCR_SCREEN_ANNEX",
              help="Annex folder or edition name to replay under (default: the shipped one).")
@click.option("--lists", "lists_dirs", metavar="DIR", multiple=True,
              help="Folder of destination-list YAML files (repeatable); replaces the shipped "
                   "lists.")
@click.option("--add-lists", "add_lists_dirs", metavar="DIR", multiple=True,
              help="Folder of destination-list YAML files to add (repeatable).")
@click.option("--since", metavar="DATE", help="Only records on or after DATE (YYYY-MM-DD, UTC).")
@click.option("--ref", metavar="REF", help="Only records with this case reference (also "
              "recorded on the re-screen's own record).")
@click.option("--log", "log_path", metavar="PATH",
              help="Decision log to replay and append to (default: MTCR_SCREEN_LOG or the "
                   "user data directory).")
@click.option("--no-log", is_flag=True, help="Do not record the re-screen in the log.")
@click.option("--operator", metavar="NAME", envvar="MTCR_SCREEN_OPERATOR",
              help="Who re-screened (recorded in the decision log).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", "output", metavar="FILE",
              help="Write the result to FILE instead of stdout.")
@click.pass_context
def rescreen(ctx: click.Context, annex_path: str | None, lists_dirs: tuple[str, ...],
             add_lists_dirs: tuple[str, ...], since: str | None,
             ref: str | None, log_path: str | None, no_log: bool, operator: str | None,
             fmt: str, output: str | None) -> None:
    """Replay logged decisions under another Annex edition (or other lists) and report
    those whose category or recommendation changed, with the entries responsible.

    Every `screen` and `batch` record is replayed from its logged input; the re-screen is
    itself logged as one record of kind `rescreen` (unless --no-log).

    \b
    Examples:
      mtcr-screen rescreen --annex ./annex-2026
      mtcr-screen rescreen --annex 2026 --since 2025-01-01 --format json

    Exit code 0: no decision changed; 1: at least one changed, no longer validates or
    could not be replayed; 2: input error.
    """
    from mtcr_screen import __version__, app
    from mtcr_screen import rescreen as rs
    from mtcr_screen.annex.loader import resolve_annex_path
    from mtcr_screen.cli import emit
    from mtcr_screen.commands.log import _since
    from mtcr_screen.records import NewRecord, canonical_json

    root = resolve_annex_path(annex_path)
    annex, lists = app.load_context(str(root), lists_dirs, add_lists_dirs)
    since_value = _since(since)
    filters: dict[str, str | None] = {"since": since, "ref": ref}
    with app.open_log(log_path, existing=True) as log:
        records = list(log.query(since=since_value, ref=ref))
        report = rs.rescreen(records, annex, lists, annex_path=str(root), filters=filters)
        if not no_log:
            request = {"command": "rescreen", "annex": annex_path, "annex_path": str(root),
                       "lists": list(lists_dirs), "add_lists": list(add_lists_dirs),
                       "since": since, "ref": ref,
                       "records": [r.record for r in report.replays]}
            stored = log.append(NewRecord(
                kind="rescreen", input_text=canonical_json(request), input_format="json",
                tool_version=__version__, annex_edition=annex.edition,
                annex_sha256=annex.sha256, lists=[dict(x) for x in lists.consulted()],
                decision=report.record_summary(),
                recommendation="changed" if report.reported else "unchanged",
                category="-", operator=operator, ref=ref))
            report.logged_as = int(stored.id)
    if fmt == "json":
        emit(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    else:
        emit(rs.to_text(report), output)
        if report.logged_as is not None:
            click.echo(f"Logged the re-screen as record {report.logged_as}.", err=True)
    ctx.exit(ExitCode.NOT_CLEARED if report.reported else ExitCode.CLEARED)
