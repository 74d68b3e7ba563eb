"""All SQL: finding, opening, checking and migrating the file; reads; writes.

Reads use the standard `sqlite3` module so that read commands start fast.
Every write is one `BEGIN IMMEDIATE` ... `COMMIT` holding the change and its
events, with a busy timeout, so concurrent commands queue instead of failing.
Nothing here prints or exits: failures are raised as `errors.PipelineError`.

One module per job; callers use the names gathered here (`store.advance_projects`).

Each name is imported from its module when first used (the module's
`__getattr__`), so `pipeline list` loads the reading modules only, not the
writes, checks, copying and transfer of other commands.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# Each name and the module of this package that defines it.
_MODULE_OF: dict[str, str] = {
    "DbLocation": "_core",
    "create": "_core",
    "create_url": "_core",
    "display_name": "_core",
    "is_postgres": "_core",
    "is_url": "_core",
    "locate": "_core",
    "open_existing": "_core",
    "open_url": "_core",
    "transaction": "_core",
    "translate_error": "_core",
    "due_count": "aggregates",
    "iter_due": "aggregates",
    "iter_lights": "aggregates",
    "iter_report_entries": "aggregates",
    "iter_report_events": "aggregates",
    "light_counts": "aggregates",
    "set_stage_thresholds": "aggregates",
    "stage_thresholds": "aggregates",
    "summary_rows": "aggregates",
    "Done": "changes",
    "add_project": "changes",
    "advance_projects": "changes",
    "change_events": "changes",
    "drop_project": "changes",
    "edit_project": "changes",
    "move_project": "changes",
    "project_state": "changes",
    "restore_project": "changes",
    "undo_change": "changes",
    "undo_target": "changes",
    "active_investment": "check",
    "check_database": "check",
    "table_counts": "check",
    "Copied": "copying",
    "copy_database": "copying",
    "SORT_EXPRESSIONS": "reads",
    "add_undone": "reads",
    "get_project": "reads",
    "iter_events": "reads",
    "iter_projects": "reads",
    "sectors": "reads",
    "stages": "reads",
    "ImportWriter": "transfer",
    "backup": "transfer",
    "ids_by_name": "transfer",
    "iter_export_rows": "transfer",
    "last_event_dates": "transfer",
    "projects_by_id": "transfer",
    "add_sector": "vocab",
    "edit_sector": "vocab",
    "remove_sector": "vocab",
}

if not TYPE_CHECKING:  # mypy reads the imports above; a typo in a name stays an error

    def __getattr__(name: str) -> object:
        module_name = _MODULE_OF.get(name)
        if module_name is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module_name}", __name__), name)
        globals()[name] = value  # found at once the next time
        return value


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
