"""Settings read from the environment and `.env` (see `.env.example` for every one)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SUPPORTED_LOCALES = ("ru", "en")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/nastavnik.db"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"

# Telegram tokens look like "123456789:AA...". Checking the shape here gives a clear error
# before any network call; Telegram itself still has the last word (401 at start-up).
_TOKEN_SHAPE = re.compile(r"^\d{5,20}:[A-Za-z0-9_-]{30,60}$")


class Settings(BaseSettings):
    """Everything the bot reads from its environment. Public names are part of the contract."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    # Required only to run the bot (checked by `require_token`): `migrate` and `backup` work
    # without it. Empty means "not set", as in a freshly copied `.env.example`.
    bot_token: SecretStr = Field(default=SecretStr(""), alias="BOT_TOKEN")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    telegram_api_url: str = Field(default=DEFAULT_TELEGRAM_API_URL, alias="TELEGRAM_API_URL")
    superadmin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), alias="SUPERADMIN_IDS"
    )
    default_locale: str = Field(default="ru", alias="DEFAULT_LOCALE")
    default_timezone: str = Field(default="Europe/Moscow", alias="DEFAULT_TIMEZONE")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    # "text" for people reading a terminal, "json" (one object per line) for log collectors.
    log_format: Literal["text", "json"] = Field(default="text", alias="LOG_FORMAT")
    # Seconds the start-up check of the token (getMe) waits for the Bot API before giving up;
    # polling keeps its own, longer timeout.
    telegram_startup_timeout: int = Field(
        default=15, ge=1, le=120, alias="TELEGRAM_STARTUP_TIMEOUT"
    )
    # Optional: keeps half-filled forms across restarts and shared between instances.
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    invite_ttl_days: int = Field(default=30, ge=1, le=365, alias="INVITE_TTL_DAYS")
    outbox_rate_per_second: float = Field(default=25.0, gt=0, le=30, alias="OUTBOX_RATE_PER_SECOND")
    # Sends under way at once. Each is a message a `kill -9` could repeat (sent, not yet recorded).
    outbox_send_concurrency: int = Field(default=1, ge=1, le=8, alias="OUTBOX_SEND_CONCURRENCY")
    # A folder with a school's own Word templates for /report (same file names as the defaults).
    document_templates_dir: Path | None = Field(default=None, alias="DOCUMENT_TEMPLATES_DIR")
    throttle_rate_per_second: float = Field(
        default=3.0, gt=0, le=100, alias="THROTTLE_RATE_PER_SECOND"
    )

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            return SecretStr("")
        if not _TOKEN_SHAPE.match(value.get_secret_value().strip()):
            # The message never contains the value itself: it is a secret.
            raise ValueError("does not look like a token from @BotFather (digits:letters)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("is not a database URL") from None
        if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.match(r"^(rediss?|unix)://", value):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("superadmin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> frozenset[int]:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(re.fullmatch(r"\d{1,20}", part) for part in parts):
                raise ValueError("must be Telegram user ids separated by commas")
            return frozenset(int(part) for part in parts)
        if isinstance(value, int):
            return frozenset({value})
        if isinstance(value, list | set | frozenset | tuple):
            return frozenset(int(part) for part in value)
        raise ValueError("must be Telegram user ids separated by commas")

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not an IANA time zone such as Europe/Moscow") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("text", "json"):
            return value.strip().lower()
        if isinstance(value, str):
            raise ValueError("must be text or json")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def database_kind(self) -> str:
        """ "sqlite" or "postgresql": what the logs may say about the database (never its URL)."""
        return make_url(self.database_url).get_backend_name()

    @property
    def has_token(self) -> bool:
        return bool(self.bot_token.get_secret_value())


def missing_setting(name: str) -> str:
    return f"Configuration error: {name} is required (set it in the environment or in .env)"


def describe_error(error: ValidationError) -> str:
    """One line naming the first bad setting, without echoing its value (it may be a secret)."""
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "settings"
    if first["type"] == "missing":
        return missing_setting(name)
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"Configuration error: {name} {message}"
