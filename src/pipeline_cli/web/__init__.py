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
LABELLED_TABLES = frozenset(("project_view", "projects"))


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
                    "events": {"title": "变动记录"},
                    "stages": {"title": "阶段", "label_column": "name_zh"},
                    "sectors": {"title": "产业领域", "label_column": "name_zh"},
                    "migrations": {"hidden": True},
                    "plans": {"title": "计划节点"},
                    "problems": {"title": "问题清单"},
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
