"""mtcr-screen: screen proposed exports against the MTCR Annex and Guidelines."""

__version__ = "0.1.0"
