"""Datasette, leader-ready: the metadata `pipeline web` starts it with, and the plugin.

Plain data and no imports of Datasette here: `metadata()` is what
`pipeline web` hands to `datasette serve --metadata`; plugin.py is the
Datasette plugin (registered as an entry point, so `datasette pipeline.db`
in the same environment loads it too).
"""

from __future__ import annotations

from typing import Any

from ..store.web import BY_SECTOR_SQL, DUE_SQL, FUNNEL_SQL, LIGHTS_SQL, PROBLEMS_SQL, RANKING_SQL

# Short Chinese headers the plugin puts on the columns of the project pages (the name stays as the tooltip).
HEADER_LABELS = {
    "id": "编号",
    "name": "项目名称",
    "sector": "产业领域代码",
    "sector_zh": "产业领域",
    "stage": "进度代码",
    "stage_zh": "进度",
    "stage_position": "阶段序号",
    "status": "状态",
    "investment_wan": "计划投资(万元)",
    "investment_yi": "计划投资(亿元)",
    "investment": "计划投资(万元)",
    "key": "重点",
    "district": "区市",
    "unit": "责任单位",
    "lead": "包联领导",
    "note": "备注",
    "source": "来源",
    "stage_since": "进入阶段日期",
    "days_in_stage": "停留天数",
    "light": "亮灯",
    "light_reason": "亮灯原因",
    "next_plan_stage": "下一计划节点",
    "next_plan_date": "计划日期",
    "overdue_days": "逾期天数",
}
# The view's columns as people read them (Datasette shows these as the columns'
# descriptions): the headers, with what a value means where it needs saying.
VIEW_LABELS = {name: label for name, label in HEADER_LABELS.items() if name != "investment"} | {
    "sector": "产业领域(代码)",
    "stage": "进度(代码)",
    "stage_position": "阶段序号(1 在谈 … 8 达产)",
    "investment_wan": "计划投资(万元,精确整数,可求和)",
    "key": "重点项目(1 是,0 否)",
    "light": "亮灯(red 红灯,yellow 黄灯,green 绿灯;阶段停留与计划逾期取其重)",
    "light_reason": "亮灯原因(stage 阶段停留,plan 计划逾期)",
    "next_plan_stage": "下一计划节点(阶段代码)",
    "next_plan_date": "下一计划节点日期",
    "overdue_days": "计划逾期天数",
}
# The other tables' columns in Chinese, on their pages' headers and as their descriptions.
OTHER_LABELS: dict[str, dict[str, str]] = {
    "events": {
        "id": "编号",
        "project_id": "项目编号",
        "kind": "类型",
        "from": "原阶段",
        "to": "新阶段",
        "date": "日期",
        "recorded_at": "记录时间(UTC)",
        "note": "备注",
        "by": "经办人",
        "changes": "修改内容",
        "change": "变更号",
        "undoes": "撤销的变更号",
        "plan_from": "原计划日期",
        "plan_to": "新计划日期",
        "problem_id": "问题编号",
        "db_user": "数据库用户",
    },
    "stages": {
        "stage": "阶段代码",
        "position": "序号",
        "name_zh": "中文名称",
        "name_en": "英文名称",
        "yellow_days": "黄灯天数",
        "red_days": "红灯天数",
        "plan_yellow_days": "计划逾期黄灯天数",
        "plan_red_days": "计划逾期红灯天数",
    },
    "sectors": {"sector": "产业领域代码", "position": "序号", "name_zh": "中文名称", "name_en": "英文名称"},
    "plans": {"project_id": "项目编号", "stage": "计划阶段", "date": "计划日期"},
    "problems": {
        "id": "问题编号",
        "project_id": "项目编号",
        "text": "问题描述",
        "unit": "责任单位",
        "opened": "提出日期",
        "due": "期限",
        "closed": "销号日期",
        "note": "备注",
    },
}
# Each table's header labels, for the plugin.
TABLE_LABELS: dict[str, dict[str, str]] = {"project_view": HEADER_LABELS, "projects": HEADER_LABELS, **OTHER_LABELS}


def metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the database named `database` (the file's stem)."""
    return {
        "title": "招商项目台账",
        "description": "在库招商项目:阶段、投资、亮灯。金额为精确值(万元整数与亿元文本)。",
        "databases": {
            database: {
                "title": "招商项目",
                "tables": {
                    "project_view": {
                        "title": "项目一览(在库项目)",
                        "description": (
                            "在库项目(退单项目不在此列,见 projects 表),按阶段排列;亮灯按 PIPELINE_TODAY 或今天计算。"
                        ),
                        "sort": "stage_position",
                        # Stages in ladder order (the plugin's facet), not by count.
                        "facets": [{"ladder": "stage_zh"}, "sector_zh", "light", "district"],
                        "label_column": "name",
                        "columns": VIEW_LABELS,
                        "size": 100,
                    },
                    "projects": {"title": "项目(全部,含退单)", "label_column": "name"},
                    "events": {"title": "变动记录", "columns": OTHER_LABELS["events"]},
                    "stages": {"title": "阶段", "label_column": "name_zh", "columns": OTHER_LABELS["stages"]},
                    "sectors": {"title": "产业领域", "label_column": "name_zh", "columns": OTHER_LABELS["sectors"]},
                    "migrations": {"hidden": True},
                    "plans": {"title": "计划节点", "columns": OTHER_LABELS["plans"]},
                    "problems": {"title": "问题清单", "columns": OTHER_LABELS["problems"]},
                },
                "queries": {
                    "lights": {"title": "亮灯项目(红灯、黄灯)", "sql": LIGHTS_SQL},
                    "funnel": {"title": "转化漏斗", "sql": FUNNEL_SQL},
                    "by_sector": {"title": "分产业领域汇总", "sql": BY_SECTOR_SQL},
                    "due": {"title": "计划节点:逾期及 30 天内到期", "sql": DUE_SQL},
                    "open_problems": {"title": "未销号问题(堵点)", "sql": PROBLEMS_SQL},
                    "ranking": {"title": "比学赶超:各区市排名(开工率)", "sql": RANKING_SQL},
                },
            }
        },
    }
