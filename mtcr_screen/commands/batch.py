"""``mtcr-screen batch MANIFEST``: screen every row of a manifest (CSV, TSV, XLSX, JSON,
JSON Lines, YAML). Reading, screening and summarising live in :mod:`mtcr_screen.batch`."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from mtcr_screen.cli import annex_option, lists_option, log_options, parties_options, use_color
from mtcr_screen.errors import MtcrScreenError, writing
from mtcr_screen.exit_codes import ExitCode
from mtcr_screen.render.batch import BATCH_RENDERERS


@click.command("batch")
@click.argument("manifest", metavar="MANIFEST")
@click.option("--format", "-f", "fmt", type=click.Choice(list(BATCH_RENDERERS)),
              default="table", show_default=True, help="Output format.")
@click.option("--output", "-o", "output", metavar="FILE",
              help="Write the results to FILE instead of stdout.")
@click.option("--color/--no-color", default=None,
              help="Colour the table (default: when stdout is a terminal).")
@click.option("--input-format", type=click.Choice(["csv", "tsv", "xlsx", "json", "jsonl",
                                                   "yaml"]),
              help="Input format (default: from the file suffix; stdin is CSV).")
@click.option("--encoding", metavar="NAME",
              help="Text encoding of a CSV/TSV/JSONL manifest (default: detected, see docs).")
@click.option("--sheet", metavar="NAME", help="XLSX: the sheet to read (default: the first).")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes; the output is identical to one process's.")
@click.option("--detail", is_flag=True,
              help="Include each row's full decision (entry evaluations) in json/jsonl.")
@click.option("--summary/--no-summary", "show_summary", default=None,
              help="Summary on stderr (default: for the table, or when stderr is a terminal).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
@annex_option
@lists_option
@parties_options
@log_options
@click.pass_context
def batch(ctx: click.Context, manifest: str, fmt: str, output: str | None,
          color: bool | None, input_format: str | None, encoding: str | None,
          sheet: str | None, jobs: int, detail: bool, show_summary: bool | None,
          progress: bool | None, annex_path: str | None, lists_dirs: tuple[str, ...],
          add_lists_dirs: tuple[str, ...], list_max_age: int | None,
          party_files: tuple[str, ...], party_threshold: float | None, log_path: str | None,
          no_log: bool, ref: str | None, operator: str | None) -> None:
    """Screen every row of a MANIFEST (- for stdin): one result per row, in order.

    \b
    Examples:
      mtcr-screen batch examples/manifest.csv
      mtcr-screen batch examples/manifest.xlsx --format jsonl
      mtcr-screen batch big.csv --format html --output report.html --jobs 2

    A bad row is a rejected result (row, column, reason) and counts as not cleared.
    Exit code 0: every row cleared; 1: any row not cleared or rejected; 2: the file
    cannot be read (one line on stderr).
    """
    from mtcr_screen import app
    from mtcr_screen.batch.layout import Layout
    from mtcr_screen.batch.readers import open_manifest
    from mtcr_screen.batch.runner import CHUNK, Reopen, RunSpec, run
    from mtcr_screen.batch.summary import summary_text
    from mtcr_screen.errors import UsageError
    from mtcr_screen.policy.base import CURRENT
    from mtcr_screen.render.batch import BatchMeta

    annex, lists = app.load_context(annex_path, lists_dirs, add_lists_dirs, list_max_age)
    parties = app.load_parties(party_files, party_threshold)
    err_tty = sys.stderr.isatty()
    with open_manifest(manifest, fmt=input_format, encoding=encoding, sheet=sheet) as man:
        if sheet is not None and man.format != "xlsx":
            raise UsageError(f"applies to XLSX workbooks, and this manifest is "
                             f"{man.format.upper()}", location="--sheet")
        layout = Layout(man.columns, annex, man.source)
        if man.encoding == "cp1252" and encoding is None:
            _warn(man.source, "not UTF-8: read as Windows-1252 (Excel's \"CSV (Comma "
                  "delimited)\"); give --encoding to choose another")
        if layout.unknown:
            _warn(man.source, "unknown columns ignored: " + ", ".join(layout.unknown))
        options: dict[str, Any] = {}
        if fmt == "table":
            import shutil

            options = {"color": use_color(color, output),
                       "width": min(max(shutil.get_terminal_size((120, 24)).columns, 80),
                                    200)}
        consulted = lists.consulted() + (parties.consulted() if parties else ())
        meta = BatchMeta(man.source, man.columns, annex.edition, annex.sha256, CURRENT.name,
                         consulted, detail, options)
        spec = RunSpec(annex, lists, CURRENT, fmt, meta, detail, parties)
        streaming = man.size is None  # a pipe: write each row as soon as it is screened
        out, close = _open_output(output, UsageError)
        bar = _progress(man, err_tty if progress is None else progress)
        try:
            def write(text: bytes) -> None:
                if text:
                    with writing(output or "<stdout>"):
                        out.write(text)
                        if streaming:
                            out.flush()

            reopen = None if streaming or manifest == "-" else \
                Reopen(manifest, input_format, man.encoding, sheet)
            summary = run(man, spec, write, jobs=jobs, chunk_size=1 if streaming else CHUNK,
                          progress=bar.update if bar else None, reopen=reopen,
                          output=out if _has_fileno(out) else None)
        finally:
            if bar:
                bar.close()
            with writing(output or "<stdout>"):
                close()
    if summary.rows == 0:
        from mtcr_screen.errors import ManifestError

        # nothing screened is not "cleared": a pipeline must not read it as a pass
        raise ManifestError("no data rows: the manifest has a header only", location=man.source,
                            hint="add rows below the header")
    if lists.warnings and (fmt == "table" or sys.stderr.isatty()):
        click.echo(f"Warning: {len(lists.warnings)} destination list(s) are out of date (see "
                   "the lists in the report); check them against their sources", err=True)
    if not no_log:
        app.record_batch(manifest, man.source, summary, annex, consulted, log_path=log_path,
                         operator=operator, ref=ref)
    wanted = show_summary if show_summary is not None else (fmt == "table" or err_tty)
    if wanted:
        click.echo(summary_text(summary, man.source), err=True, nl=False)
    ctx.exit(ExitCode.CLEARED if summary.cleared else ExitCode.NOT_CLEARED)


def _has_fileno(stream: Any) -> bool:
    """Whether the output is an OS-level file (stdout under a test runner may not be)."""
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _warn(source: str, message: str) -> None:
    click.echo(f"Warning: {source}: {message}", err=True)


def _open_output(output: str | None, error: type[MtcrScreenError]) -> tuple[Any, Any]:
    if not output:
        sys.stdout.flush()
        stream = sys.stdout.buffer
        return stream, stream.flush
    try:
        fh = open(output, "wb")  # noqa: SIM115
    except OSError as exc:
        raise error(f"cannot write: {exc.strerror}", location=output) from None
    return fh, fh.close


class _Bar:
    """A rich progress bar on stderr, by bytes read when the size is known."""

    def __init__(self, man: Any) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.man = man
        self.bytes = man.size is not None and man.position is not None
        cols: list[Any] = [TextColumn("[bold]screening"), BarColumn()]
        cols += [TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn()] if self.bytes \
            else [MofNCompleteColumn(), TimeElapsedColumn()]
        cols.append(TextColumn("{task.fields[rows]:,} rows"))
        self.progress = Progress(*cols, console=Console(file=sys.stderr), transient=True)
        self.task = self.progress.add_task("screen", total=man.size if self.bytes else None,
                                           rows=0)
        self.progress.start()

    def update(self, rows: int, done: int | None = None) -> None:
        """Show the rows done, and the bytes done (else read) when the size is known."""
        if self.bytes:
            self.progress.update(self.task, completed=self.man.position() if done is None
                                 else done, rows=rows)
        else:
            self.progress.update(self.task, completed=rows, rows=rows)

    def close(self) -> None:
        """Remove the bar."""
        self.progress.stop()


def _progress(man: Any, wanted: bool) -> _Bar | None:
    if not wanted or os.environ.get("MTCR_SCREEN_NO_PROGRESS"):
        return None
    return _Bar(man)
