"""Random sequences of add / edit / advance / move / drop / restore / undo, against a model.

The model is the simplest thing that can be right: the projects' fields, and
a stack with, for each change not yet undone, what its projects looked like
before it (None for a project it added). `undo` pops the stack; an undone add
is gone from every command but keeps its id. The model predicts from the
contract alone: the ladder, the amounts and the sector names are written out
here, not taken from the package, so a bug there cannot agree with itself.
After every step the database must equal the model,
every refusal must leave the file unchanged, and `check` must be clean; at the
end, undoing everything must return every project to where it started.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from conftest import STAGE_LADDER, file_hash, query
from pipeline_cli.cli import app

STAGE_SLUGS = STAGE_LADDER
# Each amount the rules type, in 亿元, and what it is stored as: integer 万元.
AMOUNT_WAN = {"0": 0, "0.0001": 1, "1.5": 15000, "30": 300000, "871": 8710000, "12.3456": 123456}
# Each sector the rules type (a slug, the unambiguous start of one, a Chinese name) and its slug.
SECTOR_OF = {"bio": "biomed", "食品饮料": "food", "it": "it"}


def one_up(stage: str) -> str:
    return STAGE_SLUGS[STAGE_SLUGS.index(stage) + 1]


SECTOR_SLUGS = ["it", "biomed", "transport", "smart-mfg", "textile", "food"]
START_DAY = dt.date(2020, 8, 18)


@dataclasses.dataclass(frozen=True)
class State:
    name: str
    sector: str
    stage: str
    status: str
    investment_wan: int | None
    key: int
    district: str | None
    unit: str | None
    lead: str | None
    note: str | None
    stage_since: str


FIELDS = [field.name for field in dataclasses.fields(State)]


def read_projects(db: Path | str) -> dict[int, State]:
    rows = query(db, f"SELECT id, {', '.join(FIELDS)} FROM projects ORDER BY id")  # type: ignore[arg-type]
    return {row["id"]: State(*(row[name] for name in FIELDS)) for row in rows}


def digest(db: Path | str) -> str:
    return file_hash(db)


ids = st.one_of(st.sampled_from([1, 7, 12, 15, 29, 48, 49, 50]), st.integers(min_value=1, max_value=53))
names = st.text(alphabet="甲乙丙丁项目ab", min_size=1, max_size=5)
amounts = st.sampled_from(sorted(AMOUNT_WAN))
texts = st.sampled_from(["", "城阳区", "崂山区", "备注 a_b%"])
guards = st.one_of(st.none(), st.sampled_from(STAGE_SLUGS))


class ChangesMachine(RuleBasedStateMachine):
    template: Path  # a seeded database, copied for every run
    # On PostgreSQL: the URL of a fresh copy of the seeded database on the server, for every run.
    new_database: Callable[[], str] | None = None

    def __init__(self) -> None:
        super().__init__()
        # In memory when the system has a tmpfs: hundreds of commits, no disk syncs.
        shm = Path("/dev/shm")
        where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        self.folder = Path(tempfile.mkdtemp(prefix="pipeline-stateful-", dir=where))
        self.db: Path | str
        if self.new_database is not None:
            self.db = self.new_database()
        else:
            self.db = self.folder / "pipeline.db"
            shutil.copyfile(self.template, self.db)
        os.environ["PIPELINE_DB"] = str(self.db)
        self.today = START_DAY
        os.environ["PIPELINE_TODAY"] = self.today.isoformat()
        self.projects = read_projects(self.db)
        self.start = dict(self.projects)
        self.stack: list[dict[int, State | None]] = []

    # --- running the CLI

    def run(self, *args: str, expect: int) -> str:
        before = digest(self.db)
        result = typer.testing.CliRunner().invoke(app, list(args))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == expect, (args, result.exit_code, result.stderr)
        if expect != 0:
            assert result.stdout == "", (args, result.stdout)
            assert digest(self.db) == before, args
        return result.stdout

    def push(self, changed: dict[int, State | None], after: dict[int, State]) -> None:
        self.stack.append(changed)
        self.projects.update(after)

    # --- rules

    @rule(name=names, sector=st.sampled_from(SECTOR_SLUGS), stage=st.sampled_from(STAGE_SLUGS), amount=amounts)
    def add(self, name: str, sector: str, stage: str, amount: str) -> None:
        new_id = max(self.projects) + 1
        out = self.run("add", name, "--sector", sector, "--stage", stage, "--investment", amount, expect=0)
        assert out == f"added {new_id} {name} ({stage})\n"
        state = State(name, sector, stage, "active", AMOUNT_WAN[amount], 0, None, None, None, None, self.day)
        self.push({new_id: None}, {new_id: state})

    @rule(
        project_id=ids,
        name=st.none() | names,
        sector=st.none() | st.sampled_from(sorted(SECTOR_OF)),
        amount=st.none() | amounts | st.just(""),
        key=st.none() | st.booleans(),
        district=st.none() | texts,
        note=st.none() | texts,
    )
    def edit(
        self,
        project_id: int,
        name: str | None,
        sector: str | None,
        amount: str | None,
        key: bool | None,
        district: str | None,
        note: str | None,
    ) -> None:
        args = ["edit", str(project_id)]
        changes: dict[str, Any] = {}
        if name is not None:
            args += ["--name", name]
            changes["name"] = name
        if sector is not None:
            args += ["--sector", sector]
            changes["sector"] = SECTOR_OF[sector]
        if amount is not None:
            args += ["--investment", amount]
            changes["investment_wan"] = AMOUNT_WAN[amount] if amount else None
        if key is not None:
            args.append("--key" if key else "--no-key")
            changes["key"] = int(key)
        if district is not None:
            args += ["--district", district]
            changes["district"] = district or None
        if note is not None:
            args += ["--note", note]
            changes["note"] = note or None
        if not changes:
            self.run(*args, expect=2)
            return
        if self.gone(project_id):
            self.run(*args, expect=3)
            return
        old = self.projects[project_id]
        new = dataclasses.replace(old, **changes)
        self.run(*args, expect=0)
        if new != old:
            self.push({project_id: old}, {project_id: new})

    @rule(project_ids=st.lists(ids, min_size=1, max_size=3, unique=True), guard=guards)
    def advance(self, project_ids: list[int], guard: str | None) -> None:
        args = ["advance", *map(str, project_ids)] + (["--from", guard] if guard else [])
        if any(self.gone(i) for i in project_ids):
            self.run(*args, expect=3)
            return
        olds = {i: self.projects[i] for i in project_ids}
        if any(
            s.status == "dropped" or (guard is not None and s.stage != guard) or s.stage == STAGE_SLUGS[-1]
            for s in olds.values()
        ):
            self.run(*args, expect=4)
            return
        self.run(*args, expect=0)
        after = {i: dataclasses.replace(s, stage=one_up(s.stage), stage_since=self.day) for i, s in olds.items()}
        self.push(dict(olds), after)

    @rule(project_id=ids, stage=st.sampled_from(STAGE_SLUGS), guard=guards)
    def move(self, project_id: int, stage: str, guard: str | None) -> None:
        args = ["move", str(project_id), stage] + (["--from", guard] if guard else [])
        if self.gone(project_id):
            self.run(*args, expect=3)
            return
        old = self.projects[project_id]
        if old.status == "dropped" or (guard is not None and old.stage != guard):
            self.run(*args, expect=4)
            return
        self.run(*args, expect=0)
        if old.stage != stage:
            self.push({project_id: old}, {project_id: dataclasses.replace(old, stage=stage, stage_since=self.day)})

    @rule(project_id=ids)
    def drop(self, project_id: int) -> None:
        args = ("drop", str(project_id), "--reason", "退单")
        if self.gone(project_id):
            self.run(*args, expect=3)
        elif self.projects[project_id].status == "dropped":
            self.run(*args, expect=4)
        else:
            old = self.projects[project_id]
            self.run(*args, expect=0)
            self.push({project_id: old}, {project_id: dataclasses.replace(old, status="dropped")})

    @rule(project_id=ids)
    def restore(self, project_id: int) -> None:
        args = ("restore", str(project_id))
        if self.gone(project_id):
            self.run(*args, expect=3)
        elif self.projects[project_id].status == "active":
            self.run(*args, expect=4)
        else:
            old = self.projects[project_id]
            self.run(*args, expect=0)
            self.push({project_id: old}, {project_id: dataclasses.replace(old, status="active")})

    @rule()
    def undo(self) -> None:
        if not self.stack:
            self.run("undo", "--yes", expect=4)
            return
        self.run("undo", "--yes", expect=0)
        for project_id, before in self.stack.pop().items():
            if before is None:  # an undone add: as if never added, but the id stays taken
                self.projects[project_id] = dataclasses.replace(self.projects[project_id], status="undone")
            else:
                self.projects[project_id] = before

    @rule(days=st.integers(min_value=1, max_value=40))
    def next_day(self, days: int) -> None:
        self.today += dt.timedelta(days=days)
        os.environ["PIPELINE_TODAY"] = self.today.isoformat()

    def gone(self, project_id: int) -> bool:
        """No such project, or its add was undone: commands say exit 3."""
        return project_id not in self.projects or self.projects[project_id].status == "undone"

    # --- invariants

    @property
    def day(self) -> str:
        return self.today.isoformat()

    @invariant()
    def database_equals_the_model_and_check_is_clean(self) -> None:
        assert read_projects(self.db) == self.projects
        assert self.run("check", expect=0).startswith("ok:")

    def teardown(self) -> None:
        try:
            while self.stack:
                self.undo()
            self.run("undo", "--yes", expect=4)
            final = read_projects(self.db)
            for project_id, state in final.items():
                if project_id in self.start:
                    assert state == self.start[project_id], project_id
                else:
                    assert state.status == "undone", project_id
            assert self.run("check", expect=0).startswith("ok:")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def fast_cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Build the click command once, not on every in-process invocation."""
    command = typer.main.get_command(app)
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: command)
    yield


# On PostgreSQL a sample of 5 runs of 30 steps (each run has a fresh database: half a second on the server,
# and a run takes some seconds there; 60 runs double the module).
@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("PIPELINE_TEST_ENGINES") != "all", reason="PIPELINE_TEST_ENGINES is not all")
def test_random_changes_on_postgresql_keep_check_clean_and_undo_all_restores_the_start(
    pg_server: Any, pg_templates: dict[str, str], fast_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def new_database(machine: ChangesMachine) -> str:
        url: str = pg_server.url(pg_server.new_database(pg_templates["seeded"]))
        return url

    monkeypatch.setattr(ChangesMachine, "new_database", new_database)
    monkeypatch.setenv("PIPELINE_TODAY", START_DAY.isoformat())
    run_state_machine_as_test(
        ChangesMachine,
        settings=settings(
            max_examples=5,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


@pytest.mark.slow
def test_random_changes_keep_check_clean_and_undo_all_restores_the_start(
    db: Path, fast_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ChangesMachine, "template", db, raising=False)
    # The machine points PIPELINE_DB and PIPELINE_TODAY at each run's own
    # copy and day; monkeypatch puts them back afterwards.
    monkeypatch.setenv("PIPELINE_DB", str(db))
    monkeypatch.setenv("PIPELINE_TODAY", START_DAY.isoformat())
    run_state_machine_as_test(
        ChangesMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
