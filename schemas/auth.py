"""Login requests."""

from __future__ import annotations

from schemas.accounts import REALM_PATTERN
from schemas.fields import OpenSchema, Str


class UserAuthSchema(OpenSchema):
    """PUT /v2/user_auth: credentials plus one account selector."""

    credentials = Str(required=True, min_length=1, max_length=64)
    method = Str(enum=("md5", "sha"), load_default="md5")
    account_name = Str(min_length=1, max_length=128)
    account_realm = Str(min_length=4, max_length=253, pattern=REALM_PATTERN)
    realm = Str(min_length=4, max_length=253, pattern=REALM_PATTERN)
    phone_number = Str(min_length=1, max_length=64)


class ApiAuthSchema(OpenSchema):
    """PUT /v2/api_auth: an account API key."""

    api_key = Str(required=True, min_length=64, max_length=64)
