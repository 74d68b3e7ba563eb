"""A throwaway PostgreSQL server for the test session.

When the server binaries (`initdb`, `pg_ctl`, `postgres`) are on PATH, the
session starts one cluster in a temporary folder, listening on a free
localhost port and on a unix socket in that folder, and stops it (and
removes the folder) at the end. PostgreSQL refuses to run as root, and CI
runs as root: then the cluster belongs to an unprivileged user (`nobody`)
and its commands run as that user (runuser, else setpriv).

The cluster is made for speed and for the same answers as SQLite: fsync
off, C collation (byte order, as SQLite compares text), UTF-8. Local
connections are trusted; one role, `PASSWORD_ROLE`, must give its password
over TCP, so the tests can try a wrong one.

Each test gets its own database, a copy of a template (`CREATE DATABASE ...
TEMPLATE`), so tests never see each other's data.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BINARIES = ("initdb", "pg_ctl", "postgres")
SUPERUSER = "pipeline_test"
PASSWORD_ROLE = "pipeline_password"
PASSWORD = "correct-horse"
UNPRIVILEGED = "nobody"


def missing_binaries() -> list[str]:
    """The server binaries not found on PATH (empty when the server can run here)."""
    return [name for name in BINARIES if shutil.which(name) is None]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_server_user(command: list[str]) -> list[str]:
    """`command` run as the unprivileged user when this process is root."""
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", UNPRIVILEGED, "--", *command]
    if shutil.which("setpriv"):
        entry = pwd.getpwnam(UNPRIVILEGED)
        return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups", *command]
    raise RuntimeError("running as root, and neither runuser nor setpriv is there to start PostgreSQL as another user")


@dataclass
class Server:
    """A running cluster: where it listens and how to reach a database on it."""

    folder: Path
    port: int
    _names: Iterator[int] = field(default_factory=itertools.count)

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str, *, user: str = SUPERUSER, password: str | None = None) -> str:
        """A libpq URL for `database` over TCP on localhost."""
        login = user if password is None else f"{user}:{password}"
        return f"postgresql://{login}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        """Run SQL as the superuser, outside a transaction (CREATE DATABASE cannot run in one)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        """A fresh database (empty, or a copy of `template`); its name."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else " TEMPLATE template0"))
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(command: list[str], log: Path | None = None) -> None:
    completed = subprocess.run(_as_server_user(command), capture_output=True, text=True, timeout=120)
    if completed.returncode != 0:
        detail = log.read_text(errors="replace") if log is not None and log.exists() else ""
        raise RuntimeError(f"{' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}\n{detail}")


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    """Start a throwaway cluster; stop it and remove its folder afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="pipeline-pg-"))
    try:
        if os.geteuid() == 0:
            entry = pwd.getpwnam(UNPRIVILEGED)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = Server(folder, _free_port())
        server.socket_dir.mkdir()
        if os.geteuid() == 0:
            os.chown(server.socket_dir, entry.pw_uid, entry.pw_gid)
        _run(
            [
                "initdb",
                "--pgdata",
                str(server.data),
                "--username",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        hba = server.data / "pg_hba.conf"
        # The password role first: pg_hba.conf takes the first line that matches.
        rules = (
            f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
        )
        hba.write_text(rules)  # (root may write the server user's file; it stays theirs)
        log = folder / "server.log"
        options = (
            f"-p {server.port} -k {server.socket_dir} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        _run(["pg_ctl", "--pgdata", str(server.data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"], log)
        try:
            _wait_until_ready(server)
            server.admin(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}'")
            yield server
        finally:
            subprocess.run(
                _as_server_user(["pg_ctl", "--pgdata", str(server.data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
                timeout=60,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_ready(server: Server, seconds: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(server.url("postgres"), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
