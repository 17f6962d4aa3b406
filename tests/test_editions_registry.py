"""Annex editions: the shipped registry, local editions (MTCR_SCREEN_EDITIONS), --annex NAME."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mtcr_screen.annex import editions
from mtcr_screen.annex.loader import annex_digest, load_annex, resolve_annex_path
from mtcr_screen.errors import AnnexError
from tests.conftest import ANNEX_DIR, run_cli

MOTOR = ("--kind", "solid_rocket_motor", "--param", "total_impulse=1.2e6 N*s",
         "--relation", "1.A=usable", "--no-log")


def make_edition(folder: Path, name: str = "MTCR/TEM/2026/Annex",
                 date: str = "2026-01-15") -> Path:
    """A copy of the shipped Annex under ``folder`` with another edition name and date."""
    shutil.copytree(ANNEX_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    manifest = folder / "annex.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("edition: MTCR/TEM/2024/Annex", f"edition: {name}")
    text = text.replace("date: 2024-03-14", f"date: {date}")
    manifest.write_text(text, encoding="utf-8")
    return folder


def test_shipped_default_edition() -> None:
    shipped = editions.shipped_editions()
    assert [e.alias for e in shipped] == ["2024"]
    first = shipped[0]
    assert (first.name, first.date, first.origin, first.default) == (
        "MTCR/TEM/2024/Annex", "2024-03-14", "shipped", True)
    assert first.path == resolve_annex_path(None)


@pytest.mark.parametrize("name", ["2024", "MTCR/TEM/2024/Annex", "mtcr/tem/2024/annex", " 2024 "])
def test_find_shipped_by_alias_or_name(name: str) -> None:
    assert resolve_annex_path(name) == resolve_annex_path(None)


def test_existing_path_wins_over_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_edition(tmp_path / "2024", name="MTCR/TEM/local-copy/Annex")
    monkeypatch.chdir(tmp_path)
    assert resolve_annex_path("2024") == Path("2024")
    assert load_annex("2024").edition == "MTCR/TEM/local-copy/Annex"


def test_unknown_edition_is_one_line_with_known_names() -> None:
    res = run_cli("screen", *MOTOR, "--annex", "2019", expect=2)
    assert res.stderr == (
        "Error: no such Annex edition, file or folder: '2019' (hint: known editions: 2024 "
        "(MTCR/TEM/2024/Annex); or give a folder holding annex.yaml (see `mtcr-screen annex "
        "editions`))\n")
    assert res.stdout == ""


def test_a_file_that_is_not_an_annex(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(AnnexError, match=r"not an Annex folder or its annex\.yaml"):
        resolve_annex_path(f)


def test_screen_by_edition_name_records_the_edition(tmp_path: Path) -> None:
    res = run_cli("screen", *MOTOR[:-1], "--annex", "MTCR/TEM/2024/Annex", "-f", "json",
                  "--log", str(tmp_path / "log.sqlite3"), expect=1)
    annex = res.json()["annex"]
    assert annex == {"edition": "MTCR/TEM/2024/Annex", "sha256": annex_digest(ANNEX_DIR)}
    shown = run_cli("log", "show", "1", "--log", str(tmp_path / "log.sqlite3"), expect=0).json()
    assert (shown["annex_edition"], shown["annex_sha256"]) == (annex["edition"], annex["sha256"])


def test_local_editions_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_edition(tmp_path / "archive" / "2026")
    (tmp_path / "archive" / "not-an-edition").mkdir()
    monkeypatch.setenv(editions.EDITIONS_ENV_VAR, str(tmp_path / "archive"))
    known = editions.known_editions()
    assert [(e.alias, e.name, e.origin) for e in known] == [
        ("2024", "MTCR/TEM/2024/Annex", "shipped"),
        ("2026", "MTCR/TEM/2026/Annex", "local"),
    ]
    for name in ("2026", "MTCR/TEM/2026/Annex"):
        assert resolve_annex_path(name) == tmp_path / "archive" / "2026"
    res = run_cli("screen", *MOTOR, "--annex", "2026", "-f", "json", expect=1)
    assert res.json()["annex"]["edition"] == "MTCR/TEM/2026/Annex"
    assert run_cli("annex", "validate", "2026", expect=0).stdout.startswith(
        f"OK: {tmp_path / 'archive' / '2026'}: MTCR/TEM/2026/Annex (2026-01-15)")


def test_env_folder_that_is_itself_an_edition(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    make_edition(tmp_path / "draft", name="MTCR/TEM/2026-draft/Annex")
    monkeypatch.setenv(editions.EDITIONS_ENV_VAR, str(tmp_path / "draft"))
    assert editions.find_edition("draft").name == "MTCR/TEM/2026-draft/Annex"


def test_missing_env_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(editions.EDITIONS_ENV_VAR, str(tmp_path / "nowhere"))
    res = run_cli("annex", "editions", expect=2)
    assert res.stderr.startswith(f"Error: MTCR_SCREEN_EDITIONS={tmp_path / 'nowhere'}: no such "
                                 "folder of Annex editions")


def test_shipped_name_wins_over_a_local_copy(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    make_edition(tmp_path / "eds" / "copy", name="MTCR/TEM/2024/Annex")
    monkeypatch.setenv(editions.EDITIONS_ENV_VAR, str(tmp_path / "eds"))
    assert editions.find_edition("MTCR/TEM/2024/Annex").origin == "shipped"
    assert editions.find_edition("copy").path == tmp_path / "eds" / "copy"


def test_two_local_editions_of_one_name_are_ambiguous(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    make_edition(tmp_path / "eds" / "a")
    make_edition(tmp_path / "eds" / "b")
    monkeypatch.setenv(editions.EDITIONS_ENV_VAR, str(tmp_path / "eds"))
    with pytest.raises(AnnexError, match=r"'MTCR/TEM/2026/Annex' is ambiguous: a .*, b ") as exc:
        editions.find_edition("MTCR/TEM/2026/Annex")
    assert exc.value.hint == "name the edition by its alias"
    assert editions.find_edition("b").path == tmp_path / "eds" / "b"


def test_a_second_shipped_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SHIPPED registry with a folder under the editions data directory."""
    make_edition(tmp_path / "data" / "2026")
    monkeypatch.setattr(editions, "SHIPPED", (("2026", "2026"), ("2024", None)))
    monkeypatch.setattr(editions, "editions_data_dir", lambda: tmp_path / "data")
    known = editions.shipped_editions()
    assert [(e.alias, e.default) for e in known] == [("2026", True), ("2024", False)]
    assert editions.find_edition("2026").path == tmp_path / "data" / "2026"
    res = run_cli("annex", "editions", expect=0)
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["2026", "MTCR/TEM/2026/Annex", "2026-01-15", "shipped,"]
    assert lines[1].split()[:4] == ["2024", "MTCR/TEM/2024/Annex", "2024-03-14", "shipped"]


def test_edition_for_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    eds = tmp_path / "eds"
    make_edition(eds / "2026")
    monkeypatch.setenv(editions.EDITIONS_ENV_VAR, str(eds))
    found = editions.edition_for_digest(annex_digest(eds / "2026"))
    assert found is not None
    assert found.alias == "2026"
    shipped = editions.edition_for_digest(annex_digest(ANNEX_DIR))
    assert shipped is not None
    assert shipped.alias == "2024"
    assert editions.edition_for_digest("0" * 64) is None


def test_annex_editions_text_and_json() -> None:
    text = run_cli("annex", "editions", expect=0).stdout
    assert text.split()[:5] == ["2024", "MTCR/TEM/2024/Annex", "2024-03-14", "shipped,",
                                "default"]
    data = run_cli("annex", "editions", "--format", "json", expect=0).json()
    assert data["schema_version"] == "1"
    assert data["editions"] == [{
        "alias": "2024", "edition": "MTCR/TEM/2024/Annex", "date": "2024-03-14",
        "title": "MTCR Equipment, Software and Technology Annex (14 March 2024 edition, as "
                 "reconstructed)",
        "origin": "shipped", "default": True, "path": str(resolve_annex_path(None))}]
