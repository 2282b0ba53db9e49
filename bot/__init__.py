"""kyso-bot: digital-signing statistics, reminders and warnings over Telegram."""
