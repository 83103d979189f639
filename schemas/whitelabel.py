"""An account's white-label branding."""

from __future__ import annotations

from schemas.fields import Bool, OpenSchema, Str


class WhitelabelSchema(OpenSchema):
    """Branding shown by the web UI for the account and its descendants."""

    company_name = Str(max_length=128)
    domain = Str(min_length=4, max_length=253, pattern=r"^[.\w-]+$")
    hide_credits = Bool(load_default=False)
    hide_registration = Bool(load_default=False)
    hide_powered = Bool(load_default=False)
    inherit = Bool(load_default=True)
