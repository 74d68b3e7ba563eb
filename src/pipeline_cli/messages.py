"""The message catalogue: every sentence pipeline says to a person, in English and Chinese.

Plain dicts, key → {"en": text, "zh": text}; the texts are str.format
templates with named parameters (i18n.py says which format specs name a
vocabulary). Both texts of a key take the same parameters; Chinese texts use
Chinese punctuation (：，；（）). tests/test_messages.py checks both, and that
every key the code raises is here. Imported only when a message is rendered.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- the frame of a refusal (output.error) ---
    "frame.error": {"en": "error: {text}", "zh": "错误：{text}"},
    "frame.hint": {"en": "hint: {text}", "zh": "提示：{text}"},
    "frame.internal": {
        "en": "internal error: {kind}: {detail}",
        "zh": "内部错误：{kind}：{detail}",
    },
    "frame.internal.hint": {
        "en": "this is a bug in pipeline; run again with --debug (pipeline --debug ...) for the traceback",
        "zh": "这是 pipeline 的缺陷；加 --debug 重新运行（pipeline --debug ...）可看到调用栈",
    },
    "frame.line": {"en": "{line}", "zh": "{line}"},
    "frame.saved": {"en": "saved: {line}", "zh": "已保存：{line}"},
    "frame.saved.unprinted": {
        "en": "pipeline: the change was saved, but its output could not be written",
        "zh": "pipeline：修改已保存，但无法输出结果",
    },
    # --- language ---
    "lang.bad": {"en": "language '{lang}' is not en or zh", "zh": "语言“{lang}”不是 en 或 zh"},
    "lang.bad.hint": {
        "en": "use --lang en or --lang zh (or PIPELINE_LANG)",
        "zh": "请用 --lang en 或 --lang zh（或设置 PIPELINE_LANG）",
    },
    # --- --columns ---
    "columns.empty": {"en": "--columns names no field", "zh": "--columns 未给出任何字段"},
    "columns.blank": {
        "en": "--columns '{columns}' has an empty name between its commas",
        "zh": "--columns“{columns}”的逗号之间有空的字段名",
    },
    "columns.unknown": {"en": "unknown column '{name}'", "zh": "未知的列“{name}”"},
    "columns.repeated": {"en": "column '{name}' is given twice", "zh": "列“{name}”重复给出"},
    "columns.valid": {
        "en": "give field names separated by commas, from: {choices}",
        "zh": "请用逗号分隔给出字段名，可选：{choices}",
    },
    "columns.did_you_mean": {
        "en": "did you mean '{close}'? the fields are: {choices}",
        "zh": "是否想用“{close}”？可选字段：{choices}",
    },
    # --- projects ---
    "project.not_found": {"en": "no project with id {id}", "zh": "没有编号为 {id} 的项目"},
    "project.add_undone": {
        "en": "no project with id {id}: its add was undone",
        "zh": "没有编号为 {id} 的项目：该项目的新增已撤销",
    },
    "project.add_undone.hint": {
        "en": "`pipeline history {id}` shows its events; an id is never reused",
        "zh": "`pipeline history {id}` 可查看其事件；编号不会重复使用",
    },
    "project.not_found.hint": {
        "en": "`pipeline list --all` shows every id",
        "zh": "`pipeline list --all` 可列出全部编号",
    },
    # --- values people type (model.py) ---
    "resolve.hint": {"en": "{valid}", "zh": "{valid}"},
    "resolve.stage.unknown": {"en": "unknown stage '{value}'", "zh": "未知的阶段“{value}”"},
    "resolve.stage.ambiguous": {
        "en": "stage '{value}' is ambiguous: it could be {matches:stage/or}",
        "zh": "阶段“{value}”有歧义：可能是{matches:stage/or}",
    },
    "resolve.stage.valid": {"en": "valid stages: {choices:stage}", "zh": "可用的阶段：{choices:stage}"},
    "resolve.stage.close": {"en": "did you mean '{close:stage}'? {valid}", "zh": "是否要找“{close:stage}”？{valid}"},
    "resolve.sector.unknown": {"en": "unknown sector '{value}'", "zh": "未知的产业领域“{value}”"},
    "resolve.sector.ambiguous": {
        "en": "sector '{value}' is ambiguous: it could be {matches:sector/or}",
        "zh": "产业领域“{value}”有歧义：可能是{matches:sector/or}",
    },
    "resolve.sector.valid": {"en": "valid sectors: {choices:sector}", "zh": "可用的产业领域：{choices:sector}"},
    "resolve.sector.close": {"en": "did you mean '{close:sector}'? {valid}", "zh": "是否要找“{close:sector}”？{valid}"},
    "resolve.light.unknown": {"en": "unknown light '{value}'", "zh": "未知的亮灯“{value}”"},
    "resolve.light.ambiguous": {
        "en": "light '{value}' is ambiguous: it could be {matches:light/or}",
        "zh": "亮灯“{value}”有歧义：可能是{matches:light/or}",
    },
    "resolve.light.valid": {"en": "valid lights: {choices:light}", "zh": "可用的亮灯：{choices:light}"},
    "resolve.light.close": {"en": "did you mean '{close:light}'? {valid}", "zh": "是否要找“{close:light}”？{valid}"},
    "resolve.status.unknown": {"en": "unknown status '{value}'", "zh": "未知的状态“{value}”"},
    "resolve.status.ambiguous": {
        "en": "status '{value}' is ambiguous: it could be {matches:status/or}",
        "zh": "状态“{value}”有歧义：可能是{matches:status/or}",
    },
    "resolve.status.valid": {"en": "valid statuses: {choices:status}", "zh": "可用的状态：{choices:status}"},
    "resolve.status.close": {"en": "did you mean '{close:status}'? {valid}", "zh": "是否要找“{close:status}”？{valid}"},
    "resolve.source.unknown": {"en": "unknown source '{value}'", "zh": "未知的来源“{value}”"},
    "resolve.source.valid": {"en": "valid sources: {choices:source}", "zh": "可用的来源：{choices:source}"},
    "light.green": {"en": "green", "zh": "绿灯"},
    "light.yellow": {"en": "yellow", "zh": "黄灯"},
    "light.red": {"en": "red", "zh": "红灯"},
    "amount.negative": {"en": "investment '{value}' is negative", "zh": "计划投资“{value}”为负数"},
    "amount.negative.hint": {"en": "give a planned amount of 0 or more 亿元", "zh": "计划投资应为 0 亿元或更多"},
    "amount.decimal_comma": {
        "en": "investment '{value}' has a comma where the decimal point goes",
        "zh": "计划投资“{value}”在小数点的位置用了逗号",
    },
    "amount.decimal_comma.hint": {
        "en": "write the decimal point as a dot (12.5); a comma only separates thousands (1,200.5)",
        "zh": "小数点请写成“.”（12.5）；逗号只用于千位分隔（1,200.5）",
    },
    "amount.stray_comma": {
        "en": "investment '{value}' has a comma outside a group of three digits",
        "zh": "计划投资“{value}”中的逗号不在三位一组的千位分隔处",
    },
    "amount.stray_comma.hint": {
        "en": "a comma only separates thousands (1,200.5); write the decimal point as a dot (12.5)",
        "zh": "逗号只用于千位分隔（1,200.5）；小数点请写成“.”（12.5）",
    },
    "amount.not_number": {"en": "investment '{value}' is not a number", "zh": "计划投资“{value}”不是数字"},
    "amount.not_number.hint": {
        "en": "give 亿元 as a decimal (12.5, 1,200.5) or with a unit (8亿, 8000万, 1,200万元)",
        "zh": "请以亿元为单位写小数（12.5、1,200.5），或带上单位（8亿、8000万、1,200万元）",
    },
    "amount.fraction_wan": {
        "en": "investment '{value}' is not a whole number of 万元",
        "zh": "计划投资“{value}”不是整数万元",
    },
    "amount.fraction_wan.hint": {
        "en": "amounts are exact to 1 万元: give whole 万 (8000万), or 亿元 with at most 4 decimals",
        "zh": "金额精确到 1 万元：请给出整数万（8000万），或最多 4 位小数的亿元",
    },
    "amount.decimals": {"en": "investment '{value}' has more than 4 decimals", "zh": "计划投资“{value}”超过 4 位小数"},
    "amount.decimals.hint": {
        "en": "amounts are exact to 0.0001 亿元 (1 万元)",
        "zh": "金额精确到 0.0001 亿元（1 万元）",
    },
    "amount.too_large": {
        "en": "investment '{value}' is more than 10,000 亿元, implausible for one project",
        "zh": "计划投资“{value}”超过 10,000 亿元，对单个项目而言不合常理",
    },
    "amount.too_large.hint": {
        "en": "amounts are in 亿元 (100 million yuan): 12.5 means 12.5 亿元; give 万元 with a unit, e.g. 8000万",
        "zh": "金额以亿元为单位：12.5 即 12.5 亿元；万元请带单位，例如 8000万",
    },
    "field.date": {"en": "date", "zh": "日期"},
    "field.text": {"en": "text", "zh": "问题描述"},
    "field.due": {"en": "due", "zh": "期限"},
    "field.opened": {"en": "opened", "zh": "登记日期"},
    "field.closed": {"en": "closed", "zh": "销号日期"},
    "date.bad": {"en": "{what:field} '{value}' is not a date", "zh": "{what:field}“{value}”不是日期"},
    "date.bad.hint": {
        "en": "write dates as YYYY-MM-DD, e.g. 2020-08-18",
        "zh": "日期格式为 YYYY-MM-DD，例如 2020-08-18",
    },
    "date.out_of_range": {
        "en": "{what:field} {day} is outside the dates pipeline takes",
        "zh": "{what:field} {day} 超出了 pipeline 接受的日期范围",
    },
    "date.out_of_range.hint": {"en": "give a day from {first} to {last}", "zh": "请给出 {first} 至 {last} 之间的日期"},
    "bool.bad": {"en": "{what:field} '{value}' is not true or false", "zh": "{what:field}“{value}”不是“是”或“否”"},
    "bool.bad.hint": {
        "en": "write true/false, yes/no or 1/0",
        "zh": "请写是/否、`true`/`false`、`yes`/`no` 或 1/0",
    },
    "id.not_whole": {"en": "id '{value}' is not a whole number", "zh": "编号“{value}”不是整数"},
    "id.not_whole.hint": {"en": "leave id empty to get a new one", "zh": "编号留空即可获得新编号"},
    "id.not_positive": {"en": "id '{value}' is not a positive number", "zh": "编号“{value}”不是正数"},
    "id.not_positive.hint": {"en": "ids are 1 or more", "zh": "编号从 1 开始"},
    "id.too_large": {
        "en": "id '{value}' is too large: ids go up to {max}",
        "zh": "编号“{value}”过大：编号最大为 {max}",
    },
    "id.too_large.hint": {
        "en": "leave id empty to get a new one, so later additions keep room for theirs",
        "zh": "编号留空即可获得新编号，以便以后新增的项目仍有编号可用",
    },
    "number.not_whole": {
        "en": "'{value}' is not a whole number (write it with the digits 0-9)",
        "zh": "“{value}”不是整数（请用数字 0-9 书写）",
    },
    "number.too_large": {
        "en": "'{value}' is beyond the largest whole number pipeline stores ({max})",
        "zh": "“{value}”超过了 pipeline 能保存的最大整数（{max}）",
    },
    "record.no_name": {"en": "name is missing", "zh": "缺少项目名称"},
    "record.no_name.hint": {"en": "every project needs a name", "zh": "每个项目都需要名称"},
    "record.no_sector": {"en": "sector is missing", "zh": "缺少产业领域"},
    "record.no_sector.hint": {"en": "give one of: {choices:sector}", "zh": "请给出以下之一：{choices:sector}"},
    "record.since_future": {"en": "stage_since {since} is in the future", "zh": "进入阶段日期 {since} 在未来"},
    "record.since_future.hint": {"en": "dates may not be later than today", "zh": "日期不能晚于今天"},
    # --- Click's usage errors, in Chinese (usage.py) ---
    "usage.hint": {"en": "usage: {usage}; `{command} -h` for help", "zh": "用法：{usage}；`{command} -h` 可查看帮助"},
    "usage.help": {"en": "`{command} -h` for help", "zh": "`{command} -h` 可查看帮助"},
    "usage.no_option": {"en": "no such option: {name}", "zh": "没有选项 {name}"},
    "usage.no_option.close": {
        "en": "did you mean {close:/or}? usage: {usage}; `{command} -h` for help",
        "zh": "是否要找 {close:/or}？用法：{usage}；`{command} -h` 可查看帮助",
    },
    "usage.missing_argument": {"en": "missing argument {name}", "zh": "缺少参数 {name}"},
    "usage.missing_option": {"en": "missing option {name}", "zh": "缺少选项 {name}"},
    "usage.bad_value": {"en": "invalid value for {name}: {detail}", "zh": "{name} 的值无效：{detail}"},
    "usage.bad_value.general": {"en": "not a value it takes", "zh": "不是可接受的值"},
    "usage.not_a_choice": {
        "en": "'{value}' is not one of {choices:code}",
        "zh": "“{value}”不是可选值之一（{choices:code}）",
    },
    "usage.path_folder": {"en": "'{path}' is a folder", "zh": "“{path}”是文件夹"},
    "usage.path_file": {"en": "'{path}' is a file", "zh": "“{path}”是文件"},
    "usage.path_missing": {"en": "'{path}' does not exist", "zh": "“{path}”不存在"},
    "usage.needs_value": {"en": "option {name} needs {count} value(s)", "zh": "选项 {name} 需要 {count} 个值"},
    "usage.takes_no_value": {"en": "option {name} does not take a value", "zh": "选项 {name} 不接受值"},
    "usage.bad_option": {"en": "option {name} is not used that way", "zh": "选项 {name} 的用法有误"},
    "usage.no_command": {"en": "no such command '{name}'", "zh": "没有名为“{name}”的命令"},
    "usage.no_command.hint": {
        "en": "`{command} -h` lists the commands (usage: {usage})",
        "zh": "`{command} -h` 可列出全部命令（用法：{usage}）",
    },
    "usage.extra": {"en": "unexpected extra argument(s): {args}", "zh": "多余的参数：{args}"},
    "usage.general": {"en": "the command is not used that way", "zh": "命令用法有误"},
    # --- import ---
    "import.bad_rows": {
        "en": "{count} bad {unit:unit}; nothing was imported\n{lines:lines}",
        "zh": "{count} {unit:unit}有误，未导入任何内容：\n{lines:lines}",
    },
    "import.bad_rows.hint": {
        "en": "fix them and import again (--dry-run checks a file without writing anything)",
        "zh": "改正后重新导入（--dry-run 只检查文件，不写入任何内容）",
    },
    "import.bad_line": {"en": "  {unit:unit} {number}: {reason}", "zh": "  第 {number} {unit:unit}：{reason}"},
    "import.reason_hint": {"en": "{text} ({hint})", "zh": "{text}（{hint}）"},
    "import.in_file": {"en": "{name}: {text}", "zh": "{name}：{text}"},
    "import.json_not_text": {
        "en": "{field} is a JSON {kind}, not text",
        "zh": "{field} 是 JSON {kind}，不是文字",
    },
    "import.json_not_text.hint": {
        "en": "write it as a JSON string (in quotes), or null to leave it empty",
        "zh": "请写成 JSON 字符串（加引号），或写 `null` 留空",
    },
    "json.array": {"en": "array", "zh": "数组"},
    "json.object": {"en": "object", "zh": "对象"},
    "json.boolean": {"en": "boolean", "zh": "布尔值"},
    "json.number": {"en": "number", "zh": "数字"},
    "json.string": {"en": "string", "zh": "字符串"},
    "import.json_duplicate_key": {
        "en": "key '{key}' appears twice in the object (one of them would be lost)",
        "zh": "键“{key}”在对象中出现了两次（其中一个会丢失）",
    },
    "import.json_too_deep": {
        "en": "{name} is nested too deeply to be a project file",
        "zh": "{name} 嵌套层数过多，不是项目文件",
    },
    "import.json_too_deep.hint": {
        "en": "a project file is an array of flat objects, as `pipeline export --format json` writes it",
        "zh": "项目文件是由平铺对象组成的数组，格式同 `pipeline export --format json` 的输出",
    },
    "import.json_too_deep.line": {
        "en": "nested too deeply to be a project (one flat object a line)",
        "zh": "嵌套层数过多，不是项目（每行一个平铺对象）",
    },
    "import.encoding_not_text": {
        "en": "'{encoding}' is not a text encoding",
        "zh": "“{encoding}”不是文字编码",
    },
    "import.encoding_accepts_anything": {
        "en": "encoding '{encoding}' reads any bytes as some text, so a file in another encoding "
        "would be imported garbled (mojibake) instead of refused",
        "zh": "编码“{encoding}”会把任何字节都读成文字，其他编码的文件会被导入成乱码而不会被拒绝",
    },
    "import.encoding.hint": {
        "en": "use an encoding that refuses bytes it does not hold: utf-8 (the default), gb18030, gbk, big5",
        "zh": "请用能拒绝无效字节的编码：`--encoding utf-8`（默认）、"
        "`--encoding gb18030`、`--encoding gbk`、`--encoding big5`",
    },
    # --- import: the file, its rows, what it does (importing/, commands/transfer.py) ---
    "import.encoding_unknown": {"en": "unknown encoding '{encoding}'", "zh": "未知的编码“{encoding}”"},
    "import.encoding_unknown.hint": {
        "en": "use utf-8 (the default), gb18030 or gbk",
        "zh": "请用 `utf-8`（默认）、`gb18030` 或 `gbk`",
    },
    "import.is_workbook": {
        "en": "{name} is a workbook (.xlsx), not a CSV or JSON file",
        "zh": "{name} 是工作簿（.xlsx），不是 CSV 或 JSON 文件",
    },
    "import.is_workbook.hint": {
        "en": "import reads workbooks: add --format xlsx (or name the file .xlsx)",
        "zh": "导入可以读取工作簿：请加 `--format xlsx`（或把文件命名为 .xlsx）",
    },
    "import.is_utf8": {
        "en": "{name} is UTF-8 text, not {encoding}: reading it as {encoding} would garble its Chinese",
        "zh": "{name} 是 UTF-8 文本，不是 {encoding}：按 {encoding} 读取会使其中文变成乱码",
    },
    "import.is_utf8.hint": {
        "en": "leave out --encoding (UTF-8 is the default)",
        "zh": "请去掉 --encoding（默认即为 UTF-8）",
    },
    "import.not_encoded": {
        "en": "{name} is not valid {encoding}: bytes {bytes} at byte offset {offset} (line {line})",
        "zh": "{name} 不是有效的 {encoding}：第 {line} 行，字节偏移 {offset} 处的字节 {bytes}",
    },
    "import.not_encoded.hint_utf8": {
        "en": "a file saved by Excel or WPS in Chinese is often GBK: try --encoding gb18030",
        "zh": "中文版 Excel 或 WPS 保存的文件常为 GBK 编码：请试试 `--encoding gb18030`",
    },
    "import.not_encoded.hint": {
        "en": "try --encoding gb18030 (a superset of gbk), or --encoding utf-8",
        "zh": "请试试 `--encoding gb18030`（`gbk` 的超集）或 `--encoding utf-8`",
    },
    "import.bad_workbook": {
        "en": "{name} is not a readable .xlsx workbook: {reason}",
        "zh": "{name} 不是可读取的 .xlsx 工作簿：{reason}",
    },
    "zip.bad": {"en": "File is not a zip file", "zh": "文件不是 zip 压缩格式"},
    "import.bad_workbook.hint": {
        "en": "open it in Excel or WPS and save it again as .xlsx (Excel 2007 or later)",
        "zh": "请用 Excel 或 WPS 打开，另存为 .xlsx（Excel 2007 或更高版本）",
    },
    "import.no_sheet": {"en": "{name} has no sheet named '{sheet}'", "zh": "{name} 中没有名为“{sheet}”的工作表"},
    "import.no_sheet.hint": {"en": "its sheets are: {sheets}", "zh": "其中的工作表：{sheets}"},
    "import.empty": {"en": "{name} is empty", "zh": "{name} 是空文件"},
    "import.empty.hint": {
        "en": "export a file with `pipeline export` to see the columns import takes",
        "zh": "可用 `pipeline export` 导出一个文件，查看导入接受的列",
    },
    "import.unknown_format": {"en": "unknown format '{format}'", "zh": "未知的格式“{format}”"},
    "import.unknown_format.hint": {"en": "use csv, json, jsonl or xlsx", "zh": "请用 csv、json、jsonl 或 xlsx"},
    "import.where_row": {"en": "row {number}", "zh": "第 {number} 行"},
    "import.where_first": {"en": "first in {unit:unit} {number}", "zh": "首次出现在第 {number} {unit:unit}"},
    "import.unknown_column": {
        "en": "{name}: unknown column {columns} ({where})",
        "zh": "{name}：未知的列 {columns}（{where}）",
    },
    "import.unknown_columns": {
        "en": "{name}: unknown columns {columns} ({where})",
        "zh": "{name}：未知的列 {columns}（{where}）",
    },
    "import.unknown_column.hint": {
        "en": "the columns are: {fields} (as `pipeline export` writes them); remove or rename the others",
        "zh": "可用的列：{fields}（与 `pipeline export` 写出的相同），或其中文名称；请删除或改名其他列",
    },
    "import.unknown_column.close": {
        "en": "did you mean '{close}'? the columns are: {fields} (as `pipeline export` writes them); "
        "remove or rename the others",
        "zh": "是否要找“{close}”？可用的列：{fields}（与 `pipeline export` 写出的相同），"
        "或其中文名称；请删除或改名其他列",
    },
    "import.csv_header": {
        "en": "{name}: row 1 is not valid CSV: {reason}",
        "zh": "{name}：第 1 行不是有效的 CSV：{reason}",
    },
    "import.csv_row": {"en": "not valid CSV: {reason}", "zh": "不是有效的 CSV：{reason}"},
    "csv.nul": {"en": "line contains NUL", "zh": "含有空字符（NUL）"},
    "csv.eof": {"en": "unexpected end of data", "zh": "数据意外结束（引号未闭合）"},
    "csv.newline": {"en": "new-line character seen in unquoted field", "zh": "未加引号的字段中有换行符"},
    "csv.too_large": {"en": "a field is larger than the field limit", "zh": "字段超出长度上限"},
    "import.header_empty": {
        "en": "{name}: {where} should be the header but is empty",
        "zh": "{name}：{where}应为表头，但为空",
    },
    "import.header_empty.hint": {"en": "the first row names the columns", "zh": "第一行写各列的名称"},
    "import.header_unnamed": {
        "en": "{name}: column {column} of the header ({where}) has no name",
        "zh": "{name}：表头（{where}）第 {column} 列没有名称",
    },
    "import.header_twice": {
        "en": "{name}: column '{column}' appears twice in the header ({where})",
        "zh": "{name}：列“{column}”在表头（{where}）中出现了两次",
    },
    "import.too_many_cells": {
        "en": "{cells} cells but the header has {columns} columns",
        "zh": "有 {cells} 个单元格，但表头只有 {columns} 列",
    },
    "import.no_rows": {"en": "{name} has a header but no rows", "zh": "{name} 只有表头，没有数据行"},
    "import.no_rows.hint": {"en": "add one row per project below the header", "zh": "请在表头下每个项目写一行"},
    "json.null": {"en": "null", "zh": "空值（`null`）"},
    "import.not_object": {"en": "is {kind}, not an object", "zh": "是{kind}，不是对象"},
    "import.bad_json": {
        "en": "{name} is not valid JSON: {reason} at line {line} column {column}",
        "zh": "{name} 不是有效的 JSON：第 {line} 行第 {column} 列，{reason}",
    },
    "import.bad_json.hint": {
        "en": "check the file with a JSON validator, or export one with `pipeline export --format json`",
        "zh": "请用 JSON 校验工具检查文件，或用 `pipeline export --format json` 导出一个",
    },
    "import.bad_json_line": {
        "en": "not valid JSON: {reason} at column {column}",
        "zh": "不是有效的 JSON：第 {column} 列，{reason}",
    },
    "jsonerr.value": {"en": "Expecting value", "zh": "缺少值"},
    "jsonerr.comma": {"en": "Expecting ',' delimiter", "zh": "缺少逗号分隔符"},
    "jsonerr.colon": {"en": "Expecting ':' delimiter", "zh": "缺少冒号分隔符"},
    "jsonerr.name": {"en": "Expecting property name enclosed in double quotes", "zh": "缺少用双引号括起的键名"},
    "jsonerr.extra": {"en": "Extra data", "zh": "多余的数据"},
    "jsonerr.unterminated": {"en": "Unterminated string starting at", "zh": "字符串未结束"},
    "jsonerr.control": {"en": "Invalid control character at", "zh": "无效的控制字符"},
    "jsonerr.escape": {"en": "Invalid \\escape", "zh": "无效的转义"},
    "jsonerr.uescape": {"en": "Invalid \\uXXXX escape", "zh": "无效的 `\\uXXXX` 转义"},
    "import.json_not_array": {
        "en": "{name}: expected a JSON array of project objects, found {kind}",
        "zh": "{name}：应为由项目对象组成的 JSON 数组，实际为{kind}",
    },
    "import.json_empty": {"en": "{name} has no projects (an empty array)", "zh": "{name} 中没有项目（空数组）"},
    "import.json_empty.hint": {"en": "add one object per project", "zh": "请每个项目写一个对象"},
    "import.id_twice": {
        "en": "id {id} is also on {unit:unit} {number}",
        "zh": "编号 {id} 也出现在第 {number} {unit:unit}",
    },
    "import.id_undone": {
        "en": "id {id} belonged to a project whose add was undone, and an id is never reused",
        "zh": "编号 {id} 属于一个新增已撤销的项目，编号不会重复使用",
    },
    "import.id_undone.hint": {"en": "leave id empty to add it under a new id", "zh": "编号留空即可以新编号新增"},
    "import.source_changed": {
        "en": "source '{new:source}' differs from project {id}'s '{old:source}', "
        "and where a record came from does not change",
        "zh": "来源“{new:source}”与项目 {id} 的“{old:source}”不同，而记录的来源不能更改",
    },
    "import.source_changed.hint": {
        "en": "leave the source column as exported, or remove the column",
        "zh": "请保持来源列与导出时相同，或删除该列",
    },
    "import.dropped_move": {
        "en": "project {id} is dropped, so its stage cannot change",
        "zh": "项目 {id} 已退单，阶段不能更改",
    },
    "import.dropped_move.hint": {
        "en": "set its status to active in the same row to restore and move it",
        "zh": "请在同一行把状态设为在库，以恢复并移动它",
    },
    "import.since_before_last": {
        "en": "stage_since {since} is before project {id}'s last recorded event ({last})",
        "zh": "进入阶段日期 {since} 早于项目 {id} 的最后一个事件（{last}）",
    },
    "import.since_before_last.hint": {
        "en": "a move is dated on or after the last event; leave stage_since as stored to move it today",
        "zh": "阶段变更的日期不能早于最后一个事件；进入阶段日期保持原值即按今天变更",
    },
    "import.since_changed": {
        "en": "stage_since {since} differs from the stored {stored}, but the stage stays {stage:stage}",
        "zh": "进入阶段日期 {since} 与已存的 {stored} 不同，但阶段仍为{stage:stage}",
    },
    "import.since_changed.hint": {
        "en": "stage_since changes only with the stage: leave it as stored, or remove the column",
        "zh": "进入阶段日期只随阶段变更：请保持原值，或删除该列",
    },
    "import.new_id": {"en": "(new id)", "zh": "新编号"},
    "import.who": {"en": "{id} {name}", "zh": "{id} {name}"},
    "import.added": {"en": "added {who} ({stage:stage}{dropped})", "zh": "新增 {who}（{stage:stage}{dropped}）"},
    "import.added_dropped": {"en": ", dropped", "zh": "，已退单"},
    "import.changed": {"en": "{who}: {effects}", "zh": "{who}：{effects}"},
    "import.amount": {"en": "{amount} 亿元", "zh": "{amount} 亿元"},
    "import.no_amount": {"en": "investment unknown", "zh": "投资额未知"},
    "import.dry_line": {"en": "{line} [{amount}]", "zh": "{line}【{amount}】"},
    "import.totals": {
        "en": "investment of active projects: {before} 亿元 before, {after} 亿元 after ({delta})",
        "zh": "在库项目计划投资：导入前 {before} 亿元，导入后 {after} 亿元（{delta}）",
    },
    "import.dry_run": {
        "en": "dry run: {added} added, {updated} updated, {moved} moved, {unchanged} unchanged; nothing was written",
        "zh": "试运行：新增 {added} 个，更新 {updated} 个，阶段变更 {moved} 个，不变 {unchanged} 个；未写入任何内容",
    },
    "import.imported": {
        "en": "imported: {added} added, {updated} updated, {moved} moved, {unchanged} unchanged",
        "zh": "已导入：新增 {added} 个，更新 {updated} 个，阶段变更 {moved} 个，不变 {unchanged} 个",
    },
    "import.nothing": {
        "en": "nothing to import: all {count} rows match the database",
        "zh": "没有要导入的内容：全部 {count} 行与数据库一致",
    },
    "import.warning": {"en": "warning: {name}: {text}", "zh": "警告：{name}：{text}"},
    "import.name_taken": {
        "en": "{unit:unit} {number}: project {id} is also named {name}; this adds another",
        "zh": "第 {number} {unit:unit}：项目 {id} 也叫 {name}；本行会再新增一个",
    },
    "import.name_repeated": {
        "en": "{unit:unit} {number}: {unit:unit} {first} adds a project of the same name, {name}",
        "zh": "第 {number} {unit:unit}：第 {first} {unit:unit}新增了同名项目 {name}",
    },
    "import.more_taken": {
        "en": "and {count} more rows adding a name already taken",
        "zh": "另有 {count} 行新增的项目名称已被使用",
    },
    "import.name_taken.hint": {
        "en": "a row without an id always adds a project; give it the id to update that one instead",
        "zh": "没有编号的行总是新增项目；要更新已有项目，请写上其编号",
    },
    "import.no_file": {"en": "no file {path}", "zh": "没有文件 {path}"},
    "import.no_file.hint": {"en": "check the name and folder", "zh": "请检查文件名和文件夹"},
    "import.is_folder": {"en": "{path} is a folder", "zh": "{path} 是文件夹"},
    "import.is_folder.hint": {
        "en": "name a CSV, JSON or JSON Lines file",
        "zh": "请给出 CSV、JSON 或 `JSON Lines` 文件",
    },
    "import.cannot_read": {"en": "cannot read {path}: {reason}", "zh": "无法读取 {path}：{reason}"},
    "import.cannot_read.hint": {"en": "check the file", "zh": "请检查该文件"},
    "import.unreadable": {"en": "cannot read {path}: permission denied", "zh": "无法读取 {path}：没有权限"},
    "import.which_format": {
        "en": "cannot tell the format of {file} from its name",
        "zh": "无法从文件名判断 {file} 的格式",
    },
    "import.which_format.hint": {
        "en": "add --format csv, json, jsonl or xlsx",
        "zh": "请加 `--format csv`、`json`、`jsonl` 或 `xlsx`",
    },
    "import.sheet_not_xlsx": {"en": "--sheet is for .xlsx workbooks", "zh": "--sheet 只用于 .xlsx 工作簿"},
    "import.sheet_not_xlsx.hint": {
        "en": "{file} is read as {format}; leave out --sheet",
        "zh": "{file} 按 {format} 读取；请去掉 --sheet",
    },
    "export.done": {"en": "exported {count} projects to {path}", "zh": "已导出 {count} 个项目到 {path}"},
    "export.done.one": {"en": "exported {count} project to {path}", "zh": "已导出 {count} 个项目到 {path}"},
    "backup.done": {"en": "backed up {count} projects to {path}", "zh": "已备份 {count} 个项目到 {path}"},
    "backup.done.one": {"en": "backed up {count} project to {path}", "zh": "已备份 {count} 个项目到 {path}"},
    # --- text (texts.py: the one rule of every way in) ---
    "text.forbidden_char": {
        "en": "{field} holds a control character ({char}, character {position}) that would reach the terminal raw",
        "zh": "{field} 含有控制字符（{char}，第 {position} 个字符），会原样输出到终端",
    },
    "db.nul": {"en": "database path '{path}' holds a NUL character", "zh": "数据库路径“{path}”含有空字符（NUL）"},
    "db.nul.hint": {
        "en": "no file has such a name: correct --db, $PIPELINE_DB or the settings' db",
        "zh": "没有文件叫这个名字：请改正 --db、$PIPELINE_DB 或设置中的 db",
    },
    "text.not_utf8": {
        "en": "{field} holds a byte that is not UTF-8 (character {position})",
        "zh": "{field} 含有非 UTF-8 编码的字节（第 {position} 个字符）",
    },
    "text.not_utf8.hint": {
        "en": "give text in UTF-8: set the terminal or the script to UTF-8 (e.g. LANG=C.UTF-8)",
        "zh": "请用 UTF-8 编码的文字：把终端或脚本设为 UTF-8（例如 LANG=C.UTF-8）",
    },
    "text.forbidden_char.hint": {
        "en": "text may hold tabs and line breaks, but no other control character "
        "(an escape sequence, bell, NUL) nor a bidirectional override: remove it",
        "zh": "文字可以含制表符和换行，但不能含其他控制字符（转义序列、响铃、空字符）或双向文字控制符：请删除该字符",
    },
    # --- vocabularies (format specs of i18n.py) ---
    "unit.row": {"en": "row", "zh": "行"},
    "unit.rows": {"en": "rows", "zh": "行"},
    "unit.line": {"en": "line", "zh": "行"},
    "unit.lines": {"en": "lines", "zh": "行"},
    "unit.item": {"en": "item", "zh": "项"},
    "unit.items": {"en": "items", "zh": "项"},
    # --- summaries, lights, stages, the report's period (tallies.py) ---
    "summary.bad_by": {"en": "cannot summarise by '{value}'", "zh": "不能按“{value}”汇总"},
    "summary.bad_by.hint": {"en": "--by takes {fields:field}", "zh": "--by 可取：{fields:field}"},
    "summary.by_twice": {"en": "--by {field} is given twice", "zh": "--by {field} 给出了两次"},
    "summary.by_twice.hint": {"en": "give each field once", "zh": "每个字段只给一次"},
    "summary.by_many": {
        "en": "--by is given {count} times; a summary groups by at most two fields",
        "zh": "--by 给出了 {count} 次；汇总最多按两个字段分组",
    },
    "summary.by_many.hint": {
        "en": "one --by gives a list of groups, two give a cross-table",
        "zh": "一个 --by 得到分组列表，两个得到交叉表",
    },
    "lights.bad_level": {
        "en": "{option} '{value}' is not yellow or red",
        "zh": "{option} 的值“{value}”不是 `yellow`（黄灯）或 `red`（红灯）",
    },
    "lights.bad_level.hint": {
        "en": "use {option} yellow or {option} red",
        "zh": "请用 `{option} yellow` 或 `{option} red`",
    },
    "stages.last": {
        "en": "{stage:stage} is the last stage: a project there has arrived, so it has no warning lights",
        "zh": "{stage:stage}是最后一个阶段：项目已到终点，因此没有预警亮灯",
    },
    "stages.last.hint": {
        "en": "set thresholds on an earlier stage (pipeline stages lists them)",
        "zh": "请为前面的阶段设置阈值（`pipeline stages` 可列出各阶段）",
    },
    "stages.no_thresholds": {
        "en": "{stage:stage} has no thresholds to keep",
        "zh": "{stage:stage}阶段没有可保留的阈值",
    },
    "stages.no_thresholds.hint": {"en": "give both --yellow and --red", "zh": "请同时给出 --yellow 和 --red"},
    "stages.not_positive": {
        "en": "{option} {days} is not a positive number of days",
        "zh": "{option} {days} 不是正的天数",
    },
    "stages.not_positive.hint": {"en": "give a whole number of days, 1 or more", "zh": "请给出不少于 1 的整数天数"},
    "stages.too_many_days": {
        "en": "{option} {days} is more than {max} days (100 years)",
        "zh": "{option} {days} 超过 {max} 天（100 年）",
    },
    "stages.too_many_days.hint": {
        "en": "give a whole number of days a project may plausibly stay in a stage",
        "zh": "请给出项目在一个阶段可能停留的合理天数",
    },
    "stages.order": {
        "en": "yellow ({yellow} days) must come before red ({red} days)",
        "zh": "黄灯（{yellow} 天）须早于红灯（{red} 天）",
    },
    "stages.order.hint": {"en": "give --yellow fewer days than --red", "zh": "--yellow 的天数应少于 --red"},
    "stages.list.hint": {"en": "pipeline stages lists them", "zh": "`pipeline stages` 可列出各阶段"},
    "report.periods": {"en": "{options:/and} cannot be combined", "zh": "{options:/and} 不能同时使用"},
    "report.periods.hint": {"en": "choose one period", "zh": "请只选一种时段"},
    "report.since_until": {"en": "--since and --until go together", "zh": "--since 与 --until 须同时给出"},
    "report.since_until.hint": {
        "en": "give both, e.g. --since 2020-08-01 --until 2020-08-18 (or use --week or --month)",
        "zh": "请同时给出，例如 --since 2020-08-01 --until 2020-08-18（或用 --week、--month）",
    },
    "report.until_future": {
        "en": "--until {until} is in the future (today is {today})",
        "zh": "--until {until} 在未来（今天是 {today}）",
    },
    "report.until_future.hint": {"en": "a report covers days that have passed", "zh": "报告只涵盖已经过去的日子"},
    "format.report_only": {
        "en": "--format {format} is for summary, funnel, rank and report",
        "zh": "--format {format} 只用于 `summary`、`funnel`、`rank` 和 `report`",
    },
    "format.report_only.hint": {
        "en": "use table, markdown, json, jsonl, csv, tsv or xlsx here",
        "zh": "此处请用 `table`、`markdown`、`json`、`jsonl`、`csv`、`tsv` 或 `xlsx`",
    },
    "format.not_here": {"en": "this command does not write --format {format}", "zh": "此命令不输出 --format {format}"},
    "format.not_here.hint": {
        "en": "use table, markdown, json, jsonl, csv or tsv",
        "zh": "请用 `table`、`markdown`、`json`、`jsonl`、`csv` 或 `tsv`",
    },
    # The sheet of a workbook (-f xlsx) of a command that prints one kind of record.
    "sheet.stages": {"en": "Stages", "zh": "阶段"},
    "sheet.sectors": {"en": "Sectors", "zh": "产业领域"},
    "sheet.history": {"en": "History", "zh": "历史记录"},
    "sheet.check": {"en": "Check", "zh": "检查结果"},
    "sheet.access": {"en": "Access", "zh": "访问权限"},
    "sheet.project": {"en": "Project", "zh": "项目"},
    "list.bad_sort": {"en": "cannot sort by '{value}'", "zh": "不能按“{value}”排序"},
    "list.bad_sort.hint": {"en": "sort by one of: {fields:field}", "zh": "可按以下之一排序：{fields:field}"},
    # --- sectors (store/vocab.py) ---
    "sectors.exists": {"en": "sector '{slug}' already exists", "zh": "产业领域“{slug}”已存在"},
    "sectors.exists.hint": {
        "en": "`pipeline sectors` lists them; choose another slug",
        "zh": "`pipeline sectors` 可列出全部产业领域；请换一个代号",
    },
    "sectors.name_taken": {
        "en": "the Chinese name '{name}' is already sector '{taken}'",
        "zh": "中文名称“{name}”已被产业领域“{taken}”使用",
    },
    "sectors.name_taken.hint": {"en": "each sector needs its own Chinese name", "zh": "每个产业领域需要各自的中文名称"},
    "sectors.position": {"en": "--position {position} is out of range", "zh": "--position {position} 超出范围"},
    "sectors.position.hint": {"en": "give a position from 1 to {last}", "zh": "请给出 1 至 {last} 之间的位置"},
    "sectors.in_use": {
        "en": "sector '{slug}' still has {count} projects{also}",
        "zh": "产业领域“{slug}”下还有 {count} 个项目{also}",
    },
    "sectors.in_use.one": {
        "en": "sector '{slug}' still has {count} project{also}",
        "zh": "产业领域“{slug}”下还有 {count} 个项目{also}",
    },
    "sectors.in_use.also": {
        "en": " ({undone} of them added and undone, which keep their sector)",
        "zh": "（其中 {undone} 个的新增已撤销，仍保留其产业领域）",
    },
    "sectors.in_use.hint": {
        "en": "move them to another sector first (pipeline list --all --sector {slug}; pipeline edit ID --sector …)",
        "zh": "请先把它们移到其他产业领域（`pipeline list --all --sector {slug}`；`pipeline edit ID --sector …`）",
    },
    # --- the database: busy, damaged, not ours (store/_core.py) ---
    "db.busy": {
        "en": "the database is busy: another command held it for more than {seconds} s",
        "zh": "数据库正忙：另一条命令占用它超过了 {seconds} 秒",
    },
    "db.busy.hint": {
        "en": "nothing changed; try again, or raise PIPELINE_BUSY_TIMEOUT",
        "zh": "未做任何修改；请重试，或调大 PIPELINE_BUSY_TIMEOUT",
    },
    "db.cannot_write": {"en": "cannot write to {path}: {reason}", "zh": "无法写入 {path}：{reason}"},
    "db.cannot_write.hint": {
        "en": "nothing changed; check the file and its folder are writable and the disk has room",
        "zh": "未做任何修改；请检查文件及其文件夹是否可写、磁盘是否有空间",
    },
    "db.damaged": {"en": "{path} is damaged: {reason}", "zh": "{path} 已损坏：{reason}"},
    "db.damaged.hint": {
        "en": "restore it from a backup (pipeline backup)",
        "zh": "请从备份恢复（备份用 `pipeline backup` 制作）",
    },
    "check.failed": {"en": "{path} could not be checked: {reason}", "zh": "无法检查 {path}：{reason}"},
    "db.not_sqlite": {"en": "{path} is not an SQLite database", "zh": "{path} 不是 SQLite 数据库"},
    "db.not_sqlite.hint": {
        "en": "check the path, or run `pipeline init` to create a database somewhere else",
        "zh": "请检查路径，或运行 `pipeline init` 在别处创建数据库",
    },
    "db.migration_broken": {
        "en": "migration {migration} would leave {count} broken references (first: {table} row {row} → {target})",
        "zh": "迁移 {migration} 会留下 {count} 处失效引用（第一处：{table} 第 {row} 行 → {target}）",
    },
    "db.migration_broken.hint": {
        "en": "nothing changed; run `pipeline check` with the previous version",
        "zh": "未做任何修改；请用之前的版本运行 `pipeline check`",
    },
    "db.missing": {"en": "no database at {path}", "zh": "{path} 处没有数据库"},
    "db.missing.hint": {
        "en": "check the path, or run `pipeline init` to create one there",
        "zh": "请检查路径，或运行 `pipeline init` 在该处创建数据库",
    },
    "db.not_pipeline": {
        "en": "{path} is an SQLite database, but not a pipeline database",
        "zh": "{path} 是 SQLite 数据库，但不是 pipeline 数据库",
    },
    "db.not_pipeline.hint": {
        "en": "check the path, or run `pipeline init` to create a pipeline database somewhere else",
        "zh": "请检查路径，或运行 `pipeline init` 在别处创建 pipeline 数据库",
    },
    "db.newer": {
        "en": "{path} was written by a newer version of pipeline (schema {version}, this one knows {known})",
        "zh": "{path} 由更新版本的 pipeline 写入（结构版本 {version}，本版本只认识 {known}）",
    },
    "db.newer.hint": {
        "en": "upgrade pipeline (pip install -U pipeline-cli) to use it",
        "zh": "请升级 pipeline（`pip install -U pipeline-cli`）后再使用",
    },
    "backup.not_intact": {
        "en": "the copy failed its integrity check: {problems}",
        "zh": "副本未通过完整性检查：{problems}",
    },
    "backup.not_intact.hint": {
        "en": "the live database may be damaged: run `pipeline check`",
        "zh": "正在使用的数据库可能已损坏：请运行 `pipeline check`",
    },
    # --- reasons the system gives (errors.os_reason, errors.sqlite_reason) ---
    "os.EACCES": {"en": "Permission denied", "zh": "没有权限"},
    "os.EPERM": {"en": "Operation not permitted", "zh": "不允许的操作"},
    "os.ENOSPC": {"en": "No space left on device", "zh": "磁盘已无空间"},
    "os.EDQUOT": {"en": "Disk quota exceeded", "zh": "超出磁盘配额"},
    "os.EROFS": {"en": "Read-only file system", "zh": "只读文件系统"},
    "os.ENOENT": {"en": "No such file or directory", "zh": "没有该文件或文件夹"},
    "os.EISDIR": {"en": "Is a directory", "zh": "是文件夹"},
    "os.ENOTDIR": {"en": "Not a directory", "zh": "不是文件夹"},
    "os.ENAMETOOLONG": {"en": "File name too long", "zh": "文件名过长"},
    "os.EIO": {"en": "Input/output error", "zh": "读写错误"},
    "os.EFBIG": {"en": "File too large", "zh": "文件过大"},
    "os.EEXIST": {"en": "File exists", "zh": "文件已存在"},
    "os.ELOOP": {"en": "Too many levels of symbolic links", "zh": "符号链接层数过多"},
    "os.EBADF": {"en": "Bad file descriptor", "zh": "无效的文件描述符"},
    "os.EPIPE": {"en": "Broken pipe", "zh": "管道已断开"},
    "os.ENXIO": {"en": "No such device or address", "zh": "没有该设备或地址"},
    "sqlite.readonly": {"en": "attempt to write a readonly database", "zh": "数据库为只读"},
    "sqlite.full": {"en": "database or disk is full", "zh": "数据库或磁盘已满"},
    "sqlite.io": {"en": "disk I/O error", "zh": "磁盘读写错误"},
    "sqlite.not_a_database": {"en": "file is not a database", "zh": "文件不是数据库"},
    "sqlite.malformed": {"en": "database disk image is malformed", "zh": "数据库文件已损坏"},
    "sqlite.cannot_open": {"en": "unable to open database file", "zh": "无法打开数据库文件"},
    "sqlite.locked": {"en": "database is locked", "zh": "数据库已锁定"},
    "sqlite.no_table": {"en": "no such table: {name}", "zh": "没有数据表 {name}"},
    "sqlite.no_column": {"en": "no such column: {name}", "zh": "没有字段 {name}"},
    # --- the settings file (config) ---
    "config.file": {"en": "settings file: {path}", "zh": "设置文件：{path}"},
    "config.saved": {"en": "{key} = {value} (in {path})", "zh": "{key} = {value}（已写入 {path}）"},
    "config.removed": {"en": "{key} removed (from {path})", "zh": "已删除 `{key}`（{path}）"},
    "config.was_not_set": {"en": "{key} was not set; nothing changed", "zh": "`{key}` 未设置，未做任何修改"},
    "config.not_set": {"en": "{key} is not set", "zh": "`{key}` 未设置"},
    "config.not_set.hint": {
        "en": "`pipeline config set {key} VALUE` sets it",
        "zh": "用 `pipeline config set {key} VALUE` 设置",
    },
    "config.unknown_key": {"en": "unknown setting '{key}'", "zh": "没有名为“{key}”的设置项"},
    "config.unknown_key.hint": {"en": "the settings are: {keys:code}", "zh": "可用的设置项：{keys:code}"},
    "config.bad_lang": {"en": "lang '{value}' is not en or zh", "zh": "`lang` 的值“{value}”不是 `en` 或 `zh`"},
    "config.bad_timeout": {
        "en": "busy_timeout '{value}' is not a number of seconds",
        "zh": "`busy_timeout` 的值“{value}”不是秒数",
    },
    "config.bad_timeout.hint": {"en": "give seconds, e.g. 5 or 0.5", "zh": "请给出秒数，例如 5 或 0.5"},
    "config.empty": {"en": "the value of {key} is empty", "zh": "`{key}` 的值为空"},
    "config.empty.hint": {
        "en": "give a value, or `pipeline config unset {key}`",
        "zh": "请给出一个值，或用 `pipeline config unset {key}` 删除",
    },
    "config.unreadable": {
        "en": "cannot read the settings file {path}: {reason}",
        "zh": "无法读取设置文件 {path}：{reason}",
    },
    "config.unreadable.hint": {
        "en": "fix or remove the file (PIPELINE_CONFIG names another one)",
        "zh": "请修正或删除该文件（PIPELINE_CONFIG 可指定另一个文件）",
    },
    "config.not_utf8": {"en": "the settings file {path} is not UTF-8 text", "zh": "设置文件 {path} 不是 UTF-8 文本"},
    "config.bad_toml": {
        "en": "the settings file {path} is not valid TOML at line {line}",
        "zh": "设置文件 {path} 第 {line} 行不是有效的 TOML",
    },
    "config.bad_entry": {
        "en": "the settings file {path}, line {line}: bad setting '{key}'",
        "zh": "设置文件 {path} 第 {line} 行：设置项“{key}”无效",
    },
    "config.bad_env_timeout": {
        "en": "PIPELINE_BUSY_TIMEOUT '{value}' is not a number of seconds from 0 to 3600",
        "zh": "PIPELINE_BUSY_TIMEOUT 的值“{value}”不是 0 到 3600 之间的秒数",
    },
    "config.bad_env_timeout.hint": {
        "en": "set it to e.g. 5 or 0.5, or unset it for the default of 5 s",
        "zh": "请设为例如 5 或 0.5，或取消设置以使用默认的 5 秒",
    },
    # --- changes ---
    "change.by_empty": {"en": "--by is empty", "zh": "--by 为空"},
    "change.by_empty.hint": {"en": "name who made the change, or leave --by out", "zh": "请写明修改人，或不加 --by"},
    "change.name_empty": {"en": "the name is empty", "zh": "项目名称为空"},
    "change.name_empty.hint": {"en": "every project needs a name", "zh": "每个项目都需要名称"},
    "edit.nothing": {"en": "nothing to edit", "zh": "没有要修改的内容"},
    "edit.nothing.hint": {
        "en": "give at least one of --name, --sector, --investment, --key/--no-key, --district, --unit, --lead, --note",
        "zh": "请至少给出 --name、--sector、--investment、--key/--no-key、--district、--unit、--lead、--note 之一",
    },
    "edit.same": {
        "en": "project {id} already has those values; nothing changed",
        "zh": "项目 {id} 已是这些值，未做任何修改",
    },
    "move.same": {
        "en": "project {id} is already at {stage:stage}; nothing changed",
        "zh": "项目 {id} 已处于{stage:stage}阶段，未做任何修改",
    },
    "advance.repeated": {"en": "id {ids} given more than once", "zh": "编号 {ids} 重复给出"},
    "advance.repeated.hint": {
        "en": "each id moves one stage; give it once",
        "zh": "每个编号只前进一个阶段，请只给一次",
    },
    "drop.reason_empty": {"en": "the reason is empty", "zh": "退单原因为空"},
    "drop.reason_empty.hint": {
        "en": "say why the project is dropped, e.g. --reason 'investor withdrew'",
        "zh": "请说明退单原因，例如 --reason '投资方撤回'",
    },
    "undo.nothing": {"en": "nothing to undo", "zh": "没有可撤销的修改"},
    "undo.nothing.hint": {
        "en": "every change has been undone already (the seeded projects stay)",
        "zh": "所有修改都已撤销（初始项目保留）",
    },
    "undo.nothing.meanwhile": {
        "en": "another command undid the last change meanwhile",
        "zh": "另一条命令刚刚撤销了最近的修改",
    },
    "undo.no_terminal": {
        "en": "undo asks before it reverts change {change}, and there is no terminal to ask",
        "zh": "撤销第 {change} 号修改前需要确认，但没有可询问的终端",
    },
    "undo.no_terminal.hint": {"en": "pass --yes to undo without asking", "zh": "加 --yes 可不经询问直接撤销"},
    "undo.moved_on": {
        "en": "the most recent change is now {current}, not {target}: another command wrote meanwhile",
        "zh": "最近的修改现在是第 {current} 号而不是第 {target} 号：另一条命令刚刚写入",
    },
    "undo.moved_on.hint": {
        "en": "nothing changed; run `pipeline undo` again to see what it would revert",
        "zh": "未做任何修改；再次运行 `pipeline undo` 查看将撤销的内容",
    },
    "history.since_after_until": {
        "en": "--since {since} is after --until {until}",
        "zh": "--since {since} 晚于 --until {until}",
    },
    "history.since_after_until.hint": {"en": "give --since on or before --until", "zh": "--since 应不晚于 --until"},
    # --- what a change did (sentences.py) ---
    "done.added": {"en": "added {id} {name} ({stage:stage})", "zh": "已新增 {id} {name}（{stage:stage}）"},
    "done.stage": {"en": "{id} {name}: {effect}", "zh": "{id} {name}：{effect}"},
    "done.edited": {"en": "{id} {name}: {effect}", "zh": "{id} {name}：{effect}"},
    "done.dropped": {"en": "{id} {name}: dropped (reason: {reason})", "zh": "{id} {name}：已退单（原因：{reason}）"},
    "done.restored": {"en": "{id} {name}: restored ({stage:stage})", "zh": "{id} {name}：已恢复（{stage:stage}）"},
    "done.undo": {
        "en": "undid change {change}: {id} {name}: {effect}",
        "zh": "已撤销第 {change} 号修改：{id} {name}：{effect}",
    },
    "effect.stage": {"en": "{from:stage} → {to:stage}", "zh": "{from:stage} → {to:stage}"},
    "effect.add_undone": {"en": "add undone", "zh": "新增已撤销"},
    "effect.restored": {"en": "restored", "zh": "已恢复"},
    "effect.dropped": {"en": "dropped", "zh": "已退单"},
    "event.created": {"en": "added ({stage:stage})", "zh": "新增（{stage:stage}）"},
    "event.dropped": {"en": "dropped (reason: {reason})", "zh": "退单（原因：{reason}）"},
    "change.list": {"en": "{items:clauses}", "zh": "{items:clauses}"},
    "change.field": {"en": "{field:field} {old} → {new}", "zh": "{field:field} {old} → {new}"},
    "value.none": {"en": "(none)", "zh": "（无）"},
    "value.yes": {"en": "yes", "zh": "是"},
    "value.no": {"en": "no", "zh": "否"},
    "value.stage": {"en": "{value:stage}", "zh": "{value:stage}"},
    "value.sector": {"en": "{value:sector}", "zh": "{value:sector}"},
    "value.status": {"en": "{value:status}", "zh": "{value:status}"},
    "value.kind": {"en": "{value:kind}", "zh": "{value:kind}"},
    "status.active": {"en": "active", "zh": "在库"},
    "status.dropped": {"en": "dropped", "zh": "已退单"},
    "status.undone": {"en": "undone", "zh": "已撤销"},
    "source.report": {"en": "report", "zh": "报告"},
    "source.illustrative": {"en": "illustrative", "zh": "示例"},
    "source.user": {"en": "user", "zh": "用户录入"},
    "kind.created": {"en": "created", "zh": "新增"},
    "kind.stage": {"en": "stage", "zh": "阶段变更"},
    "kind.edited": {"en": "edited", "zh": "修改"},
    "kind.dropped": {"en": "dropped", "zh": "退单"},
    "kind.restored": {"en": "restored", "zh": "恢复"},
    "kind.undo": {"en": "undo", "zh": "撤销"},
    "kind.planned": {"en": "planned", "zh": "计划"},
    "kind.problem_opened": {"en": "problem_opened", "zh": "问题登记"},
    "kind.problem_closed": {"en": "problem_closed", "zh": "问题销号"},
    "kind.problem_reopened": {"en": "problem_reopened", "zh": "问题重开"},
    "kind.problem_edited": {"en": "problem_edited", "zh": "问题修改"},
    "undo.preview": {"en": "undo will revert change {change}:", "zh": "将撤销第 {change} 号修改："},
    "undo.preview.line": {
        "en": "  {id} {name}: {what} (on {date} by {by})",
        "zh": "  {id} {name}：{what}（{date}，{by}）",
    },
    "undo.ask": {"en": "Undo it?", "zh": "确定撤销？"},
    "undo.declined": {"en": "nothing changed", "zh": "未做任何修改"},
    # --- the problem ledger (问题清单) ---
    "problem.not_found": {"en": "no problem with id {id}", "zh": "没有编号为 {id} 的问题"},
    "problem.not_found.hint": {
        "en": "`pipeline problem list --all` shows every problem",
        "zh": "`pipeline problem list --all` 可列出全部问题",
    },
    "problem.undone": {
        "en": "no problem with id {id}: its opening was undone",
        "zh": "没有编号为 {id} 的问题：该问题的登记已撤销",
    },
    "problem.undone.hint": {
        "en": "`pipeline history` shows its events; a problem id is never reused",
        "zh": "`pipeline history` 可查看其事件；问题编号不会重复使用",
    },
    "problem.project_dropped": {
        "en": "project {id} {name} is dropped; no new problem can be opened on it",
        "zh": "项目 {id} {name} 已退单，不能再登记新问题",
    },
    "problem.project_dropped.hint": {
        "en": "restore it first: pipeline restore {id}",
        "zh": "请先恢复：`pipeline restore {id}`",
    },
    "problem.already_closed": {
        "en": "problem {id} is already closed (on {closed})",
        "zh": "问题 {id} 已于 {closed} 销号",
    },
    "problem.already_closed.hint": {
        "en": "nothing changed; `pipeline problem reopen {id}` opens it again",
        "zh": "未做任何修改；`pipeline problem reopen {id}` 可重新打开",
    },
    "problem.not_closed": {"en": "problem {id} is open, not closed", "zh": "问题 {id} 尚未销号"},
    "problem.not_closed.hint": {
        "en": "only a closed problem can be reopened; nothing changed",
        "zh": "只有已销号的问题才能重新打开；未做任何修改",
    },
    "problem.close_before_open": {
        "en": "problem {id} was opened on {opened}; it cannot be closed before that",
        "zh": "问题 {id} 于 {opened} 登记，不能早于该日销号",
    },
    "problem.close_before_open.hint": {
        "en": "give --date {opened} or later",
        "zh": "请给出 --date {opened} 或更晚的日期",
    },
    "problem.text_empty": {"en": "the problem's text is empty", "zh": "问题描述为空"},
    "problem.text_empty.hint": {
        "en": "say what blocks the project, e.g. '用地指标未落实'",
        "zh": "请写明阻碍项目的问题，例如“用地指标未落实”",
    },
    "problem.edit_nothing": {"en": "nothing to edit", "zh": "没有要修改的内容"},
    "problem.edit_nothing.hint": {
        "en": "give at least one of --text, --unit, --due",
        "zh": "请至少给出 --text、--unit、--due 之一",
    },
    "problem.unchanged": {
        "en": "problem {id} already has those values; nothing changed",
        "zh": "问题 {id} 已是这些值，未做任何修改",
    },
    "problem.exclusive": {
        "en": "--open, --closed and --overdue exclude each other",
        "zh": "--open、--closed 与 --overdue 不能同时使用",
    },
    "problem.exclusive.hint": {
        "en": "give one of them (--overdue: open and past due)",
        "zh": "请只给出其中之一（--overdue：未销号且已过期限）",
    },
    "problem.done.opened": {
        "en": "opened problem {id} on {project_id} {name}: {text}",
        "zh": "已登记问题 {id}（项目 {project_id} {name}）：{text}",
    },
    "problem.done.closed": {
        "en": "closed problem {id} on {project_id} {name}: {text}",
        "zh": "已销号问题 {id}（项目 {project_id} {name}）：{text}",
    },
    "problem.done.reopened": {
        "en": "reopened problem {id} on {project_id} {name}: {text}",
        "zh": "已重新打开问题 {id}（项目 {project_id} {name}）：{text}",
    },
    "problem.done.edited": {
        "en": "edited problem {id} on {project_id} {name}: {changes}",
        "zh": "已修改问题 {id}（项目 {project_id} {name}）：{changes}",
    },
    "problem.title": {"en": "Problems", "zh": "问题清单"},
    "effect.problem_removed": {"en": "problem {problem} removed", "zh": "问题 {problem} 的登记已撤销"},
    "effect.problem_reopened": {"en": "problem {problem} open again", "zh": "问题 {problem} 已恢复为未销号"},
    "effect.problem_closed": {"en": "problem {problem} closed again", "zh": "问题 {problem} 已恢复为已销号"},
    "effect.problem_restored": {"en": "problem {problem} as it was", "zh": "问题 {problem} 已恢复原样"},
    "event.problem": {"en": "{kind:kind}: {changes}", "zh": "{kind:kind}：{changes}"},
    # --- files: what a path is, and files never written over (files.py) ---
    "filekind.folder": {"en": "a folder", "zh": "文件夹"},
    "filekind.symlink": {"en": "a symbolic link", "zh": "符号链接"},
    "filekind.fifo": {"en": "a named pipe (FIFO)", "zh": "命名管道（FIFO）"},
    "filekind.device": {"en": "a device", "zh": "设备文件"},
    "filekind.socket": {"en": "a socket", "zh": "套接字"},
    "filekind.other": {"en": "not a regular file", "zh": "非普通文件"},
    "file.is_database": {
        "en": "{path} is the database in use (or its journal); writing there would destroy it",
        "zh": "{path} 是正在使用的数据库（或其日志文件）；写入会毁掉它",
    },
    "file.is_sqlite": {
        "en": "{path} is an SQLite database; pipeline never writes over one",
        "zh": "{path} 是一个 SQLite 数据库；pipeline 从不覆盖数据库",
    },
    "file.is_companion": {
        "en": "{path} is the journal of the database {database}; writing there would damage it",
        "zh": "{path} 是数据库 {database} 的日志文件；写入会损坏该数据库",
    },
    "file.other_name.hint": {
        "en": "nothing was written; choose another file name",
        "zh": "未写入任何内容；请换一个文件名",
    },
    "file.write_folder": {"en": "{path} is a folder", "zh": "{path} 是文件夹"},
    "file.write_folder.hint": {
        "en": "nothing was written; name a file, e.g. `{path}/projects.csv`",
        "zh": "未写入任何内容；请给出文件名，例如 `{path}/projects.csv`",
    },
    "db.url": {
        "en": "{option} names a database file or a postgresql:// URL, and {target} is another kind of URL",
        "zh": "{option} 应是数据库文件或 `postgresql://` 网址，而 {target} 是别的网址",
    },
    "db.url.hint": {
        "en": "nothing changed; give the database file's path, or its server's postgresql:// URL",
        "zh": "未做任何修改；请给出数据库文件的路径，或其服务器的 `postgresql://` 网址",
    },
    "file.url": {
        "en": "{option} takes a file's path, and {target} is a URL",
        "zh": "{option} 应是文件路径，而 {target} 是网址",
    },
    "file.url.hint": {
        "en": "nothing changed; give the path of a file on this computer",
        "zh": "未做任何修改；请给出本机上文件的路径",
    },
    "export.url": {
        "en": "export writes a file, and {target} is a database on a server",
        "zh": "导出只写入文件，而 {target} 是服务器上的数据库",
    },
    "export.url.hint": {
        "en": "nothing changed; `pipeline copy` copies a database into an empty database on a server",
        "zh": "未做任何修改；复制到服务器上的空数据库请用 `pipeline copy`",
    },
    "import.url": {
        "en": "import reads a file, and {target} is a database on a server",
        "zh": "导入只读取文件，而 {target} 是服务器上的数据库",
    },
    "import.url.hint": {
        "en": "nothing changed; `pipeline copy` copies a whole database between a file and a server",
        "zh": "未做任何修改；在文件和服务器之间复制整个数据库请用 `pipeline copy`",
    },
    "file.cannot_write": {"en": "cannot write {path}: {reason}", "zh": "无法写入 {path}：{reason}"},
    "file.cannot_write.hint": {
        "en": "nothing was written there; check the folder exists, you can write to it and the disk has room",
        "zh": "未写入任何内容；请检查文件夹是否存在、是否有写权限、磁盘是否有空间",
    },
    # --- init, check, the first run (commands/database.py, context.py) ---
    "init.appeared": {"en": "{path} appeared while it was being created", "zh": "创建过程中出现了文件 {path}"},
    "init.appeared.hint": {"en": "run the command again", "zh": "请重新运行该命令"},
    "init.exists": {"en": "{path} already exists", "zh": "{path} 已存在"},
    "init.exists.hint": {
        "en": "use --force to replace it (the old file is kept as a backup), or --db to choose another path",
        "zh": "加 --force 可替换它（旧文件会保留为备份），或用 --db 选择其他路径",
    },
    "init.kept": {"en": "kept the old database as {path}", "zh": "旧数据库已保留为 {path}"},
    "init.created": {"en": "created {path} with {count} projects", "zh": "已创建 {path}，含 {count} 个项目"},
    "db.first_run": {
        "en": "pipeline: created {path} with the report's 47 projects",
        "zh": "pipeline：已创建 {path}，含报告中的 47 个项目",
    },
    "check.ok": {
        "en": "ok: {projects} projects and {events} events, every check passed",
        "zh": "正常：{projects} 个项目、{events} 个事件，全部检查通过",
    },
    "check.violation": {"en": "{check}: {message}", "zh": "{check}：{message}"},
    "check.fails": {"en": "{path} fails {count} checks", "zh": "{path} 有 {count} 项检查未通过"},
    "check.fails.one": {"en": "{path} fails {count} check", "zh": "{path} 有 {count} 项检查未通过"},
    "check.fails.hint": {
        "en": "restore a backup made before the damage, or correct the listed projects",
        "zh": "请从损坏前的备份恢复，或改正列出的项目",
    },
    # --- stages set, sectors add/edit/remove (commands/vocab.py) ---
    "stages.plan_nothing.hint": {
        "en": "give --yellow N, --red N, --plan-yellow N and/or --plan-red N,"
        " e.g. pipeline stages set {stage} --yellow 60 --red 90",
        "zh": "请给出 --yellow N、--red N、--plan-yellow N 或 --plan-red N，"
        "例如 `pipeline stages set {stage} --yellow 60 --red 90`",
    },
    "stages.unchanged": {
        "en": "{slug} {name}: unchanged (yellow {yellow} days, red {red} days)",
        "zh": "{name}（`{slug}`）：未改变（黄灯 {yellow} 天，红灯 {red} 天）",
    },
    "stages.set": {"en": "{slug} {name}: {changes}", "zh": "{name}（`{slug}`）：{changes}"},
    "stages.changed": {
        "en": "yellow {yellow} → {to_yellow} days, red {red} → {to_red} days",
        "zh": "黄灯 {yellow} → {to_yellow} 天，红灯 {red} → {to_red} 天",
    },
    "stages.plan_changed": {
        "en": "plan yellow {yellow} → {to_yellow} days, plan red {red} → {to_red} days",
        "zh": "计划黄灯 {yellow} → {to_yellow} 天，计划红灯 {red} → {to_red} 天",
    },
    "sectors.zh_empty": {"en": "--zh is empty", "zh": "--zh 为空"},
    "sectors.zh_empty.hint": {
        "en": "give the sector's Chinese name, e.g. --zh 新材料",
        "zh": "请给出产业领域的中文名称，例如 --zh 新材料",
    },
    "sectors.bad_slug": {"en": "sector slug '{slug}' is not valid", "zh": "产业领域代号“{slug}”无效"},
    "sectors.bad_slug.hint": {
        "en": "use lowercase ASCII letters, digits and -, starting with a letter (e.g. new-materials)",
        "zh": "请用小写 ASCII 字母、数字和“-”，以字母开头（例如 `new-materials`）",
    },
    "sectors.added": {
        "en": "added sector {slug} {name} (position {position})",
        "zh": "已新增产业领域 {name}（`{slug}`，第 {position} 位）",
    },
    "sectors.edit_nothing.hint": {
        "en": "give --zh, --en and/or --position, e.g. pipeline sectors edit {sector} --position 1",
        "zh": "请给出 --zh、--en 或 --position，例如 `pipeline sectors edit {sector} --position 1`",
    },
    "sectors.field.name_zh": {"en": "中文 {old} → {new}", "zh": "中文名称 {old} → {new}"},
    "sectors.field.name_en": {"en": "English {old} → {new}", "zh": "英文名称 {old} → {new}"},
    "sectors.field.position": {"en": "position {old} → {new}", "zh": "位置 {old} → {new}"},
    "sectors.edited": {"en": "sector {sector}: {changes}", "zh": "产业领域 `{sector}`：{changes}"},
    "sectors.unchanged": {"en": "sector {sector}: unchanged", "zh": "产业领域 `{sector}`：未改变"},
    "sectors.removed": {"en": "removed sector {slug} {name}", "zh": "已删除产业领域 {name}（`{slug}`）"},
    # --- web, lights --fail-on, workbooks on a terminal ---
    "web.no_datasette": {"en": "pipeline web needs Datasette", "zh": "`pipeline web` 需要 Datasette"},
    "web.no_datasette.hint": {
        "en": "pip install 'pipeline-cli[web]'",
        "zh": "请安装：`pip install 'pipeline-cli[web]'`",
    },
    "web.serving": {
        "en": "pipeline: Datasette on {url} (Ctrl-C stops it)",
        "zh": "pipeline：Datasette 已在 {url} 运行（按 `Ctrl-C` 停止）",
    },
    "web.stopped": {"en": "Datasette stopped with exit code {code}", "zh": "Datasette 已停止，退出码 {code}"},
    "web.stopped.hint": {"en": "see its messages above", "zh": "请查看上方它的输出"},
    "lights.found.red": {"en": "{count} projects have a red light", "zh": "{count} 个项目亮红灯"},
    "lights.found.red.one": {"en": "{count} project has a red light", "zh": "{count} 个项目亮红灯"},
    "lights.found.yellow": {"en": "{count} projects have a yellow or red light", "zh": "{count} 个项目亮黄灯或红灯"},
    "lights.found.yellow.one": {"en": "{count} project has a yellow or red light", "zh": "{count} 个项目亮黄灯或红灯"},
    "lights.found.hint": {
        "en": "they are listed on stdout; --fail-on {level} exits 9 when any is shown",
        "zh": "它们已列在标准输出上；只要有一个，`--fail-on {level}` 的退出码就是 9",
    },
    "output.what_workbook": {"en": "a workbook (xlsx)", "zh": "工作簿（xlsx）"},
    "output.binary_terminal": {
        "en": "{what} is a binary file and stdout is a terminal",
        "zh": "{what}是二进制文件，而标准输出是终端",
    },
    "output.binary_terminal.hint": {
        "en": "write it to a file with -o FILE (e.g. -o projects.xlsx), or redirect stdout to one",
        "zh": "请用 -o FILE 写入文件（例如 `-o projects.xlsx`），或把标准输出重定向到文件",
    },
    "output.no_xlsxwriter": {"en": "cannot write a workbook: {reason}", "zh": "无法写出工作簿：{reason}"},
    "output.no_xlsxwriter.hint": {
        "en": "pip install XlsxWriter openpyxl",
        "zh": "请安装：`pip install XlsxWriter openpyxl`",
    },
    "output.wrote": {"en": "wrote {path}", "zh": "已写入 {path}"},
    # --- backup ---
    "backup.exists": {"en": "{path} already exists", "zh": "{path} 已存在"},
    "backup.exists.hint": {
        "en": "a backup never overwrites a file: choose a new name, e.g. one with today's date",
        "zh": "备份从不覆盖已有文件：请换一个新文件名，例如带上今天的日期",
    },
    "backup.appeared": {
        "en": "{path} appeared while the backup was being made",
        "zh": "备份过程中出现了文件 {path}",
    },
    "backup.no_folder": {
        "en": "cannot write {path}: there is no folder {folder}",
        "zh": "无法写入 {path}：文件夹 {folder} 不存在",
    },
    "backup.no_folder.hint": {"en": "create the folder first", "zh": "请先创建该文件夹"},
    "backup.url": {
        "en": "backup writes an SQLite file, and {target} is a database on a server",
        "zh": "备份只写入 SQLite 文件，而 {target} 是服务器上的数据库",
    },
    "backup.url.hint": {
        "en": "nothing changed; `pipeline copy` copies a database into an empty database on a server",
        "zh": "未做任何修改；复制到服务器上的空数据库请用 `pipeline copy`",
    },
    # --- the database file: creating and opening it ---
    "init.not_a_file": {"en": "{path} is {kind}, not a database file", "zh": "{path} 是{kind}，不是数据库文件"},
    "init.not_a_file.hint": {
        "en": "nothing was moved; name the database file with --db (`pipeline init --force` replaces only a file)",
        "zh": "未移动任何文件；请用 --db 指定数据库文件本身（`pipeline init --force` 只替换普通文件）",
    },
    "init.orphan_journal": {
        "en": "there is no database at {path}, but its journal {journal} is there: "
        "a new database would meet it and be corrupt",
        "zh": "{path} 处没有数据库，但它的日志文件 {journal} 还在：新建的数据库会与它冲突而损坏",
    },
    "init.orphan_journal.hint": {
        "en": "nothing was created; put the database back beside its journal and run any command "
        "(the journal is rolled back), or move the journal away if that database is gone for good",
        "zh": "未创建任何文件；请把数据库放回日志文件旁边并运行任一命令（日志会被回滚），"
        "若该数据库已永久删除，请把日志文件移走",
    },
    "init.cannot_create": {"en": "cannot create {path}: {reason}", "zh": "无法创建 {path}：{reason}"},
    "init.cannot_create.hint": {
        "en": "nothing was created; choose a folder you can write to, with room",
        "zh": "未创建任何文件；请选择有写权限且有空间的文件夹",
    },
    "db.not_a_file": {"en": "{path} is {kind}, not a database file", "zh": "{path} 是{kind}，不是数据库文件"},
    "db.not_a_file.hint": {
        "en": "name the database file itself (--db or PIPELINE_DB)",
        "zh": "请指定数据库文件本身（--db 或 PIPELINE_DB）",
    },
    "db.unreadable": {"en": "cannot read {path}: permission denied", "zh": "无法读取 {path}：没有权限"},
    "db.unreadable.hint": {"en": "check the file's permissions", "zh": "请检查文件权限"},
    "db.unreachable": {
        "en": "cannot reach {path}: a folder on the way cannot be entered (permission denied)",
        "zh": "无法访问 {path}：路径上的某个文件夹没有进入权限",
    },
    "db.unreachable.hint": {
        "en": "check the folders' permissions, or name a database you can reach (--db or PIPELINE_DB)",
        "zh": "请检查文件夹权限，或指定一个可访问的数据库（--db 或 PIPELINE_DB）",
    },
    "db.cannot_open": {"en": "cannot open {path}: {reason}", "zh": "无法打开 {path}：{reason}"},
    "db.cannot_open.hint": {
        "en": "check the path (--db or PIPELINE_DB); nothing changed",
        "zh": "请检查路径（--db 或 PIPELINE_DB）；未做任何修改",
    },
    "db.missing_tables": {
        "en": "{path} is damaged: its table {tables} is missing",
        "zh": "{path} 已损坏：缺少数据表 {tables}",
    },
    "db.schema_damaged": {"en": "{path} is damaged: {reason}", "zh": "{path} 已损坏：{reason}"},
    "db.missing_tables.hint": {
        "en": "nothing changed; restore it from a backup (made by `pipeline backup`), or `pipeline init` a new one",
        "zh": "未做任何修改；请从备份恢复（用 `pipeline backup` 制作备份），或在别处运行 `pipeline init`",
    },
    "rank.bad_by": {"en": "cannot rank by '{value}'", "zh": "不能按“{value}”排名"},
    "rank.bad_by.hint": {"en": "rank by one of: {fields}", "zh": "可按以下之一排名：{fields}"},
    # --- the process and its surroundings (cli.py) ---
    "frame.interrupted": {"en": "interrupted: nothing changed", "zh": "已中断：未做任何修改"},
    # --- pipeline --install-completion (cli.py) ---
    "completion.installed": {
        "en": "{shell} completion installed in {path}",
        "zh": "已为 {shell} 安装补全脚本：{path}",
    },
    "completion.restart": {
        "en": "Completion will take effect once you restart the terminal",
        "zh": "重新打开终端后补全生效",
    },
    "completion.no_shell": {
        "en": "cannot tell which shell this is",
        "zh": "无法判断当前使用的命令行解释器",
    },
    "completion.unsupported_shell": {
        "en": "completion is not available for the shell {shell:code}",
        "zh": "命令行解释器 {shell:code} 不支持补全",
    },
    "completion.shell.hint": {
        "en": "name the shell: pipeline --install-completion bash (or zsh, fish, powershell)",
        "zh": "请指明：`pipeline --install-completion bash`（或 `zsh`、`fish`、`powershell`）",
    },
    "frame.saved.committed": {
        "en": "interrupted after the change was saved: do not run it again (`pipeline history` shows it)",
        "zh": "修改保存后才中断：请勿重复执行（`pipeline history` 可查看）",
    },
    "output.failed": {"en": "cannot write the output: {reason}", "zh": "无法写出结果：{reason}"},
    "output.failed.hint": {
        "en": "free some space, or send the output elsewhere (-o FILE or another redirection)",
        "zh": "请腾出空间，或把结果写到别处（-o FILE 或其他重定向）",
    },
    "db.empty": {"en": "the database path is empty (--db '')", "zh": "数据库路径为空（--db ''）"},
    "db.empty.hint": {
        "en": "name a file, e.g. --db pipeline.db, or leave --db out for the default (`pipeline where`)",
        "zh": "请给出文件名，例如 --db pipeline.db，或不加 --db 使用默认路径（`pipeline where`）",
    },
    # --- a database on a PostgreSQL server ---
    "pg.no_driver": {
        "en": "a postgresql:// database needs the PostgreSQL driver, which is not installed ({reason})",
        "zh": "使用 `postgresql://` 数据库需要安装数据库驱动，当前未安装（{reason}）",
    },
    "pg.no_driver.hint": {
        "en": "install it with `pip install 'pipeline-cli[postgres]'`",
        "zh": "请运行 `pip install 'pipeline-cli[postgres]'` 安装",
    },
    "pg.unreachable": {"en": "cannot use the database {url}: {reason}", "zh": "无法使用数据库 {url}：{reason}"},
    "pg.unreachable.hint": {
        "en": "nothing changed; check the server is running, the URL's host, port, database and user, and the password",
        "zh": "未做任何修改；请检查服务器是否运行，以及网址中的主机、端口、数据库名、用户名和密码",
    },
    "pg.bad_url": {"en": "cannot read the database URL {url}: {reason}", "zh": "无法解析数据库网址 {url}：{reason}"},
    "pg.bad_url.hint": {
        "en": "write it as postgresql://USER@HOST:PORT/DATABASE (libpq's syntax)",
        "zh": "请写成 `postgresql://USER@HOST:PORT/DATABASE` 的形式",
    },
    "pg.not_initialised": {
        "en": "{url} has no pipeline tables",
        "zh": "{url} 中没有 pipeline 数据表",
    },
    "pg.not_initialised.hint": {
        "en": "run `pipeline init` to create them there, or check the database name",
        "zh": "请运行 `pipeline init` 在其中建表，或检查数据库名",
    },
    "pg.init_exists": {
        "en": "{url} already has pipeline tables ({tables})",
        "zh": "{url} 中已有 pipeline 数据表（{tables}）",
    },
    "pg.init_exists.hint": {
        "en": "nothing changed; a shared database is never replaced: create an empty database for a new one",
        "zh": "未做任何修改；共享数据库不会被替换：如需新库，请先新建一个空数据库",
    },
    "pg.no_privilege": {"en": "{url} refused the change: {reason}", "zh": "{url} 拒绝了修改：{reason}"},
    "pg.no_privilege.hint": {
        "en": "nothing changed; ask the database's owner to grant your role the privilege (GRANT ... TO ROLE)",
        "zh": "未做任何修改；请数据库所有者为你的角色授予该权限（`GRANT ... TO ROLE`）",
    },
    "pg.cannot_write": {"en": "{url} cannot write: {reason}", "zh": "{url} 无法写入：{reason}"},
    "pg.cannot_write.hint": {
        "en": "nothing changed; ask the server's administrator to free some room",
        "zh": "未做任何修改；请联系服务器管理员腾出空间",
    },
    "pg.created": {
        "en": "created the pipeline tables in {url} with {count} projects",
        "zh": "已在 {url} 中建立 pipeline 数据表，含 {count} 个项目",
    },
    "web.needs_file": {
        "en": "pipeline web shows an SQLite file, not a database on a server",
        "zh": "`pipeline web` 只能展示 SQLite 文件，不能直接展示服务器上的数据库",
    },
    "web.needs_file.hint": {
        "en": "make a copy first (pipeline backup copy.db), then: pipeline --db copy.db web",
        "zh": "请先复制一份（`pipeline backup copy.db`），再运行 `pipeline --db copy.db web`",
    },
    # --- access: who may change what on a server ---
    "access.sqlite": {
        "en": "access is for a database on a PostgreSQL server: an SQLite file has no users of its own",
        "zh": "`access` 只适用于服务器上的数据库（`postgresql://`）：SQLite 文件没有自己的用户",
    },
    "access.sqlite.hint": {
        "en": "on a file the operating system's permissions are the only control: whoever can write the file"
        " can change every project (chmod, or keep it in a folder only its writers can reach)",
        "zh": "文件只能靠操作系统的权限控制：能写这个文件的人就能修改所有项目"
        "（可用 `chmod`，或放在只有填报人能进入的文件夹）",
    },
    "access.bad_role": {"en": "'{role}' is not a role name", "zh": "“{role}”不是角色名"},
    "access.no_role": {
        "en": "there is no role '{role}' on the server",
        "zh": "服务器上没有角色“{role}”",
    },
    "access.no_role.hint": {
        "en": "access is given to existing roles: create it first (CREATE ROLE {role} LOGIN PASSWORD '...')",
        "zh": "只能授权给已有的角色：请先建立（`CREATE ROLE {role} LOGIN PASSWORD '...'`）",
    },
    "access.unrestricted": {
        "en": "role '{role}' owns the pipeline tables or is a superuser (or bypasses row-level security):"
        " it may change everything, and no grant can narrow that",
        "zh": "角色“{role}”拥有 pipeline 数据表或是超级用户（或可绕过行级安全）：它能修改一切，授权无法限制它",
    },
    "access.unrestricted.hint": {
        "en": "give each district its own role that does not own the tables, and grant that one",
        "zh": "请为每个区市建立一个不拥有数据表的角色，再对该角色授权",
    },
    "access.empty_district": {"en": "--district is empty", "zh": "--district 为空"},
    "access.empty_district.hint": {
        "en": "give a district's name as its projects have it (pipeline summary --by district lists them)",
        "zh": "请按项目中的写法给出区市名（`pipeline summary --by district` 可列出）",
    },
    "access.both": {
        "en": "--read-only and --district say opposite things for role '{role}'",
        "zh": "对角色“{role}”同时给出 --read-only 和 --district，两者矛盾",
    },
    "access.both.hint": {
        "en": "give --district D (repeatable) for a writer, or --read-only for a reader",
        "zh": "填报角色请给 --district（可重复），只读角色请给 --read-only",
    },
    "access.nothing": {
        "en": "say what role '{role}' may change: --district D (repeatable), or --read-only",
        "zh": "请说明角色“{role}”可修改的范围：--district（可重复），或 --read-only",
    },
    "access.nothing.hint": {
        "en": "e.g. pipeline access grant {role} --district 崂山区",
        "zh": "例如 `pipeline access grant {role} --district 崂山区`",
    },
    "access.not_owner": {
        "en": "role {role} cannot give or take access: only the owner of the pipeline tables ({owner}) can",
        "zh": "角色 {role} 不能授予或收回权限：只有 pipeline 数据表的所有者（{owner}）可以",
    },
    "access.not_owner.hint": {
        "en": "nothing changed; connect as {owner} (the role that ran `pipeline init`)",
        "zh": "未做任何修改；请以 {owner}（运行 `pipeline init` 的角色）连接",
    },
    "access.granted": {
        "en": "role {role} may read every project and change the projects of {districts}",
        "zh": "角色 {role} 可查看全部项目，可修改{districts}的项目",
    },
    "access.granted_read": {
        "en": "role {role} may read every project and change none",
        "zh": "角色 {role} 可查看全部项目，不能修改任何项目",
    },
    "access.revoked": {
        "en": "role {role} may no longer read or change the pipeline tables",
        "zh": "角色 {role} 已不能查看或修改 pipeline 数据表",
    },
    "access.revoked_nothing": {
        "en": "role {role} had no access given by `pipeline access grant`",
        "zh": "角色 {role} 没有通过 `pipeline access grant` 获得的权限",
    },
    "access.may.read": {"en": "may only read", "zh": "只能查看"},
    "access.may.districts": {
        "en": "may change only the projects of {districts}",
        "zh": "只能修改{districts}的项目",
    },
    "access.read_only": {
        "en": "role {role} may only read this database, not change it",
        "zh": "角色 {role} 只能查看此数据库，不能修改",
    },
    "access.read_only.hint": {
        "en": "nothing changed; the database's owner lets a role change its districts' projects"
        " with `pipeline access grant ROLE --district D`",
        "zh": "未做任何修改；数据库所有者可用 `pipeline access grant ROLE --district D` 让角色修改本区市的项目",
    },
    "access.refused": {"en": "role {role} {may}: {what}", "zh": "角色 {role} {may}：{what}"},
    "access.refused.hint": {
        "en": "nothing changed; that district's role, or the database's owner, can make this change",
        "zh": "未做任何修改；该区市的角色或数据库所有者可以做此修改",
    },
    "access.give_district.hint": {
        "en": "nothing changed; add it with --district and one of them",
        "zh": "未做任何修改；请用 --district 给出其中一个区市再新增",
    },
    "access.project_in": {
        "en": "project {id} {name} is in {district}",
        "zh": "项目 {id} {name} 属于{district}",
    },
    "access.project_no_district": {
        "en": "project {id} {name} has no district",
        "zh": "项目 {id} {name} 未填区市",
    },
    "access.new_in": {
        "en": "the new project {name} would be in {district}",
        "zh": "新项目 {name} 将属于{district}",
    },
    "access.new_no_district": {
        "en": "the new project {name} has no district (give --district)",
        "zh": "新项目 {name} 未填区市（请给出 --district）",
    },
    "access.moved_to": {
        "en": "project {id} {name} would move to {district}",
        "zh": "项目 {id} {name} 将被移到{district}",
    },
    "access.moved_no_district": {
        "en": "project {id} {name} would lose its district",
        "zh": "项目 {id} {name} 的区市将被清空",
    },
    "access.undo_outside": {
        "en": "role {role} {may}: the most recent change not yet undone (change {change}) is not its to undo: {what}",
        "zh": "角色 {role} {may}：最近一次未撤销的修改（修改号 {change}）不能由它撤销：{what}",
    },
    "access.undo_outside.hint": {
        "en": "nothing changed; undo never reverts another district's change: that district's role,"
        " or the database's owner, can undo it",
        "zh": "未做任何修改；撤销不会还原其他区市的修改：可由该区市的角色或数据库所有者撤销",
    },
    "access.server_refused": {
        "en": "{url} refused the change: role {role} {may} ({reason})",
        "zh": "{url} 拒绝了修改：角色 {role} {may}（{reason}）",
    },
    "access.server_refused.hint": {
        "en": "nothing changed; stages, sectors and other districts' projects are changed by the database's owner"
        " (or by that district's role)",
        "zh": "未做任何修改；阶段、产业领域和其他区市的项目由数据库所有者（或该区市的角色）修改",
    },
    "access.no_read": {
        "en": "role {role} may not read the pipeline tables of {url} ({reason})",
        "zh": "角色 {role} 无权查看 {url} 中的 pipeline 数据表（{reason}）",
    },
    "access.no_read.hint": {
        "en": "nothing changed; the database's owner gives a role access with `pipeline access grant ROLE`",
        "zh": "未做任何修改；数据库所有者可用 `pipeline access grant ROLE` 为角色授权",
    },
    "access.rows_filtered": {
        "en": "the server's row-level security kept the row from changing",
        "zh": "服务器的行级安全策略阻止了该行的修改",
    },
    "access.rows_filtered_plain": {
        "en": "{url} refused the change: the server's row-level security kept the row from changing",
        "zh": "{url} 拒绝了修改：服务器的行级安全策略阻止了该行的修改",
    },
    # --- copy ---
    "copy.target_exists": {
        "en": "{target} is not empty: copy writes only a new file or a database without pipeline tables",
        "zh": "{target} 不是空的：只能复制到新文件，或没有 pipeline 数据表的数据库",
    },
    "copy.target_exists.hint": {
        "en": "nothing changed; name a file that does not exist yet, or create an empty database for the copy",
        "zh": "未做任何修改；请指定一个尚不存在的文件，或先新建一个空数据库",
    },
    "copy.differs": {
        "en": "the copy in {target} does not match the source in table {table}; nothing was kept",
        "zh": "{target} 中的副本与源数据库的 {table} 表不一致；副本未保留",
    },
    "copy.differs.hint": {
        "en": "run `pipeline check` on the source, and report this if it passes",
        "zh": "请对源数据库运行 `pipeline check`；若检查通过，请报告此问题",
    },
    "copy.check_failed": {
        "en": "the copy in {target} fails its check ({problem}); nothing was kept",
        "zh": "{target} 中的副本未通过检查（{problem}）；副本未保留",
    },
    "copy.done": {
        "en": "copied {projects} projects and {events} events from {source} to {target}; the copy passes every check",
        "zh": "已将 {projects} 个项目和 {events} 条事件从 {source} 复制到 {target}；副本通过全部检查",
    },
    # --- conflicts of a change ---
    "move.dropped": {"en": "project {id} {name} is dropped", "zh": "项目 {id} {name} 已退单"},
    "move.dropped.hint": {"en": "restore it first: pipeline restore {id}", "zh": "请先恢复：`pipeline restore {id}`"},
    "move.from_mismatch": {
        "en": "project {id} {name} is at {stage:stage}, not {expected:stage}",
        "zh": "项目 {id} {name} 处于{stage:stage}阶段，而不是{expected:stage}",
    },
    "move.from_mismatch.hint": {
        "en": "nothing changed (--from guards against moving it twice)",
        "zh": "未做任何修改（--from 防止重复推进）",
    },
    "advance.last": {
        "en": "project {id} {name} is at {stage:stage}, the last stage",
        "zh": "项目 {id} {name} 已处于最后阶段（{stage:stage}）",
    },
    "advance.last.hint": {
        "en": "there is no stage above it; nothing changed",
        "zh": "没有更高的阶段，未做任何修改",
    },
    "drop.already": {"en": "project {id} {name} is already dropped", "zh": "项目 {id} {name} 已经退单"},
    "drop.already.hint": {"en": "`pipeline history ID` shows why", "zh": "`pipeline history ID` 可查看原因"},
    "restore.not_dropped": {"en": "project {id} {name} is not dropped", "zh": "项目 {id} {name} 未退单"},
    "restore.not_dropped.hint": {
        "en": "only a dropped project can be restored",
        "zh": "只有已退单的项目才能恢复",
    },
    "date.future": {
        "en": "date {when} is in the future (today is {today})",
        "zh": "日期 {when} 在未来（今天是 {today}）",
    },
    "date.future.hint": {"en": "give today or an earlier day", "zh": "请给出今天或更早的日期"},
    "date.before_last": {
        "en": "date {when} is before the project's last event ({last})",
        "zh": "日期 {when} 早于该项目的最后一个事件（{last}）",
    },
    "date.before_last.hint": {
        "en": "give {last} or later (history shows the project's events)",
        "zh": "请给出 {last} 或更晚的日期（`pipeline history ID` 可查看项目事件）",
    },
    # --- plans ---
    "done.planned": {"en": "{id} {name}: {effect}", "zh": "{id} {name}：{effect}"},
    "effect.planned": {
        "en": "plan for {stage:stage} {old} → {new}",
        "zh": "计划{stage:stage}日期 {old} → {new}",
    },
    "plan.unchanged": {
        "en": "project {id} already has that plan for {stage:stage}; nothing changed",
        "zh": "项目 {id} 的计划{stage:stage}日期已是如此，未做任何修改",
    },
    "plan.dropped": {"en": "project {id} {name} is dropped", "zh": "项目 {id} {name} 已退单"},
    "plan.dropped.hint": {"en": "restore it first: `pipeline restore {id}`", "zh": "请先恢复：`pipeline restore {id}`"},
    "plan.not_above": {
        "en": "project {id} {name} is at {at:stage}; {stage:stage} is not above it",
        "zh": "项目 {id} {name} 处于{at:stage}阶段，{stage:stage}不在其之上",
    },
    "plan.not_above.hint": {
        "en": "plan only a stage the project has still to reach",
        "zh": "只能为尚未达到的阶段设定计划",
    },
    "plan.date_and_clear": {
        "en": "give either DATE or --clear, not both",
        "zh": "DATE 与 --clear 只能给出其一",
    },
    "plan.no_date": {"en": "no DATE given", "zh": "未给出 DATE"},
    "plan.no_date.hint": {
        "en": "give the planned day as YYYY-MM-DD, or --clear to remove the plan",
        "zh": "请以 YYYY-MM-DD 给出计划日期，或用 --clear 取消计划",
    },
    "plan.title": {"en": "Plans", "zh": "计划节点"},
    "reason.stage": {"en": "stage", "zh": "阶段停留"},
    "reason.plan": {"en": "plan", "zh": "计划逾期"},
    "stages.plan_nothing": {
        "en": "nothing to set",
        "zh": "没有要设置的内容",
    },
    "stages.plan_first": {
        "en": "{stage:stage} is the first stage: no plan is made for reaching it, so it has no plan lights",
        "zh": "{stage:stage}是第一个阶段：不为其设定计划，因此没有计划亮灯",
    },
    "stages.plan_first.hint": {
        "en": "set plan thresholds on a later stage (`pipeline stages` lists them)",
        "zh": "请为后面的阶段设置计划阈值（`pipeline stages` 可列出各阶段）",
    },
    "stages.plan_bad": {
        "en": "plan yellow {yellow} and plan red {red} must be whole days from 1 to 36,500, yellow below red",
        "zh": "计划黄灯 {yellow} 与计划红灯 {red} 须为不少于 1 天的整数天数，黄灯少于红灯，且不超过 36500 天",
    },
    "stages.plan_bad.hint": {
        "en": "give --plan-yellow fewer days than --plan-red, e.g. --plan-yellow 1 --plan-red 90",
        "zh": "--plan-yellow 应少于 --plan-red，例如 --plan-yellow 1 --plan-red 90",
    },
    # --- import of a workbook (importing/workbook.py) ---
    "import.workbook_too_big": {
        "en": "{name}: its part {part} unpacks to {size} MiB from {packed} MiB, more than a sheet holds",
        "zh": "{name}：其中的 {part} 由 {packed} 兆字节解压为 {size} 兆字节，超出一个工作表所能容纳的大小",
    },
    "import.workbook_too_big.hint": {
        "en": "open it in Excel or WPS, keep only the projects' sheet and save it again as .xlsx",
        "zh": "请用电子表格软件打开，只保留项目所在的工作表，再另存为 `.xlsx`",
    },
    "import.workbook_too_many": {
        "en": "{name}: row {row} is beyond a spreadsheet's 1,048,576 rows and 16,384 columns",
        "zh": "{name}：第 {row} 行超出了电子表格的上限（1048576 行、16384 列）",
    },
    "import.workbook_damaged": {
        "en": "{name}: the sheet cannot be read at row {row}: {reason}",
        "zh": "{name}：工作表在第 {row} 行处无法读取：{reason}",
    },
    "import.workbook_damaged.hint": {
        "en": "the file is damaged: open it in Excel or WPS and save it again as .xlsx (nothing was imported)",
        "zh": "文件已损坏：请用电子表格软件打开后另存为 `.xlsx`（未导入任何内容）",
    },
}


# --- help (`pipeline [COMMAND] --help`) --------------------------------------------
# The Chinese of every help text, keyed by its English as the code writes it
# (docstrings and `help=`, gettext's msgid), each paragraph on one line and
# paragraphs apart by a blank line. helptext.py shows them with --lang zh;
# tests/test_help_zh.py fails for a help text without its Chinese here, and
# for an entry no command uses any more.
HELP: dict[str, str] = {
    # Typer's and Click's own words around the help texts.
    "Usage: ": "用法：",
    "[OPTIONS]": "[选项]",
    "COMMAND [ARGS]...": "命令 [参数]...",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "[default: {}]": "[默认：{}]",
    "[required]": "[必填]",
    "<str>": "<文本>",
    "<text>": "<文本>",
    "<int range>": "<整数>",
    "<integer>": "<整数>",
    "<int>": "<整数>",
    "Show this message and exit.": "显示本帮助并退出。",
    "Install completion for the current shell.": "为当前终端安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "显示当前终端的命令补全脚本，可复制或自行安装。"
    ),
    # pipeline
    "Track a city's investment-attraction pipeline (招商项目): projects, stages, history, reports.": (
        "跟踪一座城市的招商项目：项目、阶段、历史记录、报表。"
    ),
    "Database file (default: $PIPELINE_DB, else the user data folder).": (
        "数据库文件（默认：$PIPELINE_DB，否则为用户数据文件夹中的文件）。"
    ),
    "Show tracebacks of internal errors.": "内部错误时显示调用栈。",
    "Print the version and exit.": "显示版本号并退出。",
    "Language of labels and messages: en or zh (default: $PIPELINE_LANG, else config lang, else en).": (
        "标签与提示的语言：`en` 或 `zh`（默认：$PIPELINE_LANG，否则为设置中的 `lang`，否则为 `en`）。"
    ),
    # shared output options
    "Output format (default: table on a terminal, tsv in a pipe).": (
        "输出格式（默认：终端上为 `table`，管道中为 `tsv`）。"
    ),
    "Output format (default: markdown, on a terminal or not).": "输出格式（默认：`markdown`，终端内外皆然）。",
    "Leave out the header line of csv and tsv.": "`csv` 与 `tsv` 不输出表头行。",
    "Write to FILE (replaced whole, once complete) instead of stdout; needed for xlsx on a terminal.": (
        "写入文件 FILE（写完后整体替换）而不是标准输出；在终端上输出 `xlsx` 时必须给出。"
    ),
    "Print the changed projects in this format (default: one line per change).": (
        "以此格式输出修改后的项目（默认：每项修改一行）。"
    ),
    "The fields to show, in this order, in every format: id, name, sector, stage, status, investment, key, "
    "district, unit, lead, note, source, stage_since, days_in_stage, light, light_reason, next_plan_stage, "
    "next_plan_date, overdue_days.": (
        "要显示的字段及其顺序，适用于所有格式：`id`、`name`、`sector`、`stage`、`status`、`investment`、`key`、"
        "`district`、`unit`、`lead`、`note`、`source`、`stage_since`、`days_in_stage`、`light`、`light_reason`、"
        "`next_plan_stage`、`next_plan_date`、`overdue_days`。"
    ),
    "The fields to show, in this order, in every format: id, project_id, project_name, text, unit, opened, due, "
    "closed, status, overdue_days, note.": (
        "要显示的字段及其顺序，适用于所有格式：`id`、`project_id`、`project_name`、`text`、`unit`、`opened`、"
        "`due`、`closed`、`status`、`overdue_days`、`note`。"
    ),
    # filters
    "Filters": "筛选",
    "Sector slug, Chinese name or slug prefix (repeatable: any of them).": (
        "产业领域：代号、中文名称或其开头（可重复给出：符合其一即可）。"
    ),
    "Stage slug, Chinese name or slug prefix (repeatable: any of them).": (
        "项目阶段：代号、中文名称或其开头（可重复给出：符合其一即可）。"
    ),
    "Key projects (重点项目) only.": "只看重点项目。",
    "active or dropped (default: active).": "`active`（在库）或 `dropped`（退单）（默认：`active`）。",
    "Include dropped projects.": "包括已退单的项目。",
    "District (区市), or the start of its name (repeatable: any of them).": (
        "区市，或其名称的开头（可重复给出：符合其一即可）。"
    ),
    "Responsible unit (责任单位), or the start of its name (repeatable: any of them).": (
        "责任单位，或其名称的开头（可重复给出：符合其一即可）。"
    ),
    "Lead official (包联领导), or the start of the name (repeatable: any of them).": (
        "包联领导，或其姓名的开头（可重复给出：符合其一即可）。"
    ),
    "At least N 亿元.": "不少于 N 亿元。",
    "At most N 亿元.": "不多于 N 亿元。",
    "Text in the name, note, district, unit or lead, taken literally.": (
        "名称、备注、区市、责任单位或包联领导中含有的文字（按字面匹配）。"
    ),
    "yellow or red (repeatable).": "`yellow`（黄灯）或 `red`（红灯）（可重复给出）。",
    "Next planned milestone past due.": "下一个计划节点已逾期。",
    # init, where, check
    "Create the database at the path in use, seeded with the report's 47 projects.": (
        "在当前路径创建数据库，并载入报告中的 47 个项目。"
    ),
    "Create it without the report's 47 projects.": "创建空数据库，不载入报告中的 47 个项目。",
    "Replace an existing file, keeping the old one as a backup.": "替换已有文件，旧文件保留为备份。",
    "Print the database path in use.": "显示当前使用的数据库路径。",
    "Check the file (integrity_check, foreign keys) and the history's invariants; exit 6 on any problem.\n\n"
    "Each project's stage and stage_since must equal the `to` and date of its last stage event not undone; "
    "every event must belong to a project, every project have its created event, every amount be a whole "
    "number of 万元.": (
        "检查数据库文件（完整性检查、外键）与历史记录的一致性；发现任何问题时退出码为 6。\n\n"
        "每个项目的阶段及进入阶段日期须与其最后一条未撤销的阶段变更记录一致；每条记录须属于某个项目，"
        "每个项目须有其创建记录，每笔金额须为整万元。"
    ),
    # list, show
    "List projects; dropped ones only with --all or --status dropped.": (
        "列出项目；已退单的项目仅在给出 `--all` 或 `--status dropped` 时列出。"
    ),
    "Order by this field: id, name, sector, stage, status, investment, key, district, stage_since, "
    "days_in_stage, light.": (
        "按此字段排序：`id`、`name`、`sector`、`stage`、`status`、`investment`、`key`、`district`、"
        "`stage_since`、`days_in_stage`、`light`。"
    ),
    "Reverse the order.": "倒序排列。",
    "At most N projects.": "最多列出 N 个项目。",
    "Show one project with its full history.": "显示一个项目及其全部历史记录。",
    "The project's id.": "项目编号。",
    # sectors, stages
    "The industrial sectors (产业领域), in their order.\n\n"
    "They are the database's own: `pipeline sectors add`, `edit` and `remove` change them.": (
        "产业领域，按其顺序列出。\n\n产业领域保存在数据库中：可用 `pipeline sectors add`、`edit` 与 `remove` 修改。"
    ),
    "Add a sector, last in the order (e.g. pipeline sectors add new-materials --zh 新材料).": (
        "新增一个产业领域，排在最后（例如 `pipeline sectors add new-materials --zh 新材料`）。"
    ),
    "Lowercase ASCII letters, digits and -, starting with a letter.": "代号：小写英文字母、数字与 `-`，以字母开头。",
    "Chinese name (中文名称).": "中文名称。",
    "English name.": "英文名称。",
    "Rename a sector or move it in the order; its projects keep it.": "修改产业领域的名称或顺序；其项目不受影响。",
    "Sector slug, Chinese name or a prefix of either.": "产业领域：代号、中文名称或二者之一的开头。",
    "New Chinese name.": "新的中文名称。",
    "New English name.": "新的英文名称。",
    "New place in the order (1 = first).": "在顺序中的新位置（1 为第一）。",
    "Remove a sector that no project has (dropped ones and undone additions count too).": (
        "删除一个没有任何项目的产业领域（已退单的项目与已撤销的新增也算在内）。"
    ),
    "The ladder of stages, in order, with their warning-light thresholds in days.\n\n"
    "`pipeline stages set STAGE --yellow N --red N` changes a stage's thresholds.": (
        "项目阶段，按先后列出，及其亮灯阈值（天数）。\n\n"
        "`pipeline stages set STAGE --yellow N --red N` 可修改一个阶段的阈值。"
    ),
    "Change a stage's warning-light thresholds (yellow before red, in days).\n\n"
    "--yellow/--red: days in the stage; --plan-yellow/--plan-red: days past the date planned for reaching it "
    "(defaults 1 and 90, after 银川's and 邯郸's rules). Thresholds are configuration, not project history: no "
    "event is recorded. The last stage has no stage lights, the first no plan lights.": (
        "修改一个阶段的亮灯阈值（天数，黄灯先于红灯）。\n\n"
        "--yellow/--red：在该阶段停留的天数；--plan-yellow/--plan-red：超过计划到达该阶段日期的天数"
        "（默认 1 与 90，参照银川与邯郸的做法）。阈值属于设置，不是项目历史：不记录变更。"
        "最后一个阶段没有阶段停留灯，第一个阶段没有计划逾期灯。"
    ),
    "Stage slug, Chinese name or slug prefix.": "项目阶段：代号、中文名称或其开头。",
    "Yellow light after N days in the stage.": "在该阶段停留 N 天后亮黄灯。",
    "Red light after N days in the stage.": "在该阶段停留 N 天后亮红灯。",
    "Yellow light from N days past a planned date.": "超过计划日期 N 天起亮黄灯。",
    "Red light from N days past a planned date.": "超过计划日期 N 天起亮红灯。",
    # add, edit
    "Add a project (at negotiating unless --stage); prints its new id.": (
        "新增一个项目（未给出 --stage 时为在谈阶段）；输出其新编号。"
    ),
    "The project's name.": "项目名称。",
    "Sector slug, Chinese name or slug prefix.": "产业领域：代号、中文名称或其开头。",
    "Planned investment in 亿元 (up to 4 decimals).": "计划投资，单位亿元（最多 4 位小数）。",
    "Starting stage (default: negotiating).": "起始阶段（默认：在谈）。",
    "A key project (重点项目).": "重点项目。",
    "District (区市).": "区市。",
    "Responsible unit (责任单位).": "责任单位。",
    "Lead official (包联领导).": "包联领导。",
    "A note on the project.": "项目备注。",
    "The day it happened: not in the future, not before the project's last event (default: today).": (
        "发生日期：不能晚于今天，也不能早于该项目的最后一条记录（默认：今天）。"
    ),
    "Who made the change (default: $PIPELINE_USER, else the login name).": (
        "修改人（默认：$PIPELINE_USER，否则为登录名）。"
    ),
    "Change a project's fields; recorded as an `edited` event with old and new values.": (
        "修改项目的字段；作为一条信息修改记录保存，含修改前后的值。"
    ),
    "New name.": "新的名称。",
    "New sector.": "新的产业领域。",
    'Planned investment in 亿元; "" makes it unknown.': '计划投资，单位亿元；给出 `""` 表示未知。',
    "Mark or unmark as a key project.": "标记或取消标记为重点项目。",
    'District; "" clears it.': '区市；给出 `""` 则清空。',
    'Responsible unit; "" clears it.': '责任单位；给出 `""` 则清空。',
    'Lead official; "" clears it.': '包联领导；给出 `""` 则清空。',
    'Note; "" clears it.': '备注；给出 `""` 则清空。',
    # advance, move, drop, restore, plan
    "Move each project one stage up; several ids move together or not at all.": (
        "把每个项目推进一个阶段；多个编号要么一起推进，要么都不推进。"
    ),
    "Projects to move one stage up, together.": "要一起推进一个阶段的项目。",
    "Only if the project is at this stage now; otherwise exit 4 and nothing changes.": (
        "仅当项目目前处于此阶段时才执行；否则退出码为 4，不做任何修改。"
    ),
    "A note on the event.": "这条记录的备注。",
    "Set a project's stage, forwards or backwards; to its current stage it does nothing and says so.": (
        "设置项目的阶段，可前进也可后退；设为当前阶段时不做修改并予以说明。"
    ),
    "The stage to put it at: negotiating, signed, preliminary, landed, construction, completed, production, "
    "capacity.": (
        "目标阶段：`negotiating`（在谈）、`signed`（签约）、`preliminary`（前期）、`landed`（落地）、"
        "`construction`（开工）、`completed`（竣工）、`production`（投产）、`capacity`（达产）。"
    ),
    "Take a project out of the pipeline, with a reason; its stage is kept.": "项目退单，须说明原因；其阶段保留不变。",
    "Why it fell out of the pipeline (退单/悔单).": "退单或悔单的原因。",
    "Bring a dropped project back into the pipeline, at the stage it had.": "恢复已退单的项目，回到其原来的阶段。",
    "Set (or --clear) the date by which a project is planned to reach STAGE; recorded as a `planned` event.": (
        "设置（或用 --clear 清除）项目计划到达 STAGE 阶段的日期；作为一条计划调整记录保存。"
    ),
    "The stage planned (计划签约/开工/竣工/投产…), above the current one: negotiating, signed, preliminary, "
    "landed, construction, completed, production, capacity.": (
        "计划到达的阶段（计划签约、开工、竣工、投产……），须高于当前阶段：`negotiating`（在谈）、`signed`（签约）、"
        "`preliminary`（前期）、`landed`（落地）、`construction`（开工）、`completed`（竣工）、`production`（投产）、"
        "`capacity`（达产）。"
    ),
    "YYYY-MM-DD, past or future.": "日期 YYYY-MM-DD，可为过去或将来。",
    "Remove the plan for STAGE.": "删除 STAGE 阶段的计划。",
    # undo, history
    "Revert the most recent change not yet undone; repeated, it walks further back.\n\n"
    "The reverting is itself recorded, as `undo` events. Undoing an add is not a drop: the project leaves every "
    "list and count, as if never added; `history ID` still shows its events and its id is never reused.": (
        "撤销最近一次尚未撤销的修改；重复执行则继续往前撤销。\n\n"
        "撤销本身也作为撤销记录保存。撤销新增不是退单：该项目从所有列表与统计中消失，如同从未新增；"
        "`history ID` 仍显示其记录，其编号也不会再被使用。"
    ),
    "Do not ask; undo at once.": "不再询问，立即撤销。",
    "Events, oldest first: every change ever made, including undos.": "历史记录，最早的在前：所有修改，包括撤销。",
    "Only this project's events.": "只看这个项目的记录。",
    "Events on or after this day.": "这一天及以后的记录。",
    "Events on or before this day.": "这一天及以前的记录。",
    # problem
    "The problem ledger (问题清单): open, close, reopen, edit, list.": "问题清单：新增、销号、重新打开、修改、列出。",
    "Open a problem on a project; prints the new problem's id.": "为项目新增一个问题；输出新问题的编号。",
    "What blocks the project (问题/堵点).": "项目遇到的问题或堵点。",
    "The unit responsible for solving it (责任单位).": "负责解决的责任单位。",
    "The deadline (办结时限) by which it should be solved.": "办结时限。",
    "Close (销号) a problem that was solved; closing a closed one is exit 4.": (
        "为已解决的问题销号；对已销号的问题再销号时退出码为 4。"
    ),
    "The problem's id.": "问题编号。",
    "Reopen a closed problem; reopening an open one is exit 4.": (
        "重新打开已销号的问题；对未销号的问题执行时退出码为 4。"
    ),
    "Change a problem's text, unit or deadline; recorded as a problem_edited event.": (
        "修改问题的描述、责任单位或期限；作为一条问题修改记录保存。"
    ),
    "New text.": "新的问题描述。",
    'New deadline; "" clears it.': '新的期限；给出 `""` 则清空。',
    "Problems, oldest first; the filters select their projects (active ones unless --all).": (
        "列出问题，最早的在前；筛选条件选择问题所属的项目（未给出 --all 时只看在库项目）。"
    ),
    "Open problems only.": "只看未销号的问题。",
    "Closed (销号) problems only.": "只看已销号的问题。",
    "Open problems past their deadline only.": "只看已超过期限且未销号的问题。",
    "Problems": "问题",
    "The problem's own unit, or the start of it (repeatable: any of them).": (
        "问题自身的责任单位，或其名称的开头（可重复给出：符合其一即可）。"
    ),
    # summary, funnel, lights, due, report, rank
    "Count and total investment, per group; no --by gives the grand total.\n\n"
    "Groups come in ladder and sector order. --by status counts dropped projects too, unless --status is given.": (
        "按分组统计项目数与投资总额；不给 --by 时给出总计。\n\n"
        "分组按阶段与产业领域的顺序排列。`--by status` 也统计已退单的项目，除非给出 --status。"
    ),
    "Group by sector, stage, status, district, key, unit, lead; twice for a cross-table.": (
        "分组依据：`sector`、`stage`、`status`、`district`、`key`、`unit`、`lead`；给出两次得到交叉表。"
    ),
    "Per stage: projects at it or past it, their investment, conversion from the stage before.": (
        "按阶段列出：已到达或已越过该阶段的项目、其投资额、由上一阶段的转化率。"
    ),
    "Active projects below the last stage with their warning light, reddest and longest-waiting first.\n\n"
    "A light is yellow or red once a project's days in its stage reach the stage's yellow_days or red_days "
    "(`pipeline stages`; change them with `pipeline stages set`).": (
        "未到最后阶段的在库项目及其亮灯情况，红灯与停留最久的在前。\n\n"
        "项目在某阶段停留的天数达到该阶段的黄灯或红灯天数时亮黄灯或红灯"
        "（见 `pipeline stages`；用 `pipeline stages set` 修改）。"
    ),
    "Only lights at this level or worse: yellow shows yellow and red, red only red.": (
        "只看此级别及更严重的灯：`yellow` 显示黄灯与红灯，`red` 只显示红灯。"
    ),
    "After printing, exit 9 if any light shown is at this level or worse (for cron).": (
        "输出后，若有灯达到此级别或更严重，退出码为 9（供定时任务使用）。"
    ),
    "Active projects whose next planned milestone is overdue or due within DAYS days, oldest date first.\n\n"
    "--overdue shows only the overdue ones. `pipeline plan` sets the dates.": (
        "下一个计划节点已逾期或在 DAYS 天内到期的在库项目，日期最早的在前。\n\n"
        "--overdue 只显示已逾期的。日期用 `pipeline plan` 设置。"
    ),
    "Milestones planned up to DAYS days from today.": "计划在今天起 DAYS 天内的节点。",
    "The dispatch report (周调度) for a period: totals, moves, new, dropped, restored, lights, plans, problems, "
    "ranks.\n\n"
    "Filters choose projects by what they are today (dropped ones included unless --status says otherwise). "
    "A change that was later undone is left out, as if never made. Plans overdue at the period's end and those "
    "due in the 30 days after it are counted from its last day, as `due` would have shown them then.": (
        "一段时间的调度报告（周调度）：总计、阶段变更、新增、退单、恢复、亮灯、计划、问题、排名。\n\n"
        "筛选条件按项目今天的情况选择项目（包括已退单的，除非 --status 另有规定）。"
        "后来被撤销的修改不计在内，如同从未发生。期末已逾期的计划与期末后 30 天内到期的计划"
        "以期末那天计算，与当时 `due` 所显示的一致。"
    ),
    "The 7 days ending today (default).": "截至今天的 7 天（默认）。",
    "The calendar month so far.": "本月至今。",
    "First day of the period (with --until).": "起始日期（与 --until 一起使用）。",
    "Last day of the period (with --since).": "截止日期（与 --since 一起使用）。",
    "Groups ranked by start rate (开工率 = started / signed), then more signed, then fewer overdue.\n\n"
    "Active projects only (the filters narrow them); equal keys share a rank and the next rank skips (1, 1, 3); "
    "groups with nothing signed come last.": (
        "按开工率（开工数 ÷ 签约数）排名，其次签约多者在前，再次逾期少者在前。\n\n"
        "只计在库项目（筛选条件可进一步缩小范围）；各项相同者名次并列，下一名次跳过（1、1、3）；"
        "没有签约项目的分组排在最后。"
    ),
    "Group by district, unit, lead, sector (default: district).": (
        "分组依据：`district`、`unit`、`lead`、`sector`（默认：`district`）。"
    ),
    # import, export, backup, copy
    "Add and update projects from a CSV, JSON, JSON Lines or Excel (.xlsx) file.\n\n"
    "A row whose id exists updates that project (columns the file lacks keep their values); a row with a new id "
    "adds it under that id; a row without id adds it with a fresh one. The columns are those `export` writes; "
    "any other is refused (the computed days_in_stage and light are ignored). The whole file is checked first: "
    "any bad row (listed with its number, the CSV header being row 1; a workbook's rows as the spreadsheet "
    "numbers them) means exit 5 and nothing written. Every change is recorded as events of one change, so "
    "`undo` takes back a whole import.": (
        "从 CSV、JSON、JSON Lines 或 Excel（`.xlsx`）文件新增与更新项目。\n\n"
        "编号已存在的行更新该项目（文件中没有的列保持原值）；编号为新的行以该编号新增项目；"
        "没有编号的行以新编号新增项目。列与 `export` 输出的相同；其他列一律拒绝"
        "（计算得出的停留天数与亮灯忽略不计）。先检查整个文件：只要有一行有误"
        "（逐行列出并注明行号，CSV 的表头为第 1 行；工作簿按电子表格显示的行号），退出码即为 5，不写入任何内容。"
        "每项修改都作为同一次修改的记录保存，因此 `undo` 可撤销整次导入。"
    ),
    "CSV, JSON, JSON Lines or .xlsx file; - reads stdin.": (
        "CSV、JSON、JSON Lines 或 `.xlsx` 文件；`-` 表示读取标准输入。"
    ),
    "Check the file and say what would change; write nothing.": "检查文件并说明将会修改什么；不写入任何内容。",
    "The file's text encoding, e.g. gb18030 or gbk for Chinese Excel and WPS (default: utf-8).": (
        "文件的文字编码，例如中文版 Excel 与 WPS 用 `gb18030` 或 `gbk`（默认：`utf-8`）。"
    ),
    "csv, json, jsonl or xlsx (default: from the file's extension).": (
        "`csv`、`json`、`jsonl` 或 `xlsx`（默认：按文件扩展名）。"
    ),
    "The sheet of an .xlsx workbook to read (default: the first).": (
        "要读取的 `.xlsx` 工作簿中的工作表（默认：第一个）。"
    ),
    "Write every project with every stored field, in a form `import` takes back unchanged.\n\n"
    "CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a "
    "leading ' (OWASP's CSV-injection advice); import removes it again.": (
        "输出全部项目及其保存的全部字段，`import` 可原样导入。\n\n"
        "电子表格会当作公式执行的 CSV 单元格（以 `=`、`+`、`-`、`@`、制表符或回车开头）前面加上 `'`"
        "（按 OWASP 防范 CSV 注入的建议）；导入时会再去掉。"
    ),
    "Write to FILE (replaced as a whole, only once complete) instead of stdout.": (
        "写入文件 FILE（写完后才整体替换）而不是标准输出。"
    ),
    "csv, json, jsonl or xlsx (default: from the -o file's extension, else csv).": (
        "`csv`、`json`、`jsonl` 或 `xlsx`（默认：按 -o 文件的扩展名，否则为 `csv`）。"
    ),
    "Start with a UTF-8 byte-order mark, so Excel shows Chinese text.": (
        "以 UTF-8 字节顺序标记开头，使 Excel 正确显示中文。"
    ),
    "Copy the live database to PATH, consistently, even while others write.\n\n"
    "Refuses an existing PATH (exit 4) and leaves it untouched. The copy is checked before it is put in place.": (
        "把正在使用的数据库一致地复制到 PATH，即使他人正在写入。\n\n"
        "PATH 已存在时拒绝执行（退出码 4）且不动它。副本在放到位之前先经过检查。"
    ),
    "The new file; must not exist yet.": "新文件；必须尚不存在。",
    "Copy a whole pipeline database, history included as it was, ids kept, between SQLite and PostgreSQL.\n\n"
    "Either way round: file to server (a desk's file becomes the bureau's shared database), server to file, or "
    "file to file. The target must be a new file or a database without pipeline tables (exit 4). The copy is "
    "checked (`check`, and every table's rows against the source's) before it is kept.": (
        "在 SQLite 与 PostgreSQL 之间复制整个 pipeline 数据库，历史记录原样保留，编号不变。\n\n"
        "两个方向均可：文件到服务器（个人的文件成为全局共用的数据库）、服务器到文件，或文件到文件。"
        "目标须为新文件，或没有 pipeline 数据表的数据库（否则退出码 4）。"
        "副本经检查（`check`，并逐表核对行数与源数据库一致）后才保留。"
    ),
    "The database to copy: a file or a postgresql:// URL.": "要复制的数据库：文件或 `postgresql://` 地址。",
    "A file that does not exist yet, or a postgresql:// URL of a database without pipeline tables.": (
        "尚不存在的文件，或没有 pipeline 数据表的数据库的 `postgresql://` 地址。"
    ),
    # config
    "The settings file: db, lang, user, busy_timeout.": "设置文件：`db`、`lang`、`user`、`busy_timeout`。",
    "Every setting in the file, one `key = value` per line, and the file's path on stderr.": (
        "文件中的全部设置，每行一项 `key = value`，文件路径输出到标准错误。"
    ),
    "The value of one setting (exit 3 when it is not set).": "一项设置的值（未设置时退出码为 3）。",
    "One of: db, lang, user, busy_timeout.": "以下之一：`db`、`lang`、`user`、`busy_timeout`。",
    "Set one setting in the file (written atomically).": "在文件中设置一项（原子写入）。",
    "The value.": "设置的值。",
    "Remove one setting from the file.": "从文件中删除一项设置。",
    # access
    "Who may change what on a PostgreSQL server: district writers and readers, enforced by the server.": (
        "PostgreSQL 服务器上谁能修改什么：各区市的填报人与只读用户，由服务器强制执行。"
    ),
    "Let an existing role read every project, and change only the projects of its districts (or none).\n\n"
    "The server enforces it (row-level security): the role can add projects to its districts and change, move, "
    "drop, restore, plan, undo and open or close problems of their projects, never move one to another district, "
    "and never change stages, sectors or another district's projects, whether through pipeline or psql. "
    "Granting again replaces what the role had. Only the tables' owner (who ran `pipeline init`) may grant.": (
        "让一个已有的数据库角色读取全部项目，但只能修改其所属区市的项目（或不能修改）。\n\n"
        "由服务器强制执行（行级安全）：该角色可在其区市新增项目，并对这些项目修改、变更阶段、退单、恢复、"
        "设置计划、撤销、新增或销号问题；不能把项目移到别的区市，也不能修改阶段设置、产业领域或其他区市的项目，"
        "无论通过 pipeline 还是 `psql`。再次授权会替换该角色原有的权限。只有数据表的所有者"
        "（运行 `pipeline init` 的人）可以授权。"
    ),
    "An existing role of the database server.": "数据库服务器上已有的角色。",
    "A district (区市) whose projects the role may change; repeat for more.": (
        "该角色可修改其项目的区市；可重复给出多个。"
    ),
    "The role may read every project and change none.": "该角色可读取全部项目，不能修改任何项目。",
    "Take away a role's access: it can no longer read or change the pipeline tables.\n\n"
    "Every privilege the owner gave it on them goes, by `access grant` or by hand. "
    "A role that had none: said so, exit 0.": (
        "收回一个角色的权限：它不能再读取或修改 pipeline 的数据表。\n\n"
        "所有者给它的全部权限都被收回，无论是用 `access grant` 还是手动授予的。"
        "原本就没有权限的角色：予以说明，退出码为 0。"
    ),
    "The roles given access, by name: the districts each may change, or read-only.\n\n"
    "The tables' owner (and any superuser) may change everything and is not listed.": (
        "已获授权的角色，按名称列出：各自可修改的区市，或只读。\n\n"
        "数据表的所有者（以及超级用户）可修改一切，不在此列出。"
    ),
    # web
    "Browse the database in Datasette, read-only, ready for a leader: Chinese titles, saved queries.\n\n"
    "Needs Datasette (the package's web extra). The same by hand: save `pipeline web --metadata` to a file and "
    "run `datasette serve --immutable DB --metadata FILE`.": (
        "用 Datasette 只读浏览数据库，可直接给领导看：中文标题、预设查询。\n\n"
        "需要安装 Datasette（本软件包的 `web` 附加组件）。手动操作：把 `pipeline web --metadata` 的输出存为文件，"
        "再运行 `datasette serve --immutable DB --metadata FILE`。"
    ),
    "Port to listen on.": "监听的端口。",
    "Address to listen on (0.0.0.0: the whole network).": "监听的地址（`0.0.0.0`：整个网络）。",
    "Print the Datasette metadata as JSON instead of starting it.": "以 JSON 输出 Datasette 的元数据，而不启动它。",
}
