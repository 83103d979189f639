"""A switch that is not there: realistic intake events for the phones of some accounts.

Phones register and refresh, calls ring, are answered and hang up (with their CDRs), and
now and then a caller leaves a voicemail. The builders are pure; `simulate` sends them.
"""

from __future__ import annotations

import base64
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gateway.crossbar.clock import gregorian_now

# A few bytes that say "MP3" to anything that looks: enough for a demo message.
DEMO_AUDIO = base64.b64encode(
    b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64
).decode()


@dataclass(frozen=True)
class Line:
    """One phone of an account: its device, its owner and (maybe) the owner's voicemail box."""

    account_id: str
    realm: str
    device_id: str
    username: str
    owner_id: str | None = None
    vmbox_id: str | None = None


@dataclass
class Call:
    """A call in progress on a line."""

    line: Line
    call_id: str
    caller: str
    started: int
    answered: bool = False


@dataclass
class Simulation:
    """The state of the pretend switch; `tick()` yields what happened in one second."""

    lines: list[Line]
    registration_expires: int = 120
    seed: int | None = None
    voicemail_share: float = 0.5
    calls: list[Call] = field(default_factory=list)
    registered: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    def event(self, kind: str, line: Line, **fields: Any) -> dict[str, Any]:
        """One intake event with a fresh id (fields that are None are left out)."""
        return {
            "event_id": f"sim-{secrets.token_hex(12)}",
            "type": kind,
            "account_id": line.account_id,
            **{key: value for key, value in fields.items() if value is not None},
        }

    def register(self, line: Line) -> dict[str, Any]:
        """The phone registers (or refreshes its registration)."""
        self.registered.add(line.device_id)
        return self.event(
            "registration",
            line,
            action="register",
            username=line.username,
            realm=line.realm,
            contact=f"sip:{line.username}@192.0.2.{10 + len(self.registered) % 200}:5060",
            user_agent="Simulated Phone 1.0",
            expires=self.registration_expires,
            authorizing_type="device",
            authorizing_id=line.device_id,
            owner_id=line.owner_id,
        )

    def start_call(self, line: Line) -> dict[str, Any]:
        """A call comes in for the line and rings."""
        caller = f"+1555{self.random.randrange(10**7):07d}"
        call = Call(line, f"sim-call-{secrets.token_hex(8)}", caller, gregorian_now())
        self.calls.append(call)
        return self._channel(call, "create")

    def _channel(self, call: Call, action: str) -> dict[str, Any]:
        return self.event(
            "channel",
            call.line,
            action=action,
            call_id=call.call_id,
            direction="inbound",
            destination=call.line.username,
            username=call.line.username,
            owner_id=call.line.owner_id,
            authorizing_type="device",
            authorizing_id=call.line.device_id,
            caller_id_number=call.caller,
        )

    def end_call(self, call: Call) -> list[dict[str, Any]]:
        """The call hangs up: its channel goes, its CDR comes, a missed one may leave a message."""
        self.calls.remove(call)
        now = gregorian_now()
        line = call.line
        events = [
            self._channel(call, "destroy"),
            self.event(
                "cdr",
                line,
                call_id=call.call_id,
                call_direction="inbound",
                request=f"{line.username}@{line.realm}",
                to=f"{line.username}@{line.realm}",
                **{"from": f"{call.caller}@{line.realm}"},
                caller_id_number=call.caller,
                duration_seconds=max(1, now - call.started),
                billing_seconds=max(0, now - call.started - 3) if call.answered else 0,
                hangup_cause="NORMAL_CLEARING" if call.answered else "NO_ANSWER",
                timestamp=now,
                custom_channel_vars={
                    key: value
                    for key, value in (
                        ("owner_id", line.owner_id),
                        ("authorizing_id", line.device_id),
                        ("authorizing_type", "device"),
                    )
                    if value is not None
                },
            ),
        ]
        if not call.answered and line.vmbox_id and self.random.random() < self.voicemail_share:
            events.append(
                self.event(
                    "voicemail",
                    line,
                    vmbox_id=line.vmbox_id,
                    caller_id_number=call.caller,
                    length=self.random.randrange(3_000, 60_000),
                    audio=DEMO_AUDIO,
                    content_type="audio/mpeg",
                )
            )
        return events

    def tick(self, calls_per_tick: float = 0.3) -> Iterator[dict[str, Any]]:
        """What happens in one second on every line."""
        for line in self.lines:
            if line.device_id not in self.registered or self.random.random() < 0.02:
                yield self.register(line)
        for call in list(self.calls):
            roll = self.random.random()
            if not call.answered and roll < 0.4:
                call.answered = True
                yield self._channel(call, "answer")
            elif roll < 0.15 or (not call.answered and roll > 0.9):
                yield from self.end_call(call)
        busy = {call.line.device_id for call in self.calls}
        idle = [line for line in self.lines if line.device_id not in busy]
        if idle and self.random.random() < calls_per_tick:
            yield self.start_call(self.random.choice(idle))
