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


class NotFoundError(DataError):
    """No such record — or one the person asking may not see: the two read the same, so
    nobody learns that a record outside their scope exists."""


class ForbiddenError(TierwiseError):
    """The person's role does not allow this action (a rep approving an override, say)."""


class AuthError(TierwiseError):
    """Not signed in, or the password or token is wrong."""


class ConflictError(TierwiseError):
    """The action clashes with one already under way (a job of the same kind running, a
    server holding the workspace)."""


class Cancelled(TierwiseError):
    """A job was cancelled (by a person, or by the server stopping); what it did was rolled back."""
