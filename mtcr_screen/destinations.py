"""Destination lists as data: each YAML file names a list, its source, its as-of date, how sure
its content is, its effect under the policy, and its members (ISO 3166-1 alpha-2 codes).

The policy (not the list) decides what an effect means; see ``mtcr_screen/policy``:

=========================  ===================================================================
effect                     what the policy does with it
=========================  ===================================================================
``partner``                noted, no exemption (POL503)
``adherent``               noted, no exemption; adherence is not partnership (POL503)
``concern``                raises the risk: a Category II case is raised, an unlisted item
                           with end-use doubts is referred (POL501)
``arms_embargo_targeted``  an embargo on non-state armed groups or listed parties in the
                           country, not on its government: raises the risk like ``concern``
                           and asks who the end user is (POL501)
``arms_embargo``           presumption of denial for Annex items (POL502)
``embargo``                a comprehensive national embargo (US EAR E:1/E:2): as
                           ``arms_embargo`` (POL502)
``un_missile_measure``     UN Security Council missile measures: as ``arms_embargo`` (POL502)
``context``                noted only (POL504)
=========================  ===================================================================

Loading is strict and loud: an unknown key, a member code that is not ISO 3166-1 (or ``XK``),
a duplicate member, an empty member list, a duplicate list id, an empty folder or an
unreadable file is a :class:`~mtcr_screen.errors.ListError` with ``file:line:col``. A list
whose ``as_of`` date is older than the maximum age gives a warning (never silence).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from mtcr_screen.errors import ListError, UsageError

Effect = Literal["partner", "adherent", "concern", "arms_embargo_targeted", "arms_embargo",
                 "embargo", "un_missile_measure", "context"]
Confidence = Literal["confirmed", "partly_verified", "unverified"]

#: effects that give a presumption of denial for Annex items (POL502)
DENIAL_EFFECTS = frozenset({"arms_embargo", "embargo", "un_missile_measure"})
#: effects that raise the risk (POL501)
CONCERN_EFFECTS = frozenset({"concern", "arms_embargo_targeted"})
#: effects that are noted without changing the recommendation (POL503, POL504)
NOTE_EFFECTS = frozenset({"partner", "adherent", "context"})

DEFAULT_MAX_AGE_DAYS = 365
MAX_AGE_ENV = "MTCR_SCREEN_LIST_MAX_AGE_DAYS"
TODAY_ENV = "MTCR_SCREEN_TODAY"


@dataclass(frozen=True, slots=True)
class Member:
    """One destination on a list, with what the source says about it."""

    code: str
    note: str | None = None
    since: str | None = None
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class DestinationList:
    """One list of destinations and what it means."""

    id: str
    title: str
    effect: str
    source: str
    as_of: dt.date
    confidence: str
    members: dict[str, Member]
    path: str
    source_urls: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sha256: str = ""
    shipped: bool = False

    def to_dict(self) -> dict[str, str]:
        """What a decision records about the list (all strings)."""
        return {"id": self.id, "title": self.title, "effect": self.effect,
                "as_of": self.as_of.isoformat(), "confidence": self.confidence,
                "source": self.source, "members": str(len(self.members)),
                "origin": "shipped" if self.shipped else self.path, "sha256": self.sha256}


@dataclass(frozen=True, slots=True)
class ListHit:
    """A destination found on a list."""

    list_id: str
    title: str
    effect: str
    source: str
    as_of: dt.date
    confidence: str
    note: str | None
    since: str | None = None
    until: dt.date | None = None
    lapsed: bool = False

    def short(self) -> str:
        """``US EAR Country Group D:4 (as of 2026-07-08, partly verified)``."""
        extra = "" if self.confidence == "confirmed" else f", {self.confidence.replace('_', ' ')}"
        return f"{self.title} (as of {self.as_of.isoformat()}{extra})"

    def cite(self) -> str:
        """``US EAR Country Group D:4 (source: ...; as of 2026-07-08, partly verified)``."""
        extra = "" if self.confidence == "confirmed" else f", {self.confidence.replace('_', ' ')}"
        text = f"{self.title} (source: {self.source}; as of {self.as_of.isoformat()}{extra})"
        if self.note:
            text += f"; note: {self.note}"
        if self.lapsed and self.until is not None:
            text += (f"; the list says this measure runs until {self.until.isoformat()}, "
                     "which has passed: verify its renewal (still treated as listed)")
        return text


class DestinationLists:
    """Every list consulted for a screening run, with their currency checked."""

    __slots__ = ("_consulted", "_index", "lists", "max_age_days", "today", "warnings")

    def __init__(self, lists: Sequence[DestinationList], *, today: dt.date | None = None,
                 max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> None:
        self.lists = tuple(lists)
        self.today = today or dt.date.today()
        self.max_age_days = max_age_days
        self.warnings = tuple(_currency_warnings(self.lists, self.today, max_age_days))
        index: dict[str, list[ListHit]] = {}
        for dl in self.lists:
            for code, m in dl.members.items():
                lapsed = m.until is not None and m.until < self.today
                index.setdefault(code, []).append(ListHit(
                    dl.id, dl.title, dl.effect, dl.source, dl.as_of, dl.confidence, m.note,
                    m.since, m.until, lapsed))
        self._index = {k: tuple(v) for k, v in index.items()}

    def check(self, code: str | None) -> tuple[ListHit, ...]:
        """The lists the destination is on; a ListError when there are no lists at all."""
        if code is None:
            return ()
        if not self.lists:
            raise ListError("no destination lists are loaded, so the destination cannot be "
                            "screened", location="destination lists",
                            hint="load the shipped lists (load_lists()) or a --lists folder")
        return self._index.get(code, ())

    def consulted(self) -> tuple[dict[str, str], ...]:
        """The lists consulted, with as-of dates, confidence and any currency warning
        (computed once; callers must not change the dicts)."""
        cached: tuple[dict[str, str], ...] | None = getattr(self, "_consulted", None)
        if cached is not None:
            return cached
        out = []
        for dl in self.lists:
            d = dl.to_dict()
            age = (self.today - dl.as_of).days
            if age > self.max_age_days:
                d["warning"] = f"{age} days old, over the {self.max_age_days}-day limit"
            out.append(d)
        self._consulted = tuple(out)
        return self._consulted


def _currency_warnings(lists: Sequence[DestinationList], today: dt.date,
                       max_age: int) -> list[str]:
    out = []
    for dl in lists:
        age = (today - dl.as_of).days
        if age > max_age:
            out.append(f"destination list {dl.id} is {age} days old (as of "
                       f"{dl.as_of.isoformat()}; limit {max_age} days): check it against its "
                       "source")
        elif age < 0:
            out.append(f"destination list {dl.id} is dated {dl.as_of.isoformat()}, after "
                       f"today ({today.isoformat()}): check its as_of date")
    return out


def shipped_lists_dir() -> Path:
    """The default lists that ship with the tool."""
    return Path(__file__).parent / "data" / "lists"


def max_age_from_env() -> int:
    """``MTCR_SCREEN_LIST_MAX_AGE_DAYS`` or the default (365)."""
    raw = os.environ.get(MAX_AGE_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_AGE_DAYS
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"not a whole number of days: {raw!r}", location=MAX_AGE_ENV) from None
    if value < 0:
        raise UsageError(f"must be 0 or more days: {raw!r}", location=MAX_AGE_ENV)
    return value


def today_from_env() -> dt.date:
    """``MTCR_SCREEN_TODAY`` (YYYY-MM-DD, to reproduce a past run) or today's date."""
    raw = os.environ.get(TODAY_ENV)
    if raw is None or not raw.strip():
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise UsageError(f"not a date (YYYY-MM-DD): {raw!r}", location=TODAY_ENV) from None


def _list_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ListError("no such lists folder", location=str(folder))
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise ListError("no *.yaml destination lists in this folder", location=str(folder),
                        hint="an empty folder would screen every destination as 'no match'")
    return files


def _read_folder(folder: Path, shipped: bool) -> list[tuple[Path, tuple[DestinationList, bool,
                                                                         Any]]]:
    """Every list file of a folder, parsed once per content (cached on disk).

    Marks are only needed to report duplicate ids; a cached folder re-reads its files for
    them in that (rare) case.
    """
    from mtcr_screen.cache import cached, digest_files

    files = _list_files(folder)
    try:
        digest = digest_files(files, folder) + f":{shipped}:{folder.resolve()}"
    except OSError:
        return [(f, read_list_file(f, shipped=shipped)) for f in files]

    def build() -> list[tuple[DestinationList, bool]]:
        return [read_list_file(f, shipped=shipped)[:2] for f in files]

    parsed = cached("lists", digest, build, lambda v: isinstance(v, list))
    return [(f, (dl, replace, _LazyMarks(f))) for f, (dl, replace) in zip(files, parsed,
                                                                           strict=True)]


class _LazyMarks:
    """Marks of a cached list file, read again only when an error needs a line number."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def location(self, path: tuple[str | int, ...]) -> Any:
        from mtcr_screen import yamlio

        try:
            _, marks = yamlio.load(self.path.read_bytes(), str(self.path), error=ListError)
            return marks.location(path)
        except (OSError, ListError):
            return str(self.path)


def read_list_file(f: Path, *, shipped: bool = False) -> tuple[DestinationList, bool, Any]:
    """One list file: (the list, whether it replaces an earlier one, its marks)."""
    from mtcr_screen import yamlio

    try:
        raw = f.read_bytes()
    except OSError as exc:
        raise ListError(f"cannot read: {exc.strerror or exc}", location=str(f)) from None
    data, marks = yamlio.load(raw, str(f), error=ListError)
    if data is None:
        raise ListError("empty list file", location=str(f))
    if not isinstance(data, dict):
        raise ListError("a destination list is a mapping (id, title, effect, source, as_of, "
                        "confidence, members)", location=marks.location(()))
    from pydantic import ValidationError

    from mtcr_screen.destinations_schema import ListFile

    try:
        lf = ListFile.model_validate(data)
    except ValidationError as exc:
        raise yamlio.pydantic_error(exc, data, marks, str(f), ListError) from None
    members: dict[str, Member] = {}
    for i, m in enumerate(lf.members):
        if m.code in members:
            first = next(j for j, x in enumerate(lf.members) if x.code == m.code)
            line = marks.get(("members", first))
            raise ListError(
                f"duplicate member {m.code}"
                + (f" (first given on line {line[0]})" if line else ""),
                location=marks.location(("members", i)))
        members[m.code] = Member(m.code, m.note, m.since, m.until)
    dl = DestinationList(
        lf.id, lf.title, lf.effect, " ".join(lf.source.split()), lf.as_of, lf.confidence,
        members, str(f), tuple(lf.source_urls), tuple(lf.notes),
        hashlib.sha256(raw).hexdigest(), shipped)
    return dl, lf.replace, marks


def load_lists(dirs: Sequence[Path] | None = None, *, add: Sequence[Path] = (),
               today: dt.date | None = None, max_age_days: int | None = None
               ) -> DestinationLists:
    """Load every ``*.yaml`` list from ``dirs`` (default: the shipped lists), then ``add``.

    A list id may appear once. A later file may replace an earlier list of the same id only
    when it says ``replace: true`` (and then an earlier list of that id must exist).
    ``today`` and ``max_age_days`` default to ``MTCR_SCREEN_TODAY`` / today and
    ``MTCR_SCREEN_LIST_MAX_AGE_DAYS`` / 365.
    """
    shipped = shipped_lists_dir()
    folders = [*(list(dirs) if dirs else [shipped]), *add]
    by_id: dict[str, DestinationList] = {}
    for folder in folders:
        is_shipped = folder.resolve() == shipped.resolve()
        for _f, (dl, replace, marks) in _read_folder(folder, is_shipped):
            earlier = by_id.get(dl.id)
            if earlier is not None and not replace:
                raise ListError(f"duplicate list id {dl.id!r} (also in {earlier.path})",
                                location=marks.location(("id",)),
                                hint="give `replace: true` to replace the earlier list")
            if earlier is None and replace:
                raise ListError(f"replace: true, but no earlier list has id {dl.id!r}",
                                location=marks.location(("replace",)),
                                hint="replace a list with the same id loaded before it "
                                     "(the shipped lists come first with --add-lists)")
            by_id[dl.id] = dl
    return DestinationLists(
        tuple(by_id.values()),
        today=today or today_from_env(),
        max_age_days=max_age_from_env() if max_age_days is None else max_age_days)


@cache
def default_lists() -> DestinationLists:
    """The shipped lists, loaded once (the engine's default)."""
    return load_lists()


def destination_label(code: str) -> str:
    """``IR (Iran)``."""
    from mtcr_screen.countries import name_of

    return f"{code} ({name_of(code)})"


def titles(hits: Sequence[ListHit]) -> str:
    """``US EAR Country Group D:4 (as of 2026-07-08, partly verified); ...``."""
    return "; ".join(h.short() for h in hits)
