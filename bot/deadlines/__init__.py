"""Deadlines, reminder schedules, explanation reports, and their texts and CLI."""
