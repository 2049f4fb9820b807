"""Reading a scheme's YAML into its model, with messages a person can act on: each problem
named by file and field (``classes[2].playbook.service_ratio``), the values allowed, and a
"did you mean" for a misspelt key or kind. The models are in :mod:`tierwise.schemes.spec`."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from tierwise.errors import ConfigError
from tierwise.schemes.spec import (
    KINDS,
    Matrix,
    RankTiers,
    Rfm,
    SchemeSpec,
    Scorecard,
    Thresholds,
    _did_you_mean,
    _Root,
)

__all__ = ["load_spec", "load_stored", "load_text", "parse_spec", "spec_hash"]


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(loc: tuple[Any, ...], kind: str | None) -> type[BaseModel] | None:
    """The model a location points into (for "did you mean" on unknown keys)."""
    kinds: dict[str, type[BaseModel]] = {"rank_tiers": RankTiers, "thresholds": Thresholds,
                                         "matrix": Matrix, "scorecard": Scorecard, "rfm": Rfm}
    model: Any = kinds.get(kind or "")
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _messages(exc: ValidationError, data: dict[str, Any]) -> list[str]:
    kind = data.get("kind") if isinstance(data, dict) else None
    out: list[str] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        if loc and loc[0] == "spec":
            loc = loc[1:]
        if loc and loc[0] in KINDS:  # the discriminated union's branch
            loc = loc[1:]
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith(("function-", "tuple["))))
        kind_err = error["type"] in ("union_tag_invalid", "union_tag_not_found")
        if kind_err:
            given = data.get("kind") if isinstance(data, dict) else None
            hint = _did_you_mean(str(given), KINDS) if given else ""
            out.append(f"kind: {given!r} is not a kind{hint}; use one of {', '.join(KINDS)}"
                       if given else f"kind: missing; add `kind:` with one of {', '.join(KINDS)}")
            continue
        where = _path(loc) or "(top level)"
        if error["type"] == "extra_forbidden":
            model = _model_at(loc[:-1], kind)
            fields = [f.alias or n for n, f in model.model_fields.items()] if model else []
            hint = _did_you_mean(str(loc[-1]), fields)
            allowed = f"; allowed here: {', '.join(fields)}" if fields else ""
            out.append(f"{where}: unknown key{hint}{allowed}")
        elif error["type"] == "missing":
            out.append(f"{where}: missing; add it")
        else:
            msg = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
            out.append(f"{_path(loc)}: {msg}" if loc else msg)  # model checks name their field
    return out


def parse_spec(data: Any, source: str) -> SchemeSpec:
    """Validate ``data`` (a parsed YAML document) as a scheme; ``source`` names it in errors."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: a scheme is a YAML mapping with name, title, kind, classes, ...")
    try:
        return _Root.model_validate({"spec": data}).spec
    except ValidationError as exc:
        lines = _messages(exc, data)
        raise ConfigError(f"{source}: " + f"\n{source}: ".join(lines)) from None


MAX_TEXT = 256_000  # characters of a scheme's YAML (the presets' largest: 6,406)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: 20x faster on a long scheme


def load_text(text: str, source: str) -> SchemeSpec:
    """Parse and validate scheme YAML ``text`` (at most :data:`MAX_TEXT` characters, no
    aliases: a few lines of ``&a [*b, *b, …]`` expand to billions of nodes)."""
    if len(text) > MAX_TEXT:
        raise ConfigError(f"{source}: {len(text):,} characters; a scheme has at most {MAX_TEXT:,} / "
                          f"方案文件过大（最多 {MAX_TEXT:,} 个字符）")
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=LOADER)):
            raise ConfigError(f"{source}: YAML aliases (*name) are not allowed in a scheme: write the "
                              f"value out / 方案中不能使用 YAML 别名（*name）")
        data = yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{source}{where}: not valid YAML ({problem}); check the indentation "
                          f"and quote text containing ':' or '#'") from None
    return parse_spec(data, source)


@functools.lru_cache(maxsize=512)
def load_stored(text: str, source: str) -> SchemeSpec:
    """:func:`load_text` of a scheme text stored with a snapshot, parsed once per process: a
    stored text never changes, and parsing the 19 presets took 400 ms of a customer page.
    The spec returned is shared: read it, never change it."""
    return load_text(text, source)


def load_spec(path: Path) -> SchemeSpec:
    """Read and validate the scheme file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such scheme file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save the scheme file as UTF-8") from None
    return load_text(text, str(path))


def spec_hash(text: str) -> str:
    """A short hash of a scheme's YAML text (snapshots record which version ran)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]
