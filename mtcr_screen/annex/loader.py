"""The only reader of Annex YAML: load, validate, compile, cache.

``load_annex(path)`` returns a :class:`~mtcr_screen.annex.compiled.CompiledAnnex`. The
compiled form is pickled in the user's cache directory, keyed by the sha256 of every
YAML file of the Annex and the tool version, so a screening run reads no YAML and builds
no pydantic model when the Annex has not changed. ``MTCR_SCREEN_CACHE`` sets the cache
directory; ``MTCR_SCREEN_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    CompiledExclusion,
    CParam,
    CRelation,
    CSubstance,
    CSupports,
    FactInfo,
    KindInfo,
    Node,
    ParamInfo,
    walk,
    within,
)
from mtcr_screen.errors import AnnexError, Location, MtcrScreenError

if TYPE_CHECKING:
    from mtcr_screen.annex import model as m

MANIFEST = "annex.yaml"


def shipped_annex_dir() -> Path:
    """The Annex that ships with the tool (``annex/`` in the source tree).

    Installed, it is the package data ``mtcr_screen._annex``; in a source checkout that is
    not installed, it is the ``annex/`` folder beside the package.
    """
    from importlib.util import find_spec

    spec = find_spec("mtcr_screen._annex")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "annex"


def resolve_annex_path(path: str | os.PathLike[str] | None) -> Path:
    """A folder holding ``annex.yaml``, its ``annex.yaml`` file, an edition name (``2024``,
    ``MTCR/TEM/2024/Annex``: see :mod:`mtcr_screen.annex.editions`), or the shipped Annex.
    An existing path wins over an edition name."""
    if path is None:
        return shipped_annex_dir()
    p = Path(path)
    if p.is_file() and p.name == MANIFEST:
        return p.parent
    if p.is_dir():
        if not (p / MANIFEST).is_file():
            raise AnnexError(f"no {MANIFEST} in this folder", location=str(p),
                             hint="point --annex at a folder holding annex.yaml")
        return p
    if p.exists():
        raise AnnexError("not an Annex folder or its annex.yaml", location=str(p),
                         hint="give a folder holding annex.yaml, or an edition name")
    from mtcr_screen.annex.editions import find_edition

    return find_edition(str(path)).path


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


def annex_digest(root: Path) -> str:
    """sha256 over every YAML file of the Annex (names and bytes), in sorted order."""
    from mtcr_screen.cache import digest_files

    return digest_files(_yaml_files(root), root)


def load_annex(
    path: str | os.PathLike[str] | None = None, *, use_cache: bool = True
) -> CompiledAnnex:
    """Load (from the cache when possible) and return the compiled Annex."""
    from mtcr_screen.cache import cached

    root = resolve_annex_path(path)
    digest = annex_digest(root)
    if not use_cache:
        return compile_annex(root, digest)
    # keyed by folder too: the compiled Annex records the path it was read from
    key = f"{digest}:{root.resolve()}"
    return cached("annex", key, lambda: compile_annex(root, digest),
                  lambda a: isinstance(a, CompiledAnnex) and a.sha256 == digest)


# --------------------------------------------------------------------------- reading


class _Doc:
    """One YAML file: its data, marks and display name."""

    def __init__(self, root: Path, rel: str) -> None:
        from mtcr_screen import yamlio

        self.path = root / rel
        self.name = str(self.path)
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise AnnexError(f"cannot read: {exc.strerror}", location=self.name) from None
        self.data, self.marks = yamlio.load(raw, self.name, error=AnnexError)

    def at(self, path: tuple[str | int, ...], detail: str | None = None) -> Location:
        return self.marks.location(path, detail)


def _validate(doc: _Doc, model: type[Any]) -> Any:
    from pydantic import ValidationError

    from mtcr_screen import yamlio

    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        err = yamlio.pydantic_error(exc, doc.data, doc.marks, doc.name, AnnexError)
        entry = _entry_id_at(doc.data, exc.errors()[0].get("loc", ()))
        if entry:
            err.message = f"entry {entry}: {err.message}"
        raise err from None


def _entry_id_at(data: Any, loc: Any) -> str | None:
    if isinstance(data, dict) and len(loc) >= 2 and loc[0] == "entries":
        entries = data.get("entries")
        if isinstance(entries, list) and isinstance(loc[1], int) and loc[1] < len(entries):
            e = entries[loc[1]]
            if isinstance(e, dict) and isinstance(e.get("id"), str):
                return str(e["id"])
    return None


# --------------------------------------------------------------------------- compiling


class _Compiler:
    def __init__(self, root: Path, digest: str) -> None:
        from mtcr_screen.annex import model as m

        self.m = m
        self.root = root
        self.digest = digest
        self.manifest_doc = _Doc(root, MANIFEST)
        self.manifest: m.Manifest = _validate(self.manifest_doc, m.Manifest)
        # the vocabulary may be split over several files; a name may be defined once only
        self.vocab_docs: dict[str, _Doc] = {}
        params: dict[str, Any] = {}
        facts: dict[str, Any] = {}
        kinds: dict[str, Any] = {}
        for rel in self._expand(self.manifest.vocabulary, "vocabulary"):
            doc = _Doc(root, rel)
            part: m.Vocabulary = _validate(doc, m.Vocabulary)
            for section, target, values in (("parameters", params, part.parameters),
                                            ("facts", facts, part.facts),
                                            ("kinds", kinds, part.kinds)):
                for name, value in values.items():
                    if name in target:
                        first = self.vocab_docs[f"{section}.{name}"].at((section, name))
                        raise AnnexError(f"{section[:-1]} {name!r} is defined twice "
                                         f"(first at {first})", location=doc.at((section, name)))
                    target[name] = value
                    self.vocab_docs[f"{section}.{name}"] = doc
        self.vocab = m.Vocabulary(parameters=params, facts=facts, kinds=kinds)
        self.item_docs: list[tuple[_Doc, m.ItemFile]] = []
        for rel in self._expand(self.manifest.items, "items"):
            doc = _Doc(root, rel)
            self.item_docs.append((doc, _validate(doc, m.ItemFile)))
        self.params: dict[str, ParamInfo] = {}
        self.item_titles: dict[str, str] = {}
        self.entries_raw: dict[str, tuple[m.Entry, str, _Doc, int]] = {}
        self.warnings: list[str] = []

    def _expand(self, patterns: list[str], key: str) -> list[str]:
        """File names and glob patterns (``items/*.yaml``), in sorted order, no repeats."""
        out: list[str] = []
        for i, pat in enumerate(patterns):
            if any(ch in pat for ch in "*?["):
                found = sorted(p.relative_to(self.root).as_posix() for p in self.root.glob(pat)
                               if p.is_file())
                if not found:
                    raise AnnexError(f"{key}: no file matches {pat!r}",
                                     location=self.manifest_doc.at((key, i)))
            else:
                if not (self.root / pat).is_file():
                    raise AnnexError(f"{key}: no such file {pat!r}",
                                     location=self.manifest_doc.at((key, i)))
                found = [pat]
            out.extend(f for f in found if f not in out)
        return out

    # -- vocabulary
    def compile_vocabulary(self) -> tuple[dict[str, KindInfo], dict[str, str], dict[str, FactInfo]]:
        from mtcr_screen.units import DIMENSIONS, dimension_of_unit

        for name, p in self.vocab.parameters.items():
            doc = self.vocab_docs[f"parameters.{name}"]
            self._check_name(name, doc, ("parameters", name))
            try:
                if p.dimension is not None:
                    if p.dimension not in DIMENSIONS:
                        raise AnnexError(f"unknown dimension {p.dimension!r}",
                                         hint="one of " + ", ".join(sorted(DIMENSIONS)))
                    dim = p.dimension
                    from mtcr_screen.units import conversion

                    conversion(p.unit, dim)
                else:
                    dim = dimension_of_unit(p.unit).name
            except MtcrScreenError as exc:
                raise AnnexError(f"parameter {name}: {exc.message}",
                                 location=doc.at(("parameters", name, "unit")),
                                 hint=exc.hint) from None
            self.params[name] = ParamInfo(name, p.title, p.unit, dim, p.direction,
                                          p.allow_negative)
        facts = {n: FactInfo(n, f.title, f.question) for n, f in self.vocab.facts.items()}
        for n in facts:
            self._check_name(n, self.vocab_docs[f"facts.{n}"], ("facts", n))
        kinds: dict[str, KindInfo] = {}
        aliases: dict[str, str] = {}
        for name, k in self.vocab.kinds.items():
            doc = self.vocab_docs[f"kinds.{name}"]
            self._check_name(name, doc, ("kinds", name))
            for i, pname in enumerate(k.parameters):
                if pname not in self.params:
                    raise AnnexError(f"kind {name}: unknown parameter {pname!r}",
                                     location=doc.at(("kinds", name, "parameters", i)))
            kinds[name] = KindInfo(name, k.title, tuple(k.parameters), tuple(k.aliases),
                                   k.description, tuple(k.keywords))
            for i, a in enumerate(k.aliases):
                if a in aliases or a in self.vocab.kinds:
                    raise AnnexError(f"kind alias {a!r} is used twice",
                                     location=doc.at(("kinds", name, "aliases", i)))
                aliases[a] = name
        return kinds, aliases, facts

    @staticmethod
    def _check_name(name: str, doc: _Doc, path: tuple[str | int, ...]) -> None:
        from mtcr_screen.annex.model import NAME

        if not NAME.match(name):
            raise AnnexError(f"name {name!r} must be lower_snake_case", location=doc.at(path))

    # -- entries
    def collect_entries(self) -> None:
        for doc, item in self.item_docs:
            for i, e in enumerate(item.entries):
                if e.id in self.entries_raw:
                    first = self.entries_raw[e.id][2].at(("entries", self.entries_raw[e.id][3]))
                    raise AnnexError(f"duplicate entry id {e.id} (first at {first})",
                                     location=doc.at(("entries", i, "id")))
                if not e.id.startswith(f"{item.item}."):
                    raise AnnexError(f"entry {e.id} is not part of Item {item.item}",
                                     location=doc.at(("entries", i, "id")))
                self.entries_raw[e.id] = (e, item.category, doc, i)
                self.item_titles[e.id] = item.title

    def group_exists(self, target: str) -> bool:
        return any(within(eid, target) for eid in self.entries_raw)

    def compile_entries(self, kinds: dict[str, KindInfo],
                        facts: dict[str, FactInfo]) -> dict[str, CompiledEntry]:
        out: dict[str, CompiledEntry] = {}
        for order, (eid, (e, category, doc, i)) in enumerate(self.entries_raw.items()):
            base: tuple[str | int, ...] = ("entries", i)
            where = doc.at(base)
            derived_parent = eid.rsplit(".", 1)[0]
            if e.parent is not None and e.parent != derived_parent:
                raise AnnexError(f"entry {eid}: parent {e.parent} does not match the id",
                                 location=doc.at((*base, "parent")))
            if derived_parent.count(".") >= 2 and derived_parent not in self.entries_raw:
                raise AnnexError(f"entry {eid}: parent entry {derived_parent} is missing",
                                 location=where)
            if e.role == "item":
                missing = [n for n, v in (("type", e.type), ("kinds", e.kinds),
                                          ("criteria", e.criteria)) if not v]
                if missing:
                    raise AnnexError(f"entry {eid}: an item entry needs {', '.join(missing)}",
                                     location=where)
            if e.role == "condition" and e.criteria is None:
                raise AnnexError(f"entry {eid}: a condition entry needs criteria",
                                 location=where)
            for j, k in enumerate(e.kinds):
                if k not in kinds:
                    raise AnnexError(f"entry {eid}: unknown kind {k!r}",
                                     location=doc.at((*base, "kinds", j)),
                                     hint=_near(k, kinds))
            ctx = _CritCtx(self, doc, eid, kinds, facts)
            crit = None if e.criteria is None else ctx.compile(e.criteria, (*base, "criteria"))
            excl = tuple(
                CompiledExclusion(x.id, x.note, ctx.compile(x.when, (*base, "exclusions", j,
                                                                      "when")), eid)
                for j, x in enumerate(e.exclusions)
            )
            treatment = None
            if e.treatment is not None:
                treatment = (ctx.compile(e.treatment.when, (*base, "treatment", "when")),
                             e.treatment.note)
            for j, ref in enumerate(e.superseded_by):
                if ref not in self.entries_raw:
                    raise AnnexError(f"entry {eid}: superseded_by names unknown entry {ref}",
                                     location=doc.at((*base, "superseded_by", j)))
            for j, ref in enumerate(e.cross_references):
                if not self.group_exists(ref):
                    raise AnnexError(f"entry {eid}: dangling cross-reference {ref}",
                                     location=doc.at((*base, "cross_references", j)))
            if e.role == "item" and crit is not None:
                used = ctx.params_used
                allowed = {p for k in e.kinds for p in kinds[k].parameters}
                stray = sorted(used - allowed)
                if stray:
                    raise AnnexError(
                        f"entry {eid}: parameter {stray[0]} is not a parameter of its kinds "
                        f"({', '.join(e.kinds)})",
                        location=where,
                        hint="add it to the kind in vocabulary.yaml",
                    )
            if e.incomplete:
                self.warnings.append(f"{doc.at(base)}: entry {eid} is incomplete: {e.incomplete}")
            out[eid] = CompiledEntry(
                id=eid,
                title=e.title,
                role=e.role,
                type=e.type,
                category=category,
                parent=derived_parent,
                kinds=frozenset(e.kinds),
                criteria=crit,
                superseded_by=tuple(e.superseded_by),
                exclusions=excl,
                treatment=treatment,
                provenance_status=e.provenance.status,
                provenance_basis=e.provenance.basis,
                label_inferred=e.provenance.label_inferred,
                incomplete=e.incomplete,
                order=order,
                scope=e.scope,
                notes=tuple(e.notes),
                cross_references=tuple(e.cross_references),
                keywords=tuple(e.keywords),
                sources=tuple(e.provenance.sources),
                item_title=self.item_titles[eid],
            )
        _check_cycles(out, self)
        return out

    def compile_general_notes(
        self, kinds: dict[str, KindInfo], facts: dict[str, FactInfo]
    ) -> dict[str, tuple[CompiledExclusion, ...]]:
        by_type: dict[str, list[CompiledExclusion]] = {}
        for i, gn in enumerate(self.manifest.general_notes):
            ctx = _CritCtx(self, self.manifest_doc, gn.id, kinds, facts)
            node = ctx.compile(gn.excludes_when, ("general_notes", i, "excludes_when"))
            for t in gn.applies_to_types:
                by_type.setdefault(t, []).append(CompiledExclusion(gn.id, gn.title, node, gn.id))
        return {k: tuple(v) for k, v in by_type.items()}


class _CritCtx:
    def __init__(self, comp: _Compiler, doc: _Doc, owner: str, kinds: dict[str, KindInfo],
                 facts: dict[str, FactInfo]) -> None:
        self.comp = comp
        self.doc = doc
        self.owner = owner
        self.kinds = kinds
        self.facts = facts
        self.params_used: set[str] = set()

    def fail(self, msg: str, path: tuple[str | int, ...], hint: str | None = None) -> AnnexError:
        return AnnexError(f"entry {self.owner}: {msg}", location=self.doc.at(path), hint=hint)

    def param(self, name: str, op: str, value: Any, unit: str,
              path: tuple[str | int, ...]) -> CParam:
        from mtcr_screen.units import to_unit

        info = self.comp.params.get(name)
        if info is None:
            raise self.fail(f"unknown parameter {name!r}", path,
                            hint=_near(name, self.comp.params))
        self.params_used.add(name)
        try:
            if isinstance(value, list):
                lo = to_unit(float(value[0]), unit, info.unit, info.dimension)
                hi: float | None = to_unit(float(value[1]), unit, info.unit, info.dimension)
            else:
                lo, hi = to_unit(float(value), unit, info.unit, info.dimension), None
        except MtcrScreenError as exc:
            raise self.fail(f"threshold for {name}: {exc.message}", path,
                            hint=f"{name} is a {info.dimension.replace('_', ' ')} in "
                                 f"{info.unit}") from None
        if op == "between" and hi is None:
            raise self.fail("op 'between' needs value: [low, high]", path)
        if op != "between" and hi is not None:
            raise self.fail(f"op {op!r} needs a single value", path)
        return CParam(name, op, lo, hi, info.unit, info.title)

    def compile(self, c: Any, path: tuple[str | int, ...]) -> Node:
        m = self.comp.m
        if isinstance(c, m.AllOf):
            return CAll(tuple(self.compile(x, (*path, "all", i)) for i, x in enumerate(c.all)))
        if isinstance(c, m.AnyOf):
            return CAny(tuple(self.compile(x, (*path, "any", i)) for i, x in enumerate(c.any)))
        if isinstance(c, m.NotOf):
            return CNot(self.compile(c.not_, (*path, "not")))
        if isinstance(c, m.ParamCriterion):
            return self.param(c.param, c.op, c.value, c.unit, path)
        if isinstance(c, m.FactCriterion):
            if c.fact not in self.facts:
                raise self.fail(f"unknown fact {c.fact!r}", path, hint=_near(c.fact, self.facts))
            return CFact(c.fact, c.is_)
        if isinstance(c, m.RelationCriterion):
            for i, t in enumerate(c.to):
                self.target(t, (*path, "to", i))
            return CRelation(c.relation, tuple(c.to))
        if isinstance(c, m.SubstanceCriterion):
            if not c.cas and not c.names:
                raise self.fail("a substance criterion needs cas or names", path)
            return CSubstance(frozenset(c.cas), frozenset(n.casefold() for n in c.names))
        if isinstance(c, m.EntryCriterion):
            if c.entry not in self.comp.entries_raw:
                raise self.fail(f"unknown entry {c.entry}", path)
            return CEntry(c.entry)
        if isinstance(c, m.KindCriterion):
            for i, k in enumerate(c.kind):
                if k not in self.kinds:
                    raise self.fail(f"unknown kind {k!r}", (*path, "kind", i))
            return CKind(frozenset(c.kind))
        if isinstance(c, m.CapabilityCriterion):
            s = c.capability
            cp = (*path, "capability")
            rng = self.param(s.range, ">=", s.min_range, s.min_range_unit, cp)
            pay = self.param(s.payload, ">=", s.min_payload, s.min_payload_unit, cp)
            r_at = (None if s.range_at_min_payload is None else
                    self.param(s.range_at_min_payload, ">=", s.min_range, s.min_range_unit, cp))
            p_at = (None if s.payload_at_min_range is None else
                    self.param(s.payload_at_min_range, ">=", s.min_payload, s.min_payload_unit,
                               cp))
            return CCapability(s.range, s.payload, rng, pay, r_at, p_at)
        if isinstance(c, m.SupportsCriterion):
            for i, t in enumerate(c.supports.targets):
                self.target(t, (*path, "supports", "targets", i))
            return CSupports(frozenset(c.supports.activities), tuple(c.supports.targets))
        raise self.fail(f"unsupported criterion {type(c).__name__}", path)  # pragma: no cover

    def target(self, t: str, path: tuple[str | int, ...]) -> None:
        from mtcr_screen.annex.model import TARGET_ID

        if not TARGET_ID.match(t) or not self.comp.group_exists(t):
            raise self.fail(f"{t!r} names no entry or group of entries", path)


def _near(name: str, options: Any) -> str | None:
    import difflib

    near = difflib.get_close_matches(name, list(options), n=3, cutoff=0.6)
    return ("did you mean " + " or ".join(near) + "?") if near else None


def _check_cycles(entries: dict[str, CompiledEntry], comp: _Compiler) -> None:
    state: dict[str, int] = {}

    def visit(eid: str, trail: list[str]) -> None:
        if state.get(eid) == 2:
            return
        if state.get(eid) == 1:
            cycle = " -> ".join([*trail[trail.index(eid):], eid])
            _, _, doc, i = comp.entries_raw[eid]
            raise AnnexError(f"entry {eid}: criteria refer to themselves ({cycle})",
                             location=doc.at(("entries", i, "criteria")))
        state[eid] = 1
        for node in walk(entries[eid].criteria):
            if isinstance(node, CEntry):
                visit(node.entry, [*trail, eid])
        state[eid] = 2

    for eid in entries:
        visit(eid, [])


def compile_annex(root: Path, digest: str | None = None) -> CompiledAnnex:
    """Read, validate and compile an Annex folder (no cache)."""
    comp = _Compiler(root, digest or annex_digest(root))
    kinds, aliases, facts = comp.compile_vocabulary()
    comp.collect_entries()
    entries = comp.compile_entries(kinds, facts)
    general = comp.compile_general_notes(kinds, facts)
    by_kind: dict[str, list[str]] = {}
    for e in entries.values():
        if e.role == "item":
            for k in e.kinds:
                by_kind.setdefault(k, []).append(e.id)
    man = comp.manifest
    return CompiledAnnex(
        edition=man.edition,
        date=man.date.isoformat(),
        title=man.title,
        sha256=comp.digest,
        path=str(root),
        entries=entries,
        by_kind={k: tuple(v) for k, v in by_kind.items()},
        general_exclusions=general,
        parameters=dict(comp.params),
        kinds=kinds,
        kind_aliases=aliases,
        facts=facts,
        warnings=tuple(comp.warnings),
        general_notes=tuple((g.id, g.title, g.text) for g in man.general_notes),
    )


def validate_annex(path: str | os.PathLike[str] | None) -> CompiledAnnex:
    """Validate without the cache (``mtcr-screen annex validate``)."""
    return load_annex(path, use_cache=False)

