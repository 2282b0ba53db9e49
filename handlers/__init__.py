"""Telegram handlers, one module per feature: each exposes COMMANDS and register(app)."""
