"""Matcher: typos, legal forms, word order, transliteration, aliases, country, near misses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mtcr_screen.errors import ListError, SpecError
from mtcr_screen.parties import (
    DEFAULT_THRESHOLD,
    PartyEntry,
    PartyIndex,
    load_party_list,
    normalise,
)
from mtcr_screen.parties.matcher import COUNTRY_BONUS

EXAMPLE = Path(__file__).parents[1] / "examples" / "parties-example.csv"


@pytest.fixture(scope="module")
def index() -> PartyIndex:
    return PartyIndex(load_party_list(EXAMPLE).entries)


def top(index: PartyIndex, name: str, country: str | None = None) -> tuple[float, str]:
    hits = index.screen(name, country=country)
    assert hits, f"no hit for {name!r}"
    return hits[0].score, hits[0].entry.name


def test_acceptance_typo_and_ltd_for_limited(index: PartyIndex) -> None:
    """An end user differing from a list entry by a typo and Ltd/Limited is a hit."""
    hits = index.screen("Zephyr Propulsion Tradng Ltd")
    assert hits
    hit = hits[0]
    assert hit.entry.name == "Zephyr Propulsion Trading Limited"
    assert DEFAULT_THRESHOLD <= hit.score < 100
    assert hit.entry.source == "Entity List (EL) - Bureau of Industry and Security"
    assert hit.explanation["legal_form_removed"] == ["ltd", "limited"]
    assert hit.matched_alias is None


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Trading Zephyr Propulsion Limited", "Zephyr Propulsion Trading Limited"),
        ("Guidance Systems Nimbus Co", "Nimbus Guidance Systems Co., Ltd."),
        ("Imaginarov, Oleg Pretendovich", "Oleg Pretendovich Imaginarov"),
    ],
)
def test_reordered_words(index: PartyIndex, query: str, listed: str) -> None:
    assert top(index, query) == (100.0, listed)


def test_transliteration_cyrillic_query_latin_entry(index: PartyIndex) -> None:
    score, name = top(index, "Грифон Гироскоп Лабораториз")
    assert name == "Gryphon Gyroscope Laboratories LLC"
    assert score >= DEFAULT_THRESHOLD


def test_transliteration_latin_query_greek_entry(index: PartyIndex) -> None:
    score, name = top(index, "Zefyros Aerodiastimiki A.E.")
    assert name == "Ζέφυρος Αεροδιαστημική Α.Ε."
    assert score == 100.0


def test_accents_and_umlauts(index: PartyIndex) -> None:
    score, name = top(index, "Kobalt Nebula Prazisionslager")
    assert name == "Cobalt Nebula Precision Bearings GmbH"
    assert score == 100.0


def test_alias_hit_names_the_alias(index: PartyIndex) -> None:
    (hit, *_) = index.screen("Tessellate Servo Actuators FZE")
    assert hit.entry.name == "Tessellate Servo Actuator Trading Est."
    assert hit.matched_alias == "Tessellate Servo Actuators"
    assert hit.explanation["matched_on"] == "alias"


def test_abbreviation_and_ampersand(index: PartyIndex) -> None:
    assert top(index, "Xylophone Avionics Int'l")[0] == 100.0
    assert top(index, "Juniper Maraging Steel and Alloys Co.")[0] == 100.0
    assert top(index, "Heliotrope Machine Tools Mfg Company")[0] == 100.0


def test_country_agreement_adds_a_small_bonus(index: PartyIndex) -> None:
    plain = index.screen("Obsidian Rocket Motors")[0]
    agreeing = index.screen("Obsidian Rocket Motors", country="Russia")[0]
    assert agreeing.score == min(100.0, plain.score + COUNTRY_BONUS)
    assert agreeing.explanation["country"] == "agrees (RU)"


def test_country_conflict_never_drops_a_strong_hit(index: PartyIndex) -> None:
    plain = index.screen("Zephyr Propulsion Tradng Ltd")[0]
    conflicting = index.screen("Zephyr Propulsion Tradng Ltd", country="FR")[0]
    assert conflicting.score == plain.score
    assert str(conflicting.explanation["country"]).startswith("conflicts (query FR")


def test_country_can_lift_a_borderline_name(index: PartyIndex) -> None:
    name = "Heliotrope Machine"
    assert not index.screen(name)
    (hit,) = index.screen(name, country="Iran")
    assert hit.entry.name == "Heliotrope Machine Tools Manufacturing Co."
    assert hit.explanation["country_bonus"] == COUNTRY_BONUS


@pytest.mark.parametrize(
    "query",
    [
        "Zephyr Textile Mills",            # shares the distinctive word only
        "Nimbus Aerospace Industries",     # shares generic words with Borealis
        "Aurora Aerospace Industries Group",
        "Saffron Trading",
        "Oleg Petrov",                     # shares the first name only
    ],
)
def test_near_misses_stay_below_threshold(index: PartyIndex, query: str) -> None:
    assert index.screen(query) == []


def test_near_miss_score_is_reported_below_threshold(index: PartyIndex) -> None:
    hits = index.screen("Nimbus Aerospace Industries", threshold=0)
    borealis = next(h for h in hits if h.entry.name.startswith("Borealis"))
    assert borealis.score < DEFAULT_THRESHOLD
    assert "distinct_word_cap" in borealis.explanation


def test_hits_are_sorted_and_limited() -> None:
    entries = [PartyEntry("t", "s", str(i), f"Zephyr Propulsion Trading {suffix}")
               for i, suffix in enumerate(["Ltd", "Limited", "LLC", "FZE", "GmbH", "JSC"])]
    hits = PartyIndex(entries).screen("Zephyr Propulsion Trading", limit=3)
    assert [h.entry_id for h in hits] == ["0", "1", "2"]
    assert all(h.score == 100.0 for h in hits)


def test_to_dict_is_json_serialisable(index: PartyIndex) -> None:
    hit = index.screen("Zephyr Propulsion Tradng Ltd", country="AE")[0]
    data = json.loads(json.dumps(hit.to_dict()))
    assert data["score"] == hit.score
    assert data["list"] == "CSL"
    assert data["entry_id"] == hit.entry.entry_id
    assert data["programs"] == ["EAR"]
    assert data["explanation"]["country"] == "agrees (AE)"
    assert data["explanation"]["legal_form_removed"] == ["ltd", "limited"]


def test_hit_is_frozen(index: PartyIndex) -> None:
    hit = index.screen("Zephyr Propulsion Trading")[0]
    with pytest.raises(AttributeError):
        hit.score = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        hit.explanation["ratio"] = 1.0  # type: ignore[index]


def test_empty_name_and_unknown_country_are_errors(index: PartyIndex) -> None:
    with pytest.raises(SpecError, match="nothing to screen"):
        index.screen(" .,- ")
    with pytest.raises(SpecError, match="unknown country"):
        index.screen("Zephyr", country="Atlantis")


def test_common_words_only_query_still_finds_its_entry() -> None:
    filler = [PartyEntry("t", "s", str(i), f"Stem{i:05d} Aerospace Industries")
              for i in range(2000)]
    target = PartyEntry("t", "s", "target", "Aerospace Industries Organization")
    index = PartyIndex([*filler, target])
    assert index.screen("Aerospace Industries Organisation")[0].entry_id == "target"
    assert index.screen("Aerospace Industries Organizaton Ltd")[0].entry_id == "target"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "Pd"]),
               min_size=1, max_size=40))
def test_a_listed_name_always_finds_itself(name: str) -> None:
    assume(normalise(name).tokens)  # names with nothing to screen are rejected (tested above)
    entries = [PartyEntry("t", "s", "other", "Zephyr Aerospace Industries"),
               PartyEntry("t", "s", "self", name)]
    hits = PartyIndex(entries).screen(name)
    assert any(h.entry_id == "self" and h.score == 100.0 for h in hits)


def test_an_unscreenable_entry_fails_loudly() -> None:
    with pytest.raises(ListError, match="no name or alias that can be screened"):
        PartyIndex([PartyEntry("CSL", "EL", "x1", "--", ("..",))])


def test_names_in_other_scripts_match_themselves() -> None:
    index = PartyIndex([PartyEntry("CSL", "EL", "cn", "Xifeng Trading", ("西风推进贸易有限公司",))])
    assert index.screen("西风推进贸易有限公司")[0].matched_alias == "西风推进贸易有限公司"


def test_romanisation_variant_is_found_among_many_names() -> None:
    filler = [PartyEntry("t", "s", str(i), f"Stem{i:05d} Aerospace Industries")
              for i in range(2000)]
    target = PartyEntry("t", "s", "target", "Zefir Aerospace Industries")
    index = PartyIndex([*filler, target])
    (hit, *_) = index.screen("Zephyr Aerospace Industries")
    assert hit.entry_id == "target"


def test_bad_limit_or_threshold_is_rejected(index: PartyIndex) -> None:
    with pytest.raises(ValueError, match="limit"):
        index.screen("Zephyr", limit=0)
    with pytest.raises(ValueError, match="threshold"):
        index.screen("Zephyr", threshold=101)
