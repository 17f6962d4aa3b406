"""The HTML report in a real headless browser (Debian's chromium): every row, and sorting.

The report applies ``#sort=<column>`` (``#sort=-<column>`` descending) on opening by
clicking that column's header, so ``--dump-dom`` shows the DOM after a real click
handler ran. Skipped, with the reason, only when chromium is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

ROW = re.compile(r'<tr class="(screened|rejected)"><td class="num">(\d+)</td>(.*?)</tr>', re.S)


def dump(tmp_path: Path, page: Path, fragment: str) -> str:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
           "--dump-dom", page.as_uri() + fragment]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("html") / "report.html"
    run_cli("batch", str(EXAMPLES / "manifest.csv"), "--format", "html", "--output",
            str(page), expect=1)
    return page


def rows(dom: str) -> list[tuple[str, int, str]]:
    return [(m.group(1), int(m.group(2)), m.group(3)) for m in ROW.finditer(dom)]


def test_every_row_with_its_rationale(tmp_path: Path, report: Path) -> None:
    dom = dump(tmp_path, report, "")
    got = rows(dom)
    assert [n for _, n, _ in got] == list(range(1, 17))
    for status, n, body in got:
        assert "<details" in body, n
        if status == "screened":
            assert re.search(r"<li><b>POL\d{3} ", body), n
        else:
            assert n in (14, 15, 16)
    assert '<span id="total">16</span>' in dom


def test_sort_by_clicking_a_header(tmp_path: Path, report: Path) -> None:
    dom = dump(tmp_path, report, "#sort=-row")
    assert [n for _, n, _ in rows(dom)] == list(range(16, 0, -1))
    assert 'data-col="row" scope="col" aria-sort="descending"' in dom

    dom = dump(tmp_path, report, "#sort=recommendation")
    severities = [int(re.findall(r'data-v="(\d+)"', body)[1]) for _, _, body in rows(dom)]
    assert severities == sorted(severities)
    assert len(severities) == 16
    assert severities[0] == 0
    assert severities[-1] == 9
    assert 'data-col="recommendation" scope="col" aria-sort="ascending"' in dom
