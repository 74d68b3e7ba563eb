"""The report's 47 projects, shipped inside the package to seed new databases (with the report's six sectors)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from importlib.resources import files

from .model import SECTORS, ProjectRecord, record_from_mapping

# The report's date: no seeded project entered its stage after it.
REPORT_DATE = dt.date(2020, 8, 18)


def projects_2020() -> list[ProjectRecord]:
    text = files("pipeline_cli").joinpath("fixtures/projects_2020.csv").read_text(encoding="utf-8")
    return [
        record_from_mapping(row, default_date=REPORT_DATE, sectors=SECTORS) for row in csv.DictReader(io.StringIO(text))
    ]
