"""``mtcr-screen log``: list, show, export and verify the decision log."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from mtcr_screen.exit_codes import ExitCode

_LOG = click.option("--log", "log_path", metavar="PATH",
                    help="Decision log (default: MTCR_SCREEN_LOG or the user data directory).")


def _since(value: str | None) -> dt.date | dt.datetime | None:
    if value is None:
        return None
    from mtcr_screen.errors import UsageError

    try:
        return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--since {value!r}: expected a date such as 2026-01-31",
                         location="--since") from None


@click.group()
def log() -> None:
    """The tamper-evident decision log: every screen and batch run is recorded."""


@log.command("list")
@click.option("--since", metavar="DATE", help="Only records on or after DATE (YYYY-MM-DD).")
@click.option("--ref", help="Only records with this case reference.")
@click.option("--recommendation", help="Only records with this recommendation.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many records.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_LOG
def log_list(since: str | None, ref: str | None, recommendation: str | None,
             limit: int | None, fmt: str, log_path: str | None) -> None:
    """List logged decisions."""
    from mtcr_screen.app import open_log

    with open_log(log_path, existing=True) as lg:
        records = list(lg.query(since=_since(since), ref=ref, recommendation=recommendation,
                                limit=limit))
    if fmt == "json":
        click.echo(json.dumps([{k: getattr(r, k) for k in (
            "id", "created_at", "kind", "ref", "operator", "recommendation", "category",
            "annex_edition", "input_sha256", "record_hash")} for r in records], indent=2))
        return
    if not records:
        click.echo("no records", err=True)
        return
    for r in records:
        entries = ",".join(r.decision.get("entries", [])) or "-"
        click.echo(f"{r.id:>6}  {r.created_at[:19]}  {r.kind:<8} {r.recommendation:<27} "
                   f"{r.category:<12} {entries:<20} {r.ref or ''}")


@log.command("show")
@click.argument("record_id", type=int)
@_LOG
def log_show(record_id: int, log_path: str | None) -> None:
    """Show one record in full (JSON)."""
    from mtcr_screen.app import open_log

    with open_log(log_path, existing=True) as lg:
        click.echo(json.dumps(lg.get(record_id).to_dict(), indent=2, ensure_ascii=False))


@log.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--since", metavar="DATE")
@click.option("--ref")
@click.option("--recommendation")
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
@_LOG
def log_export(fmt: str, since: str | None, ref: str | None, recommendation: str | None,
               output: str | None, log_path: str | None) -> None:
    """Export records as JSON Lines or CSV."""
    from mtcr_screen.app import open_log

    with open_log(log_path, existing=True) as lg:
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                n = lg.export(fmt, fh, since=_since(since), ref=ref,
                              recommendation=recommendation)
        else:
            n = lg.export(fmt, sys.stdout, since=_since(since), ref=ref,
                          recommendation=recommendation)
    click.echo(f"exported {n} record(s)", err=True)


@log.command("verify")
@click.option("--head", "expected", metavar="ID:HASH",
              help="Also check the log against a head recorded elsewhere (see `log head`).")
@_LOG
@click.pass_context
def log_verify(ctx: click.Context, expected: str | None, log_path: str | None) -> None:
    """Check the hash chain; name the first edited, deleted or reordered record."""
    from mtcr_screen.app import open_log
    from mtcr_screen.errors import UsageError

    head = None
    if expected:
        rid, _, digest = expected.partition(":")
        if not rid.isdigit() or len(digest) != 64:
            raise UsageError("--head: expected ID:SHA256 as printed by `log head`",
                             location="--head")
        head = (int(rid), digest)
    with open_log(log_path, existing=True) as lg:
        res = lg.verify(expected_head=head)
    if res.ok:
        click.echo(f"OK: {res.checked} record(s), hash chain intact")
        return
    click.echo(f"FAILED: record {res.first_bad_id}: {res.problem} "
               f"({res.checked} record(s) checked)")
    ctx.exit(ExitCode.NOT_CLEARED)


@log.command("head")
@_LOG
def log_head(log_path: str | None) -> None:
    """Print the id and hash of the newest record (keep it elsewhere to detect rewrites)."""
    from mtcr_screen.app import open_log

    with open_log(log_path, existing=True) as lg:
        h = lg.head()
    click.echo(f"{h.id}:{h.hash}")
