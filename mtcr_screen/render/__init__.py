"""Output formats for a screening decision: one module and one class per format.

``RENDERERS`` is the explicit registry that feeds ``click.Choice``. Each renderer returns
a string; the CLI writes it to stdout or ``--output``.
"""

from __future__ import annotations

from typing import Protocol

from mtcr_screen.decision import Decision
from mtcr_screen.errors import UsageError


class DecisionRenderer(Protocol):
    """Turns one decision into text."""

    name: str
    description: str

    def render(self, decision: Decision) -> str:
        """The whole output, ending with a newline."""
        ...


def _text() -> DecisionRenderer:
    from mtcr_screen.render.text import TextRenderer

    return TextRenderer()


def _json() -> DecisionRenderer:
    from mtcr_screen.render.json import JsonRenderer

    return JsonRenderer()


def _markdown() -> DecisionRenderer:
    from mtcr_screen.render.markdown import MarkdownRenderer

    return MarkdownRenderer()


# name -> factory; factories keep rich off the import path of machine formats
RENDERERS = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
}


def get_renderer(name: str, **options: object) -> DecisionRenderer:
    """A renderer by name, or UsageError."""
    try:
        factory = RENDERERS[name]
    except KeyError:
        raise UsageError(f"no such format: {name!r}",
                         hint="one of " + ", ".join(RENDERERS)) from None
    renderer = factory()
    for key, value in options.items():
        setattr(renderer, key, value)
    return renderer
