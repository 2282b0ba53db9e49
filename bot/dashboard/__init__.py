"""The dashboard: a Telegram Mini App (one page and a JSON API) served by the bot itself."""
