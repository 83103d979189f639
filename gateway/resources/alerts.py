"""alerts: notices shown to an account's users; the gateway raises none yet."""

from __future__ import annotations

from gateway.crossbar.context import Context, Page, Reply
from gateway.crossbar.errors import NotFound
from gateway.crossbar.resource import ID, Resource, Route


async def list_alerts(ctx: Context) -> Reply:
    """The account's alerts (Kazoo puts their count in `page_size`): none."""
    return Reply([], page=Page(page_size=0))


async def read_alert(ctx: Context) -> Reply:
    """One alert (GET, or DELETE after reading it, as in Kazoo): no id names one."""
    raise NotFound(ctx.args[0])


# Kazoo lets a superduper admin PUT system alerts; until alerts are kept the verb is not
# served (405) rather than accepting alerts nobody would see.
ALERTS_RESOURCE = Resource(
    name="alerts",
    routes=(
        Route((), {"GET": list_alerts}),
        Route((ID,), {"GET": read_alert, "DELETE": read_alert}),
    ),
)
