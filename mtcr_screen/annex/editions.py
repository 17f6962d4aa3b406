"""Annex editions: the shipped ones, local archives, and finding one by name.

``--annex`` takes a folder (or its ``annex.yaml``) or an edition name. A name is matched,
ignoring case, against each known edition's short alias (``2024``) and then its full
``edition`` as written in ``annex.yaml`` (``MTCR/TEM/2024/Annex``). An existing path always
wins over a name.

Known editions are, in this order:

1. the shipped editions listed in :data:`SHIPPED` (the first is the default);
2. local editions under the folders of ``MTCR_SCREEN_EDITIONS`` (``os.pathsep``-separated):
   every sub-folder holding ``annex.yaml`` is an edition whose alias is the folder name
   (a listed folder that itself holds ``annex.yaml`` is one edition). Compliance teams keep
   superseded editions there, so that old decisions can be diffed and re-screened.

An edition's name, date and title are read from its ``annex.yaml``; nothing is repeated
here. When a full name matches several editions (a local copy of a shipped edition keeps
its name), a shipped edition wins; two local ones are ambiguous and must be named by alias.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mtcr_screen.errors import AnnexError

#: Shipped editions, newest first; the first is the default. ``(alias, folder)``: folder
#: ``None`` is the shipped Annex (``annex/``, installed as ``mtcr_screen._annex``); a name is
#: a folder under ``mtcr_screen/data/editions/``, which ships as package data as it is.
SHIPPED: tuple[tuple[str, str | None], ...] = (
    ("2024", None),
)

#: Folders of local editions (``os.pathsep``-separated).
EDITIONS_ENV_VAR = "MTCR_SCREEN_EDITIONS"

MANIFEST = "annex.yaml"


@dataclass(frozen=True, slots=True)
class Edition:
    """One known Annex edition: where it is and what its ``annex.yaml`` calls it."""

    alias: str
    name: str
    date: str
    title: str
    path: Path
    origin: str  # "shipped" | "local"
    default: bool = False

    def to_dict(self) -> dict[str, object]:
        """The JSON form (``annex editions --format json``)."""
        return {"alias": self.alias, "edition": self.name, "date": self.date,
                "title": self.title, "origin": self.origin, "default": self.default,
                "path": str(self.path)}

    @property
    def label(self) -> str:
        """``2024 (MTCR/TEM/2024/Annex)``."""
        return f"{self.alias} ({self.name})"


def editions_data_dir() -> Path:
    """Where further shipped editions live: ``mtcr_screen/data/editions/<folder>/``."""
    return Path(__file__).resolve().parents[1] / "data" / "editions"


def _read_edition(alias: str, root: Path, origin: str, default: bool = False) -> Edition:
    from mtcr_screen import yamlio

    manifest = root / MANIFEST
    try:
        raw = manifest.read_bytes()
    except OSError as exc:
        raise AnnexError(f"cannot read edition {alias!r}: {exc.strerror}",
                         location=str(manifest)) from None
    data, _ = yamlio.load(raw, str(manifest), error=AnnexError)
    if not isinstance(data, dict) or not isinstance(data.get("edition"), str):
        raise AnnexError(f"edition {alias!r}: annex.yaml has no 'edition'", location=str(manifest))
    return Edition(alias=alias, name=data["edition"], date=str(data.get("date", "")),
                   title=str(data.get("title", "")), path=root, origin=origin, default=default)


def shipped_editions() -> list[Edition]:
    """The editions that ship with the tool; the first is the default."""
    from mtcr_screen.annex.loader import shipped_annex_dir

    out = []
    for i, (alias, folder) in enumerate(SHIPPED):
        root = shipped_annex_dir() if folder is None else editions_data_dir() / folder
        out.append(_read_edition(alias, root, "shipped", default=i == 0))
    return out


def local_editions() -> list[Edition]:
    """The editions under the folders named by ``MTCR_SCREEN_EDITIONS``, in sorted order."""
    out: list[Edition] = []
    for part in os.environ.get(EDITIONS_ENV_VAR, "").split(os.pathsep):
        if not part.strip():
            continue
        base = Path(part).expanduser()
        if (base / MANIFEST).is_file():
            out.append(_read_edition(base.name, base, "local"))
        elif base.is_dir():
            out.extend(_read_edition(sub.name, sub, "local")
                       for sub in sorted(base.iterdir()) if (sub / MANIFEST).is_file())
        else:
            raise AnnexError("no such folder of Annex editions", location=f"{EDITIONS_ENV_VAR}="
                             f"{part}", hint="each sub-folder holding annex.yaml is an edition")
    return out


def known_editions() -> list[Edition]:
    """Shipped editions first (the default first), then local ones."""
    return shipped_editions() + local_editions()


def known_labels(editions: list[Edition] | None = None) -> str:
    """``2024 (MTCR/TEM/2024/Annex), 2026 (...)`` for hints."""
    return ", ".join(e.label for e in (editions if editions is not None else known_editions()))


def find_edition(name: str) -> Edition:
    """The edition called ``name`` (alias, then full edition name), or a one-line AnnexError."""
    editions = known_editions()
    key = name.strip().casefold()
    for e in editions:
        if e.alias.casefold() == key:
            return e
    named = [e for e in editions if e.name.casefold() == key]
    shipped = [e for e in named if e.origin == "shipped"]
    if shipped:
        return shipped[0]
    if len(named) == 1:
        return named[0]
    if named:
        raise AnnexError(f"Annex edition {name!r} is ambiguous: "
                         + ", ".join(f"{e.alias} ({e.path})" for e in named),
                         hint="name the edition by its alias")
    raise AnnexError(f"no such Annex edition, file or folder: {name!r}",
                     hint=f"known editions: {known_labels(editions)}; or give a folder "
                          "holding annex.yaml (see `mtcr-screen annex editions`)")


def edition_for_digest(sha256: str) -> Edition | None:
    """The known edition whose files have this sha256 (as logged with each decision)."""
    from mtcr_screen.annex.loader import annex_digest

    for e in known_editions():
        try:
            if annex_digest(e.path) == sha256:
                return e
        except OSError:
            continue
    return None


def editions_text(editions: list[Edition]) -> str:
    """``annex editions``: one line per edition."""
    width = max((len(e.alias) for e in editions), default=0)
    name_w = max((len(e.name) for e in editions), default=0)
    lines = []
    for e in editions:
        tags = e.origin + (", default" if e.default else "")
        lines.append(f"{e.alias:<{width}}  {e.name:<{name_w}}  {e.date:<10}  {tags:<16}  {e.path}")
    return "\n".join(lines) + "\n"
