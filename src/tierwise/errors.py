"""One exception family for everything a user can get wrong.

The CLI maps any :class:`TierwiseError` to a red ``Error: ...`` line and exit code 1;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class TierwiseError(Exception):
    """Base of every error a person can act on. ``str(err)`` is the whole message."""


class ConfigError(TierwiseError):
    """A setting, option, mapping file or scheme is wrong."""


class DataError(TierwiseError):
    """Input data cannot be read or used as it is."""


class WorkspaceError(TierwiseError):
    """The workspace database is missing, locked, or of an unknown version."""
