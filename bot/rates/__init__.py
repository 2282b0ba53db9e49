"""Answering 'what is my signing rate': lookups, intents and the rate reply."""
