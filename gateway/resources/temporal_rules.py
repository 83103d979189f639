"""Temporal rules (time-of-day windows) and named sets of them."""

from __future__ import annotations

from gateway.crossbar.context import Context
from gateway.crossbar.crud import document_routes
from gateway.crossbar.documents import Doc, Documents
from gateway.crossbar.errors import InvalidData
from gateway.crossbar.references import missing_ids, refuse_while_referenced
from gateway.crossbar.resource import Resource
from schemas.temporal_rules import TemporalRuleSchema, TemporalRuleSetSchema

RULES = "temporal_rules"
SETS = "temporal_rules_sets"
VERBS = {0: {"GET", "PUT"}, 1: {"GET", "POST", "PATCH", "DELETE"}}


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
    missing = await missing_ids(ctx, RULES, doc.get("temporal_rules") or [])
    if missing:
        raise InvalidData(
            {
                "temporal_rules": {
                    "not_found": {
                        "message": f"Temporal rule {missing[0]} does not exist in this account",
                        "cause": missing[0],
                    }
                }
            }
        )
    return doc


RULE_DOCS = Documents(
    kind=RULES,
    schema=TemporalRuleSchema,
    row=rule_row,
    before_delete=(refuse_while_referenced("callflows", "callflow"),),
)

SET_DOCS = Documents(
    kind=SETS,
    schema=TemporalRuleSetSchema,
    row=set_row,
    before_save=(rules_exist,),
    before_delete=(refuse_while_referenced("callflows", "callflow"),),
)

TEMPORAL_RULES_RESOURCE = Resource(
    name=RULES,
    routes=document_routes(RULE_DOCS, VERBS),
    indexes=RULE_DOCS.indexes(),
    schema=TemporalRuleSchema,
)

TEMPORAL_RULES_SETS_RESOURCE = Resource(
    name=SETS,
    routes=document_routes(SET_DOCS, VERBS),
    indexes=SET_DOCS.indexes(),
    schema=TemporalRuleSetSchema,
)
