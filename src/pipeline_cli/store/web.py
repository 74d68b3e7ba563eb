"""The saved queries Datasette offers (`pipeline web`), over project_view."""

LIGHTS_SQL = """SELECT id, name AS 项目名称, sector_zh AS 产业领域, stage_zh AS 进度, investment_yi AS "计划投资(亿元)",
       district AS 区市, unit AS 责任单位, lead AS 包联领导, stage_since AS 进入阶段日期,
       days_in_stage AS 停留天数, CASE light WHEN 'red' THEN '红灯' ELSE '黄灯' END AS 亮灯
FROM project_view
WHERE light IN ('red', 'yellow')
ORDER BY CASE light WHEN 'red' THEN 0 ELSE 1 END, days_in_stage DESC, id"""

FUNNEL_SQL = """SELECT st.position AS 序号, st.name_zh AS 阶段,
       (SELECT count(*) FROM project_view v WHERE v.stage_position >= st.position) AS 达到及以上,
       (SELECT sum(investment_wan) FROM project_view v WHERE v.stage_position >= st.position) AS "投资(万元)"
FROM stages st ORDER BY st.position"""

BY_SECTOR_SQL = """SELECT sec.name_zh AS 产业领域, count(v.id) AS 项目数,
       coalesce(sum(v.investment_wan), 0) AS "投资(万元)"
FROM sectors sec LEFT JOIN project_view v ON v.sector = sec.sector
GROUP BY sec.sector ORDER BY sec.position"""
