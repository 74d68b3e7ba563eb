"""The columns of a problem (问题清单) in tabular output."""

from __future__ import annotations

from . import Column

PROBLEM_COLUMNS = (
    Column("id", "Problem", "问题编号", "number"),
    Column("project_id", "Project", "项目编号", "number"),
    Column("project_name", "Name", "项目名称"),
    Column("text", "Problem text", "问题"),
    Column("unit", "Unit", "责任单位"),
    Column("opened", "Opened", "登记日期"),
    Column("due", "Due", "办结时限"),
    Column("closed", "Closed", "销号日期"),
    Column("status", "Status", "状态", "problem_status"),
    Column("overdue_days", "Days overdue", "逾期天数", "number"),
    Column("note", "Note", "说明"),
)
PROBLEM_BRIEF_COLUMNS = tuple(c for c in PROBLEM_COLUMNS if c.key != "note")
