"""Temporal rules (time-of-day routing) and sets of them."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Int, OpenSchema, Str

CYCLES = ("date", "daily", "weekly", "monthly", "yearly")
# Kazoo: the misspelling "wensday" is accepted alongside "wednesday"
WDAYS = ("monday", "tuesday", "wednesday", "wensday", "thursday", "friday", "saturday", "sunday")
ORDINALS = ("every", "first", "second", "third", "fourth", "fifth", "last")
DEFAULT_START_DATE = 62586115200  # Gregorian seconds: 1983-04-11T08:00:00Z
SECONDS_PER_DAY = 86400


class TemporalRuleSchema(OpenSchema):
    """A recurring time window: `name` and `cycle` required."""

    name = Str(required=True, min_length=1, max_length=128)
    cycle = Str(required=True, enum=CYCLES)
    interval = Int(minimum=1, load_default=1)
    days = Arr(Int(minimum=1, maximum=31))
    wdays = Arr(Str(enum=WDAYS))
    ordinal = Str(enum=ORDINALS)
    month = Int(minimum=1, maximum=12)
    start_date = Int(load_default=DEFAULT_START_DATE)
    time_window_start = Int(minimum=0, maximum=SECONDS_PER_DAY)
    time_window_stop = Int(minimum=0, maximum=SECONDS_PER_DAY)
    # Kazoo: tri-state; absent means "obey the schedule", so no default
    enabled = Bool()
    flags = Arr(Str())


class TemporalRuleSetSchema(OpenSchema):
    """A named set of temporal rule ids: `name` required."""

    name = Str(required=True, min_length=1, max_length=128)
    temporal_rules = Arr(Str(), min_items=1)
    flags = Arr(Str())
