"""The schema of a destination-list YAML file (pydantic; loaded only when a list is read)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Effect = Literal["partner", "adherent", "concern", "arms_embargo", "un_missile_measure",
                 "embargo", "context"]


class Member(BaseModel):
    """One destination on a list."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=r"^[A-Z]{2}$")
    note: str | None = None
    since: str | None = None


class ListFile(BaseModel):
    """One destination-list YAML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    effect: Effect
    source: str
    source_urls: list[str] = Field(default_factory=list)
    as_of: dt.date
    confidence: Literal["confirmed", "partly_verified", "unverified"] = "confirmed"
    notes: list[str] = Field(default_factory=list)
    members: list[Member]


