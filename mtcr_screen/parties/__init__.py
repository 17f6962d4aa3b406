"""Denied-party screening: load a party list, index it, screen names against it.

>>> from mtcr_screen.parties import load_party_list, PartyIndex
>>> index = PartyIndex(load_party_list("examples/parties-example.csv").entries)
>>> [h.entry.name for h in index.screen("Zephyr Propulsion Trading Ltd")]
['Zephyr Propulsion Trading Limited']
"""

from mtcr_screen.parties.loaders import load_party_list
from mtcr_screen.parties.matcher import DEFAULT_THRESHOLD, PartyHit, PartyIndex
from mtcr_screen.parties.model import AsOfBasis, ListFormat, PartyEntry, PartyList
from mtcr_screen.parties.normalise import NormalisedName, normalise

__all__ = [
    "DEFAULT_THRESHOLD",
    "AsOfBasis",
    "ListFormat",
    "NormalisedName",
    "PartyEntry",
    "PartyHit",
    "PartyIndex",
    "PartyList",
    "load_party_list",
    "normalise",
]
