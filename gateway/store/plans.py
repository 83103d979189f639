"""Query plans from explain, read alike from MongoDB and nx-27017."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QueryPlan:
    """How the database answers a find: the index it walks and what it reads, where it says."""

    index: str | None
    docs_examined: int | None


def plan_of(kind: str, answer: Mapping[str, Any]) -> QueryPlan:
    """Read MongoDB's explain (IXSCAN stages) or nx-27017's (SQLite's plan lines)."""
    winning = answer.get("queryPlanner", {}).get("winningPlan")
    stats = answer.get("executionStats", {})
    if isinstance(winning, list):
        # nx-27017 names an index idx_<collection>_<field> and reports no counts.
        match = re.search(rf"USING (?:COVERING )?INDEX idx_{re.escape(kind)}_(\S+)", str(winning))
        return QueryPlan(match.group(1) if match else None, None)
    stage: Any = winning
    while isinstance(stage, Mapping) and stage.get("stage") != "IXSCAN":
        stage = stage.get("inputStage")
    index = None
    if isinstance(stage, Mapping) and len(stage.get("keyPattern", {})) == 1:
        index = next(iter(stage["keyPattern"]))
    return QueryPlan(index, stats.get("totalDocsExamined"))
