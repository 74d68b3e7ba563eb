"""The saved queries Datasette offers (`pipeline web`), over project_view."""

FUNNEL_SQL = """SELECT st.position AS 序号, st.name_zh AS 阶段,
       (SELECT count(*) FROM project_view v WHERE v.stage_position >= st.position) AS 达到及以上,
       (SELECT sum(investment_wan) FROM project_view v WHERE v.stage_position >= st.position) AS "投资(万元)"
FROM stages st ORDER BY st.position"""

BY_SECTOR_SQL = """SELECT sec.name_zh AS 产业领域, count(v.id) AS 项目数,
       coalesce(sum(v.investment_wan), 0) AS "投资(万元)"
FROM sectors sec LEFT JOIN project_view v ON v.sector = sec.sector
GROUP BY sec.sector ORDER BY sec.position"""

# The day the queries below count from: pipeline_today(), which the plugin
# registers on every connection ($PIPELINE_TODAY, else today), as the CLI
# counts, and from which it makes project_view count too. The next plan, its
# days overdue and the light (the worse of the stage light and the plan
# light) are project_view's columns: the CLI's rules (fields.py), not
# written again here.
DUE_SQL = """SELECT v.id, v.name AS 项目名称, v.sector_zh AS 产业领域, v.stage_zh AS 进度, ps.name_zh AS 计划阶段,
       v.next_plan_date AS 计划日期, v.overdue_days AS 逾期天数, v.district AS 区市, v.unit AS 责任单位,
       v.lead AS 包联领导
FROM project_view v JOIN stages ps ON ps.stage = v.next_plan_stage
WHERE v.next_plan_date <= date(pipeline_today(), '+30 days')
ORDER BY v.next_plan_date, v.id"""

PROBLEMS_SQL = """SELECT pr.id AS 问题编号, v.id AS 项目编号, v.name AS 项目名称, pr.text AS 问题,
       pr.unit AS 责任单位, pr.opened AS 提出日期, pr.due AS 限期,
       CASE WHEN pr.due < pipeline_today()
            THEN CAST(julianday(pipeline_today()) - julianday(pr.due) AS INTEGER) ELSE 0 END AS 逾期天数,
       v.district AS 区市, pr.note AS 备注
FROM problems pr
JOIN project_view v ON v.id = pr.project_id
WHERE pr.closed IS NULL
ORDER BY pr.opened, pr.id"""

# rank --by district: active projects; signed = at or past 签约, started = at or
# past 开工; 开工率 = started / signed (empty when nothing is signed); overdue =
# projects whose next planned milestone is past; red = red lights (the stage's
# or the plan's). Ranked by 开工率 (empty last), then more signed, then fewer
# overdue; equal keys share a rank.
RANKING_SQL = """WITH problems_of AS (
  SELECT coalesce(v.district, '') AS district, count(*) AS open,
         sum(pr.due IS NOT NULL AND pr.due < pipeline_today()) AS overdue
  FROM problems pr JOIN project_view v ON v.id = pr.project_id
  WHERE pr.closed IS NULL GROUP BY 1
),
groups AS (
  SELECT coalesce(district, '') AS district, count(*) AS projects, coalesce(sum(investment_wan), 0) AS investment_wan,
         sum(stage_position >= 2) AS signed, sum(stage_position >= 5) AS started,
         sum(overdue_days > 0) AS overdue, sum(coalesce(light = 'red', 0)) AS red
  FROM project_view GROUP BY 1
)
SELECT rank() OVER (ORDER BY g.signed = 0, 1.0 * g.started / nullif(g.signed, 0) DESC, g.signed DESC, g.overdue)
         AS 名次,
       nullif(g.district, '') AS 区市, g.projects AS 项目数, g.investment_wan AS "投资(万元)", g.signed AS 签约及以上,
       g.started AS 开工及以上, round(100.0 * g.started / nullif(g.signed, 0), 1) AS "开工率(%)",
       g.overdue AS 计划逾期, coalesce(q.open, 0) AS 未销号问题, coalesce(q.overdue, 0) AS 逾期问题, g.red AS 红灯
FROM groups g LEFT JOIN problems_of q ON q.district = g.district
ORDER BY 名次, g.district"""


# The light as `lights` gives it: yellow and red ones, reddest first, then the
# longest in their stage.
LIGHTS_SQL = """SELECT v.id, v.name AS 项目名称, v.sector_zh AS 产业领域, v.stage_zh AS 进度,
       v.investment_yi AS "计划投资(亿元)", v.district AS 区市, v.unit AS 责任单位, v.lead AS 包联领导,
       v.stage_since AS 进入阶段日期, v.days_in_stage AS 停留天数, ps.name_zh AS 计划阶段,
       v.next_plan_date AS 计划日期, v.overdue_days AS 逾期天数,
       CASE v.light WHEN 'red' THEN '红灯' ELSE '黄灯' END AS 亮灯,
       CASE v.light_reason WHEN 'plan' THEN '计划逾期' ELSE '阶段停留' END AS 亮灯原因
FROM project_view v LEFT JOIN stages ps ON ps.stage = v.next_plan_stage
WHERE v.light IN ('red', 'yellow')
ORDER BY v.light <> 'red', v.stage_since, v.id"""
