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
    missing = [k for k in keys if k not in HELP]
    assert missing == [], "commands or options without Chinese help (src/tierwise/cli/help_zh.yaml)"
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


def test_usage_errors_are_chinese_with_lang_zh() -> None:
    """Typer writes its usage errors in English; a Chinese reader gets them in Chinese, an
    English one as they were (the same process)."""
    from tierwise.cli.help_text import usage_zh

    typo = run_cli("--lang", "zh", "customers", "lst")
    assert typo.returncode == 2 and "没有命令 'lst'。是否要用 'list'？" in typo.stderr, typo.stderr
    assert "No such command" not in typo.stderr and "错误" in typo.stderr
    bare = run_cli("--lang", "zh", "metrics", "--window")
    assert "选项 '--window' 后面要跟一个值。" in bare.stderr, bare.stderr
    en = run_cli("customers", "lst")
    assert "No such command 'lst'. Did you mean 'list'?" in en.stderr and "没有" not in en.stderr
    assert usage_zh("Got unexpected extra argument(s) (list x)") == "多余的参数：list x"
    assert usage_zh("No such option: --windw (Possible options: --window)") == (
        "没有选项 --windw。可用的选项：--window")
    assert usage_zh("Invalid value for '--days': 'x' is not a valid integer.") == (
        "'--days' 的值无效：'x' is not a valid integer.")
    assert usage_zh("Missing argument 'CUSTOMER'.") == "缺少参数 'CUSTOMER'。"
    assert usage_zh("Option '--pair' requires 2 arguments.") == "选项 '--pair' 后面要跟 2 个值。"
    assert usage_zh("something else entirely") == "something else entirely"
