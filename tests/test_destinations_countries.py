"""Countries: ISO 3166-1 codes, names and aliases; ambiguity and suggestions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mtcr_screen.countries import codes, is_code, name_of, resolve
from mtcr_screen.errors import SpecError


@pytest.mark.parametrize(("text", "code"), [
    ("Iran", "IR"),
    ("Islamic Republic of Iran", "IR"),
    ("Iran, Islamic Republic of", "IR"),
    ("IR", "IR"),
    ("ir", "IR"),
    ("IRN", "IR"),
    ("Persia", "IR"),
    ("North Korea", "KP"),
    ("DPRK", "KP"),
    ("Democratic People's Republic of Korea", "KP"),
    ("Democratic People’s Republic of Korea", "KP"),
    ("South Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("Burma", "MM"),
    ("Myanmar", "MM"),
    ("Türkiye", "TR"),
    ("Turkiye", "TR"),
    ("Turkey", "TR"),
    ("Russia", "RU"),
    ("Russian Federation", "RU"),
    ("Hong Kong", "HK"),
    ("Hong Kong SAR", "HK"),
    ("Macau", "MO"),
    ("Macao", "MO"),
    ("Kosovo", "XK"),
    ("XK", "XK"),
    ("Taiwan", "TW"),
    ("Syria", "SY"),
    ("U.S.", "US"),
    ("United States of America", "US"),
    ("UK", "GB"),
    ("Côte d’Ivoire", "CI"),
    ("Ivory Coast", "CI"),
    ("Czech Republic", "CZ"),
    ("DR Congo", "CD"),
    ("Democratic Republic of the Congo", "CD"),
    ("Republic of the Congo", "CG"),
    ("  france  ", "FR"),
    ("NO", "NO"),
])
def test_resolve(text: str, code: str) -> None:
    assert resolve(text) == code


@pytest.mark.parametrize(("text", "options"), [
    ("Korea", ["KR", "KP"]),
    ("Congo", ["CG", "CD"]),
])
def test_ambiguous_names_are_errors_not_guesses(text: str, options: list[str]) -> None:
    with pytest.raises(SpecError, match="ambiguous country") as exc:
        resolve(text, field="destination")
    assert exc.value.message.startswith("destination: ")
    for code in options:
        assert code in (exc.value.hint or "")


@pytest.mark.parametrize(("text", "suggestion"), [
    ("Iarn", "IR (Iran)"),
    ("Frnace", "FR (France)"),
    ("Nort Korea", "KP (North Korea)"),
    ("Saudi Arabai", "SA (Saudi Arabia)"),
])
def test_unknown_country_suggests_the_nearest(text: str, suggestion: str) -> None:
    with pytest.raises(SpecError, match="unknown country") as exc:
        resolve(text)
    assert suggestion in (exc.value.hint or "")
    assert (exc.value.hint or "").startswith("did you mean ")


def test_unknown_code_without_suggestion_gives_the_format() -> None:
    with pytest.raises(SpecError) as exc:
        resolve("ZZ")
    assert "ISO 3166-1 alpha-2" in (exc.value.hint or "")
    with pytest.raises(SpecError, match="empty country"):
        resolve("  ")


def test_codes_and_names() -> None:
    assert is_code("IR")
    assert is_code("ir")
    assert is_code("XK")
    assert not is_code("ZZ")
    assert not is_code("EU")
    assert len(codes()) == 250  # 249 ISO 3166-1 codes and XK
    assert name_of("XK") == "Kosovo"
    assert name_of("IR") == "Iran"
    assert name_of("HK") == "Hong Kong"


def test_pycountry_is_imported_lazily() -> None:
    """pycountry is imported on first use only (and not at all once its index is cached)."""
    code = ("import sys, mtcr_screen.countries as c; assert 'pycountry' not in sys.modules; "
            "c.resolve('FR'); assert 'pycountry' in sys.modules")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "MTCR_SCREEN_NO_CACHE": "1"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, env=env)
