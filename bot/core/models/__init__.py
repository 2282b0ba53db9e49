"""Database tables (SQLModel), one module per area of the schema; datetimes are stored as aware UTC.

Every table and enum is re-exported here: import them from bot.core.models."""

from bot.core.models.alerts import AlertState, WarningPolicy, WarningRun, WarningSilence
from bot.core.models.base import Table, UTCDateTime, use_clock, utcnow
from bot.core.models.data import (
    ImportBatch,
    Indicator,
    Measurement,
    PendingImport,
    ReportingPeriod,
    Unit,
    UnitNameHistory,
)
from bot.core.models.deadlines import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    DeadlineUnit,
    ExplanationReport,
    ReportStatus,
)
from bot.core.models.letters import DeadlineBasis, Letter, LetterPassage, LetterStatus
from bot.core.models.outbox import (
    Acknowledgement,
    Broadcast,
    OutboxAttachment,
    OutboxMessage,
    OutboxStatus,
)
from bot.core.models.people import (
    AppState,
    AppUser,
    AuditLog,
    Chat,
    DashboardLogin,
    Dialog,
    GroupSubscription,
    Invite,
    Official,
    RedeemAttempt,
    Role,
)

__all__ = [
    "Acknowledgement",
    "AlertState",
    "AppState",
    "AppUser",
    "AuditLog",
    "Broadcast",
    "Chat",
    "DashboardLogin",
    "Deadline",
    "DeadlineBasis",
    "DeadlineKind",
    "DeadlineStatus",
    "DeadlineUnit",
    "Dialog",
    "ExplanationReport",
    "GroupSubscription",
    "ImportBatch",
    "Indicator",
    "Invite",
    "Letter",
    "LetterPassage",
    "LetterStatus",
    "Measurement",
    "Official",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxStatus",
    "PendingImport",
    "RedeemAttempt",
    "ReportStatus",
    "ReportingPeriod",
    "Role",
    "Table",
    "UTCDateTime",
    "Unit",
    "UnitNameHistory",
    "WarningPolicy",
    "WarningRun",
    "WarningSilence",
    "use_clock",
    "utcnow",
]
