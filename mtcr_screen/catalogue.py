"""Listings for people and machines: kinds, parameters, facts, policy rules."""

from __future__ import annotations

import json
from typing import Any

from mtcr_screen.annex.compiled import CompiledAnnex


def kinds_data(annex: CompiledAnnex, with_facts: bool = False) -> dict[str, Any]:
    """Kinds with their parameters (canonical unit, dimension, direction) and entries."""
    kinds = []
    for k in sorted(annex.kinds.values(), key=lambda k: k.name):
        kinds.append({
            "kind": k.name,
            "title": k.title,
            "aliases": list(k.aliases),
            "parameters": [
                {"name": p, "title": annex.parameters[p].title,
                 "unit": annex.parameters[p].unit,
                 "dimension": annex.parameters[p].dimension,
                 "direction": annex.parameters[p].direction}
                for p in k.parameters
            ],
            "entries": list(annex.by_kind.get(k.name, ())),
        })
    out: dict[str, Any] = {"schema_version": "1", "annex": annex.edition, "kinds": kinds}
    if with_facts:
        out["facts"] = [{"name": f.name, "title": f.title, "question": f.question}
                        for f in sorted(annex.facts.values(), key=lambda f: f.name)]
    return out


def kinds_json(annex: CompiledAnnex, with_facts: bool = False) -> str:
    """JSON listing of kinds."""
    return json.dumps(kinds_data(annex, with_facts), indent=2, ensure_ascii=False) + "\n"


def kinds_text(annex: CompiledAnnex, with_facts: bool = False) -> str:
    """Plain listing of kinds: one block per kind."""
    data = kinds_data(annex, with_facts)
    lines: list[str] = []
    for k in data["kinds"]:
        alias = f"  (also: {', '.join(k['aliases'])})" if k["aliases"] else ""
        lines.append(f"{k['kind']}: {k['title']}{alias}")
        for p in k["parameters"]:
            lines.append(f"    {p['name']} [{p['unit']}]  {p['title']}")
        if k["entries"]:
            lines.append(f"    entries: {', '.join(k['entries'])}")
    if with_facts:
        lines.append("")
        lines.append("facts (true/false; leave out when unknown):")
        for f in data["facts"]:
            lines.append(f"    {f['name']}: {f['question']}")
    return "\n".join(lines) + "\n"


def rules_data() -> list[dict[str, str]]:
    """Every rule: code, name, Guidelines paragraph, one-line summary."""
    from mtcr_screen.policy import RULES, summary

    return [{"code": m.CODE, "name": m.NAME, "paragraph": m.PARAGRAPH, "summary": summary(m)}
            for m in RULES.values()]


def rules_text() -> str:
    """``POL102  cat1-presumption-of-denial  ¶2  A Category I item ...``."""
    rows = rules_data()
    width = max(len(r["name"]) for r in rows)
    return "".join(f"{r['code']}  {r['name']:<{width}}  ¶{r['paragraph']:<5} {r['summary']}\n"
                   for r in rows)


def rules_json() -> str:
    """JSON listing of rules."""
    return json.dumps({"schema_version": "1", "rules": rules_data()}, indent=2,
                      ensure_ascii=False) + "\n"


def explain(code: str) -> str:
    """A rule's documentation (its docstring)."""
    import inspect

    from mtcr_screen.policy import get_rule

    rule = get_rule(code)
    return inspect.cleandoc(rule.__doc__ or "") + "\n"
