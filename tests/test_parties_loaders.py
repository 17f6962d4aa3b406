"""Loaders: CSL CSV (column orders, BOM, extra/missing columns), CSL JSON, OpenSanctions."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from mtcr_screen.errors import ListError
from mtcr_screen.parties import AsOfBasis, ListFormat, load_party_list

DATA = Path(__file__).parent / "data" / "parties"


def test_csl_csv_standard_header() -> None:
    plist = load_party_list(DATA / "csl-standard.csv")
    assert plist.format is ListFormat.CSL_CSV
    assert plist.row_count == 3  # the DOS end-of-file marker row is not an entry
    assert len(plist) == 3
    assert plist.sha256 == hashlib.sha256((DATA / "csl-standard.csv").read_bytes()).hexdigest()
    assert plist.as_of_basis is AsOfBasis.FILE_MTIME
    assert plist.as_of_is_file_mtime
    zephyr, oleg, nimbus = plist.entries
    assert zephyr.name == "Zephyr Propulsion Trading Limited"
    assert zephyr.entry_id == "a1b2c3"
    assert zephyr.source == "Entity List (EL) - Bureau of Industry and Security"
    assert zephyr.aliases == ("Zephyr Propulsion FZE", "Zefir Propulsion Trading")
    assert zephyr.countries == ("AE", "IR")
    assert zephyr.programs == ("EAR",)
    assert zephyr.entry_type == "Entity"
    assert zephyr.list_name == "CSL"
    assert oleg.programs == ("NPWMD", "IFSR")
    assert oleg.countries == ("RU",)  # nationality "Russia" and citizenship "RU" agree
    assert oleg.aliases == ("Олег Имагинаров",)
    assert nimbus.countries == ()  # "85251" is a postal code, not a country
    assert nimbus.entry_type is None


def test_csl_csv_column_order_variant_gives_the_same_entries() -> None:
    standard = load_party_list(DATA / "csl-standard.csv")
    variant = load_party_list(DATA / "csl-variant-order.csv")
    assert variant.entries == standard.entries


def test_csl_csv_minimal_columns_with_bom() -> None:
    assert (DATA / "csl-minimal-columns.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    plist = load_party_list(DATA / "csl-minimal-columns.csv", list_name="ISN extract")
    (entry,) = plist.entries
    assert entry.name == "Quillon Composite Materials Company"
    assert entry.aliases == ("Quillon Composites",)
    assert entry.entry_id == "line 2"
    assert entry.list_name == "ISN extract"
    assert plist.name == "ISN extract"


def test_csl_json_envelope() -> None:
    plist = load_party_list(DATA / "csl-envelope.json")
    assert plist.format is ListFormat.CSL_JSON
    assert plist.as_of == dt.date(2026, 9, 1)  # newest sources_used[].source_last_updated
    assert plist.as_of_basis is AsOfBasis.SOURCE_LAST_UPDATED
    gryphon, borealis = plist.entries
    assert gryphon.entry_id == "j1"
    assert gryphon.aliases == ("OOO Grifon Giroskop", "ООО Грифон Гироскоп")
    assert gryphon.countries == ("RU",)
    assert borealis.programs == ("INKSNA",)
    assert borealis.remarks == "Fictional."


def test_csl_json_bare_list_has_no_envelope_date() -> None:
    plist = load_party_list(DATA / "csl-bare-list.json")
    assert [e.entry_id for e in plist.entries] == ["j1", "j2"]
    assert plist.as_of_basis is AsOfBasis.FILE_MTIME


def test_opensanctions_targets_simple_csv() -> None:
    plist = load_party_list(DATA / "opensanctions-targets.simple.csv")
    assert plist.format is ListFormat.OPENSANCTIONS_CSV
    assert plist.as_of == dt.date(2026, 8, 20)  # newest last_change
    assert plist.as_of_basis is AsOfBasis.LAST_CHANGE
    obsidian, person = plist.entries
    assert obsidian.list_name == "OpenSanctions"
    assert obsidian.entry_id == "NK-fict1"
    assert obsidian.entry_type == "Company"
    assert obsidian.aliases == ("AO Obsidian Rocket Motor Works", "Obsidian RMW")
    assert obsidian.countries == ("RU", "UA")  # "ua-cri" counts as Ukraine
    assert obsidian.programs == ("NPWMD", "EAR")
    assert obsidian.source == "US Trade Consolidated Screening List; OFAC SDN"
    assert person.aliases == ("Fictitious, Ignatius",)


def test_example_list_loads() -> None:
    plist = load_party_list(Path(__file__).parents[1] / "examples" / "parties-example.csv")
    assert len(plist) == 20
    assert all("FICTIONAL" in (e.remarks or "") for e in plist.entries)


CSL_HEADER = "_id,source,name,alt_names\n"


@pytest.mark.parametrize(
    ("content", "message", "line", "column"),
    [
        (b"", "empty", 1, 1),
        (b"\xef\xbb\xbf  \n\n", "empty", 1, 1),
        (CSL_HEADER.encode(), "no entries", 2, None),
        (b"_id,source,title\n1,EL,x\n", "no 'name' column", 1, 1),
        (b"foo,bar,name\n1,2,x\n", "neither CSL nor OpenSanctions", 1, 1),
        ((CSL_HEADER + "1,EL,,\n").encode(), "entry has no name", 2, 3),
        ((CSL_HEADER + "1,EL,A\n2,EL,B,,\n").encode(), "3 fields", 2, None),
        ((CSL_HEADER + "1,EL,Caf\xe9,\n").encode("latin-1"), "not valid UTF-8", 2, 9),
        (b'{"results": [\n  {"name": "x",}\n]}', "malformed JSON", 2, 16),
        (b'{"total": 0}', "no 'results' list", 1, 1),
        (b'{"results": []}', "no entries", 1, 1),
        (b"[]", "no entries", 1, 1),
        # a quote left open would hide every later entry inside one cell
        ((CSL_HEADER + '1,EL,"Acme 6 inch,\n2,EL,Zephyr Trading,\n').encode(),
         "quoted field that starts in this record is never closed", 2, None),
        (b"_id,source,name,name\n1,EL,A,B\n", "'name' more than once", 1, None),
    ],
    ids=["empty", "blank-with-bom", "header-only", "no-name-column", "unknown-header",
         "row-without-name", "ragged-row", "latin-1", "bad-json", "json-no-results",
         "json-empty-results", "json-empty-list", "quote-never-closed", "name-twice"],
)
def test_broken_lists_fail_loudly_with_location(
    tmp_path: Path, content: bytes, message: str, line: int, column: int | None
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(ListError, match=message) as info:
        load_party_list(path)
    location = info.value.location
    assert location is not None
    assert location.source == str(path)
    assert (location.line, location.column) == (line, column)
    assert info.value.code == "LIST"


def test_json_record_without_name_points_at_the_record(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text('{"results": [{"name": "A"}, {"name": " "}]}', encoding="utf-8")
    with pytest.raises(ListError, match="no name") as info:
        load_party_list(path)
    assert info.value.location is not None
    assert info.value.location.detail == "results[1].name"


def test_missing_file_is_a_list_error(tmp_path: Path) -> None:
    with pytest.raises(ListError, match="cannot read party list") as info:
        load_party_list(tmp_path / "absent.csv")
    assert info.value.hint


def test_header_has_surrounding_spaces_and_capitals(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(" Name , Source ,ALT_NAMES\nZephyr Ltd,EL,Zeph\n", encoding="utf-8")
    (entry,) = load_party_list(path).entries
    assert (entry.name, entry.source, entry.aliases) == ("Zephyr Ltd", "EL", ("Zeph",))
