"""One OpenAPI operation object per registry operation: parameters, body, replies."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema

from gateway.crossbar.binary import BASE64_TYPES, MULTIPART
from gateway.crossbar.envelope import JSON
from gateway.crossbar.resource import JSON_TYPES
from gateway.openapi.components import (
    JSON_ERRORS,
    LISTING_PARAMETERS,
    SUCCESS,
    error_name,
    ref,
    reply_headers,
)
from gateway.openapi.paths import Operation

Json = dict[str, Any]
CSV = "text/csv"
WRITES = frozenset({"PUT", "POST", "PATCH", "DELETE"})
BODY_VERBS = frozenset({"PUT", "POST", "PATCH"})
# What each verb answers on success (Kazoo: PUT creates, 201; a queued action, 202).
SUCCESS_STATUSES = {
    "GET": (200,),
    "PUT": (200, 201),
    "POST": (200, 201, 202),
    "PATCH": (200,),
    "DELETE": (200,),
}
BINARY = {"type": "string", "format": "binary"}
_SLUG = re.compile(r"[^a-z0-9]+")


def operation_id(op: Operation) -> str:
    """`get_accounts_account_id_users`: unique per (verb, path)."""
    return f"{op.verb.lower()}_{_SLUG.sub('_', op.path.lower()).strip('_').removeprefix('v2_')}"


def path_parameters(op: Operation) -> list[Json]:
    """The ids in the path, in order."""
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "minLength": 1},
        }
        for name in op.ids
    ]


def media_types(op: Operation) -> list[str]:
    """The resource's non-JSON media types, without the upload encodings."""
    others = op.resource.content_types - JSON_TYPES - BASE64_TYPES - frozenset(MULTIPART)
    return sorted(others | {"application/octet-stream"}) if others else []


def operation(op: Operation, body_schema: Schema | type[Schema] | None) -> Json:
    """The operation object; `body_schema` is what `data` holds in a write's body."""
    described: Json = {
        "operationId": operation_id(op),
        "tags": [op.resource.name],
        "summary": f"{op.verb} {op.path}",
        "parameters": _parameters(op),
        "responses": _responses(op),
    }
    if op.public:
        described["security"] = []
    if op.verb in BODY_VERBS:
        described["requestBody"] = _body(op, body_schema)
    return described


def _parameters(op: Operation) -> list[str]:
    """Parameter components by name (apispec turns a name into a `$ref`)."""
    names = ["X-Request-ID"]
    if op.verb == "GET" and op.collection:
        names.extend(LISTING_PARAMETERS)
    if op.verb in WRITES:
        names.append("Idempotency-Key")
    return names


def _body(op: Operation, body_schema: Schema | type[Schema] | None) -> Json:
    data: Any = body_schema if body_schema is not None else {"type": ["object", "array"]}
    content: Json = {
        JSON: {
            "schema": {
                "type": "object",
                "required": ["data"],
                "properties": {"data": data},
                "description": "Kazoo's request envelope",
            }
        }
    }
    if media_types(op) and op.verb != "PATCH":
        content["multipart/form-data"] = {
            "schema": {"type": "object", "properties": {"file": BINARY}, "required": ["file"]}
        }
        content["application/base64"] = {"schema": {"type": "string"}}
        for media in media_types(op):
            content[media] = {"schema": BINARY}
    return {"required": True, "content": content}


def downloads(op: Operation) -> list[str]:
    """What a GET may answer besides JSON and CSV: files live below the document routes."""
    return [] if op.verb != "GET" or op.document_route else media_types(op)


def _responses(op: Operation) -> Json:
    responses: Json = {}
    for status in SUCCESS_STATUSES[op.verb]:
        responses[str(status)] = _success(op, status)
    binary = downloads(op)
    if op.verb == "GET":
        responses["304"] = ref("responses", error_name(304))
        if binary:
            responses["206"] = {
                "description": "The part of the file `Range` asked for",
                "headers": reply_headers(206),
                "content": {media: {"schema": BINARY} for media in [*binary, "*/*"]},
            }
    for status in sorted(JSON_ERRORS):
        if (status != 416 or op.verb == "GET") and (status != 422 or op.verb in WRITES):
            responses[str(status)] = ref("responses", error_name(status))
    empty = [406, *([412] if op.verb in WRITES else []), *([415] if op.verb in BODY_VERBS else [])]
    for status in empty:
        responses[str(status)] = ref("responses", error_name(status))
    return dict(sorted(responses.items()))


def _success(op: Operation, status: int) -> Json:
    content: Json = {JSON: {"schema": ref("schemas", SUCCESS)}}
    if op.verb == "GET":
        content[CSV] = {"schema": {"type": "string"}}
        for media in downloads(op):
            content[media] = {"schema": BINARY}
        if downloads(op):
            # A download carries the stored file's own type, whatever it was uploaded as.
            content["*/*"] = {"schema": BINARY}
    return {
        "description": "Kazoo's success envelope (or the file, for a download)",
        "headers": reply_headers(status),
        "content": content,
    }
