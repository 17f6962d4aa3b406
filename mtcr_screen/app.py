"""Build and run: the steps between the CLI and the engine (load, read, screen).

The CLI parses options and calls these functions; they hold no click code, so the same
steps serve the library API and the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtcr_screen.errors import Location, MtcrScreenError, SpecError

if TYPE_CHECKING:
    from mtcr_screen.annex.compiled import CompiledAnnex
    from mtcr_screen.decision import Decision
    from mtcr_screen.destinations import DestinationLists
    from mtcr_screen.partyscreen import PartyScreening
    from mtcr_screen.policy.base import Profile
    from mtcr_screen.yamlio import Marks


@dataclass(frozen=True, slots=True)
class ScreenInput:
    """A transfer to screen, as read, with the input text as given (for the record)."""

    transfer: Any
    text: str
    source: str
    data: Any
    marks: Marks | None = None


def load_context(annex: str | None, lists: Sequence[str] = (), add_lists: Sequence[str] = (),
                 list_max_age: int | None = None) -> tuple[CompiledAnnex, DestinationLists]:
    """The Annex (cached) and the destination lists (``lists`` replace the shipped ones,
    ``add_lists`` are added after them)."""
    from mtcr_screen.annex.loader import load_annex
    from mtcr_screen.destinations import load_lists

    return load_annex(annex), load_lists([Path(p) for p in lists] if lists else None,
                                         add=[Path(p) for p in add_lists],
                                         max_age_days=list_max_age)


#: the flags that describe an item or a transfer without a spec file, by argument name
FLAG_OPTIONS = {"params": "--param", "facts": "--fact", "relations": "--relation",
                "cas": "--cas", "substance": "--substance", "destination": "--to",
                "end_use": "--end-use", "end_user": "--end-user", "red_flags": "--red-flag",
                "description": "--description"}


def read_input(spec_path: str | None, flags: dict[str, Any]) -> ScreenInput:
    """A spec file, or the quick-look flags (``--kind``, ``--param``...)."""
    if spec_path is not None:
        from mtcr_screen import spec as spec_mod

        if flags.get("kind"):
            raise SpecError("give either a SPEC file or --kind, not both", location="--kind")
        given = [option for name, option in FLAG_OPTIONS.items() if flags.get(name)]
        if given:
            # never screen the file as if the flags had been applied: a --red-flag left out
            # silently would clear what it should deny
            also = f" (also given: {', '.join(given[1:])})" if len(given) > 1 else ""
            raise SpecError(
                f"cannot be combined with a SPEC file, which describes the whole transfer{also}",
                location=given[0],
                hint="put them in the spec file, or give --kind and the flags without a file")
        transfer, text, data, marks = spec_mod.read_spec_file(spec_path)
        # stdin errors are reported against the source name "-", without a line
        return ScreenInput(transfer, text, spec_path, data, None if spec_path == "-" else marks)
    if not flags.get("kind"):
        raise SpecError("nothing to screen", location="command line",
                        hint="give a SPEC file, or --kind with --param NAME=VALUE")
    from mtcr_screen.specdata import transfer_from_flags

    plain, text, data = transfer_from_flags(**flags)
    return ScreenInput(plain, text, "command line", data, None)


def locate_error(exc: MtcrScreenError, inp: ScreenInput) -> MtcrScreenError:
    """Give an engine-side SpecError (unknown kind, bad unit) the line it came from."""
    if exc.location is not None or exc.path is None:
        if exc.location is None:
            exc.location = Location(inp.source)
        return exc
    path = exc.path
    single = isinstance(inp.data, dict) and "items" not in inp.data
    if single and path[:2] == ("items", 0):
        path = path[2:]
    if inp.marks is not None:
        exc.location = (inp.marks.key_location(tuple(path)) if exc.key
                        else inp.marks.location(tuple(path)))
        return exc
    if inp.source == "command line":
        exc.location = Location("--" + ("param" if "parameters" in path else
                                        "kind" if "kind" in path else "fact"))
    else:
        exc.location = Location(inp.source)
    return exc


def load_parties(files: Sequence[str], threshold: float | None) -> PartyScreening | None:
    """The denied-party lists given with ``--parties`` (None when none are given)."""
    if not files:
        if threshold is not None:
            raise SpecError("--party-threshold needs --parties FILE", location="--party-threshold")
        return None
    from mtcr_screen.parties import DEFAULT_THRESHOLD
    from mtcr_screen.partyscreen import PartyScreening

    return PartyScreening.load(files, DEFAULT_THRESHOLD if threshold is None else threshold)


def screen_input(inp: ScreenInput, annex: CompiledAnnex, lists: DestinationLists,
                 profile: Profile | None = None,
                 parties: PartyScreening | None = None) -> Decision:
    """Screen a read input; SpecErrors carry their location."""
    from mtcr_screen.engine import Engine
    from mtcr_screen.policy.base import CURRENT

    try:
        decision = Engine(annex, lists, profile or CURRENT, parties).screen(inp.transfer)
        if profile is not None and profile.name != CURRENT.name:
            decision = _with_current_comparison(decision, inp, annex, lists, profile)
        return decision
    except MtcrScreenError as exc:
        raise locate_error(exc, inp) from None


def _with_current_comparison(decision: Decision, inp: ScreenInput, annex: CompiledAnnex,
                             lists: DestinationLists, profile: Profile) -> Decision:
    """Add the current Guidelines' outcome to a historical-profile decision."""
    import dataclasses

    from mtcr_screen.engine import Engine
    from mtcr_screen.policy.base import CURRENT
    from mtcr_screen.policy.historical_profile import comparison

    now = Engine(annex, lists, CURRENT).screen(inp.transfer)
    note = comparison(profile.title,
                      (decision.category, decision.recommendation.value, decision.entries),
                      (now.category, now.recommendation.value, now.entries))
    return dataclasses.replace(decision, rationale=(*decision.rationale, note))


def open_log(log_path: str | None, *, existing: bool = False) -> Any:
    """The decision log at ``log_path``, or the default one (``MTCR_SCREEN_LOG`` or the
    user's data directory). ``existing``: to read it, so a log that is not there is an
    error rather than a new, empty log (which would read as "no records")."""
    from mtcr_screen.errors import LogError
    from mtcr_screen.records import DecisionLog, default_log_path

    path = Path(log_path) if log_path else default_log_path()
    if existing and not path.exists():
        raise LogError("no decision log here", location=str(path),
                       hint="give --log with the log's path (or set MTCR_SCREEN_LOG)")
    return DecisionLog(path)


def record_decision(inp: ScreenInput, decision: Decision, *, kind: str = "screen",
                    log_path: str | None = None, operator: str | None = None,
                    ref: str | None = None) -> int:
    """Append one decision to the log; returns the record id."""
    from mtcr_screen import __version__
    from mtcr_screen.records import NewRecord

    fmt = "flags" if inp.source == "command line" else (
        "json" if inp.source.endswith(".json") else "yaml")
    entry = NewRecord(
        kind=kind,  # type: ignore[arg-type]
        input_text=inp.text,
        input_format=fmt,
        tool_version=__version__,
        annex_edition=decision.annex_edition,
        annex_sha256=decision.annex_sha256,
        lists=[dict(x) for x in decision.lists],
        decision=decision.to_dict(),
        recommendation=decision.recommendation.value,
        category=decision.category,
        operator=operator,
        ref=ref or decision.reference,
    )
    with open_log(log_path) as log:
        return int(log.append(entry).id)


def input_from_record(record: Any) -> ScreenInput:
    """Rebuild a logged input (a ``LogRecord``) with the readers that read it first.

    ``yaml`` and ``json`` inputs are the spec text as given, parsed again; ``flags`` inputs
    are the JSON that ``screen --kind ...`` logged, turned back into the same flags and read
    by :func:`~mtcr_screen.specdata.transfer_from_flags`. A SpecError names the record.
    """
    import json

    from mtcr_screen import yamlio
    from mtcr_screen.spec import transfer_from_data

    source = f"log record {record.id}"
    fmt, text = record.input_format, record.input_text
    if fmt == "flags":
        return _flags_input(record, source)
    if fmt == "json":
        try:
            data = json.loads(text, parse_constant=_not_a_number)
        except ValueError as exc:
            raise SpecError(f"malformed JSON: {exc}", location=source) from None
        marks = None
    elif fmt == "yaml":
        data, marks = yamlio.load(text.encode("utf-8"), source)
    else:
        raise SpecError(f"cannot replay input format {fmt!r}", location=source,
                        hint="this mtcr-screen replays yaml, json and flags inputs")
    if data is None:
        raise SpecError("the spec is empty", location=source)
    return ScreenInput(transfer_from_data(data, source, marks), text, source, data, None)


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _flags_input(record: Any, source: str) -> ScreenInput:
    import json

    from mtcr_screen.specdata import transfer_from_flags

    try:
        data = json.loads(record.input_text)
    except ValueError as exc:
        raise SpecError(f"malformed flags record: {exc}", location=source) from None
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        raise SpecError("malformed flags record: no kind", location=source)

    def pairs(key: str) -> list[str]:
        value = data.get(key) or {}
        return [f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in value.items()]

    try:
        transfer, text, plain = transfer_from_flags(
            kind=data["kind"], params=pairs("parameters"), facts=pairs("facts"),
            relations=pairs("relations"), destination=data.get("destination"),
            end_use=data.get("end_use"), end_user=data.get("end_user"),
            red_flags=list(data.get("red_flags") or ()), cas=data.get("cas"),
            substance=data.get("substance"), description=data.get("description"))
    except SpecError as exc:
        exc.location = Location(source)
        raise
    return ScreenInput(transfer, text, source, plain, None)


#: manifests up to this size are stored in the log as given; larger ones by hash only
LOG_MANIFEST_MAX_BYTES = 5 * 1024 * 1024


def record_batch(manifest: str, source: str, summary: Any, annex: CompiledAnnex,
                 lists: Sequence[dict[str, str]], *, log_path: str | None = None,
                 operator: str | None = None, ref: str | None = None) -> int:
    """Append one record for a whole batch run: the manifest (or its hash when large or
    read from stdin), the counts per recommendation and category, and every rejected row
    the summary kept."""
    import hashlib

    from mtcr_screen import __version__
    from mtcr_screen.decision import Recommendation
    from mtcr_screen.records import NewRecord

    text = f"<{source}: not stored>"
    digest = None
    size = None
    if manifest != "-":
        try:
            h = hashlib.sha256()
            size = 0
            head = bytearray()
            with open(manifest, "rb") as fh:  # streamed: memory stays flat for big files
                while block := fh.read(1 << 20):
                    h.update(block)
                    size += len(block)
                    if len(head) <= LOG_MANIFEST_MAX_BYTES:
                        head += block
            digest = h.hexdigest()
            if size <= LOG_MANIFEST_MAX_BYTES:
                text = bytes(head).decode("utf-8", errors="replace")
            else:
                text = f"<{source}: {size} bytes, sha256 {digest}, not stored>"
        except OSError:
            pass
    worst = next((r for r in Recommendation if r.severity == summary.worst),
                 Recommendation.INSUFFICIENT_INFORMATION)
    by_cat = dict(summary.by_category)
    category = next((c for c in ("I", "undetermined", "II", "not_listed") if by_cat.get(c)),
                    "not_listed")
    decision = {
        "schema_version": "1",
        "kind": "batch",
        "manifest": source,
        "manifest_sha256": digest,
        "manifest_bytes": size,
        "rows": summary.rows,
        "by_recommendation": dict(summary.by_recommendation),
        "by_category": by_cat,
        "rejected": summary.rejected,
        "rejected_rows": [r.to_dict() for r in summary.rejected_rows],
        "recommendation": worst.value,
        "annex": {"edition": annex.edition, "sha256": annex.sha256},
    }
    entry = NewRecord(
        kind="batch",
        input_text=text,
        input_format="manifest",
        tool_version=__version__,
        annex_edition=annex.edition,
        annex_sha256=annex.sha256,
        lists=[dict(x) for x in lists],
        decision=decision,
        recommendation=worst.value,
        category=category,
        operator=operator,
        ref=ref,
    )
    with open_log(log_path) as log:
        return int(log.append(entry).id)
