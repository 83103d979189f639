"""Deployment settings read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


class SettingsError(ValueError):
    """A setting has an invalid value; the message is one line."""


@dataclass(frozen=True)
class Settings:
    """Every setting the gateway reads; see README for the table."""

    mongo_url: str | None = None
    mongo_database: str = "gateway"
    data_dir: str = "./data"
    store_selection_timeout_ms: int = 1000
    store_connect_timeout_ms: int = 1000
    store_socket_timeout_ms: int = 10_000
    store_restarts: int = 5
    drain_seconds: float = 0.0
    shutdown_grace_seconds: int = 30
    admin_account: str = "master"
    admin_username: str | None = None
    admin_password: str | None = None
    secret_key: str | None = None
    token_ttl: int = 3600
    page_size_max: int = 1000
    unpaginated_max: int = 10000
    max_upload_size: int = 8_000_000
    bcrypt_rounds: int = 12
    login_failure_limit: int = 10
    login_failure_window: int = 300
    rate_limit: bool = True
    rate_address_capacity: int = 300
    rate_address_per_second: int = 30
    rate_account_capacity: int = 600
    rate_account_per_second: int = 60
    rate_login_cost: int = 35
    idempotency_hours: int = 24
    realm_suffix: str = "sip.example.com"
    trusted_proxies: frozenset[str] = field(default_factory=frozenset)
    permissive_priv_levels: bool = False
    cache_ttl_ms: int = 1000
    cache_entries: int = 10_000
    cache_bytes: int = 16_000_000
    access_log: bool = False
    server_timing: bool = False
    intake_keys: frozenset[str] = field(default_factory=frozenset)
    intake_batch_max: int = 500
    events_poll_ms: int = 250
    events_retention_days: int = 7
    webhooks_allow_private: bool = False
    webhooks_timeout_ms: int = 10_000
    webhooks_retry_base_ms: int = 10_000
    webhooks_concurrency: int = 16
    webhooks_disable_after: int = 6
    webhooks_attempts_days: int = 7
    audit_retention_days: int = 365
    apps_dir: str | None = None
    apps_api_url: str | None = None
    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    turn_secret: str | None = None
    turn_ttl: int = 86400
    metrics: str = "loopback"
    metrics_token: str | None = None
    log_format: str = "text"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from GATEWAY_* variables; raise SettingsError on a bad value."""
        env = os.environ if env is None else env
        get = env.get
        return cls(
            mongo_url=get("GATEWAY_MONGO_URL") or None,
            mongo_database=_word(
                get("GATEWAY_MONGO_DATABASE", "gateway"), "GATEWAY_MONGO_DATABASE"
            ),
            data_dir=get("GATEWAY_DATA_DIR") or "./data",
            store_selection_timeout_ms=_int(
                env, "GATEWAY_STORE_SELECTION_TIMEOUT_MS", 1000, 100, 120_000
            ),
            store_connect_timeout_ms=_int(
                env, "GATEWAY_STORE_CONNECT_TIMEOUT_MS", 1000, 100, 120_000
            ),
            store_socket_timeout_ms=_int(
                env, "GATEWAY_STORE_SOCKET_TIMEOUT_MS", 10_000, 100, 600_000
            ),
            store_restarts=_int(env, "GATEWAY_STORE_RESTARTS", 5, 0, 100),
            drain_seconds=_int(env, "GATEWAY_DRAIN_MS", 0, 0, 120_000) / 1000,
            shutdown_grace_seconds=_int(env, "GATEWAY_SHUTDOWN_GRACE_SECONDS", 30, 0, 3600),
            admin_account=get("GATEWAY_ADMIN_ACCOUNT") or "master",
            admin_username=get("GATEWAY_ADMIN_USERNAME") or None,
            admin_password=get("GATEWAY_ADMIN_PASSWORD") or None,
            secret_key=_secret(get("GATEWAY_SECRET_KEY")),
            token_ttl=_int(env, "GATEWAY_TOKEN_TTL", 3600, 60, 86400 * 7),
            page_size_max=_int(env, "GATEWAY_PAGE_SIZE_MAX", 1000, 1, 100_000),
            unpaginated_max=_int(env, "GATEWAY_UNPAGINATED_MAX", 10000, 1, 1_000_000),
            max_upload_size=_int(env, "GATEWAY_MAX_UPLOAD_SIZE", 8_000_000, 1024, 1 << 31),
            bcrypt_rounds=_int(env, "GATEWAY_BCRYPT_ROUNDS", 12, 4, 16),
            login_failure_limit=_int(env, "GATEWAY_LOGIN_FAILURE_LIMIT", 10, 1, 10_000),
            login_failure_window=_int(env, "GATEWAY_LOGIN_FAILURE_WINDOW", 300, 1, 86400),
            rate_limit=_flag(env, "GATEWAY_RATE_LIMIT", default=True),
            rate_address_capacity=_int(env, "GATEWAY_RATE_ADDRESS_CAPACITY", 300, 1, 10**9),
            rate_address_per_second=_int(env, "GATEWAY_RATE_ADDRESS_PER_SECOND", 30, 1, 10**9),
            rate_account_capacity=_int(env, "GATEWAY_RATE_ACCOUNT_CAPACITY", 600, 1, 10**9),
            rate_account_per_second=_int(env, "GATEWAY_RATE_ACCOUNT_PER_SECOND", 60, 1, 10**9),
            rate_login_cost=_int(env, "GATEWAY_RATE_LOGIN_COST", 35, 1, 10**6),
            idempotency_hours=_int(env, "GATEWAY_IDEMPOTENCY_HOURS", 24, 1, 24 * 30),
            realm_suffix=get("GATEWAY_REALM_SUFFIX") or "sip.example.com",
            permissive_priv_levels=_flag(env, "GATEWAY_PERMISSIVE_PRIV_LEVELS"),
            cache_ttl_ms=_int(env, "GATEWAY_CACHE_TTL_MS", 1000, 0, 60_000),
            cache_entries=_int(env, "GATEWAY_CACHE_ENTRIES", 10_000, 1, 1_000_000),
            cache_bytes=_int(env, "GATEWAY_CACHE_BYTES", 16_000_000, 65_536, 1 << 31),
            access_log=_flag(env, "GATEWAY_ACCESS_LOG"),
            server_timing=_flag(env, "GATEWAY_SERVER_TIMING"),
            intake_keys=_intake_keys(get("GATEWAY_INTAKE_KEYS", "")),
            intake_batch_max=_int(env, "GATEWAY_INTAKE_BATCH_MAX", 500, 1, 10_000),
            events_poll_ms=_int(env, "GATEWAY_EVENTS_POLL_MS", 250, 10, 60_000),
            events_retention_days=_int(env, "GATEWAY_EVENTS_RETENTION_DAYS", 7, 1, 365),
            webhooks_allow_private=_flag(env, "GATEWAY_WEBHOOKS_ALLOW_PRIVATE"),
            webhooks_timeout_ms=_int(env, "GATEWAY_WEBHOOKS_TIMEOUT_MS", 10_000, 100, 60_000),
            webhooks_retry_base_ms=_int(env, "GATEWAY_WEBHOOKS_RETRY_BASE_MS", 10_000, 10, 60_000),
            webhooks_concurrency=_int(env, "GATEWAY_WEBHOOKS_CONCURRENCY", 16, 1, 1000),
            webhooks_disable_after=_int(env, "GATEWAY_WEBHOOKS_DISABLE_AFTER", 6, 1, 25),
            webhooks_attempts_days=_int(env, "GATEWAY_WEBHOOKS_ATTEMPTS_DAYS", 7, 1, 90),
            audit_retention_days=_int(env, "GATEWAY_AUDIT_RETENTION_DAYS", 365, 1, 3650),
            apps_dir=get("GATEWAY_APPS_DIR") or None,
            apps_api_url=get("GATEWAY_APPS_API_URL") or None,
            stun_urls=_ice_urls(env, "GATEWAY_STUN_URLS", ("stun:", "stuns:")),
            turn_urls=_ice_urls(env, "GATEWAY_TURN_URLS", ("turn:", "turns:")),
            turn_secret=_shared_secret(
                env,
                "GATEWAY_TURN_SECRET",
                "GATEWAY_TURN_URLS" if env.get("GATEWAY_TURN_URLS", "").strip(" ,") else None,
            ),
            turn_ttl=_int(env, "GATEWAY_TURN_TTL", 86400, 60, 7 * 86400),
            trusted_proxies=frozenset(
                p.strip() for p in get("GATEWAY_TRUSTED_PROXIES", "").split(",") if p.strip()
            ),
            metrics=_choice(env, "GATEWAY_METRICS", ("off", "loopback", "token"), "loopback"),
            metrics_token=_shared_secret(
                env,
                "GATEWAY_METRICS_TOKEN",
                "GATEWAY_METRICS=token"
                if (env.get("GATEWAY_METRICS") or "").strip().lower() == "token"
                else None,
            ),
            log_format=_choice(env, "GATEWAY_LOG_FORMAT", ("text", "json"), "text"),
        )


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = (env.get(name) or str(default)).lower()
    if raw not in ("true", "false"):
        raise SettingsError(f"{name} must be true or false, got {raw!r}")
    return raw == "true"


def _word(value: str, name: str) -> str:
    if not value or not value.replace("_", "").replace("-", "").isalnum():
        raise SettingsError(f"{name} must be letters, digits, '-' or '_', got {value!r}")
    return value


def _intake_keys(raw: str) -> frozenset[str]:
    keys = frozenset(key.strip() for key in raw.split(",") if key.strip())
    if any(len(key) < 32 for key in keys):
        raise SettingsError("GATEWAY_INTAKE_KEYS must be keys of at least 32 characters")
    return keys


def _ice_urls(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> tuple[str, ...]:
    urls = tuple(url.strip() for url in env.get(name, "").split(",") if url.strip())
    for url in urls:
        if not url.startswith(schemes) or len(url) > 512 or any(c.isspace() for c in url):
            raise SettingsError(f"{name} must be {' or '.join(schemes)} URLs, got {url!r}")
    return urls


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = (env.get(name) or default).strip().lower()
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _shared_secret(env: Mapping[str, str], name: str, needed_by: str | None) -> str | None:
    """A secret of at least 16 characters, required when `needed_by` names what needs it."""
    secret = env.get(name) or None
    if secret is not None and len(secret) < 16:
        raise SettingsError(f"{name} must be at least 16 characters")
    if secret is None and needed_by is not None:
        raise SettingsError(f"{needed_by} needs {name}")
    return secret


def _secret(value: str | None) -> str | None:
    if value and len(value) < 32:
        raise SettingsError("GATEWAY_SECRET_KEY must be at least 32 characters")
    return value or None
