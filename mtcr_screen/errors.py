"""One exception hierarchy for every error that is not a screening finding.

Each error carries a short ``code`` (like sqlfluff's TMP/PRS codes), a ``location``
(``file:line:col``, ``manifest.csv:row 7:column range``, ``--param``...) and an optional
``hint``. The CLI catches :class:`MtcrScreenError` at one boundary, prints
``Error: <location>: <message>`` (plus the hint) and exits with code 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file with line and column (1-based), or a named input."""

    source: str
    line: int | None = None
    column: int | None = None
    detail: str | None = None

    def __str__(self) -> str:
        text = self.source
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.detail:
            text += f": {self.detail}"
        return text


class MtcrScreenError(Exception):
    """Base class: a problem with input or data, reported in one line, exit code 2."""

    code = "ERR"

    def __init__(
        self,
        message: str,
        *,
        location: Location | str | None = None,
        hint: str | None = None,
        path: tuple[str | int, ...] | None = None,
        key: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = Location(location) if isinstance(location, str) else location
        self.hint = hint
        self.path = path  # where in the input document, when known (mapped to a line later)
        self.key = key  # the key at ``path`` is at fault (an unknown name), not its value

    def one_line(self) -> str:
        """The message as the CLI prints it (without the ``Error:`` prefix)."""
        where = f"{self.location}: " if self.location is not None else ""
        text = f"{where}{self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return " ".join(text.split())

    def __str__(self) -> str:
        return self.one_line()


class AnnexError(MtcrScreenError):
    """The Annex data (YAML) is invalid: bad schema, duplicate id, dangling reference..."""

    code = "ANX"


class SpecError(MtcrScreenError):
    """An item or transfer description is invalid: unknown kind, bad unit, bad country..."""

    code = "SPEC"


class UnitError(SpecError):
    """A quantity cannot be parsed, or has the wrong dimension for its parameter."""

    code = "UNIT"


class ManifestError(MtcrScreenError):
    """A batch manifest cannot be read at all (file-level problem)."""

    code = "MAN"


class RowError(MtcrScreenError):
    """One manifest row is invalid; batch reports it as a rejected row and goes on."""

    code = "ROW"


class ListError(MtcrScreenError):
    """A destination list or denied-party list is missing, unreadable, empty or stale."""

    code = "LIST"


class LogError(MtcrScreenError):
    """The decision log cannot be opened, written or verified."""

    code = "LOG"


class OutputError(MtcrScreenError):
    """The results cannot be written: the output file or stdout, or a spool file of a
    ``--jobs`` run (a full disk, a read-only directory)."""

    code = "OUT"


@contextmanager
def writing(location: str, what: str = "cannot write",
            hint: str | None = None) -> Iterator[None]:
    """Turn an ``OSError`` while writing results into an :class:`OutputError` at
    ``location`` (a broken pipe excepted: the reader stopped, the CLI handles that)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"{what}: {exc.strerror or exc}", location=location,
                          hint=hint) from None


class UsageError(MtcrScreenError):
    """A command was used wrongly in a way click itself cannot detect."""

    code = "USE"
