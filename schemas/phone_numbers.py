"""Phone number documents: the public part (`_read_only` belongs to the gateway)."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Obj, OpenSchema, Str

# Kazoo: the states a number may be created in (`create_with_state` on PUT).
NUMBER_STATES = (
    "aging",
    "available",
    "deleted",
    "discovery",
    "in_service",
    "port_in",
    "port_out",
    "released",
    "reserved",
)
E911_STATUSES = ("INVALID", "GEOCODED", "PROVISIONED", "REMOVED", "ERROR")


class Cnam(OpenSchema):
    """Caller name: outbound display name and inbound lookup."""

    display_name = Str(min_length=1, max_length=15)
    inbound_lookup = Bool()


class E911LegacyData(OpenSchema):
    """Address parts kept from older E911 providers."""

    house_number = Str()
    predirectional = Str()
    streetname = Str()
    suite = Str()


class E911(OpenSchema):
    """The service address given to emergency services."""

    street_address = Str(required=True)
    extended_address = Str()
    locality = Str(required=True)
    region = Str(required=True, min_length=2, max_length=2)
    postal_code = Str(required=True)
    plus_four = Str()
    caller_name = Str(min_length=3)
    notification_contact_emails = Arr(Str(), load_default=list)
    status = Str(enum=E911_STATUSES)
    activated_time = Str()
    latitude = Str()
    longitude = Str()
    location_id = Str()
    legacy_data = Obj(E911LegacyData)


class Porting(OpenSchema):
    """What the losing carrier has on file for a port in."""

    billing_account_id = Str()
    billing_extended_address = Str()
    billing_locality = Str()
    billing_name = Str()
    billing_postal_code = Str()
    billing_region = Str()
    billing_street_address = Str()
    billing_telephone_number = Str()
    comments = Arr(Str())
    customer_contact = Str()
    port_id = Str()
    requested_port_date = Str()
    service_provider = Str()


class PhoneNumberSchema(OpenSchema):
    """A number's public document: features (cnam, e911), porting data, custom keys."""

    carrier_name = Str(min_length=1, max_length=30)
    cnam = Obj(Cnam)
    e911 = Obj(E911)
    porting = Obj(Porting)
    create_with_state = Str(enum=NUMBER_STATES)
