"""Re-screening: replay logged inputs under another Annex edition or other lists.

When the MTCR publishes a new Annex, compliance teams must find every past decision the
change affects. :func:`rescreen` reads logged records, rebuilds each input exactly as it
was read (:func:`mtcr_screen.app.input_from_record`), screens it again with the given Annex
and lists, and compares the category and recommendation of the decision and of each item
with what was logged. Only the decisions that changed are reported, with the entries
responsible: those whose status changed (``no_match → match``), each tied, when the old
edition is known, to what :mod:`mtcr_screen.annex.diff` says changed in that entry.

A logged input that no longer validates (a kind the new edition removed, say) is a
change ("input no longer valid"), and so is an input this version cannot replay: nothing
is skipped silently. Records of earlier re-screens are not replayed; they are counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mtcr_screen.errors import MtcrScreenError

if TYPE_CHECKING:
    from mtcr_screen.annex.compiled import CompiledAnnex
    from mtcr_screen.annex.diff import AnnexDiff
    from mtcr_screen.decision import Decision
    from mtcr_screen.destinations import DestinationLists
    from mtcr_screen.records import LogRecord

SCHEMA_VERSION = "1"
ARROW = "→"

#: Statuses of a replayed record; all but ``unchanged`` are reported and give exit code 1.
STATUSES = ("changed", "invalid", "not_replayed", "unchanged")
REPLAYABLE = ("yaml", "json", "flags")


@dataclass(frozen=True, slots=True)
class EntryShift:
    """An entry whose status differs between the logged and the new decision.

    ``old``/``new`` are ``match``, ``possible``, ``no_match``, ``excluded``, ``superseded``
    or ``None`` (not evaluated: the entry did not apply or did not exist; for a decision
    logged without per-entry evaluations, neither a match nor possible); ``annex`` says
    what changed in the entry between the two editions, when the old edition is known.
    """

    id: str
    old: str | None
    new: str | None
    annex: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.id, "old_status": self.old, "new_status": self.new,
                "annex_changes": list(self.annex)}


@dataclass(frozen=True, slots=True)
class Outcome:
    """Category and recommendation with the definite entries (one side of a comparison)."""

    category: str
    recommendation: str
    entries: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"category": self.category, "recommendation": self.recommendation,
                "entries": list(self.entries)}


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item of a transfer whose category or recommendation changed."""

    index: int
    id: str | None
    kind: str | None
    old: Outcome | None
    new: Outcome | None
    entries: tuple[EntryShift, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"index": self.index, "id": self.id, "kind": self.kind,
                "old": None if self.old is None else self.old.to_dict(),
                "new": None if self.new is None else self.new.to_dict(),
                "entries": [e.to_dict() for e in self.entries]}


@dataclass(frozen=True, slots=True)
class Replay:
    """One replayed record and how its decision compares."""

    record: int
    created_at: str
    kind: str
    ref: str | None
    old_edition: str
    old_sha256: str
    tool_version: str
    status: str
    old: Outcome
    new: Outcome | None = None
    items: tuple[ItemChange, ...] = ()
    rules_added: tuple[str, ...] = ()
    rules_removed: tuple[str, ...] = ()
    problem: str | None = None
    annex_note: str | None = None
    item_count: int = 1

    @property
    def reported(self) -> bool:
        """True for every status but ``unchanged``."""
        return self.status != "unchanged"

    @property
    def entries(self) -> tuple[EntryShift, ...]:
        """The entries responsible, across items, without repeats."""
        seen: dict[str, EntryShift] = {}
        for it in self.items:
            for e in it.entries:
                seen.setdefault(e.id, e)
        return tuple(seen.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "record": self.record,
            "created_at": self.created_at,
            "kind": self.kind,
            "ref": self.ref,
            "status": self.status,
            "problem": self.problem,
            "logged_with": {"annex_edition": self.old_edition, "annex_sha256": self.old_sha256,
                            "tool_version": self.tool_version},
            "old": self.old.to_dict(),
            "new": None if self.new is None else self.new.to_dict(),
            "entries": [e.to_dict() for e in self.entries],
            "items": [i.to_dict() for i in self.items],
            "rules": {"added": list(self.rules_added), "removed": list(self.rules_removed)},
            "annex_note": self.annex_note,
        }


@dataclass
class RescreenReport:
    """Everything one re-screen did: what was replayed, what changed, where it was logged."""

    annex: dict[str, str]
    lists: list[dict[str, str]]
    filters: dict[str, str | None]
    replays: list[Replay] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # records of earlier re-screens
    logged_as: int | None = None

    @property
    def reported(self) -> list[Replay]:
        """The replays that changed, no longer validate, or could not be replayed."""
        return [r for r in self.replays if r.reported]

    def counts(self) -> dict[str, int]:
        """How many replays of each status."""
        return {s: sum(1 for r in self.replays if r.status == s) for s in STATUSES}

    def summary(self) -> str:
        """``Re-screened 4 logged decisions under ...: 1 changed, 3 unchanged.``"""
        c = self.counts()
        n = len(self.replays)
        parts = [f"{c['changed']} changed"]
        if c["invalid"]:
            parts.append(f"{c['invalid']} no longer valid")
        if c["not_replayed"]:
            parts.append(f"{c['not_replayed']} not replayable")
        parts.append(f"{c['unchanged']} unchanged")
        a = self.annex
        text = (f"Re-screened {n} logged decision{'' if n == 1 else 's'} under {a['edition']} "
                f"({a['date']}, {a['path']}, sha256 {a['sha256'][:12]}): {', '.join(parts)}.")
        if self.skipped:
            text += (f" {len(self.skipped)} record{'' if len(self.skipped) == 1 else 's'} of "
                     "earlier re-screens not replayed.")
        return text

    def record_summary(self) -> dict[str, Any]:
        """The ``decision`` of the rescreen's own log record."""
        responsible = dict.fromkeys(e.id for r in self.reported for e in r.entries)
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "rescreen",
            "annex": dict(self.annex),
            "filters": dict(self.filters),
            "replayed": [r.record for r in self.replays],
            "skipped_rescreen_records": list(self.skipped),
            "counts": self.counts(),
            "entries": list(responsible),
            "changed": [{"record": r.record, "status": r.status, "ref": r.ref,
                         "old": r.old.to_dict(),
                         "new": None if r.new is None else r.new.to_dict(),
                         "entries": [e.id for e in r.entries], "problem": r.problem}
                        for r in self.reported],
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``rescreen --format json``), with ``schema_version``."""
        return {
            "schema_version": SCHEMA_VERSION,
            "summary": self.summary(),
            "annex": dict(self.annex),
            "lists": [{k: x[k] for k in ("id", "as_of", "sha256") if k in x}
                      for x in self.lists],
            "filters": dict(self.filters),
            "replayed": len(self.replays),
            "counts": self.counts(),
            "skipped_rescreen_records": list(self.skipped),
            "changed": [r.to_dict() for r in self.reported],
            "unchanged": [r.record for r in self.replays if not r.reported],
            "logged_as": self.logged_as,
        }


# --------------------------------------------------------------------------- replaying


class _Diffs:
    """The diff from each logged edition (by sha256) to the new one, when the old is known."""

    def __init__(self, annex: CompiledAnnex) -> None:
        self.annex = annex
        self._cache: dict[str, tuple[AnnexDiff | None, str | None]] = {}

    def get(self, sha256: str) -> tuple[AnnexDiff | None, str | None]:
        if sha256 not in self._cache:
            self._cache[sha256] = self._build(sha256)
        return self._cache[sha256]

    def _build(self, sha256: str) -> tuple[AnnexDiff | None, str | None]:
        if sha256 == self.annex.sha256:
            return None, "logged under this same Annex: the change comes from the lists or " \
                         "the tool version"
        from mtcr_screen.annex.diff import diff_annexes
        from mtcr_screen.annex.editions import edition_for_digest
        from mtcr_screen.annex.loader import load_annex

        try:
            old = edition_for_digest(sha256)
            if old is None:
                return None, ("the logged edition is not among the known editions (see `annex "
                              "editions`), so entry changes are not tied to a diff")
            return diff_annexes(load_annex(old.path), self.annex, old_path=str(old.path)), None
        except MtcrScreenError as exc:
            return None, f"the logged edition cannot be read: {exc.one_line()}"


def _outcome(d: dict[str, Any]) -> Outcome:
    return Outcome(str(d.get("category", "")), str(d.get("recommendation", "")),
                   tuple(d.get("entries") or ()))


def _rule_keys(rationale: Iterable[dict[str, Any]]) -> list[str]:
    out = []
    for r in rationale:
        text = f"{r.get('code')} {r.get('rule')}"
        if r.get("entry"):
            text += f" [{r['entry']}]"
        if r.get("recommendation"):
            text += f" {ARROW} {r['recommendation']}"
        out.append(text)
    return list(dict.fromkeys(out))


def _statuses(item: dict[str, Any], evaluations: bool) -> dict[str, str | None]:
    """Entry id -> status; without per-entry evaluations (a decision logged without them),
    only the definite (``match``) and possible entries are known."""
    if evaluations:
        return {e["id"]: e.get("status") for e in item.get("evaluations") or ()
                if isinstance(e, dict) and "id" in e}
    out: dict[str, str | None] = dict.fromkeys(item.get("entries") or (), "match")
    for p in item.get("possible_entries") or ():
        if isinstance(p, dict) and "id" in p:
            out.setdefault(p["id"], "possible")
    return out


def _shifts(old_item: dict[str, Any], new_item: dict[str, Any],
            diff: AnnexDiff | None) -> tuple[EntryShift, ...]:
    full = bool(old_item.get("evaluations")) or not old_item
    old = _statuses(old_item, full)
    new = _statuses(new_item, full)
    out = []
    for eid in dict.fromkeys([*new, *old]):
        if old.get(eid) != new.get(eid):
            out.append(EntryShift(eid, old.get(eid), new.get(eid),
                                  tuple(diff.entry(eid)) if diff is not None else ()))
    return tuple(out)


def compare(record: LogRecord, decision: Decision, diff: AnnexDiff | None,
            annex_note: str | None) -> Replay:
    """The replay of one record: logged decision against the new one."""
    old_d, new_d = record.decision, decision.to_dict()
    old_items = [i for i in old_d.get("items") or () if isinstance(i, dict)]
    new_items = new_d["items"]
    items = []
    for idx in range(max(len(old_items), len(new_items))):
        oi = old_items[idx] if idx < len(old_items) else None
        ni = new_items[idx] if idx < len(new_items) else None
        o = None if oi is None else _outcome(oi)
        n = None if ni is None else _outcome(ni)
        if o is not None and n is not None and (o.category, o.recommendation) == (
                n.category, n.recommendation):
            continue
        src = ni or oi or {}
        items.append(ItemChange(idx, src.get("id"), src.get("kind"), o, n,
                                _shifts(oi or {}, ni or {}, diff)))
    old, new = _outcome(old_d), _outcome(new_d)
    # The logged record's own fields are what `log list` shows; prefer them.
    old = Outcome(record.category, record.recommendation, old.entries)
    changed = bool(items) or (old.category, old.recommendation) != (new.category,
                                                                    new.recommendation)
    old_rules = _rule_keys(old_d.get("rationale") or ())
    new_rules = _rule_keys(new_d["rationale"])
    return Replay(
        record=record.id, created_at=record.created_at, kind=record.kind, ref=record.ref,
        old_edition=record.annex_edition, old_sha256=record.annex_sha256,
        tool_version=record.tool_version, status="changed" if changed else "unchanged",
        old=old, new=new, items=tuple(items),
        rules_added=tuple(r for r in new_rules if r not in old_rules),
        rules_removed=tuple(r for r in old_rules if r not in new_rules),
        annex_note=annex_note if changed else None, item_count=len(new_items),
    )


def _unreplayed(record: LogRecord, status: str, problem: str) -> Replay:
    return Replay(record=record.id, created_at=record.created_at, kind=record.kind,
                  ref=record.ref, old_edition=record.annex_edition,
                  old_sha256=record.annex_sha256, tool_version=record.tool_version,
                  status=status, old=Outcome(record.category, record.recommendation,
                                             tuple(record.decision.get("entries") or ())),
                  problem=problem)


def rescreen(records: Iterable[LogRecord], annex: CompiledAnnex, lists: DestinationLists,
             *, annex_path: str | None = None,
             filters: dict[str, str | None] | None = None) -> RescreenReport:
    """Replay every record (but earlier re-screens) under ``annex`` and ``lists``."""
    from mtcr_screen.app import input_from_record, locate_error
    from mtcr_screen.engine import Engine

    engine = Engine(annex, lists)
    diffs = _Diffs(annex)
    report = RescreenReport(
        annex={"edition": annex.edition, "date": annex.date, "sha256": annex.sha256,
               "path": annex_path or annex.path},
        lists=[dict(x) for x in lists.consulted()], filters=dict(filters or {}))
    for record in records:
        if record.kind == "rescreen":
            report.skipped.append(record.id)
            continue
        if record.input_format not in REPLAYABLE:
            report.replays.append(_unreplayed(
                record, "not_replayed", f"cannot replay input format {record.input_format!r}"))
            continue
        try:
            inp = input_from_record(record)
            try:
                decision = engine.screen(inp.transfer)
            except MtcrScreenError as exc:
                raise locate_error(exc, inp) from None
        except MtcrScreenError as exc:
            report.replays.append(_unreplayed(
                record, "invalid", f"input no longer valid: {exc.one_line()}"))
            continue
        diff, note = diffs.get(record.annex_sha256)
        report.replays.append(compare(record, decision, diff, note))
    return report


# --------------------------------------------------------------------------- text


def category_label(c: str | None) -> str:
    """``Category I``, ``not listed``..."""
    if c is None:
        return "(none)"
    return {"I": "Category I", "II": "Category II", "not_listed": "not listed"}.get(c, c)


def _entry_lines(shifts: Iterable[EntryShift], pad: str) -> list[str]:
    shifts = list(shifts)
    width = max((len(e.id) for e in shifts), default=0)
    lines = []
    for e in shifts:
        line = (f"{pad}{e.id:<{width}}  {e.old or '(none)'} {ARROW} "
                f"{e.new or '(none)'}")
        if e.annex:
            line += "  (Annex: " + "; ".join(e.annex) + ")"
        lines.append(line)
    return lines


def _pair(old: str, new: str) -> str:
    return f"{old} (unchanged)" if old == new else f"{old} {ARROW} {new}"


def to_text(report: RescreenReport) -> str:
    """``rescreen``: the summary, then one block per decision that changed."""
    lines = [report.summary()]
    for r in report.reported:
        lines.append("")
        head = f"record {r.record}  {r.created_at[:19].replace('T', ' ')}"
        if r.ref:
            head += f"  ref {r.ref}"
        head += f"  (logged under {r.old_edition}, sha256 {r.old_sha256[:12]})"
        lines.append(head)
        if r.status != "changed":
            lines.append(f"  {r.problem}")
            lines.append(f"  was: {category_label(r.old.category)}, {r.old.recommendation}")
            continue
        assert r.new is not None
        cat = _pair(category_label(r.old.category), category_label(r.new.category))
        lines.append(f"  category:       {cat}")
        lines.append(f"  recommendation: {_pair(r.old.recommendation, r.new.recommendation)}")
        if r.item_count > 1:
            for it in r.items:
                name = it.id or it.kind or f"item {it.index + 1}"
                o = "(none)" if it.old is None else (f"{category_label(it.old.category)}, "
                                                     f"{it.old.recommendation}")
                n = "(none)" if it.new is None else (f"{category_label(it.new.category)}, "
                                                     f"{it.new.recommendation}")
                lines.append(f"  item {it.index + 1} ({name}): {o} {ARROW} {n}")
                lines.extend(_entry_lines(it.entries, "    "))
        elif r.entries:
            lines.append("  entries:")
            lines.extend(_entry_lines(r.entries, "    "))
        if not r.entries and (r.rules_added or r.rules_removed):
            lines.append("  rules:")
            lines += [f"    + {rule}" for rule in r.rules_added]
            lines += [f"    - {rule}" for rule in r.rules_removed]
        if r.annex_note:
            lines.append(f"  note: {r.annex_note}")
    return "\n".join(lines) + "\n"
