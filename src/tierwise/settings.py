"""Settings as data, each with its help text (``tierwise settings`` lists them).

Values come from, in order: command-line options, ``TIERWISE_*`` environment variables,
then the defaults below. A test fails when a setting has no description.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tierwise.errors import ConfigError


class Settings(BaseModel):
    """Process-wide settings. Build with :meth:`from_env`; never read at import time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    db: Path = Field(
        Path("tierwise.duckdb"),
        description="Workspace database file (DuckDB). Env: TIERWISE_DB; option: --db.",
    )
    lang: Literal["en", "zh"] = Field(
        "en",
        description="Language of labels and messages: en or zh. Env: TIERWISE_LANG, else LANG.",
    )
    memory_limit: str = Field(
        "1GB",
        pattern=r"(?i)^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$",
        description="Most memory the engine may hold before spilling to disk "
        "(DuckDB memory_limit, e.g. 1GB, 8GB). Env: TIERWISE_MEMORY_LIMIT.",
    )
    threads: int | None = Field(
        None,
        ge=1,
        description="Engine worker threads; empty means one per core. Env: TIERWISE_THREADS.",
    )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``TIERWISE_*`` variables, with ``overrides`` (non-None) on top."""
        values: dict[str, object] = {}
        for name in cls.model_fields:
            env = os.environ.get(f"TIERWISE_{name.upper()}")
            if env not in (None, ""):
                values[name] = env
        if "lang" not in values:
            lang = os.environ.get("LANG", "")
            values["lang"] = "zh" if lang.lower().startswith("zh") else "en"
        elif isinstance(values["lang"], str):
            values["lang"] = "zh" if values["lang"].lower().startswith("zh") else "en"
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise ConfigError(
                f"setting {field}: {first['msg']} (set TIERWISE_{field.upper()} or the "
                f"matching option; see `tierwise settings`)"
            ) from None

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(name, default, description) of every setting, for docs and ``tierwise settings``."""
        return [
            (name, "" if f.default is None else str(f.default), f.description or "")
            for name, f in cls.model_fields.items()
        ]
