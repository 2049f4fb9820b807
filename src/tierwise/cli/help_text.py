"""The command line's help in the reader's language: ``tierwise --lang zh tasks --help`` (or
``TIERWISE_LANG=zh``, or a Chinese ``LANG``) shows every command's and option's help in Chinese,
from :data:`tierwise.cli.help_zh.HELP`, keyed by the command's path (``users add``) and, for an
option or argument, the path and its name (``tasks --date``, ``activity add <customer>``).
``tests/test_cli_help.py`` keeps the catalog complete: a command or option without its Chinese
help fails the tests."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

PANELS_ZH = {"ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令",
             "ERRORS_PANEL_TITLE": "错误", "ABORTED_TEXT": "已中止。",
             "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
             "DEFAULT_STRING": "[默认：{}]", "REQUIRED_LONG_STRING": "[必填]"}


# Typer's usage errors (its own copy of click writes them in English, without gettext), as a
# Chinese reader sees them: the pattern of the English message and its Chinese form
USAGE_ZH = [
    (r"No such command '(?P<a>.+?)'\.(?: Did you mean (?P<b>.+)\?)?", "没有命令 '{a}'。{b}"),
    (r"Got unexpected extra arguments? ?\(s\)? \((?P<a>.+)\)", "多余的参数：{a}"),
    (r"No such option: (?P<a>\S+?)(?: \(Possible options: (?P<b>.+)\))?", "没有选项 {a}。{b}"),
    (r"Invalid value for (?P<a>.+?): (?P<b>.+)", "{a} 的值无效：{b}"),
    (r"Missing argument (?P<a>.+?)\.(?P<b>.*)", "缺少参数 {a}。{b}"),
    (r"Missing option (?P<a>.+?)\.(?P<b>.*)", "缺少选项 {a}。{b}"),
    (r"Missing command\.", "缺少命令。"),
    (r"Option (?P<a>'.+?') requires an argument\.", "选项 {a} 后面要跟一个值。"),
    (r"Option (?P<a>'.+?') requires (?P<b>\d+) arguments\.", "选项 {a} 后面要跟 {b} 个值。"),
]


def usage_zh(message: str) -> str:
    """``message`` (one of Typer's usage errors) in Chinese; a message no pattern knows stays."""
    for pattern, zh in USAGE_ZH:
        found = re.fullmatch(pattern, message.strip(), flags=re.DOTALL)
        if found is None:
            continue
        parts = {k: (v or "").strip() for k, v in found.groupdict().items()}
        if parts.get("b") and message.startswith(("No such command", "No such option")):
            parts["b"] = (f"是否要用 {parts['b']}？" if message.startswith("No such command")
                          else f"可用的选项：{parts['b']}")
        return zh.format(**parts).strip()
    return message


def param_key(path: str, param: Any) -> str:
    """The catalog key of an option (its first long flag) or an argument (``<name>``), told
    apart by duck type (Typer carries its own copy of click)."""
    if getattr(param, "param_type_name", "") == "option":
        flags = [o for o in param.opts if o.startswith("--")] or list(param.opts)
        return f"{path} {flags[0]}".strip()
    return f"{path} <{param.name}>".strip()


def walk(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (key, object with a ``help``) of ``command`` and its subcommands, depth first."""
    yield path, command
    for param in command.params:
        if getattr(param, "help", None) and param.name != "help":
            yield param_key(path, param), param
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, f"{path} {name}".strip())


def wants_chinese(argv: list[str]) -> bool:
    """Whether this run speaks Chinese: ``--lang zh`` before the command, else ``TIERWISE_LANG``,
    else ``LANG`` (as the settings decide)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1].lower().startswith("zh")
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1].lower().startswith("zh")
    chosen = os.environ.get("TIERWISE_LANG") or os.environ.get("LANG") or ""
    return chosen.lower().startswith("zh")


def in_chinese(command: Any) -> Any:
    """``command`` with its help (and its subcommands', options' and the help screen's titles)
    in Chinese; a text missing from the catalog stays English."""
    from tierwise.cli.help_zh import HELP

    for key, item in walk(command):
        if hasattr(item, "get_help_option"):  # --help's own line; kept by Typer once made
            with contextlib.suppress(Exception):  # Typer's internals: an English line at worst
                from typer._click.core import Context

                option = item.get_help_option(Context(item))
                if option is not None:
                    option.help = "显示此帮助并退出。"
        text = HELP.get(key)
        if text:
            item.help = text
            if hasattr(item, "commands") or hasattr(item, "callback"):  # a command: its line in lists too
                item.short_help = None
    return command


_PANELS_EN: dict[str, Any] = {}


def _panels(zh: bool) -> None:
    """The help screen's titles (Options, Commands, ...) in Chinese or back in English: they are
    the module's globals, and tests run many commands in one process."""
    import typer.rich_utils as ru

    if not _PANELS_EN:
        _PANELS_EN.update({name: getattr(ru, name) for name in PANELS_ZH})
        _PANELS_EN["rich_format_error"] = ru.rich_format_error
    for name, text in (PANELS_ZH if zh else _PANELS_EN).items():
        setattr(ru, name, text)
    setattr(ru, "rich_format_error", _errors_zh if zh else _PANELS_EN["rich_format_error"])  # noqa: B010


def _errors_zh(error: Any) -> None:
    """Typer's error panel, its message in Chinese."""
    english = error.format_message()
    with contextlib.suppress(AttributeError, TypeError):
        error.format_message = lambda: usage_zh(english)
    _PANELS_EN["rich_format_error"](error)


def command_for(app: Any, argv: list[str] | None = None) -> Any:
    """The click command of the Typer ``app``, in Chinese when this run asks for it."""
    import typer.main

    command = typer.main.get_command(app)  # new objects each time: changing their help is local
    zh = wants_chinese(sys.argv[1:] if argv is None else argv)
    _panels(zh)
    return in_chinese(command) if zh else command
