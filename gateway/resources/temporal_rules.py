"""Temporal rules (time-of-day windows) and named sets of them."""

from __future__ import annotations

from gateway.crossbar.context import Context
from gateway.crossbar.crud import document_resource
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.references import require_ids
from gateway.resources.rules import USED_BY_CALLFLOWS
from schemas.temporal_rules import TemporalRuleSchema, TemporalRuleSetSchema

RULES = "temporal_rules"
SETS = "temporal_rules_sets"


def rule_row(doc: Doc) -> Doc:
    """A row of the temporal rules listing (`type` only when the document has one)."""
    row = {key: doc[key] for key in ("id", "name", "type") if doc.get(key) is not None}
    row["flags"] = doc.get("flags") or []
    return row


def set_row(doc: Doc) -> Doc:
    """A row of the sets listing; Kazoo's view names the rule ids `rules`."""
    row = {key: doc[key] for key in ("id", "name") if doc.get(key) is not None}
    if doc.get("temporal_rules") is not None:
        row["rules"] = doc["temporal_rules"]
    return row


async def rules_exist(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Every id in `temporal_rules` names a temporal rule of the account."""
    await require_ids(
        ctx, "temporal_rules", RULES, "Temporal rule", doc.get("temporal_rules") or []
    )
    return doc


RULE_DOCS = Documents(
    kind=RULES,
    schema=TemporalRuleSchema,
    row=rule_row,
    before_delete=(USED_BY_CALLFLOWS,),
)

SET_DOCS = Documents(
    kind=SETS,
    schema=TemporalRuleSetSchema,
    row=set_row,
    before_save=(rules_exist,),
    before_delete=(USED_BY_CALLFLOWS,),
)

TEMPORAL_RULES_RESOURCE = document_resource(RULE_DOCS)

TEMPORAL_RULES_SETS_RESOURCE = document_resource(SET_DOCS)
