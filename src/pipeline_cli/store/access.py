"""Who may change what on a PostgreSQL server: district writers and readers, enforced by the server.

SQLite has no users: whoever can open the file can change all of it, and
only the file's permissions decide who can (`access` is a usage error there).
On a server, `pipeline access grant ROLE --district D` lets an existing
role change only the projects of its districts, `--read-only` lets it read
everything and change nothing, and the tables' owner (whoever ran `init`)
keeps every right. The server enforces it, not this client: a role that
opens `psql` meets the same walls.

What `access grant` puts on the server, the first time it runs and again
(idempotently) each time, in its own transaction under the write lock:

- `pipeline_access`: one row per role (its oid, so a renamed role keeps its
  row), the districts it may write (empty for a reader) and whether it is
  read-only. Readable by every role: the policies read it as the role
  writing, and a role may see what it may do.
- `pipeline_may_write(district)`: whether the role in use (current_user, or
  any role it is a member of and inherits from, so a district's group role
  works for each of its members' logins) may write projects of `district`;
  `pipeline_may_write_project(id)` the same for a project's district.
- row-level security on projects, events, plans and problems, with policies:
  everyone may read every row; a row may be added, changed (and, for plans
  and problems, removed) only when its project's district is one the role
  may write, before and after the change, so a project can never be moved to
  a district the role does not have. The owner bypasses these policies (it
  is not FORCEd), as does a superuser.
- GRANTs: SELECT on every pipeline table to readers and writers; to writers
  INSERT and UPDATE on projects and problems (DELETE on problems: an undone
  problem opening removes the row), INSERT, UPDATE and DELETE on plans,
  INSERT on events (never UPDATE or DELETE: history is append-only for
  everyone but the owner) and UPDATE on pipeline_sequence (the ids). Stages,
  sectors and migrations stay the owner's.

The schema `init` creates is unchanged: a database where `access` was never
used has neither the table nor row-level security, and every role keeps
what the owner granted it by hand. A migration that adds a table later
needs `access grant` run again for each role (it grants on every pipeline
table there is).

An UPDATE that the USING clause of a policy filters out changes no row and
raises nothing. So this client checks first, to say why (`check_project`,
`check_new_district`; a reader is refused as its first write begins), and
the store's updates count their rows (`one_row_changed`), so a refusal the
client did not foresee is still an exit 8, never a silent success.

Imported on both engines by the store's write paths; psycopg only inside the
functions that run on a server.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import CannotWrite, Message, UsageError

# The tables the policies guard, and the column that names each row's project.
GUARDED = {"projects": "id", "events": "project_id", "plans": "project_id", "problems": "project_id"}

ACCESS_TABLE = "pipeline_access"

INSTALL = f"""
CREATE TABLE IF NOT EXISTS {ACCESS_TABLE} (
    role OID PRIMARY KEY,
    districts TEXT[] COLLATE "C" NOT NULL DEFAULT '{{}}',
    read_only BOOLEAN NOT NULL,
    CHECK (read_only = (cardinality(districts) = 0))
);
GRANT SELECT ON {ACCESS_TABLE} TO PUBLIC;
CREATE OR REPLACE FUNCTION pipeline_may_write(district text) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT EXISTS (SELECT 1 FROM {ACCESS_TABLE} a
                         WHERE NOT a.read_only AND district = ANY (a.districts)
                           AND pg_has_role(current_user, a.role, 'USAGE')) $$;
CREATE OR REPLACE FUNCTION pipeline_may_write_project(project bigint) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT pipeline_may_write((SELECT p.district FROM projects p WHERE p.id = project)) $$;
"""


def _policies() -> str:
    statements = []
    for table, column in GUARDED.items():
        allowed = "pipeline_may_write(district)" if table == "projects" else f"pipeline_may_write_project({column})"
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;")
        for name in ("pipeline_read", "pipeline_add", "pipeline_change", "pipeline_remove"):
            statements.append(f"DROP POLICY IF EXISTS {name} ON {table};")
        statements.append(f"CREATE POLICY pipeline_read ON {table} FOR SELECT USING (true);")
        statements.append(f"CREATE POLICY pipeline_add ON {table} FOR INSERT WITH CHECK ({allowed});")
        if table != "events":
            statements.append(
                f"CREATE POLICY pipeline_change ON {table} FOR UPDATE USING ({allowed}) WITH CHECK ({allowed});"
            )
        if table in ("plans", "problems"):
            statements.append(f"CREATE POLICY pipeline_remove ON {table} FOR DELETE USING ({allowed});")
    return "\n".join(statements)


POLICIES = _policies()

# What a writer may do beyond reading, table by table.
WRITER_PRIVILEGES = {
    "projects": "INSERT, UPDATE",
    "events": "INSERT",
    "plans": "INSERT, UPDATE, DELETE",
    "problems": "INSERT, UPDATE, DELETE",
    "pipeline_sequence": "UPDATE",
}


@dataclass(frozen=True)
class Access:
    """One role's access as `access list` shows it."""

    role: str
    districts: tuple[str, ...]
    read_only: bool

    def record(self) -> dict[str, Any]:
        return {"role": self.role, "districts": list(self.districts), "read_only": self.read_only}


@dataclass(frozen=True)
class Scope:
    """What the role writing may change: only projects of `districts` (none: it may only read)."""

    role: str
    districts: tuple[str, ...]

    @property
    def read_only(self) -> bool:
        return not self.districts

    @property
    def may(self) -> Message:
        """What the role may change, as a sentence's clause."""
        if self.read_only:
            return Message("access.may.read")
        return Message("access.may.districts", {"districts": list(self.districts)})


# --- the role writing: its scope, checked by the client for a message that says why ---------


def load_scope(conn: Any) -> Scope | None:
    """The scope of the role in use on a server (inside the write's transaction); None: it may change everything.

    None also where access was never set up (the owner's own GRANTs decide).
    """
    row = conn.raw.execute(
        "SELECT current_user::text, r.rolsuper OR r.rolbypassrls OR pg_has_role(current_user, c.relowner, 'USAGE'),"
        " to_regclass(%s) IS NOT NULL"
        " FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = to_regclass('projects')",
        (ACCESS_TABLE,),
    ).fetchone()
    if row is None or row[1] or not row[2]:
        return None
    districts: set[str] = set()
    for (granted,) in conn.raw.execute(
        f"SELECT districts FROM {ACCESS_TABLE} WHERE NOT read_only AND pg_has_role(current_user, role, 'USAGE')"
    ):
        districts.update(granted)
    return Scope(str(row[0]), tuple(sorted(districts)))


def scope_of(conn: sqlite3.Connection) -> Scope | None:
    """The scope the connection's current write runs under (set as it began); None on SQLite."""
    scope: Scope | None = getattr(conn, "scope", None)
    return scope


def read_only_refusal(scope: Scope) -> CannotWrite:
    return CannotWrite("access.read_only", "access.read_only.hint", role=scope.role)


def _refused(scope: Scope, what: Message) -> CannotWrite:
    if scope.read_only:
        return read_only_refusal(scope)
    # A new project without a district: the role's own districts are what to give.
    hint = "access.give_district.hint" if what.key == "access.new_no_district" else "access.refused.hint"
    return CannotWrite("access.refused", hint, role=scope.role, may=scope.may, what=what)


def _where(project_id: int, name: str, district: str | None) -> Message:
    if district is None:
        return Message("access.project_no_district", {"id": project_id, "name": name})
    return Message("access.project_in", {"id": project_id, "name": name, "district": district})


def check_project(conn: sqlite3.Connection, project_id: int, name: str, district: str | None) -> None:
    """Refuse (exit 8) a change to a project outside the districts of the role writing."""
    scope = scope_of(conn)
    if scope is not None and (district is None or district not in scope.districts):
        raise _refused(scope, _where(project_id, name, district))


def check_new_district(conn: sqlite3.Connection, project_id: int | None, name: str, district: str | None) -> None:
    """Refuse (exit 8) a project added to, or moved to, a district the role writing may not change."""
    scope = scope_of(conn)
    if scope is None or (district is not None and district in scope.districts):
        return
    if project_id is None:
        what = (
            Message("access.new_no_district", {"name": name})
            if district is None
            else Message("access.new_in", {"name": name, "district": district})
        )
    else:
        what = (
            Message("access.moved_no_district", {"id": project_id, "name": name})
            if district is None
            else Message("access.moved_to", {"id": project_id, "name": name, "district": district})
        )
    raise _refused(scope, what)


def check_undo(conn: sqlite3.Connection, change: int, projects: Sequence[tuple[int, str, str | None]]) -> None:
    """Refuse (exit 8) an undo of a change that touched a project outside the role's districts."""
    scope = scope_of(conn)
    if scope is None:
        return
    if scope.read_only:
        raise read_only_refusal(scope)
    for project_id, name, district in projects:
        if district is None or district not in scope.districts:
            raise CannotWrite(
                "access.undo_outside",
                "access.undo_outside.hint",
                role=scope.role,
                may=scope.may,
                change=change,
                what=_where(project_id, name, district),
            )


def one_row_changed(conn: sqlite3.Connection, rowcount: int, expected: int = 1) -> None:
    """After an UPDATE of rows known to exist: fewer changed means the server's policies filtered them (exit 8)."""
    if rowcount >= expected or rowcount < 0:
        return
    scope = scope_of(conn)
    if scope is not None:
        raise server_refusal(scope, Message("access.rows_filtered"), getattr(conn, "display", ""))
    raise CannotWrite("access.rows_filtered_plain", "pg.no_privilege.hint", url=getattr(conn, "display", ""))


def server_refusal(scope: Scope, reason: Message | str, url: str) -> CannotWrite:
    """The server refused a write of a role with a scope: say what the role may change."""
    return CannotWrite(
        "access.server_refused", "access.server_refused.hint", url=url, role=scope.role, may=scope.may, reason=reason
    )


# --- granting, revoking, listing (the owner, on a server) -----------------------------------


def not_on_sqlite() -> UsageError:
    return UsageError("access.sqlite", "access.sqlite.hint")


def _tables(conn: Any) -> list[str]:
    """The pipeline tables and views there are (and the access table, once there)."""
    from .dialect import PG_RELATIONS

    rows = conn.raw.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relname = ANY(%s) ORDER BY c.relname",
        ([*PG_RELATIONS, ACCESS_TABLE],),
    ).fetchall()
    return [str(row[0]) for row in rows]


def _require_owner(conn: Any) -> None:
    """Only the tables' owner (or a superuser) may give or take access (exit 8 for anyone else)."""
    row = conn.raw.execute(
        "SELECT current_user::text, pg_get_userbyid(c.relowner)::text,"
        " r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE')"
        " FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = to_regclass('projects')"
    ).fetchone()
    if row is None or not row[2]:
        user, owner = (row[0], row[1]) if row is not None else ("?", "?")
        raise CannotWrite("access.not_owner", "access.not_owner.hint", role=user, owner=owner)


def _role(conn: Any, name: str) -> int:
    """The oid of an existing role that row-level security can restrict (else exit 2)."""
    row = conn.raw.execute(
        "SELECT r.oid, r.rolsuper, r.rolbypassrls,"
        " pg_has_role(r.oid, (SELECT relowner FROM pg_class WHERE oid = to_regclass('projects')), 'USAGE')"
        " FROM pg_roles r WHERE r.rolname = %s",
        (name,),
    ).fetchone()
    if row is None:
        raise UsageError("access.no_role", "access.no_role.hint", role=name)
    if row[1] or row[2] or row[3]:
        raise UsageError("access.unrestricted", "access.unrestricted.hint", role=name)
    return int(row[0])


def _revoke_privileges(conn: Any, name: str) -> None:
    """Every privilege on the pipeline tables the owner gave `name` (by `access grant` or by hand)."""
    from psycopg import sql

    for table in _tables(conn):
        conn.raw.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), sql.Identifier(name)))


def grant(conn: Any, name: str, districts: Sequence[str], *, read_only: bool) -> Access:
    """Let role `name` read everything and write the projects of `districts` (none: read only); call in a transaction.

    Replaces what the role had: its districts, and the privileges pipeline gives.
    """
    with conn.translated_errors():
        return _grant(conn, name, districts, read_only=read_only)


def _grant(conn: Any, name: str, districts: Sequence[str], *, read_only: bool) -> Access:
    from psycopg import sql

    _require_owner(conn)
    oid = _role(conn, name)
    conn.raw.execute(INSTALL)
    conn.raw.execute(POLICIES)
    role = sql.Identifier(name)
    _revoke_privileges(conn, name)
    conn.raw.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(_schema(conn)), role))
    for table in _tables(conn):
        conn.raw.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(table), role))
    if not read_only:
        for table, privileges in WRITER_PRIVILEGES.items():
            conn.raw.execute(sql.SQL("GRANT {} ON {} TO {}").format(sql.SQL(privileges), sql.Identifier(table), role))
    unique = tuple(sorted(set(districts)))
    conn.raw.execute(
        f"INSERT INTO {ACCESS_TABLE} (role, districts, read_only) VALUES (%s, %s, %s)"
        " ON CONFLICT (role) DO UPDATE SET districts = excluded.districts, read_only = excluded.read_only",
        (oid, list(unique), read_only),
    )
    return Access(name, unique, read_only)


def _schema(conn: Any) -> str:
    row = conn.raw.execute("SELECT current_schema()").fetchone()
    return str(row[0])


def revoke(conn: Any, name: str) -> Access | None:
    """Take away what `access grant` gave role `name`; what it had, or None (call in a transaction)."""
    with conn.translated_errors():
        return _revoke(conn, name)


def _revoke(conn: Any, name: str) -> Access | None:
    _require_owner(conn)
    row = conn.raw.execute("SELECT oid FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    if row is None:
        raise UsageError("access.no_role", "access.no_role.hint", role=name)
    had = None
    if _installed(conn):
        found = conn.raw.execute(
            f"DELETE FROM {ACCESS_TABLE} WHERE role = %s RETURNING districts, read_only", (row[0],)
        ).fetchone()
        if found is not None:
            had = Access(name, tuple(found[0]), bool(found[1]))
    _revoke_privileges(conn, name)
    return had


def _installed(conn: Any) -> bool:
    row = conn.raw.execute("SELECT to_regclass(%s) IS NOT NULL", (ACCESS_TABLE,)).fetchone()
    return bool(row[0])


def list_access(conn: Any) -> list[Access]:
    """Every role given access, by name (a role dropped since is shown by its oid)."""
    with conn.translated_errors():
        return _list(conn)


def _list(conn: Any) -> list[Access]:
    if not _installed(conn):
        return []
    rows = conn.raw.execute(
        f"SELECT coalesce(r.rolname::text, a.role::text), a.districts, a.read_only FROM {ACCESS_TABLE} a"
        " LEFT JOIN pg_roles r ON r.oid = a.role ORDER BY 1"
    ).fetchall()
    return [Access(str(name), tuple(districts), bool(read_only)) for name, districts, read_only in rows]
