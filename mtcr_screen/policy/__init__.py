"""The Guidelines as code: one small rule per module, each with a stable code.

``RULES`` is the explicit registry, in evaluation order. ``get_rule("POL102")`` returns a
rule module or raises :class:`~mtcr_screen.errors.UsageError` (``no such rule``).
"""

from __future__ import annotations

from types import ModuleType

from mtcr_screen.decision import Reason
from mtcr_screen.errors import UsageError
from mtcr_screen.policy import (
    cat1_presumption,
    cat1_production_facility,
    cat2_case_by_case,
    denied_party,
    destination_check,
    destination_concern,
    destination_context,
    destination_embargo,
    historical_profile,
    insufficient_information,
    list_currency,
    not_listed,
    partner_no_exemption,
    secondary_source,
    wmd_catch_all,
)
from mtcr_screen.policy.base import RuleContext

RULES: dict[str, ModuleType] = {
    m.CODE: m
    for m in (
        cat1_production_facility,
        cat1_presumption,
        wmd_catch_all,
        cat2_case_by_case,
        insufficient_information,
        not_listed,
        destination_check,
        destination_embargo,
        destination_concern,
        partner_no_exemption,
        destination_context,
        list_currency,
        denied_party,
        secondary_source,
        historical_profile,
    )
}


def get_rule(code: str) -> ModuleType:
    """The rule module for a code (case-insensitive) or name."""
    key = code.strip().upper()
    if key in RULES:
        return RULES[key]
    for m in RULES.values():
        if code.strip().lower() == m.NAME:
            return m
    raise UsageError(f"no such rule: {code!r}", location="CODE",
                     hint="see `mtcr-screen rules`")


def run_rules(ctx: RuleContext) -> list[Reason]:
    """Every rule's reasons for one item, in registry order."""
    out: list[Reason] = []
    for rule in RULES.values():
        out.extend(rule.evaluate(ctx))
    return out


def summary(rule: ModuleType) -> str:
    """The first docstring line after the code line: what it decides, in one sentence."""
    doc = rule.__doc__ or ""
    lines = [ln.strip() for ln in doc.splitlines()]
    try:
        start = lines.index("What it decides") + 1
    except ValueError:
        return ""
    para: list[str] = []
    for ln in lines[start:]:
        if not ln:
            break
        para.append(ln)
    text = " ".join(para).replace("**", "").replace("``", "")
    return text.split(". ")[0].rstrip(".") + "."
