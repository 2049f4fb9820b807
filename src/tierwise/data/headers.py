"""Mapping users' column headers to canonical names, and the ``--mapping`` file.

Headers are compared after normalising: Unicode NFKC (full-width to half-width), case,
spaces, ``_`` and ``-``, and a trailing unit in brackets (``金额(元)`` reads as ``金额``).
An exact canonical name wins over an alias; a mapping file wins over both.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tierwise.errors import ConfigError, DataError
from tierwise.store.schema import Table

M = TypeVar("M", bound=BaseModel)

# Columns of a rejected-rows file; skipped on import so a fixed file can be re-imported.
REJECT_PREFIX = "tierwise_"


def normalise(header: str) -> str:
    """Comparable form of a header: NFKC, camelCase split (CustomerID → customer id), lower
    case, no unit suffix, single spaces."""
    text = unicodedata.normalize("NFKC", header).replace("\ufeff", "").strip()
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text).lower()
    text = re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", text)  # 金额(元), amount [CNY]
    text = re.sub(r"[\s_\-.:：/]+", " ", text).strip()
    return text


def attribute_name(header: str) -> str:
    """Column name an extra attribute header is stored under (snake_case, NFKC)."""
    text = unicodedata.normalize("NFKC", header).replace("\ufeff", "").strip().lower()
    text = re.sub(r"[^\w]+", "_", text).strip("_")
    return text or "unnamed"


class MappingSpec(BaseModel):
    """A ``--mapping`` YAML file: how to read one kind of file.

    Example::

        columns:          # header in the file: canonical column (or null to skip it)
          开票日期: order_date
          客户全称: name
          内部备注: null
        values:
          kind: {面谈: visit, 企业微信: message}
        date_order: DMY   # 05/03/2024 is 5 March
        decimal_comma: true
        encoding: gbk
        sheet: 销售明细
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, str | None] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    date_order: Literal["YMD", "DMY", "MDY"] | None = None
    decimal_comma: bool | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def load_mapping(path: Path) -> MappingSpec:
    """Read and validate a mapping file; errors name the file, the field and the fix."""
    return load_yaml_model(path, MappingSpec, "mapping file")


def load_yaml_model(path: Path, model: type[M], what: str) -> M:
    """Read the YAML file ``path`` as a ``model`` (a mapping file, a lake file); errors name
    the file, the field and the fix (the closest key for a misspelt one)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: a {what} is a YAML mapping with keys {', '.join(model.model_fields)}")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        hint = ""
        if err["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(err["loc"][-1]), _fields_at(model, err["loc"][:-1]), 1)
            hint = f"; did you mean '{close[0]}'?" if close else (
                f"; known keys: {', '.join(_fields_at(model, err['loc'][:-1]))}")
        raise ConfigError(f"{path}: {where}: {err['msg']}{hint}") from None


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed at ``loc`` of ``model`` (nested models and dicts of them followed)."""
    fields: Any = model.model_fields
    for part in loc:
        field_info = fields.get(part) if isinstance(fields, dict) else None
        if field_info is None:
            continue  # a dict key (a table name): the value's model is the same
        annotation = field_info.annotation
        args = getattr(annotation, "__args__", ())
        inner = args[-1] if args else annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            fields = inner.model_fields
        else:
            return list(fields)
    return list(fields)


@dataclass
class HeaderMap:
    """Which file header feeds which canonical column, and what is left over."""

    canonical: dict[str, str] = field(default_factory=dict)  # canonical name -> file header
    extras: dict[str, str] = field(default_factory=dict)  # attribute name -> file header
    ignored: list[str] = field(default_factory=list)  # headers not imported (reported)


def map_headers(table: Table, headers: list[str], spec: MappingSpec, source: str) -> HeaderMap:
    """Match ``headers`` of file ``source`` to ``table``'s columns.

    Raises :class:`DataError` for a required column nobody maps, and for two headers
    claiming one column; the message lists the file's headers and the closest alias.
    """
    result = HeaderMap()
    by_norm: dict[str, str] = {}
    for col in table.columns:
        for alias in col.aliases:
            by_norm.setdefault(normalise(alias), col.name)
    names = {normalise(c.name): c.name for c in table.columns}
    explicit = {normalise(h): target for h, target in spec.columns.items()}
    for target in spec.columns.values():
        if target is not None and target not in table.names:
            close = difflib.get_close_matches(target, table.names, 1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(
                f"mapping: '{target}' is not a column of {table.name}{hint}; "
                f"columns are {', '.join(table.names)}"
            )

    claims: dict[str, list[str]] = {}
    exact: dict[str, bool] = {}
    for header in headers:
        norm = normalise(header)
        if header.startswith(REJECT_PREFIX):
            continue
        if norm in explicit:
            target = explicit[norm]
            if target is None:
                continue
            claims.setdefault(target, []).append(header)
            exact[header] = True
        elif norm in names:
            claims.setdefault(names[norm], []).append(header)
            exact[header] = True
        elif norm in by_norm:
            claims.setdefault(by_norm[norm], []).append(header)
            exact[header] = False
        elif table.keeps_extra_columns and norm:
            result.extras[attribute_name(header)] = header
        else:
            result.ignored.append(header)
    for target, claimants in claims.items():
        if len(claimants) > 1:
            winners = [h for h in claimants if exact[h]]
            if len(winners) == 1:  # an exact name or a mapping beats an alias
                result.ignored += [h for h in claimants if h != winners[0]]
                claimants = winners
            else:
                raise DataError(
                    f"{source}: columns {', '.join(repr(h) for h in claimants)} all mean "
                    f"{table.name}.{target}; say which one with --mapping "
                    f"(columns: {{{claimants[0]}: {target}, {claimants[1]}: null}})"
                )
        result.canonical[target] = claimants[0]
    return result


def missing_column_error(table: Table, column: str, headers: list[str], source: str,
                         lang: str = "en") -> DataError:
    """The error for a required column no header maps to, with the nearest alias."""
    from tierwise.i18n import t

    col = table.column(column)
    candidates = {normalise(a): a for a in (col.name, *col.aliases)}
    nearest: list[str] = []
    for header in headers:
        close = difflib.get_close_matches(normalise(header), list(candidates), 1, cutoff=0.5)
        if close:
            nearest.append(f"'{header}' ≈ '{candidates[close[0]]}'")
    hint = t("import.closest", lang, pairs=", ".join(nearest[:3])) if nearest else ""
    return DataError(t(
        "import.missing_column", lang, source=source, table=table.name, column=column,
        meaning=(col.help_zh if lang == "zh" else col.help_en).rstrip(".。"),
        headers=", ".join(repr(h) for h in headers),
        known=", ".join([col.name, *col.aliases[:8]]), hint=hint))
