"""Where the decision log lives unless the user says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the log file; it overrides the platform default.
LOG_ENV_VAR = "MTCR_SCREEN_LOG"
LOG_FILE_NAME = "decisions.sqlite3"


def default_log_path() -> Path:
    """The log file: ``$MTCR_SCREEN_LOG`` if set and not empty, else the user data directory.

    The user data directory comes from ``platformdirs.user_data_dir("mtcr-screen")``, for
    example ``~/.local/share/mtcr-screen`` on Linux, ``~/Library/Application Support/
    mtcr-screen`` on macOS and ``%LOCALAPPDATA%\\mtcr-screen\\mtcr-screen`` on Windows.
    Nothing is created here; :class:`DecisionLog` creates the directory when it opens the log.
    """
    override = os.environ.get(LOG_ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs  # lazily: only the commands that log pay for the import

    return Path(platformdirs.user_data_dir("mtcr-screen")) / LOG_FILE_NAME
