"""JSON: the decision's one dict form, with ``schema_version``."""

from __future__ import annotations

import json

from mtcr_screen.decision import Decision


class JsonRenderer:
    """Stable, documented JSON (keys in a fixed order, UTF-8, two-space indent)."""

    name = "json"
    description = "the decision as one JSON object (schema_version 1)"

    def render(self, decision: Decision) -> str:
        """The JSON document and a newline."""
        return json.dumps(decision.to_dict(), indent=2, ensure_ascii=False) + "\n"
