"""The Annex schema: what a valid ``annex/`` folder of YAML files may say.

These pydantic models are used when the Annex is loaded from YAML (and by
``mtcr-screen annex validate``). The screening engine runs on the compiled form in
:mod:`mtcr_screen.annex.compiled`, which is cached, so screening does not pay for
validation. The full schema is documented in ``annex/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

_TAIL = r"(\.\d{1,2}(\.[a-z](\.\d{1,2}(\.[a-z](\.\d{1,2})?)?)?)?)?"
ENTRY_ID = re.compile(r"^\d{1,2}\.[A-E]" + _TAIL + "$")
TARGET_ID = re.compile(r"^\d{1,2}(\.[A-E]" + _TAIL + ")?$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")

Op = Literal[">=", ">", "<=", "<", "==", "between"]
RelationLevel = Literal["usable", "designed_or_modified", "specially_designed"]
Activity = Literal["development", "production", "use"]
EntryType = Literal[
    "system",
    "subsystem",
    "component",
    "equipment",
    "test_equipment",
    "production_facility",
    "production_equipment",
    "material",
    "chemical",
    "software",
    "technology",
]
Role = Literal["item", "heading", "condition"]
ProvenanceStatus = Literal["verified", "equivalent", "partial", "secondary", "reconstructed"]
Direction = Literal["higher", "lower", "none"]


class _Strict(BaseModel):
    # no NaN or infinite figure: a NaN threshold compares false both ways and would
    # silently rule an entry out
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- criteria


class AllOf(_Strict):
    """True when every sub-criterion is true (Kleene AND)."""

    all: list[Criterion] = Field(min_length=1)


class AnyOf(_Strict):
    """True when at least one sub-criterion is true (Kleene OR)."""

    any: list[Criterion] = Field(min_length=1)


class NotOf(_Strict):
    """True when the sub-criterion is false."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    not_: Criterion = Field(alias="not")


class ParamCriterion(_Strict):
    """A threshold on a parameter: ``{param: range, op: ">=", value: 300, unit: km}``.

    ``op: between`` takes ``value: [low, high]``, both ends included (the Annex does not
    say; including them is the fail-closed reading).
    """

    param: str
    op: Op
    value: float | list[float]
    unit: str
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _value_shape(cls, v: float | list[float]) -> float | list[float]:
        if isinstance(v, list) and (len(v) != 2 or v[0] > v[1]):
            raise ValueError("a 'between' value is a list [low, high] with low <= high")
        return v


class FactCriterion(_Strict):
    """A yes/no fact the item states or leaves unknown: ``{fact: civil_certified}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    fact: str
    is_: bool = Field(default=True, alias="is")


class RelationCriterion(_Strict):
    """What the item is usable in / designed or modified for / specially designed for.

    ``{relation: usable, to: ["1.A", "19.A.1"]}``. The levels nest: specially designed
    implies designed or modified, which implies usable.
    """

    relation: RelationLevel
    to: list[str] = Field(min_length=1)


class SubstanceCriterion(_Strict):
    """A chemical identified by CAS number (and, since CAS numbers are not unique, names)."""

    cas: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)


class EntryCriterion(_Strict):
    """The criteria of another entry (a sub-paragraph used as a condition)."""

    entry: str


class KindCriterion(_Strict):
    """The item is of one of these kinds."""

    kind: list[str] = Field(min_length=1)


class CapabilitySpec(_Strict):
    """Range/payload capability with the Annex trade-off note (see annex/README.md)."""

    range: str
    payload: str
    min_range: float = Field(gt=0)
    min_range_unit: str
    min_payload: float = Field(ge=0)  # 0: any payload (Item 19)
    min_payload_unit: str
    range_at_min_payload: str | None = None
    payload_at_min_range: str | None = None


class CapabilityCriterion(_Strict):
    """The system can deliver at least ``min_payload`` to at least ``min_range``."""

    capability: CapabilitySpec


class SupportsSpec(_Strict):
    """Software or technology for given activities on given entries."""

    activities: list[Activity] = Field(min_length=1)
    targets: list[str] = Field(min_length=1)


class SupportsCriterion(_Strict):
    """``{supports: {activities: [development, production, use], targets: ["2.A"]}}``."""

    supports: SupportsSpec


def _criterion_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        for key in (
            "all", "any", "not", "param", "fact", "relation", "cas", "names", "entry",
            "kind", "capability", "supports",
        ):
            if key in v:
                return {"names": "cas"}.get(key, key)
        return None
    for tag, cls in _TAGS.items():
        if isinstance(v, cls):
            return tag
    return None


Criterion = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[ParamCriterion, Tag("param")]
    | Annotated[FactCriterion, Tag("fact")]
    | Annotated[RelationCriterion, Tag("relation")]
    | Annotated[SubstanceCriterion, Tag("cas")]
    | Annotated[EntryCriterion, Tag("entry")]
    | Annotated[KindCriterion, Tag("kind")]
    | Annotated[CapabilityCriterion, Tag("capability")]
    | Annotated[SupportsCriterion, Tag("supports")],
    Discriminator(
        _criterion_tag,
        custom_error_type="criterion",
        custom_error_message=(
            "a criterion needs one of the keys all, any, not, param, fact, relation, cas, "
            "entry, kind, capability, supports"
        ),
    ),
]

_TAGS: dict[str, type[BaseModel]] = {
    "all": AllOf,
    "any": AnyOf,
    "not": NotOf,
    "param": ParamCriterion,
    "fact": FactCriterion,
    "relation": RelationCriterion,
    "cas": SubstanceCriterion,
    "entry": EntryCriterion,
    "kind": KindCriterion,
    "capability": CapabilityCriterion,
    "supports": SupportsCriterion,
}

for _m in (AllOf, AnyOf, NotOf):
    _m.model_rebuild()


# --------------------------------------------------------------------------- entries


class Provenance(_Strict):
    """How sure the encoding is, as the reference material gives it."""

    status: ProvenanceStatus
    basis: str = Field(min_length=1, description="what the encoding rests on, in a few words")
    sources: list[str] = Field(default_factory=list)
    label_inferred: bool = False


class Exclusion(_Strict):
    """A note that takes items out of an entry (``does not control ...``).

    An exclusion applies only when its condition is *known* to be true. Unknown means it
    is not claimed, which can only keep an item controlled (fail closed); the rationale
    then says which fact would release it.
    """

    id: str = Field(pattern=NAME.pattern)
    note: str
    when: Criterion


class Treatment(_Strict):
    """A note allowing a Category I sub-item to be treated as Category II."""

    category: Literal["II"] = "II"
    when: Criterion
    note: str


class Entry(_Strict):
    """One Annex entry: its id exactly as the Annex writes it, and its criteria."""

    id: str = Field(pattern=ENTRY_ID.pattern)
    title: str = Field(min_length=3)
    role: Role = "item"
    type: EntryType | None = None
    parent: str | None = None
    kinds: list[str] = Field(default_factory=list)
    criteria: Criterion | None = None
    superseded_by: list[str] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    treatment: Treatment | None = None
    scope: str | None = None
    notes: list[str] = Field(default_factory=list)
    cross_references: list[str] = Field(default_factory=list)
    provenance: Provenance
    incomplete: str | None = None
    keywords: list[str] = Field(default_factory=list)


class ItemFile(_Strict):
    """One Annex Item (``items/09.yaml``)."""

    item: int = Field(ge=1, le=99)
    title: str
    category: Literal["I", "II"]
    reserved: bool = False
    notes: list[str] = Field(default_factory=list)
    entries: list[Entry] = Field(default_factory=list)


# --------------------------------------------------------------------------- vocabulary


class ParameterDef(_Strict):
    """A technical parameter: its canonical unit and which way is 'more capable'."""

    title: str
    unit: str
    dimension: str | None = None
    direction: Direction = "higher"
    allow_negative: bool = False
    description: str | None = None


class FactDef(_Strict):
    """A yes/no fact an item can state."""

    title: str
    question: str
    description: str | None = None


class KindDef(_Strict):
    """An item kind, the parameters it may carry and other names for it."""

    title: str
    parameters: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Vocabulary(_Strict):
    """Kinds, parameters and facts (``vocabulary.yaml``)."""

    parameters: dict[str, ParameterDef]
    facts: dict[str, FactDef]
    kinds: dict[str, KindDef]


# --------------------------------------------------------------------------- annex


class GeneralNote(_Strict):
    """A general note (GTN, GSN, GMSN) that excludes items of some types from every entry."""

    id: str
    title: str
    applies_to_types: list[EntryType] = Field(min_length=1)
    excludes_when: Criterion
    text: str
    provenance: Provenance


class Definition(_Strict):
    """An Annex definition, in our own words."""

    term: str
    text: str
    provenance: Provenance


class Manifest(_Strict):
    """``annex.yaml``: the edition, its date, and the files that make it up."""

    schema_version: Literal[1]
    edition: str
    date: dt.date
    title: str
    authority: str
    vocabulary: list[str] = Field(min_length=1)
    items: list[str] = Field(min_length=1)
    general_notes: list[GeneralNote] = Field(default_factory=list)
    definitions: list[Definition] = Field(default_factory=list)
