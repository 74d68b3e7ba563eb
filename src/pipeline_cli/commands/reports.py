"""summary, funnel, lights, report: the pipeline at a glance and the weekly dispatch report."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
