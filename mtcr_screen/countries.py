"""Countries: ISO 3166-1 codes and names from pycountry, plus common aliases.

``resolve("Iran")``, ``resolve("Islamic Republic of Iran")`` and ``resolve("IR")`` all give
``"IR"``. An unknown country raises :class:`~mtcr_screen.errors.SpecError` naming the nearest
matches. pycountry is imported on first use only.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache

from mtcr_screen.errors import SpecError

# Names people use that pycountry does not carry as a name, official name or common name.
ALIASES: dict[str, str] = {
    "iran": "IR",
    "north korea": "KP",
    "dprk": "KP",
    "democratic people's republic of korea": "KP",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "rok": "KR",
    "russia": "RU",
    "syria": "SY",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "uae": "AE",
    "emirates": "AE",
    "turkey": "TR",
    "turkiye": "TR",
    "vietnam": "VN",
    "laos": "LA",
    "burma": "MM",
    "czechia": "CZ",
    "czech republic": "CZ",
    "holland": "NL",
    "ivory coast": "CI",
    "prc": "CN",
    "people's republic of china": "CN",
    "mainland china": "CN",
    "taiwan": "TW",
    "venezuela": "VE",
    "bolivia": "BO",
    "tanzania": "TZ",
    "moldova": "MD",
    "macedonia": "MK",
    "palestine": "PS",
    "vatican": "VA",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "congo-kinshasa": "CD",
    "congo-brazzaville": "CG",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "micronesia": "FM",
    "brunei": "BN",
    "kosovo": "XK",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("’", "'"))
    return " ".join(text.split())


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(folded name -> alpha-2, alpha-2 -> short name), cached on disk per pycountry data."""
    import os
    from importlib.util import find_spec

    from mtcr_screen.cache import cached

    spec = find_spec("pycountry")
    stamp = "none"
    if spec is not None and spec.origin:
        db = os.path.join(os.path.dirname(spec.origin), "databases", "iso3166-1.json")
        try:
            st = os.stat(db)
            stamp = f"{db}:{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = spec.origin
    key = stamp + "|" + ",".join(f"{k}={v}" for k, v in sorted(ALIASES.items()))
    import hashlib

    return cached("countries", hashlib.sha256(key.encode()).hexdigest(), _build_index,
                  lambda v: isinstance(v, tuple) and len(v) == 2)


def _build_index() -> tuple[dict[str, str], dict[str, str]]:
    import pycountry

    names: dict[str, str] = {}
    short: dict[str, str] = {}
    for c in pycountry.countries:
        code = str(c.alpha_2)
        short[code] = str(getattr(c, "common_name", None) or c.name)
        for attr in ("name", "official_name", "common_name", "alpha_3"):
            value = getattr(c, attr, None)
            if value:
                names[_fold(str(value))] = code
    # Kosovo has no ISO 3166-1 code; XK is the user-assigned code in wide use.
    short.setdefault("XK", "Kosovo")
    for alias, code in ALIASES.items():
        names[_fold(alias)] = code
    return names, short


def name_of(code: str) -> str:
    """The short English name of an alpha-2 code (``IR`` -> ``Iran, Islamic Republic of``)."""
    return _index()[1].get(code.upper(), code.upper())


def is_code(code: str) -> bool:
    """True when ``code`` is a known alpha-2 code."""
    return code.upper() in _index()[1]


def resolve(text: str, *, field: str = "country") -> str:
    """Resolve a code, name or alias to an ISO 3166-1 alpha-2 code, or raise SpecError."""
    raw = text.strip()
    if not raw:
        raise SpecError(f"{field}: empty country")
    names, short = _index()
    if len(raw) == 2 and raw.isalpha():
        code = raw.upper()
        if code in short:
            return code
    folded = _fold(raw)
    if folded in names:
        return names[folded]
    candidates = list(short) + list(names)
    near = difflib.get_close_matches(folded if len(raw) > 2 else raw.upper(), candidates, n=3,
                                     cutoff=0.6)
    suggestions = []
    for n in near:
        code = n if n in short else names[n]
        label = f"{code} ({short.get(code, code)})"
        if label not in suggestions:
            suggestions.append(label)
    hint = ("did you mean " + " or ".join(suggestions) + "?") if suggestions else (
        "use an ISO 3166-1 alpha-2 code such as FR, or a country name"
    )
    raise SpecError(f"{field}: unknown country {raw!r}", hint=hint)
