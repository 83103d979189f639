"""ACD call queue documents."""

from __future__ import annotations

from schemas.common import HTTP_URL_PATTERN
from schemas.fields import Bool, Int, Obj, OpenSchema, Str

QUEUE_STRATEGIES = ("round_robin", "most_idle")
EXIT_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")


class AnnouncementMedia(OpenSchema):
    """Prompts for position and wait-time announcements."""

    in_the_queue = Str(required=True)
    increase_in_call_volume = Str(required=True)
    the_estimated_wait_time_is = Str(required=True)
    you_are_at_position = Str(required=True)


class Announcements(OpenSchema):
    """Periodic announcements to waiting callers."""

    interval = Int(minimum=15, load_default=30)
    media = Obj(AnnouncementMedia)
    position_announcements_enabled = Bool()
    wait_time_announcements_enabled = Bool()


class QueueSchema(OpenSchema):
    """A FIFO call queue: `name` required."""

    name = Str(required=True, min_length=1, max_length=128)
    strategy = Str(enum=QUEUE_STRATEGIES, load_default="round_robin")
    agent_ring_timeout = Int(minimum=1, load_default=15)
    agent_wrapup_time = Int(minimum=0, load_default=0)
    connection_timeout = Int(minimum=0, load_default=3600)
    max_queue_size = Int(load_default=0)
    ring_simultaneously = Int(minimum=1, load_default=1)
    enter_when_empty = Bool(load_default=True)
    caller_exit_key = Str(enum=EXIT_KEYS, load_default="#")
    record_caller = Bool(load_default=False)
    max_priority = Int(minimum=0, maximum=255)
    moh = Str()
    announce = Str()
    announcements = Obj(Announcements)
    cdr_url = Str(pattern=HTTP_URL_PATTERN)
    recording_url = Str(pattern=HTTP_URL_PATTERN)
