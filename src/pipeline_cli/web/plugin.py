"""The Datasette plugin: project_view's days and lights, the saved queries' pipeline_today(), the ladder facet.

A view cannot read the environment. When PIPELINE_TODAY is set, each
connection Datasette opens to a pipeline database gets a TEMP view of the
same name and columns counting from that day; an unqualified
`project_view` (what Datasette queries) finds the TEMP one first. The file
is never written: the TEMP schema lives in the connection.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from ..migrations import APPLICATION_ID, project_view_sql
from . import TABLE_LABELS


@hookimpl  # type: ignore[untyped-decorator]
def prepare_connection(conn: sqlite3.Connection, database: Any, datasette: Any) -> None:
    pinned = (os.environ.get("PIPELINE_TODAY") or "").strip()
    try:
        today = dt.date.fromisoformat(pinned).isoformat() if pinned else None
    except ValueError:
        today = None
    # The saved queries' day (due, problems, ranking): $PIPELINE_TODAY, else today, as the CLI counts.
    conn.create_function("pipeline_today", 0, lambda: today or dt.date.today().isoformat(), deterministic=False)
    if not pinned:
        return
    try:
        day = dt.date.fromisoformat(pinned).isoformat()
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'project_view'").fetchone() is None:
            return
        conn.execute(f"CREATE TEMP VIEW IF NOT EXISTS project_view AS {project_view_sql(repr(day))}")
    except (ValueError, sqlite3.Error):
        return  # a malformed day or an unexpected file: Datasette shows the stored view
    try:
        conn.execute("SELECT * FROM temp.project_view LIMIT 0")
    except sqlite3.Error:
        # A file from before plans (schema 3 and older, not yet opened by
        # pipeline): today's view cannot read it, the stored one can.
        conn.execute("DROP VIEW IF EXISTS temp.project_view")


# Columns a ladder facet orders by another column of the same rows: the stage
# (its slug or Chinese name) by its position on the ladder, 在谈 … 达产.
LADDER_ORDER = {"stage": "stage_position", "stage_zh": "stage_position"}


class LadderFacet(ColumnFacet):  # type: ignore[misc]
    """A column facet whose values come in ladder order (在谈, 签约, 前期 …), not by count.

    Configured in metadata as `{"ladder": "stage_zh"}` (or
    `{"ladder": {"column": "stage_zh", "order": "stage_position"}}`), or
    asked for with `?_facet_ladder=stage_zh`. Each value keeps its count and
    its link that filters the rows, as Datasette's own column facets do.
    """

    type = "ladder"

    async def suggest(self) -> list[Any]:
        return []  # Datasette's column facet suggests the columns; this one only orders them

    async def facet_results(self) -> tuple[list[Any], list[str]]:
        from datasette.database import QueryInterrupted

        results: list[Any] = []
        timed_out: list[str] = []
        pairs = self.get_querystring_pairs()
        size = self.get_facet_size()
        for item in self.get_configs():
            config, source = item["config"], item["source"]
            column = config.get("column") or config["simple"]
            order = config.get("order") or LADDER_ORDER.get(column, column)
            sql = (
                f"select {escape_sqlite(column)} as value, count(*) as count, min({escape_sqlite(order)}) as rung"
                f" from ({self.sql}) where {escape_sqlite(column)} is not null"
                f" group by {escape_sqlite(column)} order by rung, value limit {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for row in rows.rows[:size]:
                selected = (column, str(row["value"])) in pairs
                if selected:
                    toggle = path_with_removed_args(self.request, {column: str(row["value"])})
                else:
                    toggle = path_with_added_args(self.request, {column: row["value"]})
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": source != "metadata",
                    "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_ladder": column})),
                    "results": values,
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out


@hookimpl  # type: ignore[untyped-decorator]
def register_facet_classes() -> list[type]:
    return [LadderFacet]


# Column headers in Chinese on every table's page: Datasette names a column by
# its SQL name and shows metadata descriptions as a list above the table;
# this replaces each header's name with its label (the name stays as the
# tooltip) and folds the list away. Inline, so the page asks for nothing more.
_HEADER_SCRIPT = """(function () {
  var labels = %s;
  var list = document.querySelector("dl.column-descriptions");
  if (list) { list.style.display = "none"; }
  document.querySelectorAll("table.rows-and-columns th[data-column]").forEach(function (th) {
    var name = th.getAttribute("data-column"), label = labels[name];
    if (!label) { return; }
    th.title = name;
    var target = th.querySelector("a") || th;
    target.childNodes.forEach(function (node) {
      if (node.nodeType === 3 && node.nodeValue.indexOf(name) !== -1) {
        node.nodeValue = node.nodeValue.replace(name, label);
      }
    });
  });
})();"""


@hookimpl  # type: ignore[untyped-decorator]
def extra_body_script(
    template: str, database: str, table: str | None, columns: Any, view_name: str, request: Any, datasette: Any
) -> str:
    known = TABLE_LABELS.get(table or "")
    if view_name != "table" or known is None:
        return ""
    labels = {name: known[name] for name in (columns or ()) if name in known}
    return _HEADER_SCRIPT % json.dumps(labels)
