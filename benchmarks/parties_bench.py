"""Benchmark of denied-party screening: quality on the labelled pairs, and speed.

Run: ``PYTHONPATH=. python benchmarks/parties_bench.py``. It prints

* precision and recall on ``tests/data/party_pairs.csv`` at ``DEFAULT_THRESHOLD``;
* the time to build a :class:`PartyIndex` over a synthetic 30,000-entry list and to screen
  10,000 names against it (list and names generated here with a fixed seed);
* that time as a ratio against a floor measured in the same run: an exact-normalised dict
  lookup of the same 10,000 names (normalisation included, cache cleared). The floor is the
  least any screener must spend (normalise each name and look it up), so the ratio says what
  fuzzy matching costs on top of it, whatever the machine;
* for context, a brute-force estimate: ``rapidfuzz.process.extractOne`` (``fuzz.ratio``) of
  200 of the names over every name and alias, scaled to 10,000.

It is a script that prints figures, not a timed test.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from mtcr_screen.parties.evaluation import pair_score, quality, read_pairs
from mtcr_screen.parties.matcher import DEFAULT_THRESHOLD, PartyIndex
from mtcr_screen.parties.model import PartyEntry
from mtcr_screen.parties.normalise import normalise

SEED = 7
LIST_SIZE = 30_000
QUERIES = 10_000
PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "party_pairs.csv"

SYLLABLES = [c + v + e for c in "bdfghklmnprstvzy" for v in "aeiou" for e in ("", "", "n", "r")]
INDUSTRY = ["Aerospace Industries", "Trading", "Guidance Systems", "Composite Materials",
            "Precision Machinery", "Electronics", "Engineering", "Technology", "Industrial Group",
            "Chemical Industries", "Avionics", "Machine Tools", "Research Institute", "Logistics",
            "Optical Instruments", "Metallurgical Works", "International Trading", "Services"]
LEGAL = ["", "", "Ltd", "Limited", "Co., Ltd.", "LLC", "GmbH", "JSC", "FZE", "Corporation",
         "Pvt. Ltd.", "S.A.", "Trading Est.", "Company"]
COUNTRIES = ["IR", "KP", "SY", "PK", "BY", "RU", "CN", "AE", "HK", "TR", "VE", "MM"]


def stem(rng: random.Random) -> str:
    """An invented word of two to four syllables (320 syllables: few accidental twins)."""
    return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))).capitalize()


def company(rng: random.Random) -> str:
    """An invented company name."""
    words = [stem(rng) for _ in range(rng.choice([1, 1, 1, 2]))]
    return " ".join([*words, rng.choice(INDUSTRY), rng.choice(LEGAL)]).strip()


def typo(rng: random.Random, name: str) -> str:
    """One random character deletion or substitution inside the name."""
    p = rng.randrange(1, len(name) - 1)
    if rng.random() < 0.5:
        return name[:p] + name[p + 1:]
    return name[:p] + rng.choice("aeioustrn") + name[p + 1:]


def synthetic_list(rng: random.Random) -> list[PartyEntry]:
    """LIST_SIZE invented entries, a third with one or two aliases."""
    entries = []
    for n in range(LIST_SIZE):
        name = company(rng)
        aliases = tuple(company(rng) for _ in range(rng.choice([0, 0, 1, 2])))
        entries.append(PartyEntry("bench", "synthetic", str(n), name, aliases,
                                  (rng.choice(COUNTRIES),), ("EAR",), "Entity"))
    return entries


def synthetic_queries(rng: random.Random, entries: list[PartyEntry]) -> list[str]:
    """QUERIES names: 30 % drawn from the list (a third with a typo), the rest new names."""
    names = []
    for _ in range(QUERIES):
        if rng.random() < 0.3:
            name = rng.choice(entries).name
            names.append(typo(rng, name) if rng.random() < 0.33 else name)
        else:
            names.append(company(rng))
    return names


def main() -> None:
    """Print the quality and speed figures."""
    pairs = read_pairs(PAIRS)
    scores = [pair_score(p) for p in pairs]
    q = quality(pairs, scores, [DEFAULT_THRESHOLD])[0]
    print(f"labelled pairs: {len(pairs)} ({sum(p.label for p in pairs)} matches)")
    print(f"threshold {DEFAULT_THRESHOLD}: precision {q.precision:.3f} recall {q.recall:.3f} "
          f"(TP {q.true_positives}, FP {q.false_positives}, FN {q.false_negatives}, "
          f"TN {q.true_negatives})")

    rng = random.Random(SEED)
    entries = synthetic_list(rng)
    queries = synthetic_queries(rng, entries)

    normalise.cache_clear()
    start = time.perf_counter()
    index = PartyIndex(entries)
    build = time.perf_counter() - start

    normalise.cache_clear()
    start = time.perf_counter()
    hits = sum(1 for name in queries if index.screen(name))
    screen = time.perf_counter() - start

    exact = {normalise(e.name).text: e for e in entries}
    normalise.cache_clear()
    start = time.perf_counter()
    exact_hits = sum(1 for name in queries if normalise(name).text in exact)
    floor = time.perf_counter() - start

    choices = [normalise(label).text for e in entries for label in (e.name, *e.aliases)]
    sample = [normalise(name).text for name in queries[:200]]
    start = time.perf_counter()
    for text in sample:
        process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=DEFAULT_THRESHOLD)
    brute = (time.perf_counter() - start) * QUERIES / len(sample)

    print(f"list: {LIST_SIZE} entries, {len(choices)} names and aliases; "
          f"queries: {QUERIES}")
    print(f"index build: {build:.2f} s")
    print(f"screen {QUERIES} names: {screen:.2f} s ({hits} with hits) "
          f"-> {1000 * screen / QUERIES:.3f} ms/name; build + screen {build + screen:.2f} s")
    print(f"floor (exact-normalised dict lookup, {exact_hits} exact): {floor:.3f} s; "
          f"ratio screen/floor: {screen / floor:.1f}x")
    print(f"context: brute-force extractOne estimate for {QUERIES} names: {brute:.1f} s "
          f"(screen is {brute / screen:.1f}x faster)")


if __name__ == "__main__":
    main()
