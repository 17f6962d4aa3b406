"""Destination lists: the shipped data, the strict loader, replace/add, and staleness."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from mtcr_screen.countries import is_code
from mtcr_screen.destinations import (
    DestinationLists,
    default_lists,
    load_lists,
    shipped_lists_dir,
)
from mtcr_screen.engine import Engine
from mtcr_screen.errors import ListError, UsageError

REFERENCE_PARTNERS = (
    "AR,AU,AT,BE,BR,BG,CA,CZ,DK,FI,FR,DE,GR,HU,IS,IN,IE,IT,JP,LU,NL,NZ,NO,PL,PT,KR,RU,ZA,ES,SE,"
    "CH,TR,UA,GB,US"
)
REFERENCE_D4 = "AE,BH,BY,CN,EG,IL,IQ,IR,JO,KP,KW,LB,LY,MO,OM,PK,QA,RU,SA,SY,VE,YE"

TODAY = dt.date(2026, 11, 27)

GOOD = """\
id: my-concern
title: My concern list
effect: concern
source: internal memo 42
as_of: 2026-01-15
confidence: confirmed
members:
  - {code: SA, note: as the memo says}
  - {code: AE}
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def loc(exc: pytest.ExceptionInfo[ListError]) -> tuple[str, int | None]:
    assert exc.value.location is not None
    return Path(exc.value.location.source).name, exc.value.location.line


# --------------------------------------------------------------------------- shipped data


def test_shipped_inventory() -> None:
    lists = {dl.id: dl for dl in load_lists(today=TODAY).lists}
    assert set(lists) == {
        "mtcr-partners", "mtcr-adherents", "us-ear-d1", "us-ear-d2", "us-ear-d3", "us-ear-d4",
        "us-ear-d5", "us-ear-e1", "us-ear-e2", "un-sc-missile-measures", "un-sc-arms-embargoes",
        "un-sc-arms-embargoes-targeted", "eu-arms-embargoes", "eu-arms-embargoes-targeted",
    }
    effects = {k: v.effect for k, v in lists.items()}
    assert effects["mtcr-partners"] == "partner"
    assert effects["mtcr-adherents"] == "adherent"
    assert effects["us-ear-d4"] == "concern"
    assert effects["us-ear-e1"] == effects["us-ear-e2"] == "embargo"
    assert effects["un-sc-missile-measures"] == "un_missile_measure"
    assert effects["un-sc-arms-embargoes"] == effects["eu-arms-embargoes"] == "arms_embargo"
    assert effects["un-sc-arms-embargoes-targeted"] == "arms_embargo_targeted"
    assert effects["eu-arms-embargoes-targeted"] == "arms_embargo_targeted"
    assert {effects[f"us-ear-d{n}"] for n in (1, 2, 3, 5)} == {"context"}
    # the reference says the EU list is unconfirmed: it must say so
    assert lists["eu-arms-embargoes"].confidence == "unverified"
    assert lists["eu-arms-embargoes-targeted"].confidence == "unverified"


def test_partners_match_the_reference() -> None:
    partners = next(d for d in load_lists(today=TODAY).lists if d.id == "mtcr-partners")
    assert sorted(partners.members) == sorted(REFERENCE_PARTNERS.split(","))
    assert len(partners.members) == 35
    assert "[verify" in (partners.members["PL"].note or "")


def test_d4_matches_the_reference_plus_hong_kong() -> None:
    d4 = next(d for d in load_lists(today=TODAY).lists if d.id == "us-ear-d4")
    assert sorted(d4.members) == sorted([*REFERENCE_D4.split(","), "HK"])
    assert d4.as_of == dt.date(2026, 7, 8)
    assert "CN" in (d4.members["HK"].note or "")


def test_un_missile_measures_cover_dprk_and_iran_snapback() -> None:
    un = next(d for d in load_lists(today=TODAY).lists if d.id == "un-sc-missile-measures")
    assert set(un.members) == {"KP", "IR"}
    assert un.members["IR"].since == "2025-09-27"
    assert "1737" in (un.members["IR"].note or "")


def test_targeted_embargoes_are_not_territorial() -> None:
    lists = {dl.id: dl for dl in load_lists(today=TODAY).lists}
    targeted = set(lists["un-sc-arms-embargoes-targeted"].members)
    territorial = set(lists["un-sc-arms-embargoes"].members)
    assert targeted == {"SO", "CF", "CD", "SD", "YE", "IQ", "LB", "HT"}
    assert territorial == {"LY", "SS"}  # the reference: SS = territorial
    assert not targeted & set(lists["eu-arms-embargoes"].members) - {"SD"}


def test_every_shipped_list_is_cited_and_dated() -> None:
    for dl in load_lists(today=TODAY).lists:
        assert dl.source, dl.id
        assert dl.source_urls, dl.id
        assert dl.confidence in ("confirmed", "partly_verified", "unverified")
        assert dl.members
        assert all(is_code(c) for c in dl.members)
        assert dl.shipped
        assert len(dl.sha256) == 64
        # a [verify] flag in the data must lower the confidence
        flagged = any("[verify" in (m.note or "") for m in dl.members.values()) or any(
            "[verify" in n for n in dl.notes)
        if flagged:
            assert dl.confidence != "confirmed", dl.id


def test_every_shipped_file_has_its_id_as_name() -> None:
    for f in shipped_lists_dir().glob("*.yaml"):
        assert re.search(rf"^id: {re.escape(f.stem)}$", f.read_text(encoding="utf-8"), re.M), f


# --------------------------------------------------------------------------- checks and hits


def test_check_and_cite() -> None:
    lists = load_lists(today=TODAY)
    hits = {h.list_id: h for h in lists.check("SA")}
    assert set(hits) == {"us-ear-d4", "us-ear-d3"}
    cite = hits["us-ear-d4"].cite()
    assert "US EAR Country Group D:4" in cite
    assert "as of 2026-07-08" in cite
    assert "source: 15 CFR Part 740" in cite
    assert "partly verified" in cite
    assert lists.check(None) == ()
    assert lists.check("XK") == ()


def test_lapsed_member_is_still_listed_and_says_so() -> None:
    lists = load_lists(today=TODAY)
    ss = next(h for h in lists.check("SS") if h.list_id == "un-sc-arms-embargoes")
    assert ss.lapsed
    assert ss.until == dt.date(2026, 5, 31)
    assert "has passed: verify its renewal (still treated as listed)" in ss.cite()
    before = load_lists(today=dt.date(2026, 1, 1))
    assert not next(h for h in before.check("SS") if h.list_id == "un-sc-arms-embargoes").lapsed


def test_no_lists_loaded_is_an_error_not_no_match() -> None:
    empty = DestinationLists(())
    assert empty.check(None) == ()
    with pytest.raises(ListError, match="no destination lists are loaded"):
        empty.check("IR")


def test_engine_default_is_the_shipped_lists(annex: object) -> None:
    engine = Engine(annex)  # type: ignore[arg-type]
    assert engine.lists is default_lists()
    assert {d.id for d in engine.lists.lists} >= {"us-ear-d4", "mtcr-partners"}


def test_consulted_record_names_every_list() -> None:
    lists = load_lists(today=TODAY, max_age_days=365)
    rows = {r["id"]: r for r in lists.consulted()}
    assert len(rows) == len(lists.lists)
    d4 = rows["us-ear-d4"]
    assert d4["as_of"] == "2026-07-08"
    assert d4["confidence"] == "partly_verified"
    assert d4["effect"] == "concern"
    assert d4["origin"] == "shipped"
    assert d4["members"] == "23"
    assert "warning" not in d4
    assert rows["eu-arms-embargoes"]["warning"].endswith("over the 365-day limit")


# --------------------------------------------------------------------------- staleness


def test_stale_list_warns_with_fixed_today(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    fresh = load_lists([tmp_path], today=dt.date(2026, 6, 1), max_age_days=365)
    assert fresh.warnings == ()
    stale = load_lists([tmp_path], today=dt.date(2027, 1, 16), max_age_days=365)
    assert stale.warnings == (
        "destination list my-concern is 366 days old (as of 2026-01-15; limit 365 days): "
        "check it against its source",)
    # exactly at the limit: not yet stale
    assert load_lists([tmp_path], today=dt.date(2027, 1, 15), max_age_days=365).warnings == ()
    assert load_lists([tmp_path], today=dt.date(2027, 1, 16), max_age_days=400).warnings == ()


def test_future_as_of_warns(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    lists = load_lists([tmp_path], today=dt.date(2025, 12, 31))
    assert lists.warnings == ("destination list my-concern is dated 2026-01-15, after today "
                              "(2025-12-31): check its as_of date",)


def test_max_age_and_today_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.yaml", GOOD)
    monkeypatch.setenv("MTCR_SCREEN_TODAY", "2026-03-01")
    monkeypatch.setenv("MTCR_SCREEN_LIST_MAX_AGE_DAYS", "30")
    lists = load_lists([tmp_path])
    assert lists.today == dt.date(2026, 3, 1)
    assert lists.max_age_days == 30
    assert len(lists.warnings) == 1
    monkeypatch.setenv("MTCR_SCREEN_LIST_MAX_AGE_DAYS", "a year")
    with pytest.raises(UsageError, match="not a whole number of days"):
        load_lists([tmp_path])
    monkeypatch.setenv("MTCR_SCREEN_LIST_MAX_AGE_DAYS", "-1")
    with pytest.raises(UsageError, match="0 or more"):
        load_lists([tmp_path])
    monkeypatch.delenv("MTCR_SCREEN_LIST_MAX_AGE_DAYS")
    monkeypatch.setenv("MTCR_SCREEN_TODAY", "yesterday")
    with pytest.raises(UsageError, match="MTCR_SCREEN_TODAY"):
        load_lists([tmp_path])


# --------------------------------------------------------------------------- replace and add


def test_lists_replace_the_shipped_ones(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    lists = load_lists([tmp_path], today=TODAY)
    assert [d.id for d in lists.lists] == ["my-concern"]
    assert not lists.lists[0].shipped
    assert lists.consulted()[0]["origin"] == str(tmp_path / "a.yaml")


def test_add_lists_to_the_shipped_ones(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    lists = load_lists(add=[tmp_path], today=TODAY)
    ids = [d.id for d in lists.lists]
    assert "my-concern" in ids
    assert "us-ear-d4" in ids
    assert {h.list_id for h in lists.check("AE")} >= {"my-concern", "us-ear-d4"}


def test_replace_true_replaces_a_shipped_list(tmp_path: Path) -> None:
    write(tmp_path, "d5.yaml", """\
        id: us-ear-d5
        title: US EAR Country Group D:5 (as an arms embargo)
        effect: arms_embargo
        source: our reading of ITAR 126.1
        as_of: 2026-10-01
        confidence: confirmed
        replace: true
        members:
          - {code: CN}
        """)
    lists = load_lists(add=[tmp_path], today=TODAY)
    d5 = [d for d in lists.lists if d.id == "us-ear-d5"]
    assert len(d5) == 1
    assert d5[0].effect == "arms_embargo"
    assert list(d5[0].members) == ["CN"]


def test_duplicate_id_without_replace_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "d4.yaml", GOOD.replace("my-concern", "us-ear-d4"))
    with pytest.raises(ListError, match="duplicate list id 'us-ear-d4'") as exc:
        load_lists(add=[tmp_path], today=TODAY)
    assert loc(exc) == ("d4.yaml", 1)
    assert "replace: true" in (exc.value.hint or "")


def test_duplicate_id_in_two_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(ListError, match=r"duplicate list id 'my-concern' \(also in .*a.yaml\)") \
            as exc:
        load_lists([tmp_path], today=TODAY)
    assert loc(exc) == ("b.yaml", 1)


def test_replace_true_without_an_earlier_list_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD.replace("confidence: confirmed\n",
                                           "confidence: confirmed\nreplace: true\n"))
    with pytest.raises(ListError, match="no earlier list has id 'my-concern'") as exc:
        load_lists([tmp_path], today=TODAY)
    assert loc(exc) == ("a.yaml", 7)


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(("text", "message", "line"), [
    (GOOD.replace("{code: AE}", "{code: ZZ}"), "not an ISO 3166-1 alpha-2 country code: 'ZZ'", 9),
    (GOOD.replace("{code: AE}", "{code: ae}"), "not an ISO 3166-1 alpha-2 country code", 9),
    (GOOD.replace("{code: AE}", "{code: Iran}"), "not an ISO 3166-1 alpha-2 country code", 9),
    (GOOD.replace("as_of: 2026-01-15\n", ""), "as_of: Field required", 1),
    (GOOD.replace("as_of: 2026-01-15", "as_of: last spring"), "as_of", 5),
    (GOOD.replace("confidence: confirmed\n", ""), "confidence: Field required", 1),
    (GOOD.replace("effect: concern", "effect: deny"), "effect", 3),
    (GOOD.replace("{code: AE}", "{code: SA}"), "duplicate member SA (first given on line 8)", 9),
    (GOOD.split("members:")[0] + "members: []\n", "at least one member", 7),
    (GOOD.replace("title: My concern list", "title: My concern list\ncolour: red"),
     "colour: unknown field", 3),
    (GOOD.replace("{code: AE}", "{code: AE, notes: x}"), "unknown field", 9),
    (GOOD.replace("id: my-concern", "id: My List"), "id", 1),
    (GOOD + "members: []\n", "duplicate key 'members'", 10),
    ("", "empty list file", None),
    ("- just\n- a list\n", "a destination list is a mapping", 1),
    ("id: [unclosed\n", "malformed YAML", 2),
])
def test_bad_list_file_is_a_located_error(tmp_path: Path, text: str, message: str,
                                          line: int | None) -> None:
    write(tmp_path, "bad.yaml", text)
    with pytest.raises(ListError) as exc:
        load_lists([tmp_path], today=TODAY)
    assert message in exc.value.message, exc.value.one_line()
    assert loc(exc) == ("bad.yaml", line), exc.value.one_line()
    assert exc.value.one_line().startswith(str(tmp_path / "bad.yaml"))


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()  # unreadable as a file, whoever runs the tests
    with pytest.raises(ListError, match="cannot read") as exc:
        load_lists([tmp_path], today=TODAY)
    assert loc(exc) == ("dir.yaml", None)


def test_not_utf8_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(GOOD.encode("utf-8").replace(b"memo", b"m\xe9mo"))
    with pytest.raises(ListError, match="not UTF-8"):
        load_lists([tmp_path], today=TODAY)


def test_empty_or_missing_folder_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "readme.txt", "not a list")
    with pytest.raises(ListError, match=r"no \*.yaml destination lists"):
        load_lists([tmp_path], today=TODAY)
    with pytest.raises(ListError, match="no such lists folder"):
        load_lists([tmp_path / "nope"], today=TODAY)
    with pytest.raises(ListError, match="no such lists folder"):
        load_lists(add=[tmp_path / "nope"], today=TODAY)


def test_kosovo_and_yml_extension_accepted(tmp_path: Path) -> None:
    write(tmp_path, "k.yml", GOOD.replace("{code: AE}", "{code: XK}"))
    lists = load_lists([tmp_path], today=TODAY)
    assert [h.list_id for h in lists.check("XK")] == ["my-concern"]
