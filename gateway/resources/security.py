"""security: an account's crossbar auth settings; the gateway keeps none, so all are inherited."""

from __future__ import annotations

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.documents import Doc
from gateway.crossbar.resource import Resource, Route

# Kazoo's `crossbar.auth` defaults: only user logins are logged when they succeed.
LOGS_SUCCESS = {"cb_user_auth": True, "cb_api_auth": False, "cb_auth": False, "cb_ip_auth": False}


def auth_module(name: str, token_ttl: int) -> Doc:
    """One auth module's inherited settings; tokens live `token_ttl` seconds."""
    module: Doc = {
        "enabled": True,
        "token_auth_expiry_s": token_ttl,
        "log_failed_attempts": True,
        "log_successful_attempts": LOGS_SUCCESS[name],
    }
    if name == "cb_user_auth":
        # Kazoo shows `multi_factor` on user logins; no provider is configured here.
        module["multi_factor"] = {"enabled": False}
    return module


async def read_security(ctx: Context) -> Reply:
    """Nothing set on the account, and the settings it inherits."""
    ttl = ctx.settings.token_ttl
    modules = {name: auth_module(name, ttl) for name in LOGS_SUCCESS}
    return Reply({"account": {}, "inherited_config": {"auth_modules": modules}})


async def list_attempts(ctx: Context) -> Reply:
    """The account's logged login attempts: none are kept."""
    return Reply([], page=Page(page_size=0))


# Kazoo also takes POST/PATCH/DELETE; with no per-account settings kept they are not served.
SECURITY_RESOURCE = Resource(
    name="security",
    routes=(
        Route((), {"GET": read_security}),
        Route(("attempts",), {"GET": list_attempts}),
    ),
)
