"""The Annex: schema, compiled form and loader."""

from mtcr_screen.annex.loader import load_annex

__all__ = ["load_annex"]
