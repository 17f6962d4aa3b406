"""Normalisation: case, accents, transliteration, punctuation, legal forms, equivalences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtcr_screen.parties.normalise import normalise


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("ZEPHYR Propulsion", "zephyr propulsion"),
        ("Zéphyr Aérospatiale", "zephyr aerospatiale"),
        ("Straße Müller & Söhne GmbH", "strasse muller and sohne"),
        ("Łódź Zakłady Ørsted Æther", "lodz zaklady orsted aether"),
        ("Đorđević Gürsoy Havacılık", "dordevic gursoy havacilik"),
        ("ООО Рособоронэкспорт", "rosoboroneksport"),
        ("Щукарёв Химический Завод", "shchukarev khimicheskiy zavod"),
        ("Ζέφυρος Αεροδιαστημική", "zefyros aerodiastimiki"),
        ("Zephyr Trading Co., Ltd.", "zephyr trading"),
        ("Zephyr L.L.C.", "zephyr"),
        ("Zephyr Private Limited", "zephyr"),
        ("Zephyr Pvt. Ltd.", "zephyr"),
        ("Zephyr Joint-Stock Company", "zephyr"),
        ("Zephyr Public Limited Company", "zephyr"),
        ("JSC Zephyr Avionics", "zephyr avionics"),
        ("Zephyr Trading Est.", "zephyr trading"),
        ("Zephyr Intl Mfg Co", "zephyr international manufacturing"),
        ("Zephyr Int'l Tech Engg", "zephyr international technology engineering"),
        ("Zephyr Organisation Centre", "zephyr organization center"),
        ("O'Neil-Zephyr, (Shanghai)", "oneil zephyr shanghai"),
    ],
)
def test_normalised_text(name: str, text: str) -> None:
    assert normalise(name).text == text


def test_ambiguous_legal_forms_are_kept_away_from_the_end() -> None:
    # "SA" may be South Africa, "Co" an ordinary word: only a trailing run is removed.
    assert normalise("SA Aerospace Co").text == "sa aerospace"
    assert normalise("Zephyr Co Engineering").text == "zephyr co engineering"
    assert normalise("Zephyr Engineering AG").text == "zephyr engineering"


def test_descriptive_words_are_kept() -> None:
    assert normalise("Zephyr Trading Group").tokens == ("zephyr", "trading", "group")


def test_a_name_made_only_of_legal_forms_keeps_them() -> None:
    assert normalise("Company Limited").text == "co ltd"
    assert normalise("Company Limited").legal_forms_removed == ()


def test_removed_legal_forms_are_recorded_as_written() -> None:
    norm = normalise("Zephyr Trading Co., Limited")
    assert norm.legal_forms_removed == ("co", "limited")
    assert norm.full == "zephyr trading co ltd"


def test_token_set_and_sorted_text() -> None:
    norm = normalise("Propulsion Zephyr Propulsion")
    assert norm.token_set == frozenset({"zephyr", "propulsion"})
    assert norm.sorted_text == "propulsion propulsion zephyr"


def test_latin_cyrillic_greek_become_ascii_other_scripts_stay() -> None:
    assert normalise("Zéphyr Ζέφυρος Зефир").text == "zephyr zefyros zefir"
    assert normalise("شركة زفير").tokens == ("شركة", "زفير")
    assert normalise("西风推进贸易有限公司").text == "西风推进贸易有限公司"


def test_punctuation_only_name_has_no_tokens() -> None:
    assert normalise(" -- ., ").tokens == ()


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]),
               max_size=40))
def test_normalised_text_is_lower_case_words(name: str) -> None:
    norm = normalise(name)
    assert norm.text == norm.text.casefold().strip()
    assert "  " not in norm.text
    assert norm.tokens == tuple(norm.text.split())
