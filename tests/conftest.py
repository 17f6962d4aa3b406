"""Shared fixtures: the shipped Annex, an isolated cache, and a shell-like CLI runner."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.annex.loader import load_annex
from mtcr_screen.cli import cli
from mtcr_screen.destinations import DestinationLists, load_lists

ROOT = Path(__file__).resolve().parents[1]
ANNEX_DIR = ROOT / "annex"
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test uses a private Annex cache and no decision log of the user's."""
    cache = tmp_path_factory.getbasetemp() / "annex-cache"
    monkeypatch.setenv("MTCR_SCREEN_CACHE", str(cache))
    monkeypatch.setenv("MTCR_SCREEN_LOG", str(tmp_path_factory.getbasetemp() / "log.sqlite3"))
    monkeypatch.delenv("MTCR_SCREEN_ANNEX", raising=False)
    # list staleness depends on the date: tests run as of a fixed day
    monkeypatch.setenv("MTCR_SCREEN_TODAY", "2026-11-27")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def annex() -> CompiledAnnex:
    """The shipped Annex, compiled once per session."""
    return load_annex(ANNEX_DIR, use_cache=False)


@pytest.fixture(scope="session")
def lists() -> DestinationLists:
    """The shipped destination lists."""
    return load_lists()


@dataclass
class Result:
    """What a CLI run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)


def run_cli(*args: str, input: str | None = None, expect: int | None = None) -> Result:
    """Run ``mtcr-screen ARGS`` in-process, like a shell would; check the exit code."""
    runner = CliRunner()
    res = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    out = Result(res.exit_code, res.stdout, res.stderr)
    if expect is not None:
        assert out.exit_code == expect, (out.exit_code, out.stdout, out.stderr)
    return out


@pytest.fixture
def cli_run() -> Any:
    """The run_cli helper as a fixture."""
    return run_cli
