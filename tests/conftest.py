"""Shared fixtures: the shipped Annex, an isolated cache, and a shell-like CLI runner."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.annex.loader import load_annex
from mtcr_screen.cli import cli
from mtcr_screen.destinations import DestinationLists, load_lists

# Property-test profiles: `ci` (default, 150 examples), `thorough` (5,000), `dev` (30).
# Choose with `--hypothesis-profile=thorough` or MTCR_SCREEN_HYPOTHESIS_PROFILE. `ci` and
# `dev` draw the same examples every run (a test run is reproducible and a CI run cannot
# go red by chance); `thorough` draws new ones each time, to find what they miss.
_HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                              HealthCheck.data_too_large],
}
settings.register_profile("ci", max_examples=150, derandomize=True,
                          **_HYPOTHESIS)  # type: ignore[arg-type]
settings.register_profile("thorough", max_examples=5000, **_HYPOTHESIS)  # type: ignore[arg-type]
settings.register_profile("dev", max_examples=30, derandomize=True,
                          **_HYPOTHESIS)  # type: ignore[arg-type]


def pytest_configure(config: pytest.Config) -> None:
    """Load the profile named by --hypothesis-profile, else MTCR_SCREEN_HYPOTHESIS_PROFILE,
    else `ci` (whichever order pytest runs the plugins' hooks in)."""
    chosen = config.getoption("--hypothesis-profile", default=None)
    settings.load_profile(chosen or os.environ.get("MTCR_SCREEN_HYPOTHESIS_PROFILE", "ci"))

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


def run_cli(*args: str, input: str | bytes | None = None, expect: int | None = None
            ) -> Result:
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
