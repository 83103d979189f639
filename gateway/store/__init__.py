"""The one store: MongoDB (or the embedded nx-27017 server) through AsyncMongoClient."""

from gateway.store.errors import Conflict, DuplicateValue, StoreUnavailable
from gateway.store.plans import QueryPlan
from gateway.store.store import SYSTEM, Index, Store

__all__ = [
    "Conflict",
    "DuplicateValue",
    "Index",
    "QueryPlan",
    "SYSTEM",
    "Store",
    "StoreUnavailable",
]
