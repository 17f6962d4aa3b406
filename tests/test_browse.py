"""`annex list`, `annex show` and `annex search` through the CLI."""

from __future__ import annotations

from tests.conftest import run_cli


def test_list_filters_by_item_and_category() -> None:
    """--item and --category filter the listing."""
    data = run_cli("annex", "list", "--item", "2", "-f", "json", expect=0).json()
    ids = [e["id"] for e in data["entries"]]
    assert ids[0] == "2.A.1"
    assert "2.E.1" in ids
    assert all(i.startswith("2.") for i in ids)
    cat2 = run_cli("annex", "list", "--category", "II", "-f", "json", expect=0).json()
    assert {e["category"] for e in cat2["entries"]} == {"II"}
    text = run_cli("annex", "list", "--item", "1", expect=0).stdout
    assert text.splitlines()[0].startswith("1.A.1")


def test_list_is_in_annex_order() -> None:
    """9.A.10-style ids sort numerically, sub-entries after their parent."""
    ids = [e["id"] for e in run_cli("annex", "list", "--item", "3", "-f", "json").json()["entries"]]
    assert ids.index("3.A.9") < ids.index("3.A.10")
    assert ids.index("3.A.1") < ids.index("3.A.1.a") < ids.index("3.A.1.a.1") < ids.index("3.A.2")


def test_show_entry_json() -> None:
    """show gives thresholds with units, parent, children and provenance."""
    d = run_cli("annex", "show", "2.A.1.c.2", "-f", "json", expect=0).json()
    assert d["parent"] == "2.A.1.c"
    assert {"parameter": "propulsion_system_total_impulse", "op": ">=", "value": 1100000.0,
            "unit": "N*s"} in d["thresholds"]
    assert d["category_ii_treatment"]["note"].startswith("liquid apogee")
    assert d["provenance"]["status"] == "equivalent"
    heading = run_cli("annex", "show", "2.A.1.c", "-f", "json", expect=0).json()
    assert heading["children"] == ["2.A.1.c.1", "2.A.1.c.2"]


def test_show_secondary_entry_says_so() -> None:
    """An entry from secondary material carries a caution in `annex show`."""
    out = run_cli("annex", "show", "2.A.1.f", expect=0).stdout
    assert "provenance: secondary" in out
    assert "confirm it against the official Annex" in out


def test_show_unknown_entry() -> None:
    """An unknown id is a one-line error with the nearest ids."""
    res = run_cli("annex", "show", "2.A.1.z", expect=2)
    assert res.stderr.startswith("Error: ID: no such entry: '2.A.1.z'")
    assert len(res.stderr.splitlines()) == 1


def test_search_gyro_puts_gyro_entries_first() -> None:
    """`annex search gyro`: the gyro entries come first."""
    res = run_cli("annex", "search", "gyro", "-f", "json", expect=0).json()["results"]
    assert res[0]["id"] == "9.A.4"
    assert all("gyro" in r["title"] or "9.A" in r["id"] for r in res[:3])
    assert "gyro" in res[0]["kinds"]


def test_search_chemical_and_test_equipment() -> None:
    """Free text finds chemicals and test equipment with the parameters to give."""
    ap = run_cli("annex", "search", "ammonium", "perchlorate", "-f", "json").json()["results"]
    assert ap[0]["id"] == "4.C.4.b"
    vib = run_cli("annex", "search", "vibration test system", "-f", "json").json()["results"]
    assert vib[0]["id"] == "15.B.1.a"
    assert vib[0]["parameters"]


def test_search_by_id_and_nothing() -> None:
    """An exact id is returned alone; nonsense gives no results."""
    assert run_cli("annex", "search", "9.A.4", "-f", "json").json()["results"][0]["id"] == "9.A.4"
    assert run_cli("annex", "search", "zzzqqq").stdout == "no matching entries\n"


def test_show_an_entry_in_another_case_suggests_the_annex_spelling() -> None:
    res = run_cli("annex", "show", "1.a.1", expect=2)
    assert res.stderr == "Error: ID: no such entry: '1.a.1' (hint: did you mean 1.A.1?)\n"
