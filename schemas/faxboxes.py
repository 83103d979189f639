"""Faxbox documents (virtual fax machines)."""

from __future__ import annotations

from typing import Any

from schemas.fields import Arr, Bool, Int, Obj, OpenSchema, Str

FAX_PRINTER = "Kazoo Fax Printer"
CALLBACK_METHODS = ("post", "put")
CALLBACK_TYPES = ("json", "www-url-form-encoded")
CALLBACK_URL_PATTERN = r"^https?://"


class OneOrMany(Arr):
    """One item or a list of them (Kazoo's `oneOf` string | array)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and self.item is not None:
            return self.item.deserialize(value)
        return super()._deserialize(value, attr, data, **kwargs)


class Callback(OpenSchema):
    """Results posted to a URL."""

    method = Str(enum=CALLBACK_METHODS)
    type = Str(enum=CALLBACK_TYPES)
    url = Str(pattern=CALLBACK_URL_PATTERN)


class EmailNotice(OpenSchema):
    """E-mail recipients."""

    send_to = OneOrMany(Str(fmt="email"))


class SmsNotice(OpenSchema):
    """SMS recipients."""

    send_to = OneOrMany(Str())


class Notices(OpenSchema):
    """Status notifications for one direction."""

    callback = Obj(Callback)
    email = Obj(EmailNotice)
    sms = Obj(SmsNotice)


class FaxboxNotifications(OpenSchema):
    """Status notifications by direction."""

    inbound = Obj(Notices)
    outbound = Obj(Notices)


class FaxMedia(OpenSchema):
    """Media parameters."""

    fax_option = Bool()


class FaxboxSchema(OpenSchema):
    """A faxbox: `name` required; `custom_smtp_email_address` is unique (a hook's job)."""

    name = Str(required=True, min_length=1, max_length=128)
    caller_name = Str(load_default=FAX_PRINTER)
    caller_id = Str()
    fax_header = Str(load_default=FAX_PRINTER)
    fax_identity = Str()
    fax_timezone = Str()
    retries = Int(minimum=0, maximum=4, load_default=1)
    attempts = Int(minimum=0, maximum=4, load_default=0)
    media = Obj(FaxMedia, load_default=dict)
    notifications = Obj(FaxboxNotifications)
    smtp_permission_list = Arr(Str(), load_default=list)
    custom_smtp_email_address = Str()
    flags = Arr(Str())
