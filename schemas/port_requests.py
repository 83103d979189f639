"""Port request documents: numbers an account asks to bring over from a losing carrier."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import ValidationError

from schemas.fields import Arr, Bool, Either, Int, Obj, OpenSchema, Str, fail

# Kazoo's `patternProperties` key, matched anywhere in the key as JSON schema does.
NUMBER_KEY = re.compile(r"\+?[0-9]+")
DATE_TIME = r"^2\d\d\d-\d\d-\d\d \d\d:\d\d$"


class NumberMap(Obj):
    """`numbers`: at least one key; every number-like key maps to an object."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, Any]:
        loaded = super()._deserialize(value, attr, data, **kwargs)
        if not loaded:
            raise fail(
                "minProperties", "The object must have at least 1 keys", target=1, value=loaded
            )
        errors = {
            key: fail(
                "type", "Value did not match type(s): object", target="object", value=item
            ).messages
            for key, item in loaded.items()
            if NUMBER_KEY.search(key) and not isinstance(item, Mapping)
        }
        if errors:
            raise ValidationError(errors)
        return loaded


class TimeZone(Str):
    """A time zone name the server knows (Kazoo's generated enum of zones)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        name = super()._deserialize(value, attr, data, **kwargs)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail(
                "enum", "Value not found in enumerated list of values", value=name
            ) from None
        return name


class Bill(OpenSchema):
    """The losing carrier's billing details."""

    account_number = Str()
    btn = Str()
    carrier = Str()
    locality = Str()
    name = Str()
    pin = Str()
    postal_code = Str()
    region = Str()
    street_address = Str()
    street_number = Str()
    street_post_dir = Str()
    street_pre_dir = Str()
    street_type = Str()


class Comment(OpenSchema):
    """One comment on a port request."""

    account_id = Str()
    action_required = Bool(load_default=False)
    author = Str(required=True)
    content = Str(required=True)
    is_private = Bool(load_default=False)
    timestamp = Int(required=True)
    user_id = Str()


class EmailNotification(OpenSchema):
    """Where state change e-mails go."""

    send_to = Either(Str(fmt="email"), Arr(Str(fmt="email")))


class Notifications(OpenSchema):
    """Status notifications."""

    email = Obj(EmailNotification)


class PortRequestSchema(OpenSchema):
    """A port request: `name` and `numbers` required."""

    bill = Obj(Bill)
    comments = Arr(Obj(Comment))
    name = Str(required=True, min_length=1, max_length=128)
    notifications = Obj(Notifications)
    numbers = NumberMap(required=True)
    reference_number = Str()
    signee_name = Str()
    signing_date = Int()
    transfer_date = Int()
    winning_carrier = Str()


class ScheduleOn(OpenSchema):
    """A local date and time to port at."""

    date_time = Str(required=True, pattern=DATE_TIME)
    timezone = TimeZone(required=True)


class ToScheduledSchema(OpenSchema):
    """What moving to `scheduled` needs: `scheduled_date` or `schedule_on`."""

    schedule_on = Obj(ScheduleOn)
    scheduled_date = Int()
