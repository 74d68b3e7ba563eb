"""The message catalogue: every key in both languages, with the same parameters, Chinese in Chinese.

A missing translation fails here, not as a silent English line in a
Chinese session.
"""

from __future__ import annotations

import re
import string

import pytest

from pipeline_cli import i18n
from pipeline_cli.errors import Message, NotFound, UsageError
from pipeline_cli.messages import MESSAGES

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# What a Chinese text may hold in Latin letters: option and command names,
# environment variables, file kinds and the like, written as the user types them.
ALLOWED_LATIN = re.compile(
    r"`[^`]*`"  # code, as typed: `pipeline list --all`
    r"|--?[a-z][a-z0-9-]*(?:/--[a-z-]+)?"  # options: --lang, --key/--no-key, -o
    r"|\b[A-Z][A-Z0-9_]{2,}\b"  # environment variables, SQL words: PIPELINE_LANG
    r"|\b(?:pipeline|en|zh|id|csv|tsv|json|jsonl|xlsx|markdown|html|table|text|toml|UTC|SQLite|sqlite3?"
    r"|YYYY-MM-DD|YYYY|MM|DD|y|N|db|lang|user|busy_timeout|config|Typer|Click|ID|Excel|Datasette|zip)\b"
)


def fields(template: str) -> list[tuple[str, str]]:
    """The (name, spec) of every parameter of a template, sorted."""
    return sorted((name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name is not None)


def prose(template: str) -> str:
    """The words of a template, without its parameters."""
    return "".join(literal for literal, *_ in string.Formatter().parse(template))


KEYS = sorted(MESSAGES)


def test_the_catalogue_is_not_empty() -> None:
    assert len(MESSAGES) > 10


@pytest.mark.parametrize("key", KEYS)
def test_every_key_has_english_and_chinese_with_the_same_parameters(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == {"en", "zh"}, key
    assert texts["en"].strip() and texts["zh"].strip(), key
    assert fields(texts["en"]) == fields(texts["zh"]), key
    for _, spec in fields(texts["en"]):
        assert spec.removesuffix("/or").removesuffix("/and") in (
            "",
            "lines",
            "clauses",
            i18n.CODE,
            *i18n.MODEL_VOCABULARIES,
            *i18n.CATALOGUE_VOCABULARIES,
        ), (key, spec)


@pytest.mark.parametrize("key", KEYS)
def test_chinese_texts_are_chinese_with_chinese_punctuation(key: str) -> None:
    zh = prose(MESSAGES[key]["zh"])
    latin = ALLOWED_LATIN.sub(" ", zh)
    assert not re.search(r"[A-Za-z]{2,}", latin), f"{key}: English left in {MESSAGES[key]['zh']!r}"
    # ASCII punctuation beside Chinese text (outside code spans) is a half-translated sentence.
    bare = re.sub(r"`[^`]*`", "`", zh)
    for mark in ",;:!?()":
        for match in re.finditer(re.escape(mark), bare):
            before, after = bare[max(0, match.start() - 1) : match.start()], bare[match.end() : match.end() + 1]
            assert not (CJK.search(before) or CJK.search(after)), f"{key}: ASCII {mark!r} in {MESSAGES[key]['zh']!r}"


@pytest.mark.parametrize("key", KEYS)
def test_english_texts_have_no_chinese_punctuation(key: str) -> None:
    en = prose(MESSAGES[key]["en"])
    assert not re.search(r"[，。：；（）！？、]", en), key


def test_a_message_renders_in_either_language_with_vocabulary_labels() -> None:
    message = Message("project.not_found", {"id": 7})
    assert message.text("en") == "no project with id 7"
    assert message.text("zh") == "没有编号为 7 的项目"
    assert i18n.label("signed", "stage", "zh") == "签约"
    assert i18n.label("signed", "stage", "en") == "signed"
    assert i18n.label("nonsense", "stage", "zh") == "nonsense"


def test_a_refusal_keeps_its_exit_code_and_renders_its_key_and_hint() -> None:
    err = NotFound("project.not_found", "project.not_found.hint", id=12)
    assert err.exit_code == 3
    assert err.message == "no project with id 12"
    assert err.hint == "`pipeline list --all` shows every id"
    assert err.text("zh") == "没有编号为 12 的项目"
    assert err.hint_text("zh") == "`pipeline list --all` 可列出全部编号"
    assert UsageError("lang.bad", lang="fr").hint is None


def test_nested_messages_and_lists_render_in_the_same_language() -> None:
    inner = Message("project.not_found", {"id": 3})
    outer = Message("import.in_file", {"name": "a.csv", "text": inner})
    assert outer.text("zh") == "a.csv：没有编号为 3 的项目"
    line = Message("import.bad_line", {"unit": "row", "number": 2, "reason": inner})
    lines = Message("import.bad_rows", {"count": 2, "unit": "rows", "lines": [line]})
    assert lines.text("en").splitlines()[1] == "  row 2: no project with id 3"
    assert lines.text("zh").splitlines()[1] == "  第 2 行：没有编号为 3 的项目"


def test_the_language_is_resolved_in_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.delenv("PIPELINE_LANG", raising=False)
    assert i18n.resolve() == "en"
    for value in ("zh", "ZH", " zh ", "Zh"):
        monkeypatch.setenv("PIPELINE_LANG", value)
        assert i18n.resolve() == "zh"
    monkeypatch.setenv("PIPELINE_LANG", "fr")
    with pytest.raises(UsageError) as raised:
        i18n.resolve()
    assert raised.value.exit_code == 2
    assert i18n.current() == "en"
    i18n.choose("EN")
    assert i18n.resolve() == "en"  # the option beats the environment


def test_refusals_speak_the_chosen_language_before_or_after_the_command(db: object) -> None:
    from conftest import file_hash, run_cli, run_sh

    path = __import__("pathlib").Path(__import__("os").environ["PIPELINE_DB"])
    before = file_hash(path)
    for args in (["--lang", "zh", "edit", "7"], ["edit", "7", "--lang", "ZH"]):
        result = run_cli(*args)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith("错误：没有要修改的内容\n提示：请至少给出 --name、"), result.stderr
    result = run_sh("show", "999", env={"PIPELINE_LANG": " Zh "})
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == "错误：没有编号为 999 的项目\n提示：`pipeline list --all` 可列出全部编号\n"
    result = run_sh("show", "999", "--lang", "fr")
    assert result.exit_code == 2 and result.stdout == ""
    assert file_hash(path) == before
