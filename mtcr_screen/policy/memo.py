"""Rule results remembered by what each rule reads.

A batch screens many transfers that differ in a few fields: the same item to many
destinations, many items to one destination. Each rule module declares ``READS``, the
paths of its :class:`~mtcr_screen.policy.base.RuleContext` it reads (``result``,
``transfer.destination``...). A rule's reasons are a function of those values alone, so
one evaluation serves every later context with the same values, even when the
transfers differ elsewhere. ``tests/test_policy_reads.py`` checks each declaration
against the rule's source (every ``ctx.`` path it uses must be declared) and checks that
remembered results equal fresh ones.

How a path is keyed, within one engine (one Annex, one set of lists, one profile):

* ``result.category``, ``item.kind``, ``index`` and the transfer's scalar fields
  (``transfer.destination``, ``end_use``, ``end_user``, ``consignee``, ``reference``):
  their value;
* ``transfer.red_flags`` and ``transfer.intermediaries``: their values, as a tuple;
* ``destination_hits``: the destination (the engine derives the hits from the
  destination and its lists);
* ``result``, ``item``, ``spec`` and their other sub-paths: the object, by identity (the
  batch's classification memo hands identical items the same objects); each is kept
  alive while remembered, so its id cannot be reused by another object;
* ``annex``, ``profile`` and its sub-paths: nothing (fixed for the engine);
* anything else (``extra``, which holds the party checks, or the whole ``transfer``): the
  rule is not remembered and runs every time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter, itemgetter
from types import ModuleType
from typing import Any

from mtcr_screen.decision import Reason
from mtcr_screen.policy.base import RuleContext

VALUES = frozenset({"result.category", "item.kind", "index", "transfer.destination",
                    "transfer.end_use", "transfer.end_user", "transfer.consignee",
                    "transfer.reference"})
SEQUENCES = frozenset({"transfer.red_flags", "transfer.intermediaries"})
DERIVED = {"destination_hits": "transfer.destination"}
IDENTITY_ROOTS = frozenset({"result", "item", "spec"})
CONSTANT_ROOTS = frozenset({"annex", "profile"})
#: the context's fields (a declared path must start with one)
ROOTS = frozenset({"index", "spec", "item", "result", "transfer", "annex",
                   "destination_hits", "profile", "extra"})

#: remembered rule results before the memo starts again (each is a few hundred bytes)
MEMO_SIZE = 50_000
#: objects kept alive for identity keys before the memo starts again (a classification
#: holds every entry's evaluation: several KB)
ALIVE_SIZE = 2_048


def component(path: str) -> str | None:
    """The key component a declared path is remembered by ("" when it needs none), or
    None when a rule reading it cannot be remembered. ValueError for an unknown path."""
    root = path.split(".")[0]
    if root not in ROOTS:
        raise ValueError(f"unknown context path {path!r} (the context has "
                         f"{', '.join(sorted(ROOTS))})")
    if path in VALUES or path in SEQUENCES:
        return path
    if path in DERIVED:
        return DERIVED[path]
    if root in IDENTITY_ROOTS:
        return root
    if root in CONSTANT_ROOTS:
        return ""
    return None


def _getter(name: str) -> Callable[[RuleContext], Any]:
    get = attrgetter(name)
    if name in SEQUENCES:
        return lambda ctx: tuple(get(ctx))
    if name in IDENTITY_ROOTS:
        return lambda ctx: id(get(ctx))
    return get


class RuleMemo:
    """Runs the rules like :func:`~mtcr_screen.policy.run_rules`, remembering each rule's
    reasons by the values it reads. One memo serves one engine."""

    def __init__(self, rules: Mapping[str, ModuleType], size: int = MEMO_SIZE,
                 alive: int = ALIVE_SIZE) -> None:
        names: list[str] = []
        plan: list[tuple[str, ModuleType, Callable[[Sequence[Any]], Any] | None]] = []
        for code, rule in rules.items():
            parts = [component(p) for p in rule.READS]
            if None in parts:
                plan.append((code, rule, None))
                continue
            wanted = sorted({p for p in parts if p})
            for p in wanted:
                if p not in names:
                    names.append(p)
            idx = [names.index(p) for p in wanted]
            select: Callable[[Sequence[Any]], Any] = (
                (lambda vec: ()) if not idx else itemgetter(*idx))
            plan.append((code, rule, select))
        self._getters = tuple(_getter(n) for n in names)
        self._identity_names = tuple(n for n in names if n in IDENTITY_ROOTS)
        self._plan = tuple(plan)
        self._memo: dict[tuple[str, Any], tuple[Reason, ...]] = {}
        self._alive: dict[int, object] = {}
        self._size = size
        self._alive_size = alive

    def run(self, ctx: RuleContext) -> list[Reason]:
        """Every rule's reasons for one item, in registry order (as ``run_rules``)."""
        vec = [g(ctx) for g in self._getters]
        memo = self._memo
        out: list[Reason] = []
        for code, rule, select in self._plan:
            if select is None:
                out.extend(rule.evaluate(ctx))
                continue
            key = (code, select(vec))
            got = memo.get(key)
            if got is None:
                got = tuple(rule.evaluate(ctx))
                if len(memo) >= self._size or len(self._alive) >= self._alive_size:
                    memo.clear()
                    self._alive.clear()
                memo[key] = got
                for name in self._identity_names:
                    obj = getattr(ctx, name)
                    self._alive[id(obj)] = obj
            out.extend(got)
        return out
