"""A guided interview: ask, one at a time, only for the facts that can change the result.

The questions come from the unknowns of the three-valued evaluation: after each answer
the item is screened again, and the next question is the first fact still missing. The
interview stops as soon as the result is settled (nothing missing), or when every
remaining question was answered "unknown".
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mtcr_screen.annex.compiled import CompiledAnnex
from mtcr_screen.decision import Decision
from mtcr_screen.errors import MtcrScreenError
from mtcr_screen.specdata import ACTIVITIES

UNKNOWN = frozenset({"", "?", "unknown", "skip", "dont know", "don't know", "n/a"})
YES = frozenset({"y", "yes", "true", "1"})
NO = frozenset({"n", "no", "false", "0"})


@dataclass(frozen=True, slots=True)
class Question:
    """One question for one missing fact of one item."""

    item: int
    key: str  # the missing-fact key: payload, facts.x, relations.1.A.usable, cas, supports
    text: str
    kind: str  # quantity | yes_no | text | list


def question_for(key: str, item: int, annex: CompiledAnnex) -> Question:
    """The question that settles a missing-fact key."""
    if key in annex.parameters:
        p = annex.parameters[key]
        return Question(item, key, f"{p.title}? (with its unit, e.g. 10 {p.unit})", "quantity")
    if key.startswith("facts."):
        f = annex.facts.get(key[6:])
        text = f.question if f else key
        return Question(item, key, f"{text} (yes/no/unknown)", "yes_no")
    if key.startswith("relations."):
        target, level = key[len("relations."):].rsplit(".", 1)
        words = {"usable": "usable in", "designed_or_modified": "designed or modified for",
                 "specially_designed": "specially designed for"}[level]
        return Question(item, key, f"Is the item {words} the systems or items of {target}? "
                                   "(yes/no/unknown)", "yes_no")
    if key == "cas":
        return Question(item, key, "CAS number of the chemical (e.g. 302-01-2), or its name?",
                        "text")
    if key in ("supports", "supports.activities"):
        return Question(item, "supports.activities",
                        "For which activities is the software or technology: development, "
                        "production, use? (comma-separated)", "list")
    if key == "supports.targets":
        return Question(item, key, "For which Annex entries (e.g. 2.A.1.c, 9.A)? "
                                   "(comma-separated)", "list")
    return Question(item, key, f"{key}?", "text")


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = data.get("items", [data])
    return items


def apply_answer(data: dict[str, Any], q: Question, answer: str, annex: CompiledAnnex) -> None:
    """Write one answer into the spec data; ValueError with a message when it is unusable."""
    item = _items(data)[q.item]
    a = answer.strip()
    if q.kind == "quantity":
        from mtcr_screen.units import parse_quantity

        p = annex.parameters[q.key]
        try:
            parse_quantity(a, unit=p.unit, dimension=p.dimension, name=q.key,
                           allow_negative=p.allow_negative)
        except MtcrScreenError as exc:
            raise ValueError(exc.one_line()) from None
        item.setdefault("parameters", {})[q.key] = a
        return
    if q.kind == "yes_no":
        low = a.lower()
        if low not in YES | NO:
            raise ValueError("answer yes, no or unknown")
        value = low in YES
        if q.key.startswith("facts."):
            item.setdefault("facts", {})[q.key[6:]] = value
        else:
            target, level = q.key[len("relations."):].rsplit(".", 1)
            rel = item.setdefault("relations", {})
            current = rel.get(target)
            levels: dict[str, bool] = current if isinstance(current, dict) else {}
            if isinstance(current, str):
                from mtcr_screen.specdata import levels as level_tuple

                u, d, s = level_tuple(current)
                levels = {k: v for k, v in (("usable", u), ("designed_or_modified", d),
                                            ("specially_designed", s)) if v is not None}
            levels[level] = value
            rel[target] = levels
        return
    if q.key == "cas":
        if any(ch.isdigit() for ch in a) and "-" in a:
            item["cas"] = a
        else:
            item["substance"] = a
        return
    if q.key == "supports.activities":
        acts = [x.strip().lower() for x in a.split(",") if x.strip()]
        bad = [x for x in acts if x not in ACTIVITIES]
        if bad or not acts:
            raise ValueError("name one or more of: " + ", ".join(ACTIVITIES))
        item.setdefault("supports", {})["activities"] = acts
        return
    if q.key == "supports.targets":
        from mtcr_screen.specdata import check_target

        targets = [x.strip() for x in a.split(",") if x.strip()]
        for t in targets:
            check_target(t)
        if not targets:
            raise ValueError("name at least one Annex entry, e.g. 2.A.1.c")
        item.setdefault("supports", {})["targets"] = targets
        return
    item[q.key] = a


@dataclass(frozen=True, slots=True)
class InterviewResult:
    """The completed spec, the final decision and the questions asked."""

    data: dict[str, Any]
    decision: Decision
    asked: tuple[tuple[Question, str], ...]
    settled: bool


def run_interview(data: dict[str, Any], screen: Callable[[dict[str, Any]], Decision],
                  annex: CompiledAnnex, ask: Callable[[Question], str],
                  say: Callable[[str], None], max_questions: int = 100) -> InterviewResult:
    """Ask until the decision has no missing fact (or only unknown answers are left)."""
    data = copy.deepcopy(data)
    asked: list[tuple[Question, str]] = []
    skipped: set[tuple[int, str]] = set()
    decision = screen(data)
    while len(asked) < max_questions:
        pending = [(it.index, key) for it in decision.items for key in it.missing
                   if (it.index, key) not in skipped]
        if not pending:
            break
        index, key = pending[0]
        if key == "supports":
            key = "supports.activities" if "activities" not in _items(data)[index].get(
                "supports", {}) else "supports.targets"
        q = question_for(key, index, annex)
        for _attempt in range(3):
            answer = ask(q)
            if answer.strip().lower() in UNKNOWN:
                skipped.add((index, key))
                if key.startswith("supports"):
                    skipped.add((index, "supports"))
                asked.append((q, "unknown"))
                break
            try:
                apply_answer(data, q, answer, annex)
            except ValueError as exc:
                say(f"  {exc}")
                continue
            asked.append((q, answer.strip()))
            break
        else:
            skipped.add((index, key))
        decision = screen(data)
    settled = not any(it.missing for it in decision.items)
    return InterviewResult(data, decision, tuple(asked), settled)
