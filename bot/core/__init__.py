"""The shared kernel: settings, database, i18n, clock, outbox, audit, people; imports no feature."""
