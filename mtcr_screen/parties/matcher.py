"""Fuzzy screening of a name against a party list: :class:`PartyIndex` and :class:`PartyHit`.

``PartyIndex(entries)`` normalises every primary name and alias once and builds a blocking
index; ``screen(name, country=...)`` then works in three stages:

1. **Blocking.** The query's words are looked up in an inverted index, tolerating one edit
   per word (symmetric-deletion keys, for words of four letters or more), joined/split words
   (adjacent words are also indexed joined) and romanisation variants (each word is also
   indexed under its skeleton, so ``Zefir`` finds ``Zephyr``). Postings of *rare* words are
   taken rarest first while they fit in ``CANDIDATE_BUDGET`` names (the rarest always), so
   a very common word ("industries") does not drag in half the list. When only common words
   are known, the candidates are the names holding all of the query's words or made only of
   them. The price: a listed name is found only if it shares one of the query's rarer words
   (within one edit or by skeleton), or, failing that, passes the common-word rule.
2. **Prefilter (C++).** ``rapidfuzz.process.extract`` keeps candidates whose ``ratio`` or
   ``token_sort_ratio`` can still reach the threshold (see :func:`scoring.base_cutoff`).
3. **Scoring.** :func:`scoring.score_names` on each survivor, the best of name and aliases
   per entry, then the country feature: +``COUNTRY_BONUS`` when the query's country is among
   the entry's countries; no change when it conflicts (lists carry stale addresses and
   front companies abroad, so a conflict is never a reason to drop a hit).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from rapidfuzz import fuzz, process

from mtcr_screen import countries
from mtcr_screen.errors import ListError, Location, SpecError
from mtcr_screen.parties.model import PartyEntry
from mtcr_screen.parties.normalise import NormalisedName, normalise
from mtcr_screen.parties.scoring import Feature, base_cutoff, score_names, skeleton

# Chosen from tests/data/party_pairs.csv; see docs/parties.md, section "Threshold".
DEFAULT_THRESHOLD = 85.0
COUNTRY_BONUS = 5.0
CANDIDATE_BUDGET = 1500
_MIN_FUZZY_TOKEN = 4
_MAX_SUBSET_LOOKUPS = 512


@dataclass(frozen=True, slots=True)
class PartyHit:
    """One list entry that matched a screened name, with the evidence for the score."""

    score: float
    entry: PartyEntry
    matched_name: str
    matched_alias: str | None
    explanation: Mapping[str, Feature] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def entry_id(self) -> str:
        """The entry's id in its list (CSL ``_id``/``id``, OpenSanctions ``id``)."""
        return self.entry.entry_id

    def to_dict(self) -> dict[str, object]:
        """A JSON-serialisable dict of the hit."""
        return {
            "score": self.score,
            "matched_name": self.matched_name,
            "matched_alias": self.matched_alias,
            "list": self.entry.list_name,
            "source": self.entry.source,
            "entry_id": self.entry.entry_id,
            "name": self.entry.name,
            "entry_type": self.entry.entry_type,
            "countries": list(self.entry.countries),
            "programs": list(self.entry.programs),
            "explanation": {k: list(v) if isinstance(v, list) else v
                            for k, v in self.explanation.items()},
        }


@dataclass(frozen=True, slots=True)
class _Choice:
    entry: int
    label: str
    is_alias: bool
    norm: NormalisedName


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1:] for i in range(len(token))}


class PartyIndex:
    """An immutable screening index over party entries (primary names and aliases).

    Raises :class:`ListError` if an entry has no name or alias left after normalisation:
    such an entry could never be hit, and must not pass silently.
    """

    def __init__(self, entries: Iterable[PartyEntry]) -> None:
        self.entries: tuple[PartyEntry, ...] = tuple(entries)
        self._choices: list[_Choice] = []
        self._texts: list[str] = []
        self._sorted: list[str] = []
        self._exact: dict[str, list[int]] = {}
        self._postings: dict[str, list[int]] = {}
        self._deletes: dict[str, set[str]] = {}
        self._by_words: dict[frozenset[str], list[int]] = {}
        self._posting_sets: dict[frozenset[str], frozenset[int]] = {}
        for number, entry in enumerate(self.entries):
            added = 0
            for label in dict.fromkeys([entry.name, *entry.aliases]):
                norm = normalise(label)
                if norm.tokens:
                    self._add(_Choice(number, label, label != entry.name, norm))
                    added += 1
            if not added:
                raise ListError(
                    f"entry {entry.name!r} has no name or alias that can be screened",
                    location=Location(entry.list_name, detail=f"entry {entry.entry_id}"),
                    hint="a name made only of punctuation cannot be matched; repair the list",
                )
        words = {t for choice in self._choices for t in choice.norm.tokens}
        for token in words:
            if len(token) >= _MIN_FUZZY_TOKEN:
                for key in _deletions(token):
                    self._deletes.setdefault(key, set()).add(token)

    def __len__(self) -> int:
        return len(self.entries)

    def _add(self, choice: _Choice) -> None:
        cid = len(self._choices)
        self._choices.append(choice)
        self._texts.append(choice.norm.text)
        self._sorted.append(choice.norm.sorted_text)
        self._exact.setdefault(choice.norm.text, []).append(cid)
        self._by_words.setdefault(choice.norm.token_set, []).append(cid)
        for key in _keys(choice.norm.tokens) + [_skeleton_key(t) for t in choice.norm.tokens]:
            postings = self._postings.setdefault(key, [])
            if not postings or postings[-1] != cid:
                postings.append(cid)

    def _similar_tokens(self, token: str) -> set[str]:
        """Indexed words equal to ``token`` or within one edit of it (4+ letters)."""
        found = {token} if token in self._postings else set()
        if _skeleton_key(token) in self._postings:
            found.add(_skeleton_key(token))
        if len(token) < _MIN_FUZZY_TOKEN:
            return found
        found |= self._deletes.get(token, set())
        for key in _deletions(token):
            if key in self._postings and len(key) >= _MIN_FUZZY_TOKEN - 1:
                found.add(key)
            found |= self._deletes.get(key, set())
        return found

    def _candidates(self, norm: NormalisedName) -> set[int]:
        groups = [self._similar_tokens(t) for t in norm.tokens]
        joined: set[str] = set()
        for a, b in itertools.pairwise(norm.tokens):
            if a + b in self._postings:
                joined.add(a + b)
        chosen: set[int] = set(self._exact.get(norm.text, ()))
        rare = sorted(
            (len(self._postings[t]), t) for group in (*groups, joined) for t in group
            if len(self._postings[t]) <= CANDIDATE_BUDGET
        )
        if rare:
            total = 0
            for size, token in rare:
                if total and total + size > CANDIDATE_BUDGET:
                    break
                chosen.update(self._postings[token])
                total += size
            return chosen
        # Only common words are known. Any other name keeps a word of its own while the query
        # keeps one too, and the distinct-word cap stops it; so a hit either holds every word
        # of the query or is made only of the query's words.
        known = [g for g in groups if g]
        if known and len(known) == len(groups):
            sets = sorted((self._posting_set(g) for g in known), key=len)
            chosen |= sets[0].intersection(*sets[1:])
        chosen |= self._made_of(known)
        return chosen

    def _posting_set(self, group: set[str]) -> frozenset[int]:
        key = frozenset(group)
        found = self._posting_sets.get(key)
        if found is None:
            found = frozenset(itertools.chain.from_iterable(self._postings[t] for t in group))
            self._posting_sets[key] = found
        return found

    def _made_of(self, groups: list[set[str]]) -> set[int]:
        """Names whose words are all among the query's (each word within one edit)."""
        found: set[int] = set()
        lookups = 0
        for size in range(1, len(groups) + 1):
            for combo in itertools.combinations(groups, size):
                for words in itertools.product(*combo):
                    found.update(self._by_words.get(frozenset(words), ()))
                    lookups += 1
                    if lookups >= _MAX_SUBSET_LOOKUPS:
                        return found
        return found

    def screen(
        self,
        name: str,
        *,
        country: str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 5,
    ) -> list[PartyHit]:
        """Screen ``name`` and return up to ``limit`` hits scoring at least ``threshold``.

        ``country`` (a code or name, resolved with :func:`mtcr_screen.countries.resolve`)
        is a supporting feature only. Raises :class:`SpecError` for an empty name or an
        unknown country, and ValueError for a ``limit`` below 1 or a ``threshold`` outside
        0-100.
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        if not 0.0 <= threshold <= 100.0:
            raise ValueError(f"threshold must be between 0 and 100, not {threshold}")
        norm = normalise(name)
        if not norm.tokens:
            raise SpecError(f"party name {name!r} has nothing to screen after normalisation")
        code = countries.resolve(country, field="party country") if country else None
        candidates = list(self._candidates(norm))
        name_floor = min(100.0, max(0.0, threshold - (COUNTRY_BONUS if code else 0.0)))
        survivors = set(self._exact.get(norm.text, ()))
        survivors.update(self._prefilter(norm, candidates, name_floor))
        best: dict[int, PartyHit] = {}
        for cid in survivors:
            choice = self._choices[cid]
            hit = self._score(norm, choice, code, name_floor)
            if hit is None:
                continue
            current = best.get(choice.entry)
            if current is None or hit.score > current.score:
                best[choice.entry] = hit
        hits = [h for h in best.values() if h.score >= threshold]
        hits.sort(key=lambda h: (-h.score, h.entry.entry_id))
        return hits[:limit]

    def _prefilter(self, norm: NormalisedName, candidates: list[int], floor: float) -> set[int]:
        """Candidates whose string score can reach ``floor`` (rapidfuzz, in C++).

        The name score is at most ``50 + max(ratio, token_sort) / 2``, so a candidate needs
        ``max(ratio, token_sort) >= base_cutoff(floor)``; both are bounded here in C++.
        """
        low = base_cutoff(floor)
        out: set[int] = set()
        for query, column in ((norm.text, self._texts), (norm.sorted_text, self._sorted)):
            texts = [column[c] for c in candidates]
            for _, _, pos in process.extract(query, texts, scorer=fuzz.ratio,
                                             score_cutoff=low, limit=None):
                out.add(candidates[pos])
        return out

    def _score(
        self, norm: NormalisedName, choice: _Choice, code: str | None, floor: float
    ) -> PartyHit | None:
        scored = score_names(norm, choice.norm, floor)
        if scored is None:
            return None
        score, features = scored
        entry = self.entries[choice.entry]
        features = {"name_score": score, **features}
        features["matched_on"] = "alias" if choice.is_alias else "name"
        if code is None:
            features["country"] = "not given"
        elif not entry.countries:
            features["country"] = f"entry has no country (query {code})"
        elif code in entry.countries:
            features["country"] = f"agrees ({code})"
            features["country_bonus"] = COUNTRY_BONUS
            score = min(100.0, score + COUNTRY_BONUS)
        else:
            features["country"] = (f"conflicts (query {code}; entry "
                                   f"{', '.join(entry.countries)}), no penalty")
        return PartyHit(
            score=round(score, 1),
            entry=entry,
            matched_name=choice.label,
            matched_alias=choice.label if choice.is_alias else None,
            explanation=MappingProxyType(features),
        )


def _skeleton_key(token: str) -> str:
    """The index key of a word's romanisation skeleton (kept apart from real words)."""
    return "\x00" + skeleton(token)


def _keys(tokens: Sequence[str]) -> list[str]:
    """Index keys of a token sequence: each token and each adjacent pair joined."""
    return [*tokens, *(a + b for a, b in itertools.pairwise(tokens))]
