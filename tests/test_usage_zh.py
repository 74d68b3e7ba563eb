"""Usage errors of the command line (no such option, a missing argument, a bad value) in Chinese.

Click words them in English; in zh they are said in Chinese like every other
refusal: exit 2, empty stdout, the database unchanged. English keeps Click's
own wording.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import file_hash, run_cli, run_sh

CASES = [
    (["nosuch"], "错误：没有名为“nosuch”的命令\n"),
    (["list", "--nope"], "错误：没有选项 --nope\n"),
    (["list", "--sectr", "it"], "错误：没有选项 --sectr\n提示：是否要找 --sector"),
    (["show"], "错误：缺少参数 ID\n"),
    (["show", "abc"], "错误：ID 的值无效：“abc”不是整数（请用数字 0-9 书写）\n"),
    (["drop", "3"], "错误：缺少选项 --reason\n"),
    (["list", "--format", "bad"], "错误：--format / -f 的值无效：“bad”不是可选值之一（`table`、`json`、"),
    (["list", "--sector"], "错误：选项 --sector 需要 1 个值\n"),
    (["list", "--key=3"], "错误：选项 --key 不接受值\n"),
    (["where", "extra"], "错误：多余的参数：extra\n"),
    (["problem", "add"], "错误：缺少参数 ID\n提示：用法："),
    (["show", "9" * 25], "超过了 pipeline 能保存的最大整数"),
]


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(args) for args, _ in CASES])
def test_a_usage_error_is_chinese_before_or_after_the_command(db: Path, args: list[str], expected: str) -> None:
    before = file_hash(db)
    for argv in (["--lang", "zh", *args], [*args, "--lang", "zh"]):
        if argv[0] == "nosuch" or argv[:2] == ["where", "extra"] or argv[-3] == "--sector":
            argv = ["--lang", "zh", *args]  # after them, "--lang zh" would be their values
        result = run_cli(*argv)
        assert (result.exit_code, result.stdout) == (2, ""), argv
        assert expected in result.stderr, (argv, result.stderr)
        assert "Usage" not in result.stderr and "Error" not in result.stderr and "Try" not in result.stderr
    assert file_hash(db) == before


def test_usage_errors_in_english_keep_clicks_wording(db: Path) -> None:
    result = run_cli("list", "--nope")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "No such option: --nope" in result.stderr


def test_the_installed_command_says_usage_errors_in_chinese_from_the_environment(db: Path) -> None:
    before = file_hash(db)
    result = run_sh("list", "--nope", env={"PIPELINE_LANG": "zh"})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("错误：没有选项 --nope\n提示：用法：pipeline list [选项]；`pipeline list -h` 可查看帮助\n")
    result = run_sh("--lang", "zh", "advance")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("错误：缺少参数 ID...")
    assert file_hash(db) == before
    assert os.environ.get("PIPELINE_LANG") is None
