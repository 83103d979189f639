"""The event stream: every document change and intake event, published once, in order."""

from gateway.events.outbox import Outbox
from gateway.events.relay import Relay
from gateway.events.stream import EventStream

__all__ = ["EventStream", "Outbox", "Relay"]
