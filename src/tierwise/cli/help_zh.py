"""The command line's help in Chinese (see :mod:`tierwise.cli.help_text`), kept as data in
``help_zh.yaml`` beside this module: one entry per command, option and argument, keyed as
there (``tasks``, ``tasks --rep``, ``activity add <customer>``)."""

from __future__ import annotations

from importlib import resources

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HELP: dict[str, str] = yaml.load(  # a safe loader: the C one when PyYAML has it
    resources.files("tierwise.cli").joinpath("help_zh.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
