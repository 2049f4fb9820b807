"""The command line's help in Chinese: every command and option has its Chinese help (the
catalog is complete and has nothing stale), and `--lang zh` / `TIERWISE_LANG=zh` show it, the
help screen's titles included, while English runs in the same process stay English."""

from __future__ import annotations

import re

import typer.main

import tierwise.cli  # noqa: F401  (registers the commands)
from conftest import run_cli
from tierwise.cli.help_text import walk
from tierwise.cli.help_zh import HELP
from tierwise.cli.main import app

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_command_and_option_has_its_chinese_help() -> None:
    keys = [key for key, _ in walk(typer.main.get_command(app))]
    assert len(keys) > 250
    assert [k for k in keys if k not in HELP] == [], "commands or options without Chinese help"
    assert [k for k in HELP if k not in keys] == [], "Chinese help of commands or options that are gone"
    assert [k for k, v in HELP.items() if not CJK.search(v)] == []
    for key, item in walk(typer.main.get_command(app)):  # same paragraphs: the first is the short help
        assert HELP[key].count("\n\n") == (item.help or "").count("\n\n"), key


def test_help_is_chinese_with_lang_zh_and_english_otherwise() -> None:
    zh = run_cli("--lang", "zh", "tasks", "--help")
    assert zh.returncode == 0, zh.stderr
    first = HELP["tasks"].split("\n\n")[0]
    assert first[:12] in zh.stdout and "选项" in zh.stdout, zh.stdout
    assert HELP["tasks --rep"][:8] in zh.stdout and "显示此帮助并退出" in zh.stdout
    assert "The dated tasks" not in zh.stdout and "Options" not in zh.stdout
    listing = run_cli("--help", env={"TIERWISE_LANG": "zh"})
    assert "命令" in listing.stdout and HELP["import"].split("\n\n")[0][:8] in listing.stdout
    en = run_cli("tasks", "--help")  # the same process, English again
    assert "The dated tasks" in en.stdout and "Options" in en.stdout and "选项" not in en.stdout
