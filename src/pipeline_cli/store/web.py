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
# registers on every connection ($PIPELINE_TODAY, else today), as the CLI counts.
# A project's next planned milestone, as `due` and the contract define it: the
# first stage above its current one that has a planned date.
_NEXT_PLAN = """next_plan AS (
  SELECT v.*, pl.stage AS plan_stage, pl.date AS plan_date, st.name_zh AS plan_stage_zh,
         st.plan_yellow_days, st.plan_red_days,
         max(0, CAST(julianday(pipeline_today()) - julianday(pl.date) AS INTEGER)) AS overdue_days,
         row_number() OVER (PARTITION BY v.id ORDER BY st.position) AS n
  FROM project_view v
  JOIN plans pl ON pl.project_id = v.id
  JOIN stages st ON st.stage = pl.stage
  WHERE st.position > v.stage_position
)"""

DUE_SQL = f"""WITH {_NEXT_PLAN}
SELECT id, name AS 项目名称, sector_zh AS 产业领域, stage_zh AS 进度, plan_stage_zh AS 计划阶段,
       plan_date AS 计划日期, overdue_days AS 逾期天数, district AS 区市, unit AS 责任单位, lead AS 包联领导
FROM next_plan
WHERE n = 1 AND plan_date <= date(pipeline_today(), '+30 days')
ORDER BY plan_date, id"""

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
RANKING_SQL = f"""WITH {_NEXT_PLAN},
plan_of AS (SELECT id, overdue_days, plan_yellow_days, plan_red_days FROM next_plan WHERE n = 1),
projects_of AS (
  SELECT v.id, coalesce(v.district, '') AS district, v.investment_wan, v.stage_position, v.light,
         coalesce(p.overdue_days, 0) AS overdue_days, p.plan_red_days
  FROM project_view v LEFT JOIN plan_of p ON p.id = v.id
),
problems_of AS (
  SELECT coalesce(v.district, '') AS district, count(*) AS open,
         sum(pr.due IS NOT NULL AND pr.due < pipeline_today()) AS overdue
  FROM problems pr JOIN project_view v ON v.id = pr.project_id
  WHERE pr.closed IS NULL GROUP BY 1
),
groups AS (
  SELECT district, count(*) AS projects, coalesce(sum(investment_wan), 0) AS investment_wan,
         sum(stage_position >= 2) AS signed, sum(stage_position >= 5) AS started,
         sum(overdue_days > 0) AS overdue,
         sum(light = 'red' OR (plan_red_days IS NOT NULL AND overdue_days >= plan_red_days)) AS red
  FROM projects_of GROUP BY district
)
SELECT rank() OVER (ORDER BY g.signed = 0, 1.0 * g.started / nullif(g.signed, 0) DESC, g.signed DESC, g.overdue)
         AS 名次,
       nullif(g.district, '') AS 区市, g.projects AS 项目数, g.investment_wan AS "投资(万元)", g.signed AS 签约及以上,
       g.started AS 开工及以上, round(100.0 * g.started / nullif(g.signed, 0), 1) AS "开工率(%)",
       g.overdue AS 计划逾期, coalesce(q.open, 0) AS 未销号问题, coalesce(q.overdue, 0) AS 逾期问题, g.red AS 红灯
FROM groups g LEFT JOIN problems_of q ON q.district = g.district
ORDER BY 名次, g.district"""


# The light as `lights` gives it: the worse of the stage light (the view's,
# by days in stage) and the plan light (the next planned milestone overdue
# by the stage's plan_yellow_days or plan_red_days); none at the last stage.
# Reddest first, then the longest in their stage.
LIGHTS_SQL = f"""WITH {_NEXT_PLAN},
plan_of AS (
  SELECT id, plan_stage_zh, plan_date, overdue_days,
         CASE WHEN plan_red_days IS NOT NULL AND overdue_days >= plan_red_days THEN 0
              WHEN plan_yellow_days IS NOT NULL AND overdue_days >= plan_yellow_days THEN 1
              ELSE 2 END AS plan_rank
  FROM next_plan WHERE n = 1
),
ranked AS (
  SELECT v.*, p.plan_stage_zh, p.plan_date, coalesce(p.overdue_days, 0) AS overdue,
         CASE v.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END AS stage_rank,
         coalesce(p.plan_rank, 2) AS plan_rank
  FROM project_view v LEFT JOIN plan_of p ON p.id = v.id
  WHERE v.light IS NOT NULL
)
SELECT id, name AS 项目名称, sector_zh AS 产业领域, stage_zh AS 进度, investment_yi AS "计划投资(亿元)",
       district AS 区市, unit AS 责任单位, lead AS 包联领导, stage_since AS 进入阶段日期,
       days_in_stage AS 停留天数, plan_stage_zh AS 计划阶段, plan_date AS 计划日期, overdue AS 逾期天数,
       CASE min(stage_rank, plan_rank) WHEN 0 THEN '红灯' ELSE '黄灯' END AS 亮灯,
       CASE WHEN plan_rank <= stage_rank THEN '计划逾期' ELSE '阶段停留' END AS 亮灯原因
FROM ranked
WHERE min(stage_rank, plan_rank) < 2
ORDER BY min(stage_rank, plan_rank), stage_since, id"""
