"""Settings read from environment variables and an optional .env file."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

SUPPORTED_LANGUAGES: tuple[str, ...] = ("vi", "en")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


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
    outbox_rate_per_second: float = Field(default=25.0, gt=0, alias="OUTBOX_RATE_PER_SECOND")
    outbox_concurrency: int = Field(default=8, ge=1, le=64, alias="OUTBOX_CONCURRENCY")
    invite_ttl_days: int = Field(default=7, ge=1, le=90, alias="INVITE_TTL_DAYS")
    bot_username: str | None = Field(default=None, alias="BOT_USERNAME")
    max_upload_mb: float = Field(default=5.0, gt=0, alias="MAX_UPLOAD_MB")
    webhook_url: str | None = Field(default=None, alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="WEBHOOK_SECRET")
    webhook_listen: str = Field(default="127.0.0.1", alias="WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8080, ge=1, le=65535, alias="WEBHOOK_PORT")
    webhook_max_connections: int = Field(default=40, ge=1, le=100, alias="WEBHOOK_MAX_CONNECTIONS")
    concurrent_updates: int = Field(default=16, ge=1, le=256, alias="CONCURRENT_UPDATES")
    status_port: int | None = Field(default=None, ge=1, le=65535, alias="STATUS_PORT")
    log_format: str = Field(default="text", alias="LOG_FORMAT")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")

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

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        """An https:// URL (Telegram delivers webhooks over HTTPS only)."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        parsed = urlsplit(value)
        if parsed.scheme != "https" or not parsed.hostname:
            raise ValueError("WEBHOOK_URL must be an https:// URL")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """1–256 characters from A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)."""
        if value is None or not value.get_secret_value():
            return None
        if not _SECRET_RE.fullmatch(value.get_secret_value()):
            raise ValueError(
                "WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, underscore or hyphen"
            )
        return value

    @field_validator("log_format")
    @classmethod
    def _check_log_format(cls, value: str) -> str:
        """'text' (console) or 'json' (one JSON object per line)."""
        value = value.strip().lower()
        if value not in ("text", "json"):
            raise ValueError("LOG_FORMAT must be text or json")
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        """A standard logging level name."""
        value = value.strip().upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
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
    def webhook_path(self) -> str:
        """The path the webhook server answers on: WEBHOOK_URL's path ('/' when it has none)."""
        if not self.webhook_url:
            return "/telegram"
        return urlsplit(self.webhook_url).path or "/"

    def secrets(self) -> list[str]:
        """Values that must never appear in a log line."""
        found = []
        for secret in (self.telegram_bot_token, self.webhook_secret):
            if secret is not None and secret.get_secret_value():
                found.append(secret.get_secret_value())
        try:
            password = make_url(self.database_url).password
        except Exception:  # an unparsable URL fails later, with its own message
            password = None
        if password and len(str(password)) >= 8:  # a short one would blank ordinary words
            found.append(str(password))
        return found

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
