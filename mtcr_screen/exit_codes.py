"""Exit codes: the one source for the CLI and the README table."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What the process exit status means (the worst outcome across the input)."""

    #: every item screened: no MTCR licence required
    CLEARED = 0
    #: at least one item not cleared: licence or review needed, denied, held or undetermined
    NOT_CLEARED = 1
    #: bad input or data (a spec, manifest, Annex or list error), or results that cannot be
    #: written (one line on stderr)
    INPUT_ERROR = 2
    #: an internal error in mtcr-screen itself (one line on stderr; please report it)
    INTERNAL_ERROR = 3

    @property
    def meaning(self) -> str:
        """The README wording."""
        return {
            ExitCode.CLEARED: "every item screened: no MTCR licence required",
            ExitCode.NOT_CLEARED: "at least one item not cleared (case by case, insufficient "
            "information, hold, presumption of denial or prohibited; in a batch, a rejected row)",
            ExitCode.INPUT_ERROR: "bad input or data, or results that cannot be written (a "
            "full disk): one line `Error: <location>: <message>` on stderr",
            ExitCode.INTERNAL_ERROR: "an internal error in mtcr-screen (please report it)",
        }[self]
