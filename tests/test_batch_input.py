"""Batch inputs: encodings, delimiters, file-level errors (exit 2), rejected rows, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

DATA = Path(__file__).parent / "data" / "batch"


def jsonl(name: str, *args: str, expect: int) -> tuple[list[dict[str, Any]], str]:
    res = run_cli("batch", str(DATA / name), "--format", "jsonl", *args, expect=expect)
    return [json.loads(line) for line in res.stdout.splitlines()], res.stderr


@pytest.mark.parametrize(("name", "message"), [
    ("empty.csv", "empty file: no header row"),
    ("no-kind.csv", "no 'kind' column in the header row"),
    ("no-header.csv", "no header row: the first row looks like data"),
    ("duplicate-column.csv", "column 'Range' appears twice"),
    ("malformed.json", "malformed JSON"),
    ("malformed.yaml", "malformed YAML"),
    ("not-a-workbook.xlsx", "not a readable XLSX workbook"),
    ("does-not-exist.csv", "no such file"),
])
def test_file_level_problem_is_one_line_exit_2(name: str, message: str) -> None:
    res = run_cli("batch", str(DATA / name), "--format", "jsonl", expect=2)
    assert res.stdout == ""
    assert res.stderr.startswith(f"Error: {DATA / name}")
    assert message in res.stderr
    assert res.stderr.count("\n") == 1
    assert "Traceback" not in res.stderr


def test_not_utf8_midway_is_a_file_error() -> None:
    res = run_cli("batch", str(DATA / "bad-utf8.csv"), "--format", "jsonl", "--encoding",
                  "utf-8", expect=2)
    assert "not UTF-8 text: cannot decode byte 0xff" in res.stderr


def test_unknown_encoding_is_a_file_error() -> None:
    res = run_cli("batch", str(DATA / "clean.csv"), "--encoding", "klingon", expect=2)
    assert "unknown encoding 'klingon'" in res.stderr


def test_header_only_is_an_error() -> None:
    """Nothing screened is not 'cleared': a header-only manifest is an error (exit 2)."""
    rows, err = jsonl("header-only.csv", expect=2)
    assert rows == []
    assert "no data rows" in err
    assert len(err.splitlines()) == 1


def test_unknown_columns_one_warning() -> None:
    rows, err = jsonl("unknown-columns.csv", expect=0)
    assert len(rows) == 1
    assert err.count("\n") == 1
    assert "unknown columns ignored: colour, fact.civil_certifed" in err


@pytest.mark.parametrize("encoding", [[], ["--encoding", "utf-8"], ["--encoding", "UTF8"],
                                      ["--encoding", "utf-8-sig"]])
def test_bom_is_read(encoding: list[str]) -> None:
    """A byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name,
    also when UTF-8 is named."""
    rows, err = jsonl("bom.csv", *encoding, expect=0)
    assert rows[0]["id"] == "A-1"
    assert err == ""


def test_excel_windows_1252_semicolons() -> None:
    rows, err = jsonl("excel-cp1252.csv", expect=0)
    assert rows[0]["description"] == "Fusée à «sonde»"
    assert "read as Windows-1252" in err


def test_excel_unicode_text_utf16_tabs() -> None:
    rows, _ = jsonl("excel-utf16.txt", expect=0)
    assert rows[0]["description"] == "Fusée"
    assert rows[0]["recommendation"] == "no_mtcr_licence_required"


def test_tsv(tmp_path: Path) -> None:
    p = tmp_path / "m.tsv"
    p.write_text("id\tkind\trange\tpayload\nA-1\trocket_system\t450 km\t600 kg\n",
                 encoding="utf-8")
    res = run_cli("batch", str(p), "--format", "jsonl", expect=1)
    assert json.loads(res.stdout)["entries"] == ["1.A.1"]


def test_ragged_rows_are_rejected() -> None:
    rows, _ = jsonl("ragged.csv", expect=1)
    assert [r["status"] for r in rows] == ["screened", "rejected", "rejected"]
    assert "3 cells but the header has 4" in rows[1]["reason"]


def test_jsonl_bad_lines_are_rejected_rows() -> None:
    rows, _ = jsonl("bad-lines.jsonl", expect=1)
    assert [r["status"] for r in rows] == ["screened", "rejected", "rejected", "screened"]
    assert rows[1]["reason"].startswith("malformed JSON")


@pytest.mark.parametrize(("cells", "column", "words"), [
    ("rocket_sytem,FR,450 km,,", "kind", "unknown kind"),
    ("rocket_system,FR,450 kg,,", "range", "is a mass"),
    ("rocket_system,FR,lots,,", "range", "cannot read a number"),
    ("rocket_system,Atlantis,450 km,,", "destination", "unknown country"),
    ("rocket_system,FR,450 km,maybe,", "fact.inseparable", "expected true or false"),
    ("rocket_system,FR,450 km,,wmd", "red_flags", "Input should be"),
    ("solid_rocket_motor,FR,450 km,,", "range", "unknown parameter for kind"),
    (",FR,450 km,,", "kind", "no kind given"),
])
def test_rejected_row_names_its_column(tmp_path: Path, cells: str, column: str,
                                       words: str) -> None:
    p = tmp_path / "m.csv"
    p.write_text("kind,destination,range,fact.inseparable,red_flags\n"
                 f"rocket_system,FR,80 km,,\n{cells}\n", encoding="utf-8")
    res = run_cli("batch", str(p), "--format", "jsonl", expect=1)
    first, second = (json.loads(x) for x in res.stdout.splitlines())
    assert first["status"] == "screened"
    assert first["id"] == "1"
    assert second["status"] == "rejected"
    assert second["row"] == 2
    assert second["line"] == 3
    assert second["column"] == column, second
    assert words in second["reason"], second


@pytest.mark.parametrize(("rows", "code"), [
    (["rocket_system,80 km,5 kg,90 km"], 0),
    (["rocket_system,80 km,5 kg,90 km", "rocket_system,450 km,600 kg,"], 1),
    (["rocket_system,80 km,5 kg,90 km", "rocket_system,80 km,5 tonnes of fun,"], 1),
    # carrying 5 kg, 80 km leaves open what a lighter payload reaches (19.A.1)
    (["rocket_system,80 km,5 kg,"], 1),
])
def test_exit_code_is_the_worst_outcome(tmp_path: Path, rows: list[str], code: int) -> None:
    p = tmp_path / "m.csv"
    p.write_text("kind,range,payload,range_with_any_payload\n" + "\n".join(rows) + "\n",
                 encoding="utf-8")
    run_cli("batch", str(p), "--format", "csv", expect=code)


def test_stdin_is_csv() -> None:
    res = run_cli("batch", "-", "--format", "jsonl",
                  input="kind,range,payload,range_with_any_payload\n"
                        "rocket_system,80 km,5 kg,90 km\n", expect=0)
    assert json.loads(res.stdout)["row"] == 1


def test_blank_lines_are_not_rows(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("kind,range,payload,range_with_any_payload\n\nrocket_system,80 km,5 kg,90 km\n"
                 ",,,\n", encoding="utf-8")
    res = run_cli("batch", str(p), "--format", "jsonl", expect=0)
    assert [json.loads(x)["line"] for x in res.stdout.splitlines()] == [3]


def test_columns_by_name_not_position(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text(" Payload ,RANGE,Kind,ID\n600 kg,450 km,rocket_system,X\n", encoding="utf-8")
    res = run_cli("batch", str(p), "--format", "jsonl", expect=1)
    got = json.loads(res.stdout)
    assert got["id"] == "X"
    assert got["entries"] == ["1.A.1"]


def test_xlsx_sheet_by_name() -> None:
    from tests.conftest import EXAMPLES

    ok = run_cli("batch", str(EXAMPLES / "manifest.xlsx"), "--sheet", "manifest", "--format",
                 "jsonl", expect=1)
    assert ok.stdout.count("\n") == 16
    res = run_cli("batch", str(EXAMPLES / "manifest.xlsx"), "--sheet", "nope", expect=2)
    assert "no sheet named 'nope' (hint: sheets: manifest)" in res.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_quote_never_closed_stops_the_run(tmp_path: Path, jobs: str) -> None:
    """An unclosed quote would hide every later row inside one cell (a Category I motor
    among them): a file-level error with exit 2, never a short, cleared run."""
    p = tmp_path / "m.csv"
    p.write_text("id,kind,total_impulse,relation.1.A,description\n"
                 "A,solid_rocket_motor,1e5 N*s,usable,\"6' booster\n"
                 "B,solid_rocket_motor,2e6 N*s,usable,large booster\n", encoding="utf-8")
    res = run_cli("batch", str(p), "--format", "jsonl", "--jobs", jobs, expect=2)
    assert res.stdout == ""
    assert res.stderr.startswith(f"Error: {p}:2: malformed CSV: a quoted field that starts "
                                 "in this record is never closed")
    assert res.stderr.count("\n") == 1


def test_a_quote_never_closed_in_the_header(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text('id,"kind\nA,rocket_system\n', encoding="utf-8")
    res = run_cli("batch", str(p), expect=2)
    assert res.stderr == (f"Error: {p}:1: malformed header row: a quoted column name is never "
                          "closed (hint: the header is the first line: close the quote)\n")


@pytest.mark.parametrize(("name", "text"), [
    ("m.json", '[{"id": "x", "kind": "solid_rocket_motor", "total_impulse": "2e6 N*s", '
               '"parameters": {"total_impulse": "1e5 N*s"}}]'),
    ("m.jsonl", '{"id": "x", "kind": "solid_rocket_motor", "total_impulse": "2e6 N*s", '
                '"parameters": {"total_impulse": "1e5 N*s"}}\n'),
    ("m.yaml", "- id: x\n  kind: solid_rocket_motor\n  fact.inseparable: true\n"
               "  facts: {inseparable: false}\n"),
    # the same key twice in one JSON object (json keeps the last silently)
    ("m.jsonl", '{"id": "x", "kind": "solid_rocket_motor", "total_impulse": "2e6 N*s", '
                '"total_impulse": "1e5 N*s"}\n'),
    ("m.json", '[{"id": "x", "kind": "solid_rocket_motor", '
               '"parameters": {"total_impulse": "2e6 N*s", "total_impulse": "1e5 N*s"}}]'),
])
def test_a_column_given_flat_and_nested_is_rejected(tmp_path: Path, name: str,
                                                    text: str) -> None:
    """Which of two values to screen would be a guess (the later one used to win)."""
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    (got,) = [json.loads(x) for x in run_cli("batch", str(p), "--format", "jsonl",
                                             expect=1).stdout.splitlines()]
    assert got["status"] == "rejected"
    assert got["id"] == "x"
    assert got["column"] in ("total_impulse", "fact.inseparable")
    assert "is given twice in this record" in got["reason"]


def test_records_api_rejects_a_column_given_twice(annex: Any) -> None:
    from mtcr_screen.batch import screen_records

    (got,) = screen_records(annex, [{"id": "x", "kind": "solid_rocket_motor",
                                     "total_impulse": "2e6 N*s",
                                     "parameters": {"total_impulse": "1e5 N*s"}}])
    assert got.to_dict()["status"] == "rejected"
    assert got.to_dict()["column"] == "total_impulse"


@pytest.mark.parametrize(("args", "message"), [
    (["--encoding", "utf-16"], "UTF-16 needs a byte-order mark, and the file has none (hint: "
                               "give --encoding utf-16-le or utf-16-be)"),
    (["--input-format", "xlsx"], "not a readable XLSX workbook (InvalidFileException)"),
])
def test_a_wrong_encoding_or_format_option_is_a_file_error(args: list[str],
                                                          message: str) -> None:
    res = run_cli("batch", str(DATA / "clean.csv"), *args, expect=2)
    assert res.stderr == f"Error: {DATA / 'clean.csv'}: {message}\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_over_long_cell_rejects_its_row_only(tmp_path: Path, jobs: str) -> None:
    """A cell over the text-value limit (65,536 characters) is a rejected row, and the rows
    after it go on (csv's own 131,072-character cap used to stop the whole run)."""
    p = tmp_path / "m.csv"
    p.write_text("id,kind,range,payload,description\n"
                 "A,rocket_system,450 km,600 kg,ok\n"
                 f"B,rocket_system,450 km,600 kg,{'x' * 200_000}\n"
                 f"C,rocket_system,{'9' * 70_000} km,600 kg,\n"
                 "D,rocket_system,450 km,600 kg,ok\n", encoding="utf-8")
    rows = [json.loads(x) for x in run_cli("batch", str(p), "--format", "jsonl", "--jobs",
                                           jobs, expect=1).stdout.splitlines()]
    assert [r["status"] for r in rows] == ["screened", "rejected", "rejected", "screened"]
    assert [r.get("column") for r in rows[1:3]] == ["description", "range"]
    assert rows[1]["reason"] == ("a cell of 200,000 characters is over the limit of 65,536 "
                                 "(MTCR_SCREEN_MAX_STRING)")


def test_sheet_for_a_csv_is_refused() -> None:
    res = run_cli("batch", str(DATA / "clean.csv"), "--sheet", "x", expect=2)
    assert res.stderr == "Error: --sheet: applies to XLSX workbooks, and this manifest is CSV\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    """Every other byte NUL: UTF-16 written without its mark (it read as UTF-8 with NULs,
    and the header had no kind column)."""
    p = tmp_path / "m.tsv"
    p.write_bytes("id\tkind\trange\tpayload\nA-1\trocket_system\t450 km\t600 kg\n"
                  .encode(codec))
    (got,) = [json.loads(x) for x in run_cli("batch", str(p), "--format", "jsonl",
                                             expect=1).stdout.splitlines()]
    assert (got["id"], got["entries"]) == ("A-1", ["1.A.1"])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_over_long_cell_after_a_row_alike_is_still_rejected(tmp_path: Path,
                                                               jobs: str) -> None:
    """Two rows with the same screening cells share an outcome, but a row's own cells (an
    ignored column here) are checked on every row, whichever process sees it first."""
    p = tmp_path / "m.csv"
    p.write_text("id,kind,description,range,payload,notes\n"
                 "X0,rocket_system,d,400 km,10 kg,a\n"
                 f"X1,rocket_system,d,400 km,10 kg,{'n' * 70_000}\n", encoding="utf-8")
    rows = [json.loads(x) for x in run_cli("batch", str(p), "--format", "jsonl", "--jobs",
                                           jobs, expect=1).stdout.splitlines()]
    assert [(r["status"], r.get("column")) for r in rows] == [("screened", None),
                                                              ("rejected", "notes")]


def test_utf16_without_a_mark_from_stdin_with_the_encoding_named_is_one_line() -> None:
    res = run_cli("batch", "-", "--encoding", "utf-16", input="kind,range\nrocket_system,1 km\n",
                  expect=2)
    assert res.stderr == ("Error: <stdin>: UTF-16 needs a byte-order mark, and the file has "
                          "none (hint: give --encoding utf-16-le or utf-16-be)\n")


def test_a_comma_separated_utf16_file_is_read(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_bytes("id,kind,range,payload\nA-1,rocket_system,450 km,600 kg\n".encode("utf-16"))
    (got,) = [json.loads(x) for x in run_cli("batch", str(p), "--format", "jsonl",
                                             expect=1).stdout.splitlines()]
    assert got["entries"] == ["1.A.1"]


def test_a_quote_never_closed_on_stdin_reports_no_row_for_the_swallowed_lines() -> None:
    """Streaming from a pipe, the record that turns out to run to the end of the input is
    not given out as a (rejected) row before the file error."""
    res = run_cli("batch", "-", "--format", "jsonl", expect=2,
                  input="id,kind,range,payload\nA,rocket_system,450 km,600 kg\n"
                        'B,rocket_system,"450 km\nC,rocket_system,100 km,1 kg\n')
    assert [json.loads(x)["id"] for x in res.stdout.splitlines()] == ["A"]
    assert "<stdin>:3: malformed CSV: a quoted field that starts in this record is never " \
        "closed" in res.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_blank_rows_only_write_nothing_before_the_error(tmp_path: Path, jobs: str) -> None:
    p = tmp_path / "m.csv"
    p.write_text("id,kind,range\n,,\n", encoding="utf-8")
    res = run_cli("batch", str(p), "--format", "csv", "--jobs", jobs, expect=2)
    assert res.stdout == ""


def test_a_json_document_giving_rows_twice_is_a_file_error(tmp_path: Path) -> None:
    p = tmp_path / "m.json"
    p.write_text('{"rows": [{"kind": "rocket_system", "range": "900 km", "payload": "600 kg"}],'
                 ' "rows": [{"kind": "rocket_system", "range": "100 km", "payload": "0 kg"}]}',
                 encoding="utf-8")
    res = run_cli("batch", str(p), expect=2)
    assert res.stderr == f"Error: {p}: duplicate key 'rows' in the document\n"


def test_utf16_without_a_mark_on_a_slow_pipe_is_one_line() -> None:
    """The missing mark is found on the first decode (a pipe cannot be looked at first)."""
    res = run_cli("batch", "-", "--encoding", "utf-16", input="kind,range\nrocket_system,1 km\n",
                  expect=2)
    assert res.stderr.endswith("UTF-16 needs a byte-order mark, and the file has none (hint: "
                               "give --encoding utf-16-le or utf-16-be)\n")


@pytest.mark.parametrize("name", ["m.json", "m.yaml"])
def test_a_document_with_rows_under_another_key_too_is_a_file_error(tmp_path: Path,
                                                                    name: str) -> None:
    p = tmp_path / name
    p.write_text('{"Rows": [{"kind": "rocket_system", "range": "900 km", "payload": "600 kg"}],'
                 ' "rows": [{"kind": "rocket_system", "range": "100 km", "payload": "0 kg"}]}',
                 encoding="utf-8")
    res = run_cli("batch", str(p), expect=2)
    assert res.stderr == (f"Error: {p}: the rows are read from 'rows', and the document also "
                          "has a list under 'Rows' (hint: put every row under 'rows')\n")
