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


class StorageFull(TierwiseError):
    """The disk holding the workspace (or its temporary files) is full: nothing was written."""


class OutOfMemory(TierwiseError):
    """The engine needed more than its memory limit: nothing was written."""


class StorageError(TierwiseError):
    """Reading or writing the workspace's files failed (a disk error, a permission)."""


def engine_error(exc: BaseException) -> TierwiseError | None:
    """What an engine or file-system error means to a person, or None when it is not one of
    those: a full disk (DuckDB reports it as a failed commit, which read as "conflict, try
    again"), the engine's memory limit, another read or write failure."""
    import errno

    import duckdb

    text = str(exc)
    if "No space left on device" in text or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return StorageFull(f"the disk is full, nothing was written: free some space where the workspace "
                           f"and its temporary files are, then try again ({text}) / "
                           f"磁盘已满，本次修改未写入：请清理工作区所在磁盘后重试")
    if isinstance(exc, duckdb.OutOfMemoryException) or "Out of Memory Error" in text:
        return OutOfMemory(f"the engine needed more memory than its limit, nothing was written: raise "
                           f"TIERWISE_MEMORY_LIMIT or try when fewer jobs run ({text}) / "
                           f"内存不足（超过 TIERWISE_MEMORY_LIMIT），本次修改未写入")
    if isinstance(exc, (duckdb.IOException, duckdb.PermissionException, OSError)):
        return StorageError(f"reading or writing the workspace's files failed: {text} / 读写工作区文件失败")
    return None
