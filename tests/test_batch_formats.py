"""Batch outputs: every format renders, shows rejected rows, and inputs in every format agree."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.batch import screen_manifest, screen_records
from mtcr_screen.batch.results import Summary
from mtcr_screen.render.batch import BATCH_RENDERERS, MACHINE_FORMATS, BatchMeta, get_batch_renderer
from mtcr_screen.render.batch.jsonl import JsonLinesRenderer
from tests.conftest import EXAMPLES, run_cli

DATA = Path(__file__).parent / "data" / "batch"
MANIFEST = str(EXAMPLES / "manifest.csv")
# the example's bad rows: (row, column, words of the reason)
REJECTED = {14: ("range", "is a mass"), 15: ("kind", "unknown kind"),
            16: ("range", "cannot read a number")}


def jsonl(*args: str, expect: int | None = None) -> list[dict[str, Any]]:
    res = run_cli("batch", *args, "--format", "jsonl", expect=expect)
    return [json.loads(line) for line in res.stdout.splitlines()]


def without_line(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "line"} for r in rows]


def test_example_table_and_summary() -> None:
    res = run_cli("batch", MANIFEST, expect=1)
    assert "PO-1001/1" in res.stdout
    assert "Strong presumption of denial" in res.stdout
    assert "Rejected" in res.stdout
    assert res.stderr.startswith("Warning: 7 destination list(s) are out of date")
    assert "\nSummary: " in res.stderr
    assert "16 rows, 13 screened, 3 rejected" in res.stderr
    assert "rejected row 15: column kind: unknown kind 'rocket_sytem'" in res.stderr


def test_jsonl_one_line_per_row_with_rejections() -> None:
    rows = jsonl(MANIFEST, expect=1)
    assert [r["row"] for r in rows] == list(range(1, 17))
    assert rows[0]["line"] == 2
    assert rows[0]["id"] == "PO-1001/1"
    for r in rows:
        if r["row"] in REJECTED:
            column, words = REJECTED[r["row"]]
            assert r["status"] == "rejected"
            assert r["column"] == column
            assert words in r["reason"]
        else:
            assert r["status"] == "screened"
            assert r["recommendation"]


@pytest.mark.parametrize("fmt", list(BATCH_RENDERERS))
def test_every_format_shows_every_row_and_rejection(fmt: str) -> None:
    res = run_cli("batch", MANIFEST, "--format", fmt, "--no-color", expect=1)
    for row, (column, words) in REJECTED.items():
        assert f"PO-100{7 if row < 16 else 8}/" in res.stdout
        assert column in res.stdout, (fmt, row)
        assert words in res.stdout, (fmt, row)
    for ident in ("PO-1001/1", "PO-1004/2", "PO-1006/2", "PO-1008/1"):
        assert ident in res.stdout
    if fmt in MACHINE_FORMATS:
        assert res.stderr == ""  # rejected rows are in the output; no summary unless asked


def test_json_document() -> None:
    doc = run_cli("batch", MANIFEST, "--format", "json", expect=1).json()
    assert doc["schema_version"] == "1"
    assert len(doc["results"]) == 16
    assert doc["summary"]["rows"] == 16
    assert doc["summary"]["rejected"] == 3
    assert [r["row"] for r in doc["summary"]["rejected_rows"]] == [14, 15, 16]


def test_csv_output_is_input_plus_result_columns() -> None:
    out = run_cli("batch", MANIFEST, "--format", "csv", expect=1).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    with open(MANIFEST, encoding="utf-8", newline="") as fh:
        src = list(csv.DictReader(fh))
    assert len(rows) == len(src) == 16
    for got, given in zip(rows, src, strict=True):
        assert {k: got[k] for k in given} == given
    assert rows[14]["mtcr_status"] == "rejected"
    assert rows[14]["mtcr_rejected_column"] == "kind"
    assert rows[0]["mtcr_recommendation"] == "presumption_of_denial"
    assert rows[0]["mtcr_reason"].startswith("POL102 [1.A.1]")


def test_csv_output_of_an_earlier_run_is_screened_again_without_a_header_twice(
        tmp_path: Path) -> None:
    """An earlier run's CSV output as the manifest: its mtcr_* columns are echoed as
    ``<name>.input``, and every header is given once."""
    first = tmp_path / "first.csv"
    first.write_text(run_cli("batch", MANIFEST, "--format", "csv", expect=1).stdout,
                     encoding="utf-8", newline="")
    res = run_cli("batch", str(first), "--format", "csv", expect=1)
    header = next(csv.reader(io.StringIO(res.stdout)))
    assert len(header) == len(set(header))
    assert "mtcr_status.input" in header
    assert "mtcr_status" in header
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["mtcr_status"] for r in rows] == [r["mtcr_status.input"] for r in rows]
    # and once more: the headings stay unique (mtcr_status.input.input)
    second = tmp_path / "second.csv"
    second.write_text(res.stdout, encoding="utf-8", newline="")
    header = next(csv.reader(io.StringIO(run_cli("batch", str(second), "--format", "csv",
                                                 expect=1).stdout)))
    assert len(header) == len(set(header))
    assert "mtcr_status.input.input" in header


def test_an_input_column_named_like_a_result_in_capitals_is_renamed(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("kind,range,payload,MTCR_ROW\nrocket_system,450 km,600 kg,7\n",
                 encoding="utf-8")
    header = next(csv.reader(io.StringIO(run_cli("batch", str(p), "--format", "csv",
                                                 expect=1).stdout)))
    assert "MTCR_ROW.input" in header
    assert len({h.lower() for h in header}) == len(header)


def test_detail_adds_the_full_decision() -> None:
    rows = jsonl(MANIFEST, "--detail", expect=1)
    assert rows[0]["decision"]["items"][0]["id"] == "PO-1001/1"
    assert rows[0]["decision"]["items"][0]["evaluations"]
    assert "decision" not in jsonl(MANIFEST, expect=1)[0]


@pytest.mark.parametrize("suffix", ["xlsx", "tsv", "json", "jsonl", "yaml"])
def test_twins_give_the_same_results(suffix: str) -> None:
    base = jsonl(MANIFEST, expect=1)
    twin = jsonl(str(EXAMPLES / f"manifest.{suffix}"), expect=1)
    if suffix in ("xlsx", "tsv"):
        assert twin == base  # same lines too: spreadsheet row = CSV line
    else:
        assert without_line(twin) == without_line(base)


def test_clean_run_machine_formats_leave_stderr_empty() -> None:
    for fmt in MACHINE_FORMATS:
        res = run_cli("batch", str(DATA / "clean.csv"), "--format", fmt, expect=0)
        assert res.stderr == "", fmt
        assert res.stdout


def test_summary_can_be_asked_for() -> None:
    res = run_cli("batch", str(DATA / "clean.csv"), "--format", "jsonl", "--summary", expect=0)
    assert "2 rows, 2 screened, 0 rejected, 0 not cleared" in res.stderr


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = run_cli("batch", MANIFEST, "--format", "html", "--output", str(out), expect=1)
    assert res.stdout == ""
    assert out.read_text(encoding="utf-8").count('<tr class="') == 16


def test_html_escapes_everything() -> None:
    html = run_cli("batch", str(DATA / "escape.csv"), "--format", "html", expect=0).stdout
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "<b>bold</b>" not in html
    assert "<img" not in html
    assert "http://" not in html
    assert "https://" not in html


def test_markdown_escapes_pipes() -> None:
    md = run_cli("batch", str(DATA / "escape.csv"), "--format", "markdown", expect=0).stdout
    assert "<script>" not in md
    assert "&lt;script>" in md


def test_jsonl_fast_path_matches_the_dict_form(annex: CompiledAnnex) -> None:
    r = JsonLinesRenderer(BatchMeta("x", (), "e", "s"))
    for result in screen_manifest(MANIFEST, annex):
        assert r.line(result) == json.dumps(result.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("fmt", list(BATCH_RENDERERS))
def test_every_renderer_in_parts(fmt: str, annex: CompiledAnnex) -> None:
    """begin + rows in any chunking + end gives the same text."""
    results = list(screen_manifest(MANIFEST, annex))
    meta = BatchMeta("m.csv", tuple(results[0].cells and _columns()), "ed", "0" * 64)
    summary = Summary.of(results)
    whole = get_batch_renderer(fmt, meta)
    one = whole.begin() + whole.rows(results) + whole.end(summary)
    parts = get_batch_renderer(fmt, meta)
    chunked = parts.begin() + "".join(parts.rows(results[i:i + 5]) for i in range(0, 16, 5)) \
        + parts.end(summary)
    assert one == chunked
    if fmt == "json":
        assert len(json.loads(one)["results"]) == 16


def _columns() -> list[str]:
    with open(MANIFEST, encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def test_library_screen_records(annex: CompiledAnnex) -> None:
    records = [{"id": "a", "kind": "rocket_system", "range": "450 km", "payload": "600 kg"},
               {"id": "b", "kind": "rocket_system", "parameters": {"range": "80 km"},
                "payload": "5 kg", "range_with_any_payload": "90 km"},
               {"id": "c", "kind": "nonsense"}]
    got = [r.to_dict() for r in screen_records(annex, records, start=101)]
    assert [g["row"] for g in got] == [101, 102, 103]
    assert got[0]["recommendation"] == "presumption_of_denial"
    assert got[1]["recommendation"] == "no_mtcr_licence_required"
    assert got[2]["status"] == "rejected"
    assert got[2]["column"] == "kind"


def test_records_from_a_dataframe_partition(annex: CompiledAnnex) -> None:
    """NaN (pandas' missing value) is an empty cell; numbers and booleans read as in a CSV."""
    records = [{"id": 7, "kind": "rocket_system", "range": "80 km", "payload": "5 kg",
                "fact.inseparable": float("nan"), "quantity": 3.0},
               {"id": 8, "kind": "rocket_system", "range": "80 km", "payload": float("nan"),
                "fact.inseparable": True, "quantity": 1.0}]
    got = [r.to_dict() for r in screen_records(annex, records)]
    assert [g["id"] for g in got] == ["7", "8"]
    assert [g["status"] for g in got] == ["screened", "screened"]


def test_json_summary_warns_of_out_of_date_lists() -> None:
    """The summary's warnings carry what the stderr line says (it was always empty)."""
    doc = json.loads(run_cli("batch", MANIFEST, "--format", "json", expect=1).stdout)
    stale = [d["id"] for d in doc["lists"] if d.get("warning")]
    assert stale
    assert [w.split(":")[0] for w in doc["summary"]["warnings"]] == \
        [f"destination list {i}" for i in stale]
