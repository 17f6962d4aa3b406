"""The shipped Annex data (YAML). This file only makes the folder an installable package."""
