"""The schema of a destination-list YAML file (pydantic; imported only when a list file is
read, so a cached run does not pay for pydantic's model machinery)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mtcr_screen.destinations import Confidence, Effect


class Member(BaseModel):
    """One destination on a list."""


    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    note: str | None = None
    since: str | None = None
    until: dt.date | None = None

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        from mtcr_screen.countries import is_code

        if len(v) != 2 or not v.isupper() or not is_code(v):
            raise ValueError(f"not an ISO 3166-1 alpha-2 country code: {v!r} (upper case, "
                             "e.g. IR; XK for Kosovo)")
        return v

    @field_validator("since", mode="before")
    @classmethod
    def _since(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | dt.date) else v


class ListFile(BaseModel):
    """One destination-list YAML file."""


    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str = Field(min_length=1)
    effect: Effect
    source: str = Field(min_length=1)
    source_urls: list[str] = Field(default_factory=list)
    as_of: dt.date
    confidence: Confidence
    replace: bool = False
    notes: list[str] = Field(default_factory=list)
    members: list[Member]

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, v: Any) -> Any:
        if isinstance(v, dt.datetime):
            return v.date()
        if not isinstance(v, dt.date | str):
            raise ValueError("as_of must be a date, YYYY-MM-DD")
        return v

    @field_validator("members", mode="before")
    @classmethod
    def _members(cls, v: Any) -> Any:
        if v is None or v == []:
            raise ValueError("a destination list needs at least one member; an empty list "
                             "would look like 'no match'")
        return v


