"""The data a denied-party list is made of: :class:`PartyEntry` and :class:`PartyList`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class ListFormat(StrEnum):
    """The file formats a party list can be read from."""

    CSL_CSV = "csl-csv"
    CSL_JSON = "csl-json"
    OPENSANCTIONS_CSV = "opensanctions-targets-simple-csv"


class AsOfBasis(StrEnum):
    """Where a list's as-of date came from (the file mtime is the weakest evidence)."""

    SOURCE_LAST_UPDATED = "source_last_updated"
    LAST_CHANGE = "last_change"
    FILE_MTIME = "file_mtime"


@dataclass(frozen=True, slots=True)
class PartyEntry:
    """One listed party (entity, individual, vessel, aircraft) as the list gives it.

    ``countries`` are ISO 3166-1 alpha-2 codes (upper case) from addresses, nationalities and
    citizenships; ``programs`` the sanction programmes (``NPWMD``, ``INKSNA``, ``EAR`` ...).
    """

    list_name: str
    source: str
    entry_id: str
    name: str
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    entry_type: str | None = None
    remarks: str | None = None


@dataclass(frozen=True, slots=True)
class PartyList:
    """A loaded party list with the facts needed to cite it in a decision."""

    name: str
    path: str
    format: ListFormat
    sha256: str
    row_count: int
    entries: tuple[PartyEntry, ...]
    as_of: dt.date | None
    as_of_basis: AsOfBasis | None

    @property
    def as_of_is_file_mtime(self) -> bool:
        """True when the as-of date is only the file's modification time."""
        return self.as_of_basis is AsOfBasis.FILE_MTIME

    def __len__(self) -> int:
        return len(self.entries)
