"""Each rule's ``READS`` covers every context path its source reads, and the rule memo
(:mod:`mtcr_screen.policy.memo`) gives exactly the reasons a fresh run gives."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.engine import Engine
from mtcr_screen.policy import RULES, run_rules
from mtcr_screen.policy.base import RuleContext
from mtcr_screen.policy.memo import RuleMemo, component
from mtcr_screen.spec import transfer_from_data
from tests.test_cases import CASES


def _chain(node: ast.Name, parents: dict[ast.AST, ast.AST]) -> tuple[str, ast.AST]:
    """``ctx.a.b`` -> ("a.b", the outermost attribute node)."""
    names: list[str] = []
    top: ast.AST = node
    while isinstance(parents.get(top), ast.Attribute):
        top = parents[top]
        assert isinstance(top, ast.Attribute)
        names.append(top.attr)
    return ".".join(names), top


def context_reads(module: ModuleType) -> set[str]:
    """Every ``ctx.`` path the module's source reads; AssertionError where ``ctx`` escapes
    (passed to a function of another module, stored, returned)."""
    tree = ast.parse(inspect.getsource(module))
    parents = {child: parent for parent in ast.walk(tree)
               for child in ast.iter_child_nodes(parent)}
    local = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == "ctx"):
            continue
        path, top = _chain(node, parents)
        if path:
            found.add(path)
            continue
        call = parents.get(top)
        local_call = isinstance(call, ast.Call) and top in call.args and \
            isinstance(call.func, ast.Name) and call.func.id in local
        assert local_call, (
            f"{module.__name__}: line {node.lineno}: ctx is used whole; pass it only to a "
            "function of the same module, read its fields otherwise")
    return found


def covered(path: str, reads: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r + ".") for r in reads)


@pytest.mark.parametrize("code", list(RULES))
def test_reads_cover_the_source(code: str) -> None:
    rule = RULES[code]
    reads = rule.READS
    for path in reads:
        component(path)  # a known path
    used = context_reads(rule)
    missing = sorted(p for p in used if not covered(p, reads))
    assert not missing, f"{code} reads {missing} but READS declares only {reads}"


def test_the_check_sees_undeclared_and_escaping_reads(tmp_path: Path) -> None:
    """The source check catches what it is for (a rule written to break it)."""
    import importlib.util
    import sys

    src = tmp_path / "fake_rule.py"
    src.write_text(
        "from helper import other\n"
        "def _inner(ctx):\n    return ctx.transfer.end_user\n"
        "def evaluate(ctx):\n    res = ctx.result\n    _inner(ctx)\n"
        "    return [res.category, ctx.destination_hits[0]]\n"
        "def leak(ctx):\n    return other(ctx)\n")
    spec = importlib.util.spec_from_file_location("fake_rule", src)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["helper"] = ModuleType("helper")
    sys.modules["helper"].other = lambda c: c  # type: ignore[attr-defined]
    try:
        spec.loader.exec_module(module)
        with pytest.raises(AssertionError, match="used whole"):
            context_reads(module)
        src.write_text(src.read_text().replace("return other(ctx)", "return other(1)"))
        spec.loader.exec_module(module)
        assert context_reads(module) == {"transfer.end_user", "result", "destination_hits"}
    finally:
        del sys.modules["helper"]
    assert not covered("transfer.end_user", ("transfer.destination",))
    assert covered("result.category", ("result",))


def test_unknown_paths_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown context path"):
        component("transfers.destination")
    assert component("extra") is None
    assert component("transfer") is None
    assert component("transfer.items") is None
    assert component("profile.catch_all") == ""
    assert component("destination_hits") == "transfer.destination"
    assert component("result.matches") == "result"


def _contexts(annex: CompiledAnnex) -> list[RuleContext]:
    """Contexts for every screening case, classified once per distinct item spec (so
    items repeat as objects, as in a batch), with each case's transfer also sent to
    several other destinations and end uses."""
    engine = Engine(annex)
    seen: dict[str, Any] = {}
    out: list[RuleContext] = []
    variants = [{}, {"destination": "IR"}, {"destination": "FR"}, {"destination": "SA"},
                {"destination": "AF", "end_user": "Ministry of Defence"},
                {"end_use": "space launch", "red_flags": ["missile_end_use"]},
                {"red_flags": ["wmd_delivery_suspected"]}, {"destination": None}]
    for _, data, _ in CASES:
        for extra in variants:
            try:
                transfer = transfer_from_data({**data, **extra}, "<case>")
            except Exception:  # a case built to fail validation
                continue
            for index, item in enumerate(transfer.items):
                key = item.model_dump_json() if hasattr(item, "model_dump_json") else repr(item)
                if key not in seen:
                    try:
                        seen[key] = engine.classify_item(item, ("items", index))
                    except Exception:  # a case built to be rejected
                        seen[key] = None
                if seen[key] is None:
                    continue
                view, result = seen[key]
                out.append(RuleContext(index, item, view, result, transfer, annex,
                                       engine.lists.check(transfer.destination),
                                       engine.profile, {}))
    return out


def test_memo_gives_what_a_fresh_run_gives(annex: CompiledAnnex) -> None:
    contexts = _contexts(annex)
    assert len(contexts) > 500
    memo = RuleMemo(RULES)
    fresh = [run_rules(c) for c in contexts]
    for _ in range(2):  # first pass fills the memo, second hits it
        assert [memo.run(c) for c in contexts] == fresh
    small = RuleMemo(RULES, size=7)  # starts again often
    assert [small.run(c) for c in contexts] == fresh
