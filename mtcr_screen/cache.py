"""A small on-disk cache for data compiled from YAML (the Annex, destination lists).

Entries are pickles named by a sha256 over the source files' names and bytes, the tool
version and a format number, so a changed file or a new release never reads a stale
entry. ``MTCR_SCREEN_CACHE`` sets the folder (default: the user's cache directory);
``MTCR_SCREEN_NO_CACHE=1`` turns the cache off. A cache that cannot be read or written
is ignored: the data is rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
FORMAT = 5


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("MTCR_SCREEN_NO_CACHE"):
        return None
    env = os.environ.get("MTCR_SCREEN_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mtcr-screen"


def digest_files(files: Iterable[Path], root: Path | None = None) -> str:
    """sha256 over the files' names (relative to ``root``) and bytes, in the given order."""
    h = hashlib.sha256()
    for p in files:
        name = p.relative_to(root).as_posix() if root is not None else str(p)
        h.update(name.encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def cached(kind: str, digest: str, build: Callable[[], T], check: Callable[[T], bool]) -> T:
    """The cached value for ``(kind, digest)``, or ``build()`` (then stored)."""
    from mtcr_screen import __version__

    folder = cache_dir()
    if folder is None:
        return build()
    key = hashlib.sha256(f"{kind}:{digest}:{__version__}:{FORMAT}".encode()).hexdigest()
    path = folder / f"{kind}-{key[:32]}.pickle"
    try:
        with path.open("rb") as fh:
            value = pickle.load(fh)
        if check(value):
            return value  # type: ignore[no-any-return]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError):
        pass
    value = build()
    try:
        import tempfile

        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: everything works, only slower
    return value
