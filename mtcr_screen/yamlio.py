"""Read YAML safely and remember where every value came from.

PyYAML's loaders keep the last of two duplicate keys, expand aliases without limit
("billion laughs") and recurse on deep nesting. This module builds Python values from
the *event* stream instead, in one iterative pass:

* duplicate mapping keys are an error naming both lines;
* the number of values built (aliases expanded included) and the nesting depth are
  capped (:class:`Limits`), so a hostile document is refused quickly in bounded memory;
* every value's position is kept in a :class:`Marks` table keyed by its path
  (``("entries", 3, "criteria")``), so that a pydantic error location can be mapped back
  to ``file:line:col`` (:func:`locate`, :func:`pydantic_error`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from mtcr_screen.errors import Location, MtcrScreenError, SpecError, UsageError

try:  # libyaml's parser when available (it is in the PyPI wheels)
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on untrusted input (``docs/limits.md``). Override each with the environment
    variable ``MTCR_SCREEN_`` + its upper-case name, e.g. ``MTCR_SCREEN_MAX_STRING``."""

    max_bytes: int = 20 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 2_000_000
    max_string: int = 65_536
    max_items: int = 10_000

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by MTCR_SCREEN_MAX_BYTES / _MAX_DEPTH / _MAX_NODES /
        _MAX_STRING / _MAX_ITEMS (a positive whole number; anything else is an error)."""
        d = cls()
        values: dict[str, int] = {}
        for name in ("max_bytes", "max_depth", "max_nodes", "max_string", "max_items"):
            var = f"MTCR_SCREEN_{name.upper()}"
            raw = os.environ.get(var)
            if raw is None:
                values[name] = getattr(d, name)
                continue
            try:
                value = int(raw.strip().replace("_", ""))
            except ValueError:
                value = 0
            if value < 1:
                raise UsageError(f"{raw!r} is not a positive whole number", location=var)
            values[name] = value
        return cls(**values)


def check_tree(data: Any, source: str, lim: Limits,
               error: type[MtcrScreenError] = SpecError) -> None:
    """Apply the depth, size and string-length limits to already parsed data (JSON)."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    nodes = 0
    while stack:
        value, depth, where = stack.pop()
        nodes += 1
        if nodes > lim.max_nodes:
            raise error(f"the document has more than {lim.max_nodes:,} values",
                        location=source, hint="raise MTCR_SCREEN_MAX_NODES if this is intended")
        short = where if len(where) <= 60 else where[:60] + "..."
        label = f"{source}: {short}" if short else source
        if isinstance(value, str):
            _check_string(value, label, lim, error)
        elif isinstance(value, dict | list):
            if depth >= lim.max_depth:
                raise error(f"nesting deeper than {lim.max_depth} levels", location=label,
                            hint="raise MTCR_SCREEN_MAX_DEPTH if this is intended")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                if isinstance(k, str):
                    _check_string(k, source, lim, error)
                sub = f"{where}.{k}" if isinstance(k, str) and where else (
                    f"{where}[{k}]" if isinstance(k, int) else str(k))
                stack.append((v, depth + 1, sub))


def _check_string(value: str, location: str | Location, lim: Limits,
                  error: type[MtcrScreenError]) -> None:
    if len(value) > lim.max_string:
        raise error(f"a text value of {len(value):,} characters is over the limit of "
                    f"{lim.max_string:,}", location=location,
                    hint="raise MTCR_SCREEN_MAX_STRING if this is intended")


class Marks:
    """Positions (1-based line and column) of values, keyed by their path in the document."""

    __slots__ = ("_keys", "_marks", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._marks: dict[Path_, tuple[int, int]] = {}
        self._keys: dict[Path_, tuple[int, int]] = {}

    def add_key(self, path: Path_, line: int, column: int) -> None:
        """Record where the mapping key of ``path`` is written."""
        self._keys.setdefault(path, (line, column))

    def key_location(self, path: Path_, detail: str | None = None) -> Location:
        """Where the key of ``path`` is written (for unknown keys), else its value."""
        m = self._keys.get(tuple(path))
        if m is not None:
            return Location(self.source, m[0], m[1], detail)
        return self.location(path, detail)

    def add(self, path: Path_, line: int, column: int) -> None:
        """Record where the value at ``path`` starts."""
        self._marks.setdefault(path, (line, column))

    def get(self, path: Path_) -> tuple[int, int] | None:
        """The position of ``path``, or None."""
        return self._marks.get(path)

    def location(self, path: Path_, detail: str | None = None) -> Location:
        """The nearest known position at or above ``path``."""
        p = tuple(path)
        while True:
            m = self._marks.get(p)
            if m is not None:
                return Location(self.source, m[0], m[1], detail)
            if not p:
                return Location(self.source, None, None, detail)
            p = p[:-1]

    def sub(self, prefix: Path_, source: str | None = None) -> Marks:
        """The marks below ``prefix``, re-rooted (for one row of a YAML manifest)."""
        out = Marks(source or self.source)
        n = len(prefix)
        for path, m in self._marks.items():
            if path[:n] == prefix:
                out._marks[path[n:]] = m
        for path, m in self._keys.items():
            if path[:n] == prefix:
                out._keys[path[n:]] = m
        return out


_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_FLOAT = "tag:yaml.org,2002:float"
_TRUE_FALSE = frozenset({"true", "false"})
_FLOAT_12 = re.compile(r"^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)[eE][-+]?\d+$")


def _scalar(event: Any) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        # YAML 1.2 rules where YAML 1.1 surprises people: "NO" (Norway), "yes", "on" stay
        # strings; "1e6" is a number.
        if tag == _BOOL and event.value.lower() not in _TRUE_FALSE:
            tag = _STR
        elif tag == _STR and event.implicit[0] and _FLOAT_12.match(event.value):
            tag = _FLOAT
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    constructor = _constructor.yaml_constructors.get(tag)
    if constructor is None:
        raise yaml.constructor.ConstructorError(
            None, None, f"unsupported tag {tag!r}", event.start_mark
        )
    return constructor(_constructor, node)


class _Frame:
    __slots__ = ("key", "keys", "kind", "path", "value")

    def __init__(self, kind: str, value: Any, path: Path_) -> None:
        self.kind = kind
        self.value = value
        self.path = path
        self.key: Any = _NO_KEY
        self.keys: dict[Any, int] = {}


_NO_KEY = object()


def _copy_count(value: Any) -> int:
    """How many values an alias re-uses (to count towards max_nodes)."""
    stack, n = [value], 0
    while stack:
        v = stack.pop()
        n += 1
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return n


def load(
    data: str | bytes,
    source: str,
    *,
    limits: Limits | None = None,
    error: type[MtcrScreenError] = SpecError,
) -> tuple[Any, Marks]:
    """Parse one YAML document into plain Python values and their marks.

    Raises ``error`` (a :class:`MtcrScreenError` subclass) with a ``file:line:col`` location
    for malformed YAML, duplicate keys, more than one document, or input over the limits.
    """
    lim = limits or Limits.from_env()
    if len(data) > lim.max_bytes:
        raise error(
            f"input is {len(data):,} bytes, over the limit of {lim.max_bytes:,}",
            location=source,
            hint="raise MTCR_SCREEN_MAX_BYTES if this is intended",
        )
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise error(
                f"not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x})",
                location=source,
                hint="save the file as UTF-8",
            ) from None
    elif data.startswith("\ufeff"):
        data = data[1:]
    marks = Marks(source)
    try:
        events: Iterable[Any] = yaml.parse(data, Loader=_Loader)
        root = _build(events, marks, lim, error, source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(source, mark.line + 1, mark.column + 1) if mark else Location(source)
        problem = exc.problem or exc.context or "malformed YAML"
        raise error(f"malformed YAML: {problem}", location=loc) from None
    except yaml.YAMLError as exc:
        raise error(f"malformed YAML: {exc}", location=source) from None
    return root, marks


def _at(source: str, mark: Any) -> Location:
    return Location(source, mark.line + 1, mark.column + 1)


def _build(
    events: Iterable[Any],
    marks: Marks,
    lim: Limits,
    error: type[MtcrScreenError],
    source: str,
) -> Any:
    stack: list[_Frame] = []
    anchors: dict[str, Any] = {}
    root: Any = None
    documents = 0
    nodes = 0

    def attach(value: Any, mark: Any, anchor: str | None, is_container: bool) -> Path_:
        nonlocal root
        line, col = mark.line + 1, mark.column + 1
        if not stack:
            root = value
            marks.add((), line, col)
            path: Path_ = ()
        else:
            top = stack[-1]
            if top.kind == "seq":
                path = (*top.path, len(top.value))
                top.value.append(value)
                marks.add(path, line, col)
            elif top.key is _NO_KEY:
                if is_container:
                    raise error("a mapping or list cannot be used as a key",
                                location=Location(source, line, col))
                try:
                    hash(value)
                except TypeError:
                    raise error(
                        "unusable mapping key", location=Location(source, line, col)
                    ) from None
                if value in top.keys:
                    first = top.keys[value]
                    raise error(
                        f"duplicate key {value!r} (first given on line {first})",
                        location=Location(source, line, col),
                    )
                top.keys[value] = line
                if isinstance(value, str | int):
                    marks.add_key((*top.path, value), line, col)
                top.key = value
                return top.path
            else:
                key = top.key
                path = (*top.path, key if isinstance(key, str | int) else str(key))
                top.value[key] = value
                marks.add(path, line, col)
                top.key = _NO_KEY
        if anchor is not None:
            anchors[anchor] = value
        return path

    ev: Any
    for ev in events:
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise error(
                    "more than one YAML document in the input",
                    location=_at(source, ev.start_mark),
                    hint="remove the extra '---'",
                )
        elif isinstance(ev, yaml.ScalarEvent):
            nodes += 1
            _check_string(ev.value, _at(source, ev.start_mark), lim, error)
            attach(_scalar(ev), ev.start_mark, ev.anchor, False)
        elif isinstance(ev, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            nodes += 1
            if len(stack) >= lim.max_depth:
                raise error(
                    f"nesting deeper than {lim.max_depth} levels",
                    location=_at(source, ev.start_mark),
                    hint="raise MTCR_SCREEN_MAX_DEPTH if this is intended",
                )
            is_map = isinstance(ev, yaml.MappingStartEvent)
            value: Any = {} if is_map else []
            path = attach(value, ev.start_mark, ev.anchor, True)
            stack.append(_Frame("map" if is_map else "seq", value, path))
        elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
        elif isinstance(ev, yaml.AliasEvent):
            if ev.anchor not in anchors:
                raise error(
                    f"unknown alias *{ev.anchor}",
                    location=_at(source, ev.start_mark),
                )
            target = anchors[ev.anchor]
            nodes += _copy_count(target)
            if nodes > lim.max_nodes:
                raise error(
                    f"the document expands to more than {lim.max_nodes:,} values "
                    "(alias expansion)",
                    location=_at(source, ev.start_mark),
                    hint="aliases may not multiply the document (\"billion laughs\")",
                )
            attach(target, ev.start_mark, None, isinstance(target, dict | list))
        if nodes > lim.max_nodes:
            raise error(
                f"the document has more than {lim.max_nodes:,} values",
                location=source,
                hint="raise MTCR_SCREEN_MAX_NODES if this is intended",
            )
    return root


def locate(marks: Marks, data: Any, loc: Sequence[str | int]) -> Location:
    """Map a pydantic error ``loc`` onto the document, skipping pydantic's own tags
    (union member names, ``function-after[...]``) that are not keys of the data."""
    return marks.location(_data_path(data, loc))


def _data_path(data: Any, loc: Sequence[str | int]) -> Path_:
    """The part of ``loc`` that names keys and indexes of ``data``: a part that is not a key
    or index there is a missing or extra key, or a pydantic union tag, and is skipped."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if _has(current, part):
            path.append(part)
            current = current[part]
    return tuple(path)


def _has(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    if isinstance(container, list):
        return isinstance(part, int) and 0 <= part < len(container)
    return False


def describe_path(loc: Sequence[str | int], data: Any) -> str:
    """``entries[3].criteria.op``: the data path of a pydantic error, tags removed."""
    out = ""
    current = data
    loc = list(loc)
    for i, part in enumerate(loc):
        if _is_tag(current, part, loc[i + 1:]):
            continue
        if isinstance(current, dict) and part in current:
            out += f".{part}" if out else str(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out += f"[{part}]"
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and _looks_like_field(part):
            out += f".{part}" if out else part
            current = None
    return out


def _is_tag(current: Any, part: str | int, rest: Sequence[str | int]) -> bool:
    """A union tag that is also a key (``param`` of ``{param: x, op: ...}``): the error is
    about a sibling field, not about the key's scalar value."""
    return (bool(rest) and isinstance(current, dict) and part in current
            and not isinstance(current[part], dict | list)
            and isinstance(rest[0], str) and _looks_like_field(rest[0])
            and rest[0] not in _TYPE_TAGS)


# pydantic's names for the members of a union of plain types (``str | float | int``)
_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "list", "dict", "none", "bytes"})


def _looks_like_field(part: str) -> bool:
    return part.replace("_", "").isalnum() and not part[:1].isupper()


_TYPE_WORDS = {"string_type": "text", "float_type": "a number", "int_type": "a whole number",
               "bool_type": "true or false"}


_UNION_MEMBERS = frozenset({"str", "float", "int", "bool"})


def _union_alternatives(errors: list[Any]) -> tuple[tuple[Any, ...], list[str], int] | None:
    """When the first errors are the members of a union each refusing the same value's type
    (``parameters.range.str``, ``.float``, ``.int``): that value's location, what it could
    have been, and how many other values are in error (each counted once)."""
    locs = [tuple(e.get("loc", ())) for e in errors]
    first = locs[0]
    if len(first) < 2 or first[-1] not in _UNION_MEMBERS:
        return None
    base = first[:-1]
    mine = [e for e, loc in zip(errors, locs, strict=True)
            if loc[:-1] == base and loc[-1] in _UNION_MEMBERS]
    if len(mine) < 2:
        return None
    wanted = [_TYPE_WORDS.get(str(e.get("type"))) for e in mine]
    if any(w is None for w in wanted):
        return None
    words = list(dict.fromkeys(w for w in wanted if w))
    if "a number" in words and "a whole number" in words:
        words.remove("a whole number")
    others = {loc[:-1] if loc and loc[-1] in _UNION_MEMBERS else loc
              for loc in locs if loc[:-1] != base}
    return base, words, len(others)


def _kind_of(value: Any) -> str:
    """``a list``, ``a mapping``, ``true``: what was given instead."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def pydantic_error(
    exc: Any,
    data: Any,
    marks: Marks | None,
    source: str,
    error: type[MtcrScreenError],
    prefix: str = "",
) -> MtcrScreenError:
    """Turn the first error of a pydantic ``ValidationError`` into one located error."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(first.get("loc", ()))
    more = len(errors) - 1
    union = _union_alternatives(errors)
    if union is not None:
        # one value that matched none of a union's types: one problem, not one per type
        loc, wanted, more = union
        first = {**first, "loc": loc, "msg": f"expected {' or '.join(wanted)}, got "
                 f"{_kind_of(first.get('input'))}"}
    field = describe_path(loc, data)
    msg = str(first.get("msg", "invalid value"))
    ctx = first.get("ctx") or {}
    inner = ctx.get("error") if isinstance(ctx, dict) else None
    if isinstance(inner, MtcrScreenError):
        msg = inner.message
        hint = inner.hint
    else:
        msg = msg.removeprefix("Value error, ")
        hint = None
    where = locate(marks, data, loc) if marks is not None else Location(source)
    if first.get("type") == "extra_forbidden":
        msg = "unknown field"
        if marks is not None and where.line is not None:
            path = _data_path(data, loc)
            where = marks.key_location(path)
    label = f"{prefix}{field}" if field else prefix.rstrip(".")
    text = f"{label}: {msg}" if label else msg
    if msg.startswith(f"{field}:") or (field and msg.startswith(field.split(".")[-1] + ":")):
        text = f"{prefix}{msg}" if prefix else msg
    if more:
        text += f" (and {more} more problem{'s' if more > 1 else ''})"
    return error(text, location=where, hint=hint)
