"""How similar two normalised names are, and why: the pairwise scorer behind the matcher.

The name score (0-100) combines three rapidfuzz scorers on the normalised forms:

* ``ratio``: edit similarity in the original word order (typos, transliteration drift);
* ``token_sort_ratio``: the same with words sorted (reordered words);
* ``token_set_ratio``: 100 when one name's words are a subset of the other's.

``base = max(ratio, token_sort_ratio)``; when ``token_set_ratio`` is higher (extra or missing
words), the score moves half-way towards it: ``base + SUBSET_WEIGHT * (set - base)``. A
subset alone therefore never reaches 100 ("Zephyr" against "Zephyr Propulsion Trading" scores
about 70), yet an extra descriptive word costs little. Equal normalised forms score 100.
Because the score is at most ``50 + base / 2``, any pair that can reach a threshold ``t`` has
``base >= 2 * t - 100``: the matcher uses this bound to prefilter candidates in C++.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from mtcr_screen.parties.normalise import NormalisedName

SUBSET_WEIGHT = 0.5

Feature = float | bool | str | list[str]


def base_cutoff(threshold: float) -> float:
    """The lowest ``max(ratio, token_sort_ratio)`` that can still reach ``threshold``."""
    return max(0.0, (threshold - 100.0 * SUBSET_WEIGHT) / (1.0 - SUBSET_WEIGHT))


def score_names(
    query: NormalisedName, candidate: NormalisedName
) -> tuple[float, dict[str, Feature]]:
    """Score two normalised names (0-100) and return the features that produced the score."""
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
    features["ratio"] = round(ratio, 1)
    features["token_sort_ratio"] = round(sort, 1)
    features["token_set_ratio"] = round(token_set, 1)
    score = max(ratio, sort)
    if token_set > score:
        score += SUBSET_WEIGHT * (token_set - score)
        features["subset_blend"] = True
    return round(score, 1), features
