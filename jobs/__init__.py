"""Scheduled jobs; each module exposes a job callback, scheduled from the database at start-up."""
