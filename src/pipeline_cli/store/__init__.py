"""All SQL: finding, opening, checking and migrating the file; reads; writes.

Reads use the standard `sqlite3` module so that read commands start fast.
Every write is one `BEGIN IMMEDIATE` ... `COMMIT` holding the change and its
events, with a busy timeout, so concurrent commands queue instead of failing.
Nothing here prints or exits: failures are raised as `errors.PipelineError`.

One module per job; callers use the names gathered here (`store.advance_projects`).
"""

from ._core import (
    DbLocation,
    create,
    create_url,
    display_name,
    is_postgres,
    is_url,
    locate,
    open_existing,
    open_url,
    transaction,
    translate_error,
)
from .aggregates import (
    due_count,
    iter_due,
    iter_lights,
    iter_report_entries,
    iter_report_events,
    light_counts,
    set_stage_thresholds,
    stage_thresholds,
    summary_rows,
)
from .changes import (
    Done,
    add_project,
    advance_projects,
    change_events,
    drop_project,
    edit_project,
    move_project,
    project_state,
    restore_project,
    undo_change,
    undo_target,
)
from .check import active_investment, check_database, table_counts
from .copying import Copied, copy_database
from .reads import SORT_EXPRESSIONS, add_undone, get_project, iter_events, iter_projects, sectors, stages
from .transfer import ImportWriter, backup, ids_by_name, iter_export_rows, last_event_dates, projects_by_id
from .vocab import add_sector, edit_sector, remove_sector

__all__ = [
    "SORT_EXPRESSIONS",
    "Copied",
    "DbLocation",
    "Done",
    "ImportWriter",
    "active_investment",
    "add_project",
    "add_sector",
    "add_undone",
    "advance_projects",
    "backup",
    "change_events",
    "check_database",
    "copy_database",
    "create",
    "create_url",
    "display_name",
    "drop_project",
    "due_count",
    "edit_project",
    "edit_sector",
    "get_project",
    "ids_by_name",
    "is_postgres",
    "is_url",
    "iter_due",
    "iter_events",
    "iter_export_rows",
    "iter_lights",
    "iter_projects",
    "iter_report_entries",
    "iter_report_events",
    "last_event_dates",
    "light_counts",
    "locate",
    "move_project",
    "open_existing",
    "open_url",
    "project_state",
    "projects_by_id",
    "remove_sector",
    "restore_project",
    "sectors",
    "set_stage_thresholds",
    "stage_thresholds",
    "stages",
    "summary_rows",
    "table_counts",
    "transaction",
    "translate_error",
    "undo_change",
    "undo_target",
]
