"""Every crossbar module the gateway serves."""

from gateway.resources.account_tree import ACCOUNTS_RESOURCE
from gateway.resources.alerts import ALERTS_RESOURCE
from gateway.resources.api_keys import API_KEYS_RESOURCE
from gateway.resources.apps_store import APPS_STORE_RESOURCE
from gateway.resources.audit import AUDIT_RESOURCE
from gateway.resources.auth import API_AUTH, AUTH, TOKEN_AUTH, USER_AUTH
from gateway.resources.blacklists import BLACKLISTS_RESOURCE
from gateway.resources.callflows import CALLFLOWS_RESOURCE
from gateway.resources.carriers import RESOURCES_RESOURCE
from gateway.resources.cdrs import CDRS_RESOURCE
from gateway.resources.channels import CHANNELS_RESOURCE
from gateway.resources.conferences import CONFERENCES_RESOURCE
from gateway.resources.configs import CONFIGS_RESOURCE
from gateway.resources.connectivity import CONNECTIVITY_RESOURCE
from gateway.resources.devices import DEVICES_RESOURCE
from gateway.resources.directories import DIRECTORIES_RESOURCE
from gateway.resources.events_feed import EVENTS_RESOURCE
from gateway.resources.external_numbers import EXTERNAL_NUMBERS_RESOURCE
from gateway.resources.faxboxes import FAXBOXES_RESOURCE
from gateway.resources.groups import GROUPS_RESOURCE
from gateway.resources.ledgers import LEDGERS_RESOURCE
from gateway.resources.limits import LIMITS_RESOURCE
from gateway.resources.media import MEDIA_RESOURCE
from gateway.resources.menus import MENUS_RESOURCE
from gateway.resources.multi_factor import MULTI_FACTOR_RESOURCE
from gateway.resources.parking import PARKED_CALLS_RESOURCE
from gateway.resources.phone_numbers import PHONE_NUMBERS_RESOURCE
from gateway.resources.port_requests import PORT_REQUESTS_RESOURCE
from gateway.resources.presence import PRESENCE_RESOURCE
from gateway.resources.queues import QUEUES_RESOURCE
from gateway.resources.recordings import RECORDINGS_RESOURCE
from gateway.resources.registrations import REGISTRATIONS_RESOURCE
from gateway.resources.schemas import SCHEMAS_RESOURCE
from gateway.resources.security import SECURITY_RESOURCE
from gateway.resources.services import SERVICES_RESOURCE
from gateway.resources.sms import SMS_RESOURCE
from gateway.resources.temporal_rules import TEMPORAL_RULES_RESOURCE, TEMPORAL_RULES_SETS_RESOURCE
from gateway.resources.users import USERS_RESOURCE
from gateway.resources.vmboxes import VMBOXES_RESOURCE
from gateway.resources.webhooks import WEBHOOKS_RESOURCE
from gateway.resources.whitelabel import WHITELABEL_RESOURCE

RESOURCES = (
    ACCOUNTS_RESOURCE,
    REGISTRATIONS_RESOURCE,
    CHANNELS_RESOURCE,
    PRESENCE_RESOURCE,
    CDRS_RESOURCE,
    RECORDINGS_RESOURCE,
    USERS_RESOURCE,
    DEVICES_RESOURCE,
    CALLFLOWS_RESOURCE,
    USER_AUTH,
    API_AUTH,
    TOKEN_AUTH,
    AUTH,
    SCHEMAS_RESOURCE,
    APPS_STORE_RESOURCE,
    WHITELABEL_RESOURCE,
    MEDIA_RESOURCE,
    PHONE_NUMBERS_RESOURCE,
    CONFERENCES_RESOURCE,
    GROUPS_RESOURCE,
    MENUS_RESOURCE,
    TEMPORAL_RULES_RESOURCE,
    TEMPORAL_RULES_SETS_RESOURCE,
    QUEUES_RESOURCE,
    WEBHOOKS_RESOURCE,
    EVENTS_RESOURCE,
    AUDIT_RESOURCE,
    SMS_RESOURCE,
    DIRECTORIES_RESOURCE,
    FAXBOXES_RESOURCE,
    BLACKLISTS_RESOURCE,
    CONNECTIVITY_RESOURCE,
    VMBOXES_RESOURCE,
    CONFIGS_RESOURCE,
    LIMITS_RESOURCE,
    LEDGERS_RESOURCE,
    ALERTS_RESOURCE,
    SERVICES_RESOURCE,
    SECURITY_RESOURCE,
    MULTI_FACTOR_RESOURCE,
    PORT_REQUESTS_RESOURCE,
    EXTERNAL_NUMBERS_RESOURCE,
    RESOURCES_RESOURCE,
    PARKED_CALLS_RESOURCE,
    API_KEYS_RESOURCE,
)
