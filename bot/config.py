"""Settings read from environment variables and an optional .env file."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LANGUAGES: tuple[str, ...] = ("vi", "en")


class Settings(BaseSettings):
    """Runtime configuration of one bot deployment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    database_url: str = Field(default="sqlite:///./var/kyso.db", alias="DATABASE_URL")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    bot_timezone: str = Field(default="Asia/Ho_Chi_Minh", alias="BOT_TIMEZONE")
    admin_telegram_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), alias="ADMIN_TELEGRAM_IDS"
    )
    default_language: str = Field(default="vi", alias="DEFAULT_LANGUAGE")
    outbox_rate_per_second: float = Field(default=27.0, gt=0, alias="OUTBOX_RATE_PER_SECOND")
    outbox_concurrency: int = Field(default=16, ge=1, le=64, alias="OUTBOX_CONCURRENCY")
    invite_ttl_days: int = Field(default=7, ge=1, le=90, alias="INVITE_TTL_DAYS")
    bot_username: str | None = Field(default=None, alias="BOT_USERNAME")
    max_upload_mb: float = Field(default=5.0, gt=0, alias="MAX_UPLOAD_MB")

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept "1, 2,3" as well as a list of ids."""
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return frozenset(int(p) for p in parts if p)
        return value

    @field_validator("bot_username")
    @classmethod
    def _check_username(cls, value: str | None) -> str | None:
        """'@kyso_bot' or 'kyso_bot'; only letters, digits and underscores."""
        if value is None:
            return None
        value = value.strip().removeprefix("@")
        if not value:
            return None
        if not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in value):
            raise ValueError("BOT_USERNAME may contain only letters, digits and underscores")
        return value

    @field_validator("bot_timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        """Refuse a time zone name zoneinfo does not know."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("default_language")
    @classmethod
    def _check_language(cls, value: str) -> str:
        """Only languages with a catalog are allowed."""
        value = value.strip().lower()
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"DEFAULT_LANGUAGE must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The display time zone."""
        return ZoneInfo(self.bot_timezone)

    @property
    def max_upload_bytes(self) -> int:
        """Largest statistics file accepted in chat, in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def api_base_url(self) -> str | None:
        """Base URL for Bot API methods on a self-hosted server, without the token."""
        if not self.telegram_api_base_url:
            return None
        return self.telegram_api_base_url.rstrip("/") + "/bot"

    @property
    def api_base_file_url(self) -> str | None:
        """Base URL for file downloads on a self-hosted server."""
        if not self.telegram_api_base_url:
            return None
        return self.telegram_api_base_url.rstrip("/") + "/file/bot"
