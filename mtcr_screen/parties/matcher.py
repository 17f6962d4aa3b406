"""Fuzzy screening of a name against a party list: :class:`PartyIndex` and :class:`PartyHit`.

``PartyIndex(entries)`` normalises every primary name and alias once and builds a blocking
index; ``screen(name, country=...)`` then works in three stages:

1. **Blocking.** The query's tokens are looked up in an inverted index, tolerating one edit per
   token (symmetric-deletion keys, for tokens of four letters or more) and joined/split words
   (adjacent tokens are also indexed joined). Postings are taken rarest first until
   ``CANDIDATE_BUDGET`` names are collected, so a very common word ("industries") does not
   drag in half the list when a rarer word is there to anchor the match.
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
from mtcr_screen.errors import SpecError
from mtcr_screen.parties.model import PartyEntry
from mtcr_screen.parties.normalise import NormalisedName, normalise
from mtcr_screen.parties.scoring import Feature, base_cutoff, score_names

# Chosen from tests/data/party_pairs.csv; see docs/parties.md, section "Threshold".
DEFAULT_THRESHOLD = 85.0
COUNTRY_BONUS = 5.0
CANDIDATE_BUDGET = 1500
_MIN_FUZZY_TOKEN = 4


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
    """An immutable screening index over party entries (primary names and aliases)."""

    def __init__(self, entries: Iterable[PartyEntry]) -> None:
        self.entries: tuple[PartyEntry, ...] = tuple(entries)
        self._choices: list[_Choice] = []
        self._texts: list[str] = []
        self._sorted: list[str] = []
        self._exact: dict[str, list[int]] = {}
        self._postings: dict[str, list[int]] = {}
        self._deletes: dict[str, set[str]] = {}
        for number, entry in enumerate(self.entries):
            labels = dict.fromkeys([entry.name, *entry.aliases])
            for label in labels:
                norm = normalise(label)
                if not norm.tokens:
                    continue
                self._add(_Choice(number, label, label != entry.name, norm))
        for token in list(self._postings):
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
        for key in _keys(choice.norm.tokens):
            postings = self._postings.setdefault(key, [])
            if not postings or postings[-1] != cid:
                postings.append(cid)

    def _similar_tokens(self, token: str) -> set[str]:
        found = {token} if token in self._postings else set()
        if len(token) < _MIN_FUZZY_TOKEN:
            return found
        found |= self._deletes.get(token, set())
        for key in _deletions(token):
            if key in self._postings and len(key) >= _MIN_FUZZY_TOKEN - 1:
                found.add(key)
            found |= self._deletes.get(key, set())
        return found

    def _candidates(self, norm: NormalisedName) -> set[int]:
        tokens: set[str] = set()
        for key in _keys(norm.tokens):
            tokens |= self._similar_tokens(key)
        ranked = sorted((len(self._postings[t]), t) for t in tokens)
        chosen: set[int] = set(self._exact.get(norm.text, ()))
        total = 0
        for size, token in ranked:
            if total >= CANDIDATE_BUDGET:
                break
            chosen.update(self._postings[token])
            total += size
        return chosen

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
        unknown country.
        """
        norm = normalise(name)
        if not norm.tokens:
            raise SpecError(f"party name {name!r} has nothing to screen after normalisation")
        code = countries.resolve(country, field="party country") if country else None
        candidates = list(self._candidates(norm))
        floor = base_cutoff(threshold - (COUNTRY_BONUS if code else 0.0))
        survivors: set[int] = set()
        for query, column in ((norm.text, self._texts), (norm.sorted_text, self._sorted)):
            for _, _, pos in process.extract(query, [column[c] for c in candidates],
                                             scorer=fuzz.ratio, score_cutoff=floor, limit=None):
                survivors.add(candidates[pos])
        survivors.update(c for c in candidates if self._choices[c].norm.text == norm.text)
        best: dict[int, PartyHit] = {}
        for cid in survivors:
            hit = self._score(norm, self._choices[cid], code)
            current = best.get(self._choices[cid].entry)
            if current is None or hit.score > current.score:
                best[self._choices[cid].entry] = hit
        hits = [h for h in best.values() if h.score >= threshold]
        hits.sort(key=lambda h: (-h.score, h.entry.entry_id))
        return hits[:limit]

    def _score(self, norm: NormalisedName, choice: _Choice, code: str | None) -> PartyHit:
        entry = self.entries[choice.entry]
        score, features = score_names(norm, choice.norm)
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


def _keys(tokens: Sequence[str]) -> list[str]:
    """Index keys of a token sequence: each token and each adjacent pair joined."""
    return [*tokens, *(a + b for a, b in itertools.pairwise(tokens))]
