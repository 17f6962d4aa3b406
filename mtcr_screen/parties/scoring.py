"""How similar two normalised names are, and why: the pairwise scorer behind the matcher.

The name score (0-100) combines three rapidfuzz scorers on the normalised forms:

* ``ratio``: edit similarity in the original word order (typos, transliteration drift);
* ``token_sort_ratio``: the same with words sorted (reordered words);
* ``token_set_ratio``: 100 when one name's words are a subset of the other's.

``base = max(ratio, token_sort_ratio)``; when ``token_set_ratio`` is higher (extra or missing
words), the score moves half-way towards it: ``base + SUBSET_WEIGHT * (set - base)``. A
subset alone therefore never reaches 100 ("Zephyr" against "Zephyr Propulsion Trading" scores
about 70), yet an extra descriptive word costs little. Equal normalised forms score 100.
**Distinct-word check.** Names that share generic words but differ in a distinctive one
("Zephyr Aerospace Industries" / "Nimbus Aerospace Industries", "Shiraz ..." / "Tabriz ...")
score high on every string scorer. Tokens are therefore aligned one-to-one (a pair aligns when
its ``ratio`` is at least ``TOKEN_ALIGN`` on the words or on their romanisation skeletons, or
one word abbreviates the other). When *both* names keep a word with no counterpart, the
score is capped at the aligned share: ``100 * aligned characters / all characters``. A word
present on one side only (an extra "Group") is not a substitution and is not capped.

Because the score is at most ``50 + base / 2``, any pair that can reach a threshold ``t`` has
``base >= 2 * t - 100``: the matcher uses this bound to prefilter candidates in C++.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from mtcr_screen.parties.normalise import NormalisedName

SUBSET_WEIGHT = 0.5
TOKEN_ALIGN = 70.0
MIN_PREFIX = 3

# Romanisation variants folded together when aligning words (Kh/H, Ts/C, Iy/Y, Ya/Ia ...):
# one left-to-right pass over the table (longest first), then doubled letters made single.
_SKELETON_TABLE: dict[str, str] = {
    "shch": "sh", "sch": "sh", "kh": "h", "ts": "c", "tz": "c", "ph": "f", "ck": "k",
    "ue": "u", "ae": "a", "oe": "o", "x": "ks", "w": "v", "j": "i", "y": "i",
}
_SKELETON_RE = re.compile("|".join(sorted(_SKELETON_TABLE, key=len, reverse=True)))
_DOUBLED_RE = re.compile(r"(.)\1+")

Feature = float | bool | str | list[str]


def base_cutoff(threshold: float) -> float:
    """The lowest ``max(ratio, token_sort_ratio)`` that can still reach ``threshold``."""
    return max(0.0, (threshold - 100.0 * SUBSET_WEIGHT) / (1.0 - SUBSET_WEIGHT))


def score_names(
    query: NormalisedName, candidate: NormalisedName, floor: float = 0.0
) -> tuple[float, dict[str, Feature]] | None:
    """Score two normalised names (0-100) with the features that produced the score.

    Returns None as soon as the score is known to be below ``floor`` (the word alignment,
    the costly part, is skipped then).
    """
    features: dict[str, Feature] = {}
    removed = list(dict.fromkeys(query.legal_forms_removed + candidate.legal_forms_removed))
    if removed:
        features["legal_form_removed"] = removed
    if query.text == candidate.text:
        features["exact_normalised"] = True
        return 100.0, features
    ratio = fuzz.ratio(query.text, candidate.text)
    sort = fuzz.ratio(query.sorted_text, candidate.sorted_text)
    token_set = fuzz.token_set_ratio(query.text, candidate.text)
    score = max(ratio, sort)
    if token_set > score:
        score += SUBSET_WEIGHT * (token_set - score)
        features["subset_blend"] = True
    if score < floor:
        return None
    features["ratio"] = round(ratio, 1)
    features["token_sort_ratio"] = round(sort, 1)
    features["token_set_ratio"] = round(token_set, 1)
    aligned, only_query, only_candidate = align_tokens(query.tokens, candidate.tokens)
    if only_query and only_candidate:
        total = sum(map(len, query.tokens)) + sum(map(len, candidate.tokens))
        cap = 100.0 * aligned / total
        features["distinct_words"] = [*only_query, "|", *only_candidate]
        if cap < score:
            features["distinct_word_cap"] = round(cap, 1)
            score = cap
    if score < floor:
        return None
    return round(score, 1), features


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A token with common romanisation variants folded (``khimicheskiy`` -> ``himicheski``)."""
    token = _SKELETON_RE.sub(lambda m: _SKELETON_TABLE[m.group(0)], token)
    token = _DOUBLED_RE.sub(r"\1", token)
    return token


def token_similarity(a: str, b: str) -> float:
    """How alike two words are (0-100): ratio, ratio of skeletons, or 100 for a prefix."""
    if a == b:
        return 100.0
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= MIN_PREFIX and longer.startswith(shorter):
        return 100.0
    return max(fuzz.ratio(a, b), fuzz.ratio(skeleton(a), skeleton(b)))


def align_tokens(
    query: tuple[str, ...], candidate: tuple[str, ...]
) -> tuple[float, list[str], list[str]]:
    """Greedy one-to-one word alignment.

    Returns the aligned character weight (each aligned pair counts its two lengths times its
    similarity), and the words of each side left without a counterpart.
    """
    pairs = sorted(
        ((token_similarity(a, b), i, j) for i, a in enumerate(query)
         for j, b in enumerate(candidate)),
        reverse=True,
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    aligned = 0.0
    for sim, i, j in pairs:
        if sim < TOKEN_ALIGN:
            break
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        aligned += (len(query[i]) + len(candidate[j])) * sim / 100.0
    return (
        aligned,
        [t for i, t in enumerate(query) if i not in used_q],
        [t for j, t in enumerate(candidate) if j not in used_c],
    )
