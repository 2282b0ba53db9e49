"""Settings read from environment variables and an optional .env file."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

from bot.core.timespec import parse_duration, parse_schedule

SUPPORTED_LANGUAGES: tuple[str, ...] = ("vi", "en")
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def invalid(kind: str, **context: object) -> PydanticCustomError:
    """A configuration error of our own type; bot/core/settings_errors.py words it per type."""
    return PydanticCustomError(kind, f"invalid {kind}", context)


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
    # Every number is finite and in range: inf, nan or 1e999 is a configuration error.
    outbox_rate_per_second: float = Field(
        default=28.0, gt=0, le=1000, allow_inf_nan=False, alias="OUTBOX_RATE_PER_SECOND"
    )
    outbox_concurrency: int = Field(default=16, ge=1, le=64, alias="OUTBOX_CONCURRENCY")
    invite_ttl_days: int = Field(default=7, ge=1, le=90, alias="INVITE_TTL_DAYS")
    bot_username: str | None = Field(default=None, alias="BOT_USERNAME")
    max_upload_mb: float = Field(
        default=5.0, gt=0, le=20, allow_inf_nan=False, alias="MAX_UPLOAD_MB"
    )  # the cloud Bot API downloads at most 20 MB
    # Bounds on reading an imported table (bot/imports/limits.py): over one, a clear refusal.
    import_max_rows: int = Field(default=20_000, ge=100, le=1_000_000, alias="IMPORT_MAX_ROWS")
    import_max_cell_chars: int = Field(
        default=2_000, ge=300, le=1_000_000, alias="IMPORT_MAX_CELL_CHARS"
    )
    import_max_unzipped_mb: float = Field(
        default=50.0, gt=0, le=2000, allow_inf_nan=False, alias="IMPORT_MAX_UNZIPPED_MB"
    )
    import_time_budget: float = Field(
        default=60.0, gt=0, le=3600, allow_inf_nan=False, alias="IMPORT_TIME_BUDGET"
    )  # seconds
    summary_weekday: str = Field(default="mon", alias="SUMMARY_WEEKDAY")
    summary_time: str = Field(default="08:00", alias="SUMMARY_TIME")
    warning_schedule: str = Field(default="mon 08:00", alias="WARNING_SCHEDULE")
    warning_repeat_interval: str = Field(default="7d", alias="WARNING_REPEAT_INTERVAL")
    quiet_hours_start: dt.time = Field(default=dt.time(21, 0), alias="QUIET_HOURS_START")
    quiet_hours_end: dt.time = Field(default=dt.time(7, 0), alias="QUIET_HOURS_END")
    report_max_mb: float = Field(
        default=20.0, gt=0, le=2000, allow_inf_nan=False, alias="REPORT_MAX_MB"
    )  # Telegram's largest file

    @field_validator("quiet_hours_start", "quiet_hours_end", mode="before")
    @classmethod
    def _parse_clock(cls, value: object) -> object:
        """Accept '21:00', '7:30', '7h' or '7' as a time of day."""
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?\s*", value.lower())
            if match is None or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
                raise invalid("time_of_day")
            return dt.time(int(match.group(1)), int(match.group(2) or 0))
        return value

    webhook_url: str | None = Field(default=None, alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="WEBHOOK_SECRET")
    webhook_listen: str = Field(default="127.0.0.1", alias="WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8080, ge=1, le=65535, alias="WEBHOOK_PORT")
    webhook_max_connections: int = Field(default=40, ge=1, le=100, alias="WEBHOOK_MAX_CONNECTIONS")
    concurrent_updates: int = Field(default=16, ge=1, le=256, alias="CONCURRENT_UPDATES")
    status_port: int | None = Field(default=None, ge=1, le=65535, alias="STATUS_PORT")
    log_format: str = Field(default="text", alias="LOG_FORMAT")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    # `run` writes INFO lines in batches at most this late (0: each at once): bot/core/logs.py.
    log_flush_seconds: float = Field(default=1.0, ge=0, le=60, alias="LOG_FLUSH_SECONDS")
    # The Mini App dashboard (bot/dashboard): its public address, on/off, launch data max age.
    dashboard_url: str | None = Field(default=None, alias="DASHBOARD_URL")
    dashboard_enabled: bool = Field(default=True, alias="DASHBOARD_ENABLED")
    dashboard_max_age: int = Field(default=3600, ge=60, le=7 * 86400, alias="DASHBOARD_MAX_AGE")

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept "1, 2,3" as well as a list of ids."""
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            for part in parts:
                if part and not (part.isascii() and part.isdigit() and 0 < int(part) < 2**63):
                    raise invalid("telegram_id", item=part)
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
            raise invalid("bot_username")
        return value

    @field_validator("summary_weekday")
    @classmethod
    def _check_weekday(cls, value: str) -> str:
        """mon … sun, or off to send no scheduled summaries."""
        value = value.strip().lower()[:3]
        if value not in (*WEEKDAYS, "off"):
            raise invalid("weekday")
        return value

    @field_validator("summary_time")
    @classmethod
    def _check_time(cls, value: str) -> str:
        """HH:MM in the bot's time zone."""
        try:
            parsed = dt.datetime.strptime(value.strip(), "%H:%M").time()
        except ValueError as exc:
            raise invalid("clock_time") from exc
        return parsed.strftime("%H:%M")

    @property
    def summary_schedule(self) -> tuple[int, dt.time] | None:
        """(ISO weekday 1–7, local time) of the weekly group summaries; None when off."""
        if self.summary_weekday == "off":
            return None
        hour, minute = (int(p) for p in self.summary_time.split(":"))
        return WEEKDAYS.index(self.summary_weekday) + 1, dt.time(hour, minute)

    @field_validator("warning_schedule")
    @classmethod
    def _check_schedule(cls, value: str) -> str:
        """'mon 08:00', 'mon,thu 07:30', 'daily 08:00' or 'off' (stored in canonical form)."""
        try:
            schedule = parse_schedule(value)
        except ValueError as exc:
            raise invalid("schedule") from exc
        return schedule.canonical() if schedule is not None else "off"

    @field_validator("warning_repeat_interval")
    @classmethod
    def _check_repeat(cls, value: str) -> str:
        """'7d', '36h', '90m': at least one hour."""
        try:
            parse_duration(value)
        except (ValueError, OverflowError) as exc:
            raise invalid("repeat_interval") from exc
        return value.strip().lower()

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        """An https:// URL (Telegram delivers webhooks over HTTPS only)."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        parsed = urlsplit(value)
        if parsed.scheme != "https" or not parsed.hostname:
            raise invalid("webhook_url")
        return value

    @field_validator("dashboard_url")
    @classmethod
    def _check_dashboard_url(cls, value: str | None) -> str | None:
        """https:// (Telegram opens Mini Apps over HTTPS only); http:// only on the loopback.
        A bare host gets the page's path, /app/."""
        if value is None or not value.strip():
            return None
        parsed = urlsplit(value.strip())
        loopback = parsed.hostname in ("127.0.0.1", "localhost", "::1")
        if not parsed.hostname or not (
            parsed.scheme == "https" or (parsed.scheme == "http" and loopback)
        ):
            raise ValueError("DASHBOARD_URL must be an https:// URL")
        if parsed.query or parsed.fragment:
            raise ValueError("DASHBOARD_URL must not have a query or a fragment")
        path = parsed.path if parsed.path not in ("", "/") else "/app/"
        return f"{parsed.scheme}://{parsed.netloc}{path.rstrip('/')}/"

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """1–256 characters from A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)."""
        if value is None or not value.get_secret_value():
            return None
        if not _SECRET_RE.fullmatch(value.get_secret_value()):
            raise invalid("webhook_secret")
        return value

    @field_validator("log_format")
    @classmethod
    def _check_log_format(cls, value: str) -> str:
        """'text' (console) or 'json' (one JSON object per line)."""
        value = value.strip().lower()
        if value not in ("text", "json"):
            raise invalid("log_format")
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        """A standard logging level name."""
        value = value.strip().upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise invalid("log_level")
        return value

    @field_validator("bot_timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        """Refuse a time zone name zoneinfo does not know."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise invalid("time_zone") from exc
        return value

    @field_validator("default_language")
    @classmethod
    def _check_language(cls, value: str) -> str:
        """Only languages with a catalog are allowed."""
        value = value.strip().lower()
        if value not in SUPPORTED_LANGUAGES:
            raise invalid("language", choices=", ".join(SUPPORTED_LANGUAGES))
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        """A SQLite or PostgreSQL SQLAlchemy URL."""
        value = value.strip()
        try:
            backend = make_url(value).get_backend_name()
        except Exception as exc:
            raise invalid("database_url") from exc
        if backend not in ("sqlite", "postgresql", "postgres"):
            raise invalid("database_url")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _check_api_base_url(cls, value: str | None) -> str | None:
        """http(s)://host[:port][/path] of a self-hosted Bot API server, without the token."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        try:
            parsed = urlsplit(value)
            parsed.port  # noqa: B018 (raises ValueError for a bad port)
        except ValueError as exc:
            raise invalid("api_base_url") from exc
        last_segment = parsed.path.rstrip("/").rsplit("/", 1)[-1].lower()
        if (
            parsed.scheme not in ("http", "https")
            or not parsed.hostname
            or parsed.port == 0
            or parsed.username is not None  # would be shown in logs; Bot API servers take none
            or last_segment.startswith("bot")  # ".../bot" or ".../bot<token>": we add /bot<token>
            or parsed.query
            or parsed.fragment
            or any(ch.isspace() for ch in value)
        ):
            raise invalid("api_base_url")
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
    def report_max_bytes(self) -> int:
        """Largest explanation-report file accepted, in bytes."""
        return int(self.report_max_mb * 1024 * 1024)

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
