"""Countries: ISO 3166-1 codes and names from pycountry, plus common aliases.

``resolve("Iran")``, ``resolve("Islamic Republic of Iran")`` and ``resolve("IR")`` all give
``"IR"``. An unknown country raises :class:`~mtcr_screen.errors.SpecError` naming the nearest
matches. pycountry is imported on first use only.

Conventions that matter for export screening:

* A name that could mean two countries is an error, never a guess: "Korea" may be
  ``KR`` (Republic of Korea) or ``KP`` (DPRK), and "Congo" ``CG`` or ``CD``.
* Hong Kong (``HK``) and Macau (``MO``) keep their own ISO codes. Whether a list treats them
  as part of China is the list's business: the shipped US EAR lists name ``HK`` as a member
  (the EAR treats it as China since 23 Dec 2020); other lists name them only where their
  source does.
* Kosovo has no ISO 3166-1 code; ``XK`` (the user-assigned code in wide use) is accepted.
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
    "democratic republic of the congo": "CD",
    "congo-kinshasa": "CD",
    "congo-brazzaville": "CG",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "micronesia": "FM",
    "brunei": "BN",
    "kosovo": "XK",
    "persia": "IR",
    "iran islamic republic": "IR",
    "korea dprk": "KP",
    "korea north": "KP",
    "korea south": "KR",
    "democratic republic of korea": "KP",
    "burma myanmar": "MM",
    "myanmar burma": "MM",
    "turkey turkiye": "TR",
    "republic of turkey": "TR",
    "russian federation": "RU",
    "soviet union": "RU",
    "ussr": "RU",
    "macau": "MO",
    "macau sar": "MO",
    "macao sar": "MO",
    "hong kong sar": "HK",
    "hong kong china": "HK",
    "republic of china": "TW",
    "chinese taipei": "TW",
    "pr china": "CN",
    "roc": "TW",
    "dem rep congo": "CD",
    "the netherlands": "NL",
    "the gambia": "GM",
    "gambia": "GM",
    "the bahamas": "BS",
    "bahamas": "BS",
    "syrian arab republic": "SY",
    "lao pdr": "LA",
    "kyrgyzstan": "KG",
    "slovak republic": "SK",
    "holy see": "VA",
    "state of palestine": "PS",
    "occupied palestinian territories": "PS",
    "united states": "US",
    "u s": "US",
    "u s a": "US",
    "u k": "GB",
    "north macedonia": "MK",
    "swaziland eswatini": "SZ",
}

# Names that mean more than one country: an error listing the candidates, never a guess.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "korea": ("KR", "KP"),
    "congo": ("CG", "CD"),
    "the congo": ("CG", "CD"),
    "virgin islands": ("VG", "VI"),
}


def _fold(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9' ]+", " ", text.lower())
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
    """True when ``code`` is a known alpha-2 code (ISO 3166-1, plus ``XK`` for Kosovo)."""
    return code.upper() in _index()[1]


def codes() -> frozenset[str]:
    """Every known alpha-2 code (ISO 3166-1, plus ``XK``)."""
    return frozenset(_index()[1])


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
    if folded in AMBIGUOUS:
        options = " or ".join(f"{c} ({short.get(c, c)})" for c in AMBIGUOUS[folded])
        raise SpecError(f"{field}: ambiguous country {raw!r}", hint=f"say which: {options}")
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
