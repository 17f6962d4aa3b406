"""Name normalisation for denied-party screening.

``normalise("Zéphyr Propulsion Trading Co., Ltd.")`` folds case, accents and scripts, removes
punctuation and legal-form designators, and returns a :class:`NormalisedName` holding the
normalised string, its tokens and the legal-form tokens that were removed (for explanations).

The steps, in order (see ``docs/parties.md`` for the reasons):

1. NFKC, case folding, ``&`` -> ``and``.
2. Transliteration: a table for Cyrillic, Greek and Latin letters that do not decompose
   (ß, ø, æ, ł, đ, ı, þ, œ ...), then NFKD with combining marks dropped, then the table again
   (for accented Greek letters that only reach the table once decomposed). Letters of other
   scripts are kept unchanged (no transliteration for Arabic, Persian, Chinese ...).
3. Punctuation: dots and apostrophes are deleted (``L.L.C.`` -> ``llc``, ``O'Neil`` ->
   ``oneil``); every other character that is not a letter or digit separates tokens.
4. Token equivalences: abbreviations (``intl`` -> ``international``, ``mfg`` ->
   ``manufacturing``) and UK/US spellings (``organisation`` -> ``organization``).
5. Legal forms: unambiguous designators (``ltd``, ``llc``, ``gmbh``, ``jsc``, ``ooo`` ...) are
   removed wherever they stand; ambiguous ones (``co``, ``sa``, ``ag``, ``est`` ...) only in
   the run of legal forms that ends the name. Descriptive words (``trading``, ``group``,
   ``industries``) are kept. If nothing would remain, nothing is removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters NFKD does not decompose to ASCII, and the Cyrillic and Greek alphabets
# (a simple, reversible-enough scheme close to BGN/PCGN and ELOT 743).
_TRANSLIT: dict[str, str] = {
    # Latin letters without a decomposition
    "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "ı": "i",
    "þ": "th", "ħ": "h", "ŋ": "ng", "ĸ": "k", "ſ": "s", "ŀ": "l", "ŧ": "t", "ə": "e",
    # Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Macedonian)
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j",
    "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    # Greek (after NFKD the tonos and dialytika are gone)
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)

# Word abbreviations and spelling variants, mapped to one canonical token (both sides of a
# comparison go through the same table, so the direction does not matter).
EQUIVALENTS: dict[str, str] = {
    "intl": "international", "internatl": "international", "mfg": "manufacturing",
    "mfr": "manufacturing", "manuf": "manufacturing", "ind": "industries",
    "inds": "industries", "indus": "industries", "engg": "engineering",
    "eng": "engineering", "engr": "engineering", "tech": "technology",
    "technol": "technology", "svc": "services", "svcs": "services", "mgmt": "management",
    "natl": "national", "dept": "department", "univ": "university", "inst": "institute",
    "assn": "association", "assoc": "associates", "bros": "brothers", "ctr": "center",
    "equip": "equipment", "elec": "electronics", "electr": "electronics",
    "sci": "scientific", "res": "research", "dev": "development", "mach": "machinery",
    "organisation": "organization", "centre": "center", "defence": "defense",
    "programme": "program", "aluminium": "aluminum", "est": "establishment",
    "corporation": "corp", "incorporated": "inc", "limited": "ltd", "company": "co",
}

# Legal-form designators that carry no identity and are not ordinary words: removed anywhere.
LEGAL_FORMS_ANYWHERE: frozenset[str] = frozenset({
    "ltd", "llc", "gmbh", "inc", "corp", "plc", "jsc", "ojsc", "cjsc", "pjsc", "ooo",
    "oao", "zao", "pao", "ao", "tov", "fze", "fzco", "fzc", "fzllc", "llp", "pvt", "pte", "srl",
    "sarl", "bhd", "mbh", "kft", "sro", "doo", "ltda", "oyj",
})
# Legal forms that are also ordinary words or abbreviations (``co``, ``sa`` for South Africa,
# ``spa`` ...): removed only in the run of legal forms that ends the name.
LEGAL_FORMS_TRAILING: frozenset[str] = frozenset({
    "co", "sa", "ag", "kg", "nv", "bv", "spa", "sas", "as", "ab", "oy", "se", "private",
    "establishment", "kk", "sl", "lp", "cv",
})

# Spelled-out legal forms, replaced by their abbreviation before tokenising (on folded text).
LEGAL_PHRASES: tuple[tuple[str, str], ...] = (
    ("closed joint stock company", "cjsc"), ("open joint stock company", "ojsc"),
    ("public joint stock company", "pjsc"), ("joint stock company", "jsc"),
    ("limited liability company", "llc"), ("limited liability partnership", "llp"),
    ("public limited company", "plc"), ("free zone establishment", "fze"),
    ("free zone company", "fzco"), ("sociedad anonima", "sa"), ("societe anonyme", "sa"),
    ("aktiengesellschaft", "ag"), ("gesellschaft mit beschrankter haftung", "gmbh"),
)
_LEGAL_PHRASE_TABLE = dict(LEGAL_PHRASES)
_LEGAL_PHRASE_RE = re.compile(r"\b(" + "|".join(p for p, _ in LEGAL_PHRASES) + r")\b")

_DROP_CHARS = re.compile(r"[.'’`´ʼ]")
_SEPARATORS = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name after normalisation.

    ``text`` is the comparison form (legal forms removed), ``tokens`` its words in order,
    ``token_set`` the same as a set, ``full`` the form before legal forms were removed and
    ``legal_forms_removed`` the removed tokens as they appear in ``full``.
    """

    original: str
    text: str
    tokens: tuple[str, ...]
    token_set: frozenset[str]
    full: str
    legal_forms_removed: tuple[str, ...]

    @property
    def sorted_text(self) -> str:
        """The tokens sorted and space-joined (the token_sort form)."""
        return " ".join(sorted(self.tokens))


def fold(text: str) -> str:
    """Case-fold and transliterate ``text``, keeping punctuation.

    Latin, Cyrillic and Greek letters come out as lower-case ASCII. Letters of other scripts
    (Arabic, Chinese ...) are kept as they are, so a name written in them still matches the
    same name written the same way instead of vanishing.
    """
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLIT_TABLE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_TRANSLIT_TABLE)
    return text


def _raw_tokens(text: str) -> list[str]:
    folded = fold(text.replace("&", " and ").replace("＆", " and "))
    folded = _DROP_CHARS.sub("", folded)
    folded = " ".join(_SEPARATORS.split(folded))
    folded = _LEGAL_PHRASE_RE.sub(lambda m: _LEGAL_PHRASE_TABLE[m.group(1)], folded)
    return [tok for tok in _SEPARATORS.split(folded) if tok]


def strip_legal_forms(tokens: list[str]) -> list[bool]:
    """For each canonical token, whether it is a legal form to remove.

    Unambiguous designators go wherever they stand; ambiguous ones only in the trailing run
    of legal forms. When every token would go, none does.
    """
    drop = [t in LEGAL_FORMS_ANYWHERE for t in tokens]
    for i in range(len(tokens) - 1, -1, -1):
        if drop[i]:
            continue
        if tokens[i] not in LEGAL_FORMS_TRAILING:
            break
        drop[i] = True
    if all(drop):
        return [False] * len(tokens)
    return drop


@lru_cache(maxsize=65536)
def normalise(name: str) -> NormalisedName:
    """Normalise a party name for comparison (cached; the result is immutable)."""
    raw = _raw_tokens(name)
    tokens = [EQUIVALENTS.get(tok, tok) for tok in raw]
    drop = strip_legal_forms(tokens)
    kept = [t for t, d in zip(tokens, drop, strict=True) if not d]
    return NormalisedName(
        original=name,
        text=" ".join(kept),
        tokens=tuple(kept),
        token_set=frozenset(kept),
        full=" ".join(tokens),
        legal_forms_removed=tuple(r for r, d in zip(raw, drop, strict=True) if d),
    )
