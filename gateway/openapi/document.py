"""The OpenAPI 3.1 document of a registry, built with apispec and its marshmallow plugin."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import Schema

from gateway import __version__
from gateway.crossbar.envelope import JSON
from gateway.crossbar.resource import Registry
from gateway.openapi.components import SECURITY, register
from gateway.openapi.field_shapes import KazooPlugin
from gateway.openapi.operations import operation, path_parameters
from gateway.openapi.paths import PREFIX, Operation, operations

Json = dict[str, Any]
OPENAPI_VERSION = "3.1.0"
CONTRACT_PATH = f"{PREFIX}/openapi.json"
TITLE = "PBX provisioning gateway (Kazoo crossbar API)"
DESCRIPTION = (
    "Generated from the gateway's resource registry. Every reply is Kazoo's envelope; "
    'request bodies are `{"data": ...}`.'
)


def schema_names() -> Callable[[Any], str]:
    """A name resolver: the class name without `Schema`, qualified by module when taken."""
    taken: dict[str, type[Schema]] = {}
    names: dict[type[Schema], str] = {}

    def resolve(schema: Any) -> str:
        cls = resolve_schema_cls(schema)
        assert isinstance(cls, type)
        if cls not in names:
            base = cls.__name__.removesuffix("Schema") or cls.__name__
            name = base if base not in taken else f"{cls.__module__.rsplit('.', 1)[-1]}.{base}"
            number = 1
            while name in taken:
                number += 1
                name = f"{cls.__module__.rsplit('.', 1)[-1]}.{base}{number}"
            taken[name] = cls
            names[cls] = name
        partial = getattr(schema, "partial", None) if isinstance(schema, Schema) else None
        return f"{names[cls]}Patch" if partial else names[cls]

    return resolve


def _body_schema(op: Operation) -> Schema | type[Schema] | None:
    schema = op.resource.schema
    if schema is None or not op.document_body:
        return None
    # PATCH merges into the stored document, so no key of its own is required.
    return schema(partial=True) if op.verb == "PATCH" else schema


def _contract_operation() -> Json:
    return {
        "operationId": "get_openapi_json",
        "tags": ["openapi"],
        "summary": f"GET {CONTRACT_PATH}",
        "description": "This document (no login, no envelope).",
        "security": [],
        "responses": {
            "200": {
                "description": "The OpenAPI document",
                "content": {JSON: {"schema": {"type": "object"}}},
            }
        },
    }


def build_document(registry: Registry) -> Json:
    """The whole contract as a JSON-ready dict."""
    plugin = KazooPlugin(schema_name_resolver=schema_names())
    spec = APISpec(
        title=TITLE,
        version=__version__,
        openapi_version=OPENAPI_VERSION,
        plugins=[plugin],
        info={"description": DESCRIPTION},
        security=[{SECURITY: []}],
        servers=[{"url": "/"}],
    )
    register(spec)
    by_path: dict[str, list[Operation]] = defaultdict(list)
    for op in operations(registry):
        by_path[op.path].append(op)
    for path, ops in by_path.items():
        spec.path(
            path,
            operations={op.verb.lower(): operation(op, _body_schema(op)) for op in ops},
            parameters=path_parameters(ops[0]),
        )
    spec.path(CONTRACT_PATH, operations={"get": _contract_operation()})
    document: Json = spec.to_dict()
    return document
