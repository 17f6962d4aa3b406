"""Every input error is one line on stderr with exit code 2: click's own usage errors (an
option out of range, a missing argument, an unknown option) and files that cannot be
written, as much as the tool's own errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli


@pytest.mark.parametrize(("args", "line"), [
    (["log", "list", "--limit", "-1"],
     "Error: --limit: -1 is not in the range x>=0. (hint: see `mtcr-screen log list --help`)"),
    (["batch", "--jobs", "0", "x.csv"],
     "Error: --jobs/-j: 0 is not in the range 1<=x<=256. (hint: see `mtcr-screen batch "
     "--help`)"),
    (["log", "show", "abc"],
     "Error: RECORD_ID: 'abc' is not a valid integer. (hint: see `mtcr-screen log show "
     "--help`)"),
    (["batch"],
     "Error: command line: Missing argument 'MANIFEST'. (hint: see `mtcr-screen batch "
     "--help`)"),
    (["--bogus"],
     "Error: command line: No such option '--bogus'. (hint: see `mtcr-screen --help`)"),
    (["no-such-command"],
     "Error: command line: No such command 'no-such-command'. (hint: see `mtcr-screen "
     "--help`)"),
])
def test_click_usage_errors_are_one_line(args: list[str], line: str) -> None:
    res = run_cli(*args, expect=2)
    assert res.stderr == line + "\n"


def test_plot_to_a_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    where = tmp_path / "no" / "curve.png"
    res = run_cli("tradeoff", str(EXAMPLES / "tradeoff-srbm.yaml"), "--plot", str(where),
                  expect=2)
    assert res.stderr == f"Error: {where}: cannot write the plot: No such file or directory\n"


def test_interview_save_to_a_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    where = tmp_path / "no" / "spec.yaml"
    res = run_cli("interview", "--kind", "rocket_system", "--save", str(where),
                  input="900 km\n1000 kg\n", expect=2)
    assert res.stderr.endswith(
        f"Error: {where}: cannot save the spec: No such file or directory\n")
