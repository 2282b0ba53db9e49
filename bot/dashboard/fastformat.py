"""The province table's per-row texts, worked out in integer arithmetic.

10,000 rows formatted through Decimal (fmt_rate, fmt_number, fmt_points) were most of the time
of the dashboard's first view after new figures; these give the same text without a Decimal per
row (tests/test_dashboard_api.py checks them against the chat's formatting).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.i18n import current_language, fmt_rate, number_style


@dataclass(frozen=True)
class FastFormat:
    """The table's per-row texts in integer arithmetic: the same text as fmt_rate, fmt_number
    and fmt_points give (tests/test_dashboard_api.py checks it), without a Decimal per row."""

    table: dict[int, str]
    prefix: str
    suffix: str

    @classmethod
    def current(cls) -> FastFormat:
        """For the current language."""
        style = number_style(current_language())
        return cls(style.table, style.percent_prefix, style.percent_suffix)

    @staticmethod
    def hundredths(num: int, den: int) -> int:
        """The rate in hundredths of a percent, rounded half up as rate_percent (den > 0)."""
        return (num * 20_000 + den) // (2 * den)

    def _decimal(self, hundredths: int) -> str:
        """'1.234,5' from 123450 (trailing zeros dropped); hundredths ≥ 0."""
        whole, part = divmod(hundredths, 100)
        text = f"{whole:,}"
        if part:
            text += "." + f"{part:02d}".rstrip("0")
        return text.translate(self.table)

    def rate(self, num: int, den: int) -> str:
        """'82,5%' ('—' when there is nothing to count)."""
        if den <= 0:
            return "—"
        if num < 0:
            return fmt_rate(num, den)
        return f"{self.prefix}{self._decimal(self.hundredths(num, den))}{self.suffix}"

    def figure(self, num: int, den: int) -> str:
        """'1.234/2.000'."""
        return f"{num:,}/{den:,}".translate(self.table)

    def points(self, hundredths: int) -> str:
        """'+7,5', '−2,25' or '0' from a change in hundredths of a point."""
        text = self._decimal(abs(hundredths))
        if hundredths > 0:
            return "+" + text
        if hundredths < 0:
            return "−" + text
        return text
