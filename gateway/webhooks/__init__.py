"""Webhooks: Kazoo's hooks delivered from the event stream, signed, retried, and auditable."""
