"""Audit retention: entries go `audit_retention_days` after they were made, by the sweep."""

from gateway.audit.entries import AUDIT, EXPIRES_AT
from gateway.events.retention import Expiry

EXPIRY = Expiry(AUDIT, EXPIRES_AT)
