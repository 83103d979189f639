"""What a callflow's flow tree points at: the module table, reference checks, metadata."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gateway.crossbar.context import Context
from gateway.crossbar.documents import Doc
from gateway.crossbar.errors import InvalidData
from gateway.crossbar.references import REFERENCES, missing_ids, not_found


@dataclass(frozen=True)
class Target:
    """A kind of document a flow node can name: collection, Kazoo `pvt_type`, label."""

    kind: str
    pvt_type: str
    label: str


USER = Target("users", "user", "User")
DEVICE = Target("devices", "device", "Device")
GROUP = Target("groups", "group", "Group")
VMBOX = Target("vmboxes", "vmbox", "Voicemail box")
MENU = Target("menus", "menu", "Menu")
CONFERENCE = Target("conferences", "conference", "Conference")
MEDIA = Target("media", "media", "Media")
TEMPORAL_RULE = Target("temporal_rules", "temporal_rule", "Temporal rule")
CALLFLOW = Target("callflows", "callflow", "Callflow")
FAXBOX = Target("faxboxes", "faxbox", "Faxbox")
DIRECTORY = Target("directories", "directory", "Directory")
QUEUE = Target("queues", "queue", "Queue")

# Kazoo: a ring/page group endpoint without `endpoint_type` is a device.
ENDPOINT_TYPES = {"user": USER, "device": DEVICE, "group": GROUP}


@dataclass(frozen=True)
class Refs:
    """How one module names objects: `data` keys holding an id, endpoints, branch keys."""

    data: dict[str, Target] = field(default_factory=dict)
    endpoints: bool = False
    branches: Target | None = None


# The one module -> referenced kind table.
MODULES: dict[str, Refs] = {
    "user": Refs({"id": USER}),
    "device": Refs({"id": DEVICE}),
    "voicemail": Refs({"id": VMBOX}),
    "menu": Refs({"id": MENU}),
    "conference": Refs({"id": CONFERENCE}),
    "play": Refs({"id": MEDIA}),
    "callflow": Refs({"id": CALLFLOW}),
    "group": Refs({"id": GROUP}),
    "faxbox": Refs({"id": FAXBOX}),
    "receive_fax": Refs({"owner_id": USER}),
    "directory": Refs({"id": DIRECTORY}),
    "queue": Refs({"id": QUEUE}),
    "acdc_member": Refs({"id": QUEUE}),
    "ring_group": Refs(endpoints=True),
    "page_group": Refs(endpoints=True),
    "temporal_route": Refs(branches=TEMPORAL_RULE),
}
DEFAULT_BRANCH = "_"


@dataclass(frozen=True)
class Reference:
    """One id a flow names, where (dotted path) and of which kind."""

    path: str
    value: Any
    target: Target


def _key(name: str) -> str:
    return name.replace(".", "%2E")


def nodes(flow: Any, path: str = "flow") -> Iterator[tuple[str, Doc]]:
    """Every node of a flow tree, depth first, with its dotted path."""
    if not isinstance(flow, dict):
        return
    yield path, flow
    children = flow.get("children")
    if isinstance(children, dict):
        for key, child in children.items():
            yield from nodes(child, f"{path}.children.{_key(key)}")


def modules(flow: Any) -> list[str]:
    """The flow's module names, each once, in walk order."""
    found: list[str] = []
    for _, node in nodes(flow):
        module = node.get("module")
        if isinstance(module, str) and module not in found:
            found.append(module)
    return found


def references(flow: Any) -> list[Reference]:
    """Every id the flow's nodes name through the module table."""
    found: list[Reference] = []
    for path, node in nodes(flow):
        refs = MODULES.get(node.get("module") or "")
        if refs is None:
            continue
        data = node.get("data")
        if not isinstance(data, dict):
            data = {}
        for key, target in refs.data.items():
            found.append(Reference(f"{path}.data.{key}", data.get(key), target))
        if refs.endpoints:
            found.extend(_endpoints(path, data.get("endpoints")))
        children = node.get("children")
        if refs.branches and isinstance(children, dict):
            found.extend(
                Reference(f"{path}.children.{_key(key)}", key, refs.branches)
                for key in children
                if key != DEFAULT_BRANCH
            )
    return [ref for ref in found if ref.value not in (None, "")]


def _endpoints(path: str, endpoints: Any) -> Iterator[Reference]:
    if not isinstance(endpoints, list):
        return
    for index, endpoint in enumerate(endpoints):
        if not isinstance(endpoint, dict):
            continue
        target = ENDPOINT_TYPES.get(endpoint.get("endpoint_type") or "device")
        if target is not None:
            yield Reference(f"{path}.data.endpoints.{index}.id", endpoint.get("id"), target)


async def check_references(ctx: Context, doc: Doc, old: Doc | None) -> Doc:
    """Every referenced id names a document of its kind here; record them in pvt_references."""
    refs = references(doc.get("flow"))
    missing: set[tuple[str, str]] = set()
    for kind in {ref.target.kind for ref in refs}:
        ids = [ref.value for ref in refs if ref.target.kind == kind]
        missing.update((kind, value) for value in await missing_ids(ctx, kind, ids))
    errors = {
        ref.path: not_found(ref.target.label, ref.value)
        for ref in refs
        if not isinstance(ref.value, str) or (ref.target.kind, ref.value) in missing
    }
    if errors:
        raise InvalidData(errors)
    doc[REFERENCES] = sorted({ref.value for ref in refs})
    return doc


async def metadata(ctx: Context, flow: Any) -> Doc:
    """Kazoo's `metadata`: name, numbers and pvt_type of each referenced object found."""
    refs = [ref for ref in references(flow) if isinstance(ref.value, str)]
    found: Doc = {}
    for target in {ref.target for ref in refs}:
        ids = sorted({ref.value for ref in refs if ref.target == target})
        query = {"id": {"$in": ids}, "pvt_account_id": ctx.account_id}
        for doc in await ctx.store.find(target.kind, query):
            found[doc["id"]] = _describe(doc, target)
    return {ref.value: found[ref.value] for ref in refs if ref.value in found}


def _describe(doc: Doc, target: Target) -> Doc:
    entry: Doc = {}
    if target is USER:
        name = f"{doc.get('first_name') or ''} {doc.get('last_name') or ''}"
        if name.strip():
            entry["name"] = name
    elif doc.get("name") is not None:
        entry["name"] = doc["name"]
    if doc.get("numbers") is not None:
        entry["numbers"] = doc["numbers"]
    entry["pvt_type"] = target.pvt_type
    return entry
