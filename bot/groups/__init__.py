"""Group chats: subscriptions to a unit area's summaries, supergroup migration."""
