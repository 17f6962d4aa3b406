"""Unit tests of the three-valued logic and the criterion nodes."""

from __future__ import annotations

import itertools

import pytest

from mtcr_screen.annex.compiled import (
    NO_MISSING,
    CAll,
    CAny,
    CCapability,
    CFact,
    CNot,
    CompiledAnnex,
    CParam,
    CRelation,
    CSubstance,
    CSupports,
    Tri,
    tri_and,
    tri_or,
    within,
)
from mtcr_screen.classify import EvalContext, ItemView

VALUES: list[Tri] = [True, False, None]


def _kleene_and(a: Tri, b: Tri) -> Tri:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _kleene_or(a: Tri, b: Tri) -> Tri:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


@pytest.mark.parametrize(("a", "b"), list(itertools.product(VALUES, VALUES)))
def test_and_or_truth_tables(a: Tri, b: Tri) -> None:
    """tri_and and tri_or follow Kleene's strong three-valued logic."""
    ma = () if a is not None else ("a",)
    mb = () if b is not None else ("b",)
    assert tri_and([(a, ma), (b, mb)])[0] == _kleene_and(a, b)
    assert tri_or([(a, ma), (b, mb)])[0] == _kleene_or(a, b)


def test_missing_facts_only_when_they_matter() -> None:
    """A false part of an AND makes the unknown parts irrelevant, and so does a true OR."""
    assert tri_and([(False, NO_MISSING), (None, ("x",))]) == (False, NO_MISSING)
    assert tri_and([(True, NO_MISSING), (None, ("x",)), (None, ("y", "x"))]) == (None, ("x", "y"))
    assert tri_or([(True, NO_MISSING), (None, ("x",))]) == (True, NO_MISSING)
    assert tri_or([(False, NO_MISSING), (None, ("x",))]) == (None, ("x",))


def _view(**kw: object) -> ItemView:
    base: dict[str, object] = {"kind": "k", "params": {}, "given": {}, "facts": {},
                               "relations": {}}
    base.update(kw)
    return ItemView(**base)  # type: ignore[arg-type]


def test_param_fact_not(annex: CompiledAnnex) -> None:
    """Thresholds compare canonical values; a missing parameter or fact is unknown."""
    ctx = EvalContext(annex)
    ge = CParam("range", ">=", 300.0, None, "km", "range")
    assert ge.evaluate(_view(params={"range": 300.0}), ctx)[0] is True
    assert ge.evaluate(_view(params={"range": 299.999}), ctx)[0] is False
    assert ge.evaluate(_view(), ctx) == (None, ("range",))
    gt = CParam("x", ">", 20.0, None, "l", "x")
    assert gt.evaluate(_view(params={"x": 20.0}), ctx)[0] is False
    between = CParam("d", "between", 12.0, 50.0, "mm", "d")
    assert [between.test(v) for v in (11.99, 12.0, 50.0, 50.01)] == [False, True, True, False]
    fact = CFact("civil", True)
    assert fact.evaluate(_view(facts={"civil": True}), ctx)[0] is True
    assert fact.evaluate(_view(), ctx) == (None, ("facts.civil",))
    assert CNot(fact).evaluate(_view(facts={"civil": True}), ctx)[0] is False
    assert CNot(fact).evaluate(_view(), ctx)[0] is None
    assert CAll((ge, fact)).evaluate(_view(params={"range": 1.0}), ctx) == (False, NO_MISSING)
    assert CAny((ge, fact)).evaluate(_view(params={"range": 400.0}), ctx) == (True, NO_MISSING)


def test_relation_levels_and_containment(annex: CompiledAnnex) -> None:
    """Specially designed implies usable; statements about 1.A.1 answer for 1.A; 'not
    usable in 1.A' answers for 1.A.1."""
    ctx = EvalContext(annex)
    usable_1a = CRelation("usable", ("1.A",))
    special_1a = CRelation("specially_designed", ("1.A",))
    assert usable_1a.evaluate(_view(relations={"1.A.1": (True, True, True)}), ctx)[0] is True
    assert special_1a.evaluate(_view(relations={"1.A": (True, None, None)}), ctx)[0] is None
    assert CRelation("usable", ("1.A.1",)).evaluate(
        _view(relations={"1.A": (False, False, False)}), ctx)[0] is False
    assert usable_1a.evaluate(_view(relations={"19.A": (True, None, None)}), ctx) == (
        None, ("relations.1.A.usable",))
    assert within("2.A.1.c", "2.A")
    assert not within("2.A1", "2.A")


def test_substance_and_supports(annex: CompiledAnnex) -> None:
    """Chemicals by CAS or name; software by activity and target entries."""
    ctx = EvalContext(annex)
    hyd = CSubstance(frozenset({"302-01-2"}), frozenset({"hydrazine"}))
    assert hyd.evaluate(_view(cas="302-01-2"), ctx)[0] is True
    assert hyd.evaluate(_view(substance="Hydrazine"), ctx)[0] is True
    assert hyd.evaluate(_view(cas="7732-18-5"), ctx)[0] is False
    assert hyd.evaluate(_view(substance="water"), ctx) == (None, ("cas",))
    assert hyd.evaluate(_view(), ctx) == (None, ("cas",))
    sup = CSupports(frozenset({"use"}), ("2.A.1.c",))
    assert sup.evaluate(_view(supports_activities=frozenset({"use"}),
                              supports_targets=("2.A.1.c.1",)), ctx)[0] is True
    assert sup.evaluate(_view(supports_activities=frozenset({"use"}),
                              supports_targets=("2.A",)), ctx)[0] is None  # broader: maybe
    assert sup.evaluate(_view(supports_activities=frozenset({"production"}),
                              supports_targets=("2.A.1.c",)), ctx)[0] is False
    assert sup.evaluate(_view(), ctx) == (None, ("supports",))


@pytest.mark.parametrize(("rng", "pay", "expected"), [
    (300, 500, True), (299, 500, False), (250, 1000, None), (299, 499, False),
    # range to spare, payload short: range may be traded for payload (unless there is none)
    (1000, 300, None), (300, 300, False),
    (None, 600, None), (400, None, None), (None, 400, None), (None, None, None),
])
def test_capability_truth_table(annex: CompiledAnnex, rng: float | None, pay: float | None,
                                expected: Tri) -> None:
    """The range/payload capability with the trade-off note."""
    cap = annex.entries["1.A.1"].criteria
    assert isinstance(cap, CCapability)
    params = {k: v for k, v in (("range", rng), ("payload", pay)) if v is not None}
    assert cap.evaluate(_view(params=params), EvalContext(annex))[0] is expected
    if expected is None and pay is not None and pay < 500 and rng is not None:
        # the payload carried to 300 km settles it
        for at, settled in ((499, False), (500, True)):
            both = {**params, "payload_at_300km_range": at}
            assert cap.evaluate(_view(params=both), EvalContext(annex))[0] is settled
    # without the trade-off (1987 profile) only the declared point counts
    if rng is not None and pay is not None:
        plain = cap.evaluate(_view(params=params), EvalContext(annex, tradeoff=False))[0]
        assert plain is (rng >= 300 and pay >= 500)


def test_yaml_numbers_follow_yaml_1_2() -> None:
    """'1e6' is a number; 'e0', 'NO' and 'yes' stay text (the fuzzer found 'e0' crashing)."""
    from mtcr_screen.yamlio import load

    data, _ = load("a: 1e6\nb: e0\nc: NO\nd: yes\ne: .5e1\nf: -2E-3\n", "x.yaml")
    assert data == {"a": 1e6, "b": "e0", "c": "NO", "d": "yes", "e": 5.0, "f": -0.002}
