"""Browsing the Annex: list entries, show one, and search them by free text.

``search`` ranks entries for a description such as "ring laser gyro" or "ammonium
perchlorate", so that an officer who does not know the kind can find the candidate
entries and the parameters to give.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from mtcr_screen.annex.compiled import (
    CAll,
    CAny,
    CCapability,
    CEntry,
    CFact,
    CKind,
    CNot,
    CompiledAnnex,
    CompiledEntry,
    CParam,
    CRelation,
    CSubstance,
    CSupports,
    Node,
    thresholds,
)
from mtcr_screen.errors import UsageError

_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def _item_no(eid: str) -> int:
    return int(eid.split(".", 1)[0])


def entry_sort_key(eid: str) -> tuple[Any, ...]:
    """Annex order: 2.A.1.c.2 before 2.A.1.d, 9.A.10 after 9.A.9."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in eid.split("."))


def list_entries(annex: CompiledAnnex, *, item: int | None = None,
                 category: str | None = None) -> list[CompiledEntry]:
    """Entries in Annex order, filtered by Item number and category."""
    out = [e for e in annex.entries.values()
           if (item is None or _item_no(e.id) == item)
           and (category is None or e.category == category)]
    return sorted(out, key=lambda e: entry_sort_key(e.id))


def entry_dict(e: CompiledEntry, annex: CompiledAnnex) -> dict[str, Any]:
    """One entry's JSON form."""
    return {
        "id": e.id,
        "category": e.category,
        "title": e.title,
        "role": e.role,
        "type": e.type,
        "parent": e.parent,
        "children": children(annex, e.id),
        "kinds": sorted(e.kinds),
        "item": _item_no(e.id),
        "item_title": e.item_title,
        "scope": e.scope,
        "criteria": describe(e.criteria) if e.criteria else None,
        "thresholds": [_threshold(c) for c in thresholds(e.criteria)],
        "exclusions": [{"id": x.id, "note": x.note, "when": describe(x.when)}
                       for x in e.exclusions],
        "category_ii_treatment": None if e.treatment is None else {
            "when": describe(e.treatment[0]), "note": e.treatment[1]},
        "superseded_by": list(e.superseded_by),
        "notes": list(e.notes),
        "cross_references": list(e.cross_references),
        "provenance": {"status": e.provenance_status, "basis": e.provenance_basis,
                       "sources": list(e.sources), "label_inferred": e.label_inferred,
                       "secondary": e.secondary},
        "incomplete": e.incomplete,
    }


def list_json(entries: list[CompiledEntry], annex: CompiledAnnex) -> str:
    """``annex list --format json``."""
    return json.dumps({"schema_version": "1", "annex": annex.edition,
                       "entries": [{"id": e.id, "category": e.category, "title": e.title,
                                    "role": e.role, "type": e.type, "kinds": sorted(e.kinds),
                                    "provenance": e.provenance_status}
                                   for e in entries]}, indent=2, ensure_ascii=False) + "\n"


def list_text(entries: list[CompiledEntry]) -> str:
    """``annex list``: one line per entry, indented by depth."""
    lines = []
    for e in entries:
        depth = e.id.count(".") - 2
        flag = "" if not e.secondary else "  [secondary]"
        role = "" if e.role == "item" else f" ({e.role})"
        lines.append(f"{'  ' * max(depth, 0)}{e.id:<14} {e.category:<3} {e.title}{role}{flag}")
    return "\n".join(lines) + "\n"


def children(annex: CompiledAnnex, eid: str) -> list[str]:
    """Direct sub-entries."""
    return sorted((e.id for e in annex.entries.values() if e.parent == eid), key=entry_sort_key)


def get_entry(annex: CompiledAnnex, eid: str) -> CompiledEntry:
    """An entry by id, or UsageError with the nearest ids."""
    if eid in annex.entries:
        return annex.entries[eid]
    import difflib

    # the Annex writes 1.A.1 and 2.A.1.c: a different case is the likeliest slip
    near = [i for i in annex.entries if i.lower() == eid.strip().lower()] or \
        difflib.get_close_matches(eid, list(annex.entries), n=3, cutoff=0.6)
    raise UsageError(f"no such entry: {eid!r}", location="ID",
                     hint=("did you mean " + " or ".join(near) + "?") if near
                     else "see `mtcr-screen annex list`")


def _threshold(c: CParam) -> dict[str, Any]:
    from mtcr_screen.annex.diff import threshold_json

    return {"parameter": c.param, **threshold_json(c)}


def describe(node: Node | None, indent: int = 0) -> str:
    """A readable, multi-line rendering of a criterion tree."""
    if node is None:
        return ""
    pad = "  " * indent
    if isinstance(node, CAll | CAny):
        word = "all of" if isinstance(node, CAll) else "any of"
        return pad + word + ":\n" + "\n".join(describe(p, indent + 1) for p in node.parts)
    if isinstance(node, CNot):
        return pad + "not:\n" + describe(node.part, indent + 1)
    if isinstance(node, CParam | CFact | CRelation | CSubstance | CEntry | CKind | CCapability
                  | CSupports):
        text = node.describe()
        if isinstance(node, CParam) and node.op in _SYMBOL:
            text = text.replace(f" {node.op} ", f" {_SYMBOL[node.op]} ", 1)
        if isinstance(node, CFact):
            text = f"fact {text}"
        return pad + text
    return pad + repr(node)  # pragma: no cover


def show_text(e: CompiledEntry, annex: CompiledAnnex) -> str:
    """``annex show ID``: everything about one entry."""
    kids = children(annex, e.id)
    lines = [f"{e.id}  Category {e.category}  {e.title}",
             f"Item {_item_no(e.id)}: {e.item_title}"]
    lines.append(f"role: {e.role}" + (f", type: {e.type}" if e.type else ""))
    if e.kinds:
        lines.append("kinds: " + ", ".join(sorted(e.kinds)))
        params = sorted({p for k in e.kinds for p in annex.kinds[k].parameters})
        if params:
            lines.append("parameters to give: " + ", ".join(
                f"{p} [{annex.parameters[p].unit}]" for p in params))
    lines.append(f"parent: {e.parent}" + (f"; children: {', '.join(kids)}" if kids else ""))
    if e.scope:
        lines.append(f"scope: {e.scope}")
    if e.criteria:
        lines.append("criteria:")
        lines.append(describe(e.criteria, 1))
    for x in e.exclusions:
        lines.append(f"exclusion {x.id}: {x.note} — when {describe(x.when).strip()}")
    if e.treatment:
        lines.append(f"Category II treatment: {e.treatment[1]} — when "
                     f"{describe(e.treatment[0]).strip()}")
    if e.superseded_by:
        lines.append("gives way to: " + ", ".join(e.superseded_by))
    for n in e.notes:
        lines.append(f"note: {n}")
    if e.cross_references:
        lines.append("cross-references: " + ", ".join(e.cross_references))
    prov = f"provenance: {e.provenance_status} — {e.provenance_basis}"
    if e.sources:
        prov += f" (sources: {', '.join(e.sources)})"
    if e.label_inferred:
        prov += "; sub-label inferred"
    lines.append(prov)
    if e.secondary:
        lines.append("caution: this entry rests on secondary material; confirm it against the "
                     "official Annex")
    if e.incomplete:
        lines.append(f"incomplete: {e.incomplete}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- search

_WORD = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_STOP = frozenset({"a", "an", "and", "or", "of", "for", "the", "to", "in", "with", "on", "by",
                   "at", "as", "not", "its", "is", "be", "than", "other", "any", "all"})


def _tokens(text: str) -> list[str]:
    return [t for t in _WORD.findall(text.lower()) if t not in _STOP]


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the entry, its score and why."""

    entry: CompiledEntry
    score: float
    matched: tuple[str, ...]

    def to_dict(self, annex: CompiledAnnex) -> dict[str, Any]:
        """The JSON form."""
        params = sorted({p for k in self.entry.kinds for p in annex.kinds[k].parameters})
        return {"id": self.entry.id, "category": self.entry.category,
                "title": self.entry.title, "score": round(self.score, 2),
                "matched": list(self.matched), "kinds": sorted(self.entry.kinds),
                "parameters": params}


def _fields(e: CompiledEntry, annex: CompiledAnnex) -> list[tuple[float, str]]:
    kinds = [annex.kinds[k] for k in e.kinds]
    return [
        (4.0, " ".join(e.keywords)),
        (3.0, e.title),
        (2.5, " ".join(k.name.replace("_", " ") + " " + k.title + " " + " ".join(k.keywords)
                       + " " + " ".join(a.replace("_", " ") for a in k.aliases)
                       for k in kinds)),
        (1.0, e.scope or ""),
        (0.5, " ".join(e.notes)),
        (0.5, e.item_title),
    ]


def search(annex: CompiledAnnex, query: str, limit: int = 10) -> list[Hit]:
    """Entries ranked for a free-text description (item entries first on ties)."""
    from rapidfuzz import fuzz

    q = query.strip()
    if q in annex.entries:
        return [Hit(annex.entries[q], 100.0, ("id",))]
    qtokens = _tokens(q)
    if not qtokens:
        return []
    hits: list[Hit] = []
    for e in annex.entries.values():
        if e.role == "heading":
            continue
        score = 0.0
        matched: list[str] = []
        for weight, text in _fields(e, annex):
            words = set(_tokens(text))
            if not words:
                continue
            for t in qtokens:
                if t in words:
                    score += weight
                    matched.append(t)
                elif len(t) >= 4 and any(w.startswith(t) or (len(w) >= 4 and t.startswith(w))
                                         for w in words):
                    score += weight * 0.7
                    matched.append(t)
                elif len(t) >= 5 and max(fuzz.ratio(t, w) for w in words) >= 85:
                    score += weight * 0.5
                    matched.append(t)
            if len(qtokens) > 1 and q.lower() in text.lower():
                score += weight  # the whole phrase
        if score > 0:
            bonus = 0.1 if e.role == "item" else 0.0
            hits.append(Hit(e, score + bonus, tuple(dict.fromkeys(matched))))
    hits.sort(key=lambda h: (-h.score, entry_sort_key(h.entry.id)))
    return hits[:limit]


def search_text(hits: list[Hit], annex: CompiledAnnex) -> str:
    """``annex search``: ranked entries with the kinds and parameters to give."""
    if not hits:
        return "no matching entries\n"
    lines = []
    for h in hits:
        d = h.to_dict(annex)
        lines.append(f"{h.entry.id:<14} {h.entry.category:<3} {h.score:5.1f}  {h.entry.title}")
        if d["kinds"]:
            lines.append(f"{'':<19}kind: {', '.join(d['kinds'])}"
                         + (f"; parameters: {', '.join(d['parameters'])}" if d["parameters"]
                            else ""))
    return "\n".join(lines) + "\n"
