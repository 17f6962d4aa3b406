"""Compare two Annex editions entry by entry and field by field (``mtcr-screen annex diff``).

Both editions are compared in their compiled form, so every threshold is already in its
parameter's canonical unit: ``1.1 MN*s`` and ``1100000 N*s`` are the same threshold, and
a changed figure is shown with its unit on both sides. The result lists the entries added,
removed and changed; for a changed entry, each threshold (parameter, operator, value,
unit), the wording (title, scope, notes), kinds, criteria structure, exclusions, Category
II treatment, superseded_by, cross-references, keywords and provenance. Vocabulary (kinds,
parameters with their units, facts), general notes and the edition's name, date and title
are compared too.

Nothing here reads files: :func:`diff_annexes` takes two :class:`CompiledAnnex`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mtcr_screen.annex.compiled import (
    CAll,
    CAny,
    CCapability,
    CNot,
    CompiledAnnex,
    CompiledEntry,
    CompiledExclusion,
    CParam,
    Node,
    thresholds,
)

SCHEMA_VERSION = "1"
ARROW = "→"

# Scalar entry fields compared as text, in report order.
_TEXT_FIELDS = ("title", "role", "type", "category", "scope", "incomplete")
# Sequence fields compared as added/removed members.
_LIST_FIELDS = ("kinds", "notes", "superseded_by", "cross_references", "keywords")


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Change:
    """One field that differs, with a readable one-line ``text``.

    ``old``/``new`` are JSON values (``None`` when the thing was added or removed);
    ``parameter`` names the parameter of a threshold change.
    """

    field: str
    text: str
    old: Any = None
    new: Any = None
    parameter: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        d: dict[str, Any] = {"field": self.field, "old": self.old, "new": self.new,
                             "text": self.text}
        if self.parameter is not None:
            d["parameter"] = self.parameter
        return d


@dataclass(frozen=True, slots=True)
class EntryRef:
    """An added or removed entry."""

    id: str
    category: str
    title: str
    role: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.id, "category": self.category, "title": self.title,
                "role": self.role}


@dataclass(frozen=True, slots=True)
class EntryChange:
    """A changed entry (as the new edition has it) and its field changes."""

    id: str
    category: str
    title: str
    changes: tuple[Change, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.id, "category": self.category, "title": self.title,
                "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class NamedChange:
    """A changed vocabulary name (kind, parameter, fact) or general note."""

    name: str
    changes: tuple[Change, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"name": self.name, "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class SectionDiff:
    """Added, removed and changed names of one vocabulary section."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[NamedChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"added": list(self.added), "removed": list(self.removed),
                "changed": [c.to_dict() for c in self.changed]}


# Vocabulary sections: (key in the JSON, singular, plural).
SECTIONS = (("kinds", "kind", "kinds"), ("parameters", "parameter", "parameters"),
            ("facts", "fact", "facts"), ("general_notes", "general note", "general notes"))


@dataclass(frozen=True, slots=True)
class AnnexDiff:
    """Everything that differs between two editions."""

    old: dict[str, str]
    new: dict[str, str]
    header: tuple[Change, ...]
    added: tuple[EntryRef, ...]
    removed: tuple[EntryRef, ...]
    changed: tuple[EntryChange, ...]
    vocabulary: dict[str, SectionDiff] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        """True when no content differs (comments and layout may still differ)."""
        return not (self.header or self.added or self.removed or self.changed
                    or any(self.vocabulary.values()))

    def entry(self, eid: str) -> list[str]:
        """What changed for one entry id, as short texts (for ``rescreen``)."""
        if any(e.id == eid for e in self.added):
            return ["added in the new edition"]
        if any(e.id == eid for e in self.removed):
            return ["removed in the new edition"]
        for e in self.changed:
            if e.id == eid:
                return [c.text for c in e.changes]
        return []

    def summary(self) -> str:
        """One line: ``1 entry changed: 2.A.1.c.1 total_impulse >= 1100000 N*s → ...``."""
        if self.identical:
            same = self.old["sha256"] == self.new["sha256"]
            return "no differences" + ("" if same else " in content (the files differ only "
                                       "in comments or layout)")
        parts = [c.text for c in self.header]
        n = len(self.changed)
        if n:
            part = f"{n} {_plural(n, 'entry', 'entries')} changed"
            if n == 1 and len(self.changed[0].changes) == 1:
                part += f": {self.changed[0].id} {self.changed[0].changes[0].text}"
            parts.append(part)
        for label, refs in (("added", self.added), ("removed", self.removed)):
            if refs:
                ids = ", ".join(r.id for r in refs[:3]) + (", ..." if len(refs) > 3 else "")
                parts.append(f"{len(refs)} {_plural(len(refs), 'entry', 'entries')} {label} "
                             f"({ids})")
        for key, one, many in SECTIONS:
            sec = self.vocabulary.get(key)
            if not sec:
                continue
            for label, count in (("added", len(sec.added)), ("removed", len(sec.removed)),
                                 ("changed", len(sec.changed))):
                if count:
                    parts.append(f"{count} {_plural(count, one, many)} {label}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``annex diff --format json``), with ``schema_version``."""
        return {
            "schema_version": SCHEMA_VERSION,
            "identical": self.identical,
            "summary": self.summary(),
            "old": dict(self.old),
            "new": dict(self.new),
            "edition": [c.to_dict() for c in self.header],
            "entries": {"added": [e.to_dict() for e in self.added],
                        "removed": [e.to_dict() for e in self.removed],
                        "changed": [e.to_dict() for e in self.changed]},
            "vocabulary": {key: self.vocabulary.get(key, SectionDiff()).to_dict()
                           for key, _, _ in SECTIONS},
        }

    def to_json(self) -> str:
        """``annex diff --format json``."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """``annex diff``: the summary line, then one block per kind of change."""
        o, n = self.old, self.new
        lines = [f"old: {o['edition']} ({o['date']})  {o['path']}  sha256 {o['sha256'][:12]}",
                 f"new: {n['edition']} ({n['date']})  {n['path']}  sha256 {n['sha256'][:12]}",
                 self.summary()]
        if self.header:
            lines += ["", "Edition"] + [f"  {c.text}" for c in self.header]
        if self.changed:
            lines += ["", "Changed entries"]
            for e in self.changed:
                lines.append(f"  {e.id}  [{e.category}]  {e.title}")
                for c in e.changes:
                    lines.extend(_change_lines(c, "    "))
        for label, refs in (("Added entries", self.added), ("Removed entries", self.removed)):
            if refs:
                lines += ["", label]
                lines += [f"  {r.id}  [{r.category}]  {r.title}"
                          + ("" if r.role == "item" else f" ({r.role})") for r in refs]
        for key, _, many in SECTIONS:
            sec = self.vocabulary.get(key)
            if not sec:
                continue
            lines += ["", f"Vocabulary: {many}" if key != "general_notes" else "General notes"]
            lines += [f"  + {name} (added)" for name in sec.added]
            lines += [f"  - {name} (removed)" for name in sec.removed]
            for ch in sec.changed:
                lines.append(f"  {ch.name}")
                for c in ch.changes:
                    lines.extend(_change_lines(c, "    "))
        return "\n".join(lines) + "\n"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _change_lines(c: Change, pad: str) -> list[str]:
    """Long wording changes as -/+ lines; everything else on one line."""
    if c.field in ("title", "scope", "provenance.basis", "note", "text", "question",
                   "description") and isinstance(c.old, str) and isinstance(c.new, str):
        return [f"{pad}{c.field}:", f"{pad}  - {c.old}", f"{pad}  + {c.new}"]
    return [f"{pad}{'threshold ' if c.field == 'threshold' else ''}{c.text}"]


# --------------------------------------------------------------------------- thresholds


def _number(v: float) -> str:
    from mtcr_screen.units import format_number

    return format_number(v)


def threshold_text(c: CParam) -> str:
    """``>= 1100000 N*s`` or ``between 1 and 2 kg``."""
    unit = "" if c.unit in ("", "1") else f" {c.unit}"
    if c.op == "between":
        hi = c.threshold_high if c.threshold_high is not None else c.threshold
        return f"between {_number(c.threshold)} and {_number(hi)}{unit}"
    return f"{c.op} {_number(c.threshold)}{unit}"


def threshold_json(c: CParam) -> dict[str, Any]:
    """A threshold's JSON form: op, value, unit (and value_high for a range)."""
    d: dict[str, Any] = {"op": c.op, "value": c.threshold, "unit": c.unit}
    if c.threshold_high is not None:
        d["value_high"] = c.threshold_high
    return d



def _same(a: CParam, b: CParam) -> bool:
    return (a.op, a.threshold, a.threshold_high, a.unit) == (b.op, b.threshold,
                                                             b.threshold_high, b.unit)


def _pair_thresholds(old: list[CParam], new: list[CParam]) -> list[Change]:
    """Pair the thresholds of each parameter: equal ones drop out, then same operator, then
    order; what is left over was added or removed."""
    changes: list[Change] = []
    for param in dict.fromkeys([c.param for c in old] + [c.param for c in new]):
        olds = [c for c in old if c.param == param]
        news = [c for c in new if c.param == param]
        for o in list(olds):
            match = next((n for n in news if _same(o, n)), None)
            if match is not None:
                olds.remove(o)
                news.remove(match)
        pairs: list[tuple[CParam, CParam]] = []
        for o in list(olds):
            match = next((n for n in news if n.op == o.op), None)
            if match is not None:
                pairs.append((o, match))
                olds.remove(o)
                news.remove(match)
        while olds and news:
            pairs.append((olds.pop(0), news.pop(0)))
        for o, n in pairs:
            changes.append(Change("threshold", f"{param} {threshold_text(o)} {ARROW} "
                                  f"{threshold_text(n)}", threshold_json(o), threshold_json(n),
                                  param))
        changes += [Change("threshold", f"{param} {threshold_text(o)} removed",
                           threshold_json(o), None, param) for o in olds]
        changes += [Change("threshold", f"{param} {threshold_text(n)} added", None,
                           threshold_json(n), param) for n in news]
    return changes


def _skeleton(node: Node | None) -> Any:
    """The criterion tree with every threshold value blanked (its structure only)."""
    if node is None:
        return None
    if isinstance(node, CParam):
        return ("param", node.param)
    if isinstance(node, CAll | CAny):
        return (type(node).__name__, tuple(_skeleton(p) for p in node.parts))
    if isinstance(node, CNot):
        return ("not", _skeleton(node.part))
    if isinstance(node, CCapability):
        return ("capability", node.range_param, node.payload_param,
                *(None if x is None else x.param for x in (
                    node.range_at_min_payload, node.payload_at_min_range)))
    return node  # frozen dataclasses: equal when their content is equal


def _criteria_changes(old: Node | None, new: Node | None, name: str = "criteria") -> list[Change]:
    out: list[Change] = []
    if _skeleton(old) != _skeleton(new):
        o = old.describe() if old is not None else None
        n = new.describe() if new is not None else None
        out.append(Change(name, f"{name}: {o or '(none)'} {ARROW} {n or '(none)'}", o, n))
    out += _pair_thresholds(thresholds(old), thresholds(new))
    return out


# --------------------------------------------------------------------------- entries


def _text_change(name: str, old: Any, new: Any) -> Change | None:
    if old == new:
        return None
    return Change(name, f"{name}: {_show(old)} {ARROW} {_show(new)}", old, new)


def _show(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _list_change(name: str, old: Sequence[str] | frozenset[str],
                 new: Sequence[str] | frozenset[str]) -> Change | None:
    o = sorted(old) if isinstance(old, frozenset) else list(old)
    n = sorted(new) if isinstance(new, frozenset) else list(new)
    if o == n:
        return None
    added = [x for x in n if x not in o]
    removed = [x for x in o if x not in n]
    bits = [f"+{_show(x) if ' ' in x else x}" for x in added]
    bits += [f"-{_show(x) if ' ' in x else x}" for x in removed]
    text = f"{name}: " + (", ".join(bits) if bits else "reordered")
    return Change(name, text, o, n)


def _exclusion_changes(old: Iterable[CompiledExclusion],
                       new: Iterable[CompiledExclusion]) -> list[Change]:
    o = {x.id: x for x in old}
    n = {x.id: x for x in new}
    out: list[Change] = []
    for xid in dict.fromkeys([*o, *n]):
        a, b = o.get(xid), n.get(xid)
        if a is None and b is not None:
            out.append(Change("exclusion", f"exclusion {xid} added: {b.note} (when "
                              f"{b.when.describe()})", None, _excl_json(b)))
        elif b is None and a is not None:
            out.append(Change("exclusion", f"exclusion {xid} removed: {a.note}", _excl_json(a),
                              None))
        elif a is not None and b is not None:
            if a.note != b.note:
                out.append(Change("exclusion", f"exclusion {xid} note: {_show(a.note)} {ARROW} "
                                  f"{_show(b.note)}", a.note, b.note))
            out += _criteria_changes(a.when, b.when, f"exclusion {xid} when")
    return out


def _excl_json(x: CompiledExclusion) -> dict[str, str]:
    return {"id": x.id, "note": x.note, "when": x.when.describe()}


def _treatment_changes(old: tuple[Node, str] | None, new: tuple[Node, str] | None) -> list[Change]:
    if old == new:
        return []
    if new is None:
        return [] if old is None else [Change(
            "treatment", f"Category II treatment removed: {old[1]}",
            {"when": old[0].describe(), "note": old[1]}, None)]
    if old is None:
        return [Change("treatment", f"Category II treatment added: {new[1]}", None,
                       {"when": new[0].describe(), "note": new[1]})]
    out = _criteria_changes(old[0], new[0], "treatment when")
    if old[1] != new[1]:
        out.append(Change("treatment", f"treatment note: {_show(old[1])} {ARROW} "
                          f"{_show(new[1])}", old[1], new[1]))
    return out


def entry_changes(old: CompiledEntry, new: CompiledEntry) -> list[Change]:
    """Every field of one entry that differs between two editions."""
    out: list[Change] = []
    for name in _TEXT_FIELDS:
        c = _text_change(name, getattr(old, name), getattr(new, name))
        if c:
            out.append(c)
    out += _criteria_changes(old.criteria, new.criteria)
    out += _exclusion_changes(old.exclusions, new.exclusions)
    out += _treatment_changes(old.treatment, new.treatment)
    for name in _LIST_FIELDS:
        lc = _list_change(name, getattr(old, name), getattr(new, name))
        if lc:
            out.append(lc)
    for name, a, b in (("provenance.status", old.provenance_status, new.provenance_status),
                       ("provenance.basis", old.provenance_basis, new.provenance_basis),
                       ("provenance.label_inferred", old.label_inferred, new.label_inferred)):
        c = _text_change(name, a, b)
        if c:
            out.append(c)
    sc = _list_change("provenance.sources", old.sources, new.sources)
    if sc:
        out.append(sc)
    return out


# --------------------------------------------------------------------------- vocabulary


def _record_changes(old: Any, new: Any) -> list[Change]:
    """Field by field for two vocabulary dataclasses (KindInfo, ParamInfo, FactInfo)."""
    out: list[Change] = []
    for f in dataclasses.fields(old):
        if f.name == "name":
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        c = (_list_change(f.name, a, b) if isinstance(a, tuple) else _text_change(f.name, a, b))
        if c:
            out.append(c)
    return out


def _section(old: dict[str, Any], new: dict[str, Any]) -> SectionDiff:
    changed = []
    for name in sorted(old.keys() & new.keys()):
        ch = _record_changes(old[name], new[name])
        if ch:
            changed.append(NamedChange(name, tuple(ch)))
    return SectionDiff(tuple(sorted(new.keys() - old.keys())),
                       tuple(sorted(old.keys() - new.keys())), tuple(changed))


@dataclass(frozen=True, slots=True)
class _Note:
    """A general note, as compared."""

    name: str
    title: str
    text: str
    applies_to_types: tuple[str, ...]
    excludes_when: str


def _general_notes(a: CompiledAnnex) -> dict[str, _Note]:
    when: dict[str, str] = {}
    types: dict[str, list[str]] = {}
    for t, excl in a.general_exclusions.items():
        for x in excl:
            when[x.id] = x.when.describe()
            types.setdefault(x.id, []).append(t)
    return {gid: _Note(gid, title, text, tuple(sorted(types.get(gid, []))), when.get(gid, ""))
            for gid, title, text in a.general_notes}


# --------------------------------------------------------------------------- the diff


def _header(a: CompiledAnnex, path: str | None) -> dict[str, str]:
    return {"edition": a.edition, "date": a.date, "title": a.title, "sha256": a.sha256,
            "path": path or a.path}


def diff_annexes(old: CompiledAnnex, new: CompiledAnnex, *, old_path: str | None = None,
                 new_path: str | None = None) -> AnnexDiff:
    """Compare two compiled editions (``*_path``: the folders to show, when known)."""
    from mtcr_screen.browse import entry_sort_key

    header = [c for c in (_text_change("edition", old.edition, new.edition),
                          _text_change("date", old.date, new.date),
                          _text_change("title", old.title, new.title)) if c]
    ids_old, ids_new = old.entries.keys(), new.entries.keys()

    def ref(e: CompiledEntry) -> EntryRef:
        return EntryRef(e.id, e.category, e.title, e.role)

    added = tuple(ref(new.entries[i]) for i in sorted(ids_new - ids_old, key=entry_sort_key))
    removed = tuple(ref(old.entries[i]) for i in sorted(ids_old - ids_new, key=entry_sort_key))
    changed = []
    for eid in sorted(ids_old & ids_new, key=entry_sort_key):
        ch = entry_changes(old.entries[eid], new.entries[eid])
        if ch:
            e = new.entries[eid]
            changed.append(EntryChange(eid, e.category, e.title, tuple(ch)))
    vocab = {
        "kinds": _section(old.kinds, new.kinds),
        "parameters": _section(old.parameters, new.parameters),
        "facts": _section(old.facts, new.facts),
        "general_notes": _section(_general_notes(old), _general_notes(new)),
    }
    return AnnexDiff(_header(old, old_path), _header(new, new_path), tuple(header), added,
                     removed, tuple(changed), vocab)
