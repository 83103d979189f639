"""Every crossbar module the gateway serves."""

from gateway.resources.account_tree import ACCOUNTS_RESOURCE
from gateway.resources.auth import API_AUTH, TOKEN_AUTH, USER_AUTH
from gateway.resources.branding import APPS_STORE, WHITELABEL_RESOURCE
from gateway.resources.schemas import SCHEMAS_RESOURCE
from gateway.resources.users import USERS_RESOURCE

RESOURCES = (
    ACCOUNTS_RESOURCE,
    USERS_RESOURCE,
    USER_AUTH,
    API_AUTH,
    TOKEN_AUTH,
    SCHEMAS_RESOURCE,
    APPS_STORE,
    WHITELABEL_RESOURCE,
)
