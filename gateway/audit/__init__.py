"""The audit trail: who changed what, when, from which request; secrets masked."""

from gateway.audit.record import record

__all__ = ["record"]
