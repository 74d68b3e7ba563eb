"""Build benchmark databases of 47, 10,000 and 1,000,000 projects, quickly, in SQL.

    python bench/generate.py [--sizes 47,10000,1000000] [--force]

47 is `pipeline init` (the report's projects). Any other size starts from
`pipeline init --empty`, so the schema is the real one, and fills it with one
INSERT ... SELECT per table over a recursive CTE: no Python per row. The data
is deterministic (a 32-bit integer hash of each id, not random()), so every
machine benchmarks the same rows.

What the rows look like, so that every command has realistic work to do:
- sectors, stages, districts and investments are drawn with skewed weights
  (a funnel: many projects negotiating, few at full capacity); investment in
  万元, 3 % unknown; 12 % key projects; 4 % dropped, each with a reason;
- each project has a `created` event at its first stage and one `stage` event
  per rung it climbed since (at most three), dated in order, the last one
  being its `stage_since`; a dropped project also has a `dropped` event and
  one with a lead an `edited` event naming them. That is about three events
  per project, and `pipeline check` finds nothing wrong;
- `stage_since` lies 0 to about 830 days before 2020-08-18 (the day the
  benchmark pins as today), so all three lights occur;
- 35 % of the active projects below the last rung have a planned date for
  the next stage (and a third of those one for the stage after), from 120
  days before today to 239 days after it, each with its `planned` event: a
  third of the plans are overdue, so plan lights and `due` have work;
- 12 % of the active projects have a problem (a fifth of those a second),
  opened up to 199 days ago with a deadline 30 to 89 days later; 40 % are
  closed. Each has its `problem_opened` (and `problem_closed`) event.

Databases are cached in bench/data/ (not committed) under a name holding the
size, this generator's version and the schema version; a stale one is rebuilt.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pipeline_cli.migrations import SCHEMA_VERSION

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
# Bump when the rows generated change, so cached databases are rebuilt.
GENERATOR_VERSION = 3
TODAY = "2020-08-18"
DEFAULT_SIZES = (47, 10_000, 1_000_000)

SECTOR_WEIGHTS = (("it", 22), ("biomed", 14), ("transport", 12), ("smart-mfg", 20), ("textile", 12), ("food", 20))
# Where projects stand now: a funnel.
STAGE_WEIGHTS = (
    ("negotiating", 30),
    ("signed", 15),
    ("preliminary", 12),
    ("landed", 10),
    ("construction", 13),
    ("completed", 7),
    ("production", 8),
    ("capacity", 5),
)
# Qingdao's districts, as in the report, with the unit usually responsible.
DISTRICT_WEIGHTS = (
    ("西海岸新区", "西海岸新区管委", 20),
    ("城阳区", "城阳区政府", 12),
    ("即墨区", "即墨区政府", 12),
    ("胶州市", "胶州市政府", 12),
    ("崂山区", "崂山区政府", 10),
    ("平度市", "平度市政府", 8),
    ("莱西市", "莱西市政府", 8),
    ("市北区", "市北区政府", 6),
    ("李沧区", "李沧区政府", 6),
    ("市南区", "市南区政府", 6),
)
NOUNS = {
    "it": ("集成电路封测", "新型显示模组", "工业互联网平台", "人工智能算力中心", "软件信息服务", "智能传感器"),
    "biomed": ("创新药研发生产", "医疗器械产业园", "生物制剂", "高端医用耗材", "中药现代化", "体外诊断试剂"),
    "transport": ("轨道交通装备", "新能源汽车零部件", "船舶海工配套", "航空零部件", "氢能重卡", "动力电池"),
    "smart-mfg": ("工业机器人", "高端数控机床", "智能家电", "精密减速器", "激光装备", "智能物流装备"),
    "textile": ("功能性面料", "品牌服装总部", "产业用纺织品", "智能制衣工厂", "家纺设计中心", "时尚产业园"),
    "food": ("精酿啤酒扩产", "海洋食品加工", "预制菜中央厨房", "冷链物流基地", "功能饮料", "休闲食品产业园"),
}
LEADS = ("王建国", "李明", "张伟", "刘洋", "陈静")
NOTES = ("需协调用地指标", "等待环评批复", "外资备案中", "配套资金到位", "拟申报省重点项目")
PROBLEMS = (
    ("用地指标未落实", "市自然资源局"),
    ("环评批复待办", "市生态环境局"),
    ("配套电力未接入", "供电公司"),
    ("施工许可待办", "市住房城乡建设局"),
    ("资金未到位", "市发展改革委"),
    ("征迁未完成", "区征迁办"),
)


def _mix(column: str) -> str:
    """SQL: a well-mixed 32-bit hash step (x ^= x >> 16; x *= 0x45d9f3b), in 64-bit integer arithmetic."""
    return f"((({column} | ({column} >> 16)) - ({column} & ({column} >> 16))) * 73244475 % 4294967296)"


def _xorshift(column: str) -> str:
    return f"(({column} | ({column} >> 16)) - ({column} & ({column} >> 16)))"


def _picker(name: str, weights: tuple[tuple[str, int], ...] | tuple[tuple[str, str, int], ...]) -> list[str]:
    """SQL creating temp table `name`(lo, hi, value[, extra]) that covers 0..99 by weight."""
    rows, lo = [], 0
    for entry in weights:
        *values, weight = entry
        assert isinstance(weight, int)
        rows.append("(" + ", ".join([str(lo), str(lo + weight), *(_quote(str(v)) for v in values)]) + ")")
        lo += weight
    assert lo == 100, (name, lo)
    columns = "lo, hi, value" + (", extra" if len(weights[0]) == 3 else "")
    return [f"CREATE TEMP TABLE {name} ({columns})", f"INSERT INTO {name} VALUES {', '.join(rows)}"]


def _table(name: str, columns: str, rows: list[tuple[object, ...]]) -> list[str]:
    rendered = ", ".join(
        "(" + ", ".join(_quote(v) if isinstance(v, str) else str(v) for v in row) + ")" for row in rows
    )
    return [f"CREATE TEMP TABLE {name} ({columns})", f"INSERT INTO {name} VALUES {rendered}"]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _script(count: int) -> list[str]:
    """The statements that fill an empty pipeline database with `count` projects."""
    nouns: list[tuple[object, ...]] = [(s, k, noun) for s, items in NOUNS.items() for k, noun in enumerate(items)]
    return [
        *_picker("pick_sector", SECTOR_WEIGHTS),
        *_picker("pick_stage", STAGE_WEIGHTS),
        *_picker("pick_district", DISTRICT_WEIGHTS),
        *_table("ladder", "stage, position", [(slug, i + 1) for i, (slug, _) in enumerate(STAGE_WEIGHTS)]),
        *_table("nouns", "sector, k, value", nouns),
        *_table("leads", "k, value", list(enumerate(LEADS))),
        *_table("notes", "k, value", list(enumerate(NOTES))),
        *_table("problem_texts", "k, text, unit", [(k, text, unit) for k, (text, unit) in enumerate(PROBLEMS)]),
        # Three independent 32-bit hashes of each id; their decimal digit
        # groups are the draws (two digits make a percentile).
        f"""
        CREATE TEMP TABLE hashes AS
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {count}),
        s0 AS (SELECT i, (i * 2654435761 + 1013) % 4294967296 AS a,
                         (i * 2654435761 + 7919) % 4294967296 AS b,
                         (i * 2654435761 + 104729) % 4294967296 AS c,
                         (i * 2654435761 + 1299709) % 4294967296 AS d FROM seq),
        s1 AS (SELECT i, {_mix("a")} AS a, {_mix("b")} AS b, {_mix("c")} AS c, {_mix("d")} AS d FROM s0),
        s2 AS (SELECT i, {_mix("a")} AS a, {_mix("b")} AS b, {_mix("c")} AS c, {_mix("d")} AS d FROM s1)
        SELECT i, {_xorshift("a")} AS a, {_xorshift("b")} AS b, {_xorshift("c")} AS c, {_xorshift("d")} AS d
        FROM s2
        """,
        # Each project's draws. days: how long ago it entered its current
        # stage (skewed to recent); gap1, gap2: days it spent on each of the
        # rungs before; moves: how many rungs it climbed since it was created.
        """
        CREATE TEMP TABLE gen AS
        SELECT h.i AS id,
               sec.value AS sector,
               st.value AS stage,
               lad.position AS position,
               min(lad.position - 1, 3) AS moves,
               d.value AS district, d.extra AS unit,
               (h.a / 1000000) % 100 AS inv_pick,
               (h.a / 100000000) % 10 AS inv_digit,
               (h.b / 100) % 10000 AS inv_fine,
               (h.b / 1000000) % 100 AS key_pick,
               (h.b / 100000000) % 10 AS misc,
               ((h.c % 100) * (h.c % 100)) / 12 AS days,
               30 + (h.c / 100) % 300 AS gap1,
               30 + (h.c / 30000) % 300 AS gap2,
               30 + (h.b % 100) * 3 AS gap3,
               (h.c / 9000000) % 100 AS drop_pick,
               (h.a / 100) % 6 AS noun,
               h.d % 100 AS plan_pick,
               (h.d / 100) % 360 - 120 AS plan_offset,
               (h.d / 36000) % 3 AS plan_second,
               (h.d / 108000) % 100 AS problem_pick,
               (h.d / 10800000) % 200 AS problem_age,
               (h.b / 10000) % 60 AS problem_days,
               (h.c / 1000) % 10 AS problem_closed,
               (h.b / 1000) % 6 AS problem_kind
        FROM hashes h
        JOIN pick_sector sec ON h.a % 100 >= sec.lo AND h.a % 100 < sec.hi
        JOIN pick_stage st ON (h.a / 100) % 100 >= st.lo AND (h.a / 100) % 100 < st.hi
        JOIN ladder lad ON lad.stage = st.value
        JOIN pick_district d ON (h.a / 10000) % 100 >= d.lo AND (h.a / 10000) % 100 < d.hi
        ORDER BY h.i
        """,
        # Investment in 万元: 3 % unknown; mostly 0.5 to 20 亿 in round
        # amounts, a tail up to 500 亿, and a few exact to the 万.
        f"""
        INSERT INTO projects (id, name, sector, stage, status, investment_wan, key,
                              district, unit, lead, note, source, stage_since)
        SELECT g.id,
               g.district || n.value || '项目' || g.id,
               g.sector, g.stage,
               CASE WHEN g.drop_pick < 4 THEN 'dropped' ELSE 'active' END,
               CASE
                 WHEN g.inv_pick < 3 THEN NULL
                 WHEN g.inv_pick < 40 THEN 5000 + g.inv_fine * 45000 / 10000 / 100 * 100
                 WHEN g.inv_pick < 75 THEN 50000 + g.inv_fine * 150000 / 10000 / 1000 * 1000
                 WHEN g.inv_pick < 93 THEN 200000 + g.inv_fine * 800000 / 10000 / 10000 * 10000 + g.inv_digit * 1000
                 ELSE 1000000 + g.inv_fine * 4000000 / 10000 / 10000 * 10000
               END + CASE WHEN g.misc = 7 AND g.inv_pick >= 3 THEN g.inv_digit ELSE 0 END,
               CASE WHEN g.key_pick < 12 THEN 1 ELSE 0 END,
               g.district, g.unit,
               CASE WHEN g.misc < 3 THEN l.value END,
               CASE WHEN g.misc = 9 THEN nt.value END,
               'user',
               date('{TODAY}', '-' || g.days || ' days')
        FROM gen g
        JOIN nouns n ON n.sector = g.sector AND n.k = g.noun
        JOIN leads l ON l.k = g.id % 5
        JOIN notes nt ON nt.k = (g.id / 5) % 5
        ORDER BY g.id
        """,
        # Step 0: created, at the rung `moves` below its stage; steps 1..moves:
        # one rung up each, the last on stage_since; step 4: dropped (if so),
        # half-way between stage_since and today; step 5: the lead named (if
        # there is one), a quarter of the way.
        f"""
        INSERT INTO events (project_id, kind, "from", "to", date, recorded_at, note, by, changes, change)
        SELECT id, kind, from_stage, to_stage, day, day || 'T01:00:00.000000Z', note, 'bench', changes, NULL
        FROM (
            SELECT g.id, s.step,
                   CASE s.step WHEN 0 THEN 'created' WHEN 4 THEN 'dropped' WHEN 5 THEN 'edited' ELSE 'stage' END
                     AS kind,
                   CASE WHEN s.step BETWEEN 1 AND 3 THEN lf.stage END AS from_stage,
                   CASE WHEN s.step < 4 THEN lt.stage END AS to_stage,
                   CASE
                     WHEN s.step = 4 THEN date('{TODAY}', '-' || (g.days / 2) || ' days')
                     WHEN s.step = 5 THEN date('{TODAY}', '-' || (g.days / 4) || ' days')
                     ELSE date('{TODAY}', '-' || (g.days
                          + CASE WHEN g.moves - s.step >= 1 THEN g.gap1 ELSE 0 END
                          + CASE WHEN g.moves - s.step >= 2 THEN g.gap2 ELSE 0 END
                          + CASE WHEN g.moves - s.step >= 3 THEN g.gap3 ELSE 0 END) || ' days')
                   END AS day,
                   CASE WHEN s.step = 4 THEN '投资方战略调整' END AS note,
                   CASE WHEN s.step = 5 THEN json_object('lead', json_array(NULL, l.value)) END AS changes
            FROM gen g
            JOIN (SELECT 0 AS step UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
                  UNION ALL SELECT 4 UNION ALL SELECT 5) s
              ON s.step = 0 OR (s.step BETWEEN 1 AND 3 AND s.step <= g.moves)
                 OR (s.step = 4 AND g.drop_pick < 4) OR (s.step = 5 AND g.misc < 3)
            JOIN leads l ON l.k = g.id % 5
            LEFT JOIN ladder lt ON lt.position = g.position - g.moves + min(s.step, g.moves)
            LEFT JOIN ladder lf ON lf.position = g.position - g.moves + s.step - 1
        )
        ORDER BY id, step
        """,
        # Plans: the next stage (k = 1) of 35 % of the active projects below
        # the last rung, a third of them also the one after (k = 2, 180 days
        # later); each with a `planned` event dated between stage_since and today.
        f"""
        CREATE TEMP TABLE planned AS
        SELECT g.id AS project_id, lad.stage AS stage,
               date('{TODAY}', (g.plan_offset + (k.k - 1) * 180) || ' days') AS date,
               date('{TODAY}', '-' || (g.days / 8) || ' days') AS recorded
        FROM gen g
        JOIN (SELECT 1 AS k UNION ALL SELECT 2) k ON k.k = 1 OR g.plan_second = 0
        JOIN ladder lad ON lad.position = g.position + k.k
        WHERE g.drop_pick >= 4 AND g.plan_pick < 35
        ORDER BY g.id, k.k
        """,
        "INSERT INTO plans (project_id, stage, date) SELECT project_id, stage, date FROM planned",
        """
        INSERT INTO events (project_id, kind, "to", date, recorded_at, by, plan_from, plan_to, change)
        SELECT project_id, 'planned', stage, recorded, recorded || 'T02:00:00.000000Z', 'bench', NULL, date, NULL
        FROM planned ORDER BY project_id, date
        """,
        # Problems: 12 % of the active projects, a fifth of them two; 40 % closed.
        f"""
        CREATE TEMP TABLE opened AS
        SELECT row_number() OVER (ORDER BY g.id, k.k) AS id, g.id AS project_id, t.text, t.unit,
               date('{TODAY}', '-' || ((g.problem_age + (k.k - 1) * 37) % 200) || ' days') AS opened,
               30 + g.problem_days AS due_after, g.problem_closed < 4 AS closes
        FROM gen g
        JOIN (SELECT 1 AS k UNION ALL SELECT 2) k ON k.k = 1 OR g.problem_pick < 2
        JOIN problem_texts t ON t.k = (g.problem_kind + k.k - 1) % 6
        WHERE g.drop_pick >= 4 AND g.problem_pick < 12
        """,
        f"""
        INSERT INTO problems (id, project_id, text, unit, opened, due, closed, note)
        SELECT id, project_id, text, unit, opened, date(opened, '+' || due_after || ' days'),
               CASE WHEN closes THEN min('{TODAY}', date(opened, '+' || (due_after - 20) || ' days')) END, NULL
        FROM opened ORDER BY id
        """,
        """
        INSERT INTO events (project_id, kind, date, recorded_at, by, changes, change, problem_id)
        SELECT project_id, kind, date, date || 'T03:00:00.000000Z', 'bench', changes, NULL, problem_id
        FROM (
            SELECT pr.project_id, 'problem_opened' AS kind, pr.opened AS date, pr.id AS problem_id, 0 AS step,
                   json_object('text', json_array(NULL, pr.text), 'unit', json_array(NULL, pr.unit),
                               'due', json_array(NULL, pr.due)) AS changes
            FROM problems pr
            UNION ALL
            SELECT pr.project_id, 'problem_closed', pr.closed, pr.id, 1,
                   json_object('closed', json_array(NULL, pr.closed))
            FROM problems pr WHERE pr.closed IS NOT NULL
        )
        ORDER BY date, problem_id, step
        """,
        "DROP TABLE hashes",
        "DROP TABLE gen",
        "DROP TABLE planned",
        "DROP TABLE opened",
    ]


def build(path: Path, count: int, pipeline: str) -> None:
    """Create `path` with `count` generated projects (or the report's 47)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    building.unlink(missing_ok=True)
    env = {**os.environ, "PIPELINE_TODAY": TODAY}
    args = [pipeline, "--db", str(building), "init"]
    if count != 47:
        args.append("--empty")
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    if count != 47:
        conn = sqlite3.connect(building, isolation_level=None)
        try:
            conn.execute("PRAGMA cache_size = -200000")
            conn.execute("BEGIN")
            for statement in _script(count):
                conn.execute(statement)
            conn.execute("COMMIT")
        finally:
            conn.close()
    building.rename(path)


def database(count: int, pipeline: str, *, force: bool = False, quiet: bool = False) -> Path:
    """The cached database of `count` projects, built if missing or stale."""
    path = DATA / f"projects-{count}-g{GENERATOR_VERSION}-s{SCHEMA_VERSION}.db"
    if force or not path.exists():
        path.unlink(missing_ok=True)
        start = time.perf_counter()
        build(path, count, pipeline)
        if not quiet:
            print(f"built {path.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


def default_pipeline() -> str:
    beside = Path(sys.executable).with_name("pipeline")
    return str(beside) if beside.exists() else "pipeline"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated project counts")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        print(database(size, default_pipeline(), force=args.force))


if __name__ == "__main__":
    main()
