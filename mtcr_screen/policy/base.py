"""What every policy rule sees, and the shape of a rule module.

A rule is a module with ``CODE`` (stable, e.g. ``POL102``), ``NAME`` (kebab-case),
``PARAGRAPH`` (the Guidelines paragraph it implements), ``READS`` (the context paths it
reads, such as ``result.matches`` or ``transfer.destination``: see
:mod:`mtcr_screen.policy.memo`) and ``evaluate(ctx) -> list[Reason]``.
Its module docstring is its documentation, with the sections "What it decides",
"Why (Guidelines paragraph)", "Example" and "Annex references" (a test checks them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from mtcr_screen.decision import Reason, Recommendation

if TYPE_CHECKING:
    from mtcr_screen.annex.compiled import CompiledAnnex
    from mtcr_screen.classify import Classification, ItemView
    from mtcr_screen.destinations import ListHit
    from mtcr_screen.specdata import ItemLike, TransferLike

SECTIONS = ("What it decides", "Why (Guidelines paragraph)", "Example", "Annex references")


@dataclass(frozen=True, slots=True)
class Profile:
    """Which Guidelines are applied: the current ones, or the original 1987 regime."""

    name: str
    title: str
    tradeoff: bool = True
    catch_all: frozenset[str] = frozenset({"nuclear", "chemical", "biological"})
    exclude_items: frozenset[int] = frozenset()


CURRENT = Profile("current", "current Guidelines (1993 onwards, as amended)")


@dataclass(frozen=True, slots=True)
class RuleContext:
    """One item of a transfer, classified, with the transfer around it."""

    index: int
    spec: ItemLike
    item: ItemView
    result: Classification
    transfer: TransferLike
    annex: CompiledAnnex
    destination_hits: tuple[ListHit, ...] = ()
    profile: Profile = CURRENT
    extra: dict[str, object] = field(default_factory=dict)


class Rule(Protocol):
    """The interface of a rule module (checked by tests/test_rules_docs.py and
    tests/test_policy_reads.py)."""

    CODE: str
    NAME: str
    PARAGRAPH: str
    READS: tuple[str, ...]
    evaluate: Callable[[RuleContext], list[Reason]]


def reason(module_code: str, module_name: str, paragraph: str, message: str, *,
           entry: str | None = None, recommendation: Recommendation | None = None,
           details: tuple[str, ...] = ()) -> Reason:
    """Build a Reason for a rule."""
    return Reason(code=module_code, rule=module_name, message=message, paragraph=paragraph,
                  entry=entry, recommendation=recommendation, details=details)
